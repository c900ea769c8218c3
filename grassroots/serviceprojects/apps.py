from django.apps import AppConfig


class ServiceprojectsConfig(AppConfig):
    name = "grassroots.serviceprojects"
    label = "serviceprojects"
    verbose_name = "为群众办实事"

    def ready(self):
        from . import (
            exports,  # noqa: F401 - registers the project list's export kind
            public,
        )

        public.register()
