from django.apps import AppConfig


class PartyduesConfig(AppConfig):
    name = "grassroots.partydues"
    label = "partydues"
    verbose_name = "党费"
