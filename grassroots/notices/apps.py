from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "grassroots.notices"
    label = "notices"
    verbose_name = "公示"
