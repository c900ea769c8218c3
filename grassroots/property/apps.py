from django.apps import AppConfig


class PropertyConfig(AppConfig):
    name = "grassroots.property"
    label = "property"
    verbose_name = "红色物业"
