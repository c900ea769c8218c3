from django.apps import AppConfig


class PartybrandsConfig(AppConfig):
    name = "grassroots.partybrands"
    label = "partybrands"
    verbose_name = "党建品牌"

    def ready(self):
        from grassroots.core import attachments

        from . import (
            exports,  # noqa: F401 - registers the brand list's export kind
            selectors,
        )

        attachments.register_owner("partybrands.brand", selectors.brand_for_attachment)
