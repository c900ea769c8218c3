from django.apps import AppConfig


class LinksConfig(AppConfig):
    name = "grassroots.links"
    label = "links"
    verbose_name = "签名链接"
