from django.apps import AppConfig


class LifecircleConfig(AppConfig):
    name = "grassroots.lifecircle"
    label = "lifecircle"
    verbose_name = "一刻钟生活圈"
