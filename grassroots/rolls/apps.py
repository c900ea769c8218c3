from django.apps import AppConfig


class RollsConfig(AppConfig):
    name = "grassroots.rolls"
    label = "rolls"
    verbose_name = "名册与表决"
