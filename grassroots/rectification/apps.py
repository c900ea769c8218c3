from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "grassroots.rectification"
    label = "rectification"
    verbose_name = "整改台账"

    def ready(self):
        from grassroots.core import attachments

        from . import public, selectors

        attachments.register_owner("rectification.item", selectors.item_for_attachment)
        public.register()
