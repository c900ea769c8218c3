from django.apps import AppConfig


class GradingConfig(AppConfig):
    name = "grassroots.grading"
    label = "grading"
    verbose_name = "考核评价"

    def ready(self):
        from grassroots.core import attachments

        from . import selectors, targets

        targets.register_defaults()
        attachments.register_owner("grading.entry", selectors.entry_for_attachment)
