from django.apps import AppConfig


class PartyhonoursConfig(AppConfig):
    name = "grassroots.partyhonours"
    label = "partyhonours"
    verbose_name = "表彰与考核"
