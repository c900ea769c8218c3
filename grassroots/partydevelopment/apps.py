from django.apps import AppConfig


class PartydevelopmentConfig(AppConfig):
    name = "grassroots.partydevelopment"
    label = "partydevelopment"
    verbose_name = "发展党员"
