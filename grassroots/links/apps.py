from django.apps import AppConfig


class LinksConfig(AppConfig):
    name = "grassroots.links"
    label = "links"
    verbose_name = "签名链接"

    def ready(self) -> None:
        from . import invites

        invites.register()
