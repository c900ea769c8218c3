from django.apps import AppConfig


class KeyprojectsConfig(AppConfig):
    name = "grassroots.keyprojects"
    label = "keyprojects"
    verbose_name = "重点项目调度"

    def ready(self):
        from grassroots.core import attachments

        from . import (
            exports,  # noqa: F401 - registers the project list and the monthly dispatch exports
            selectors,
        )

        attachments.register_owner("keyprojects.progressreport", selectors.progress_owner)
        attachments.register_owner("keyprojects.project", selectors.project_owner)
