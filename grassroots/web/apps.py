from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "grassroots.web"
    label = "web"
    verbose_name = "页面"
