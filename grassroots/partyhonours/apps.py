from django.apps import AppConfig


class PartyhonoursConfig(AppConfig):
    name = "grassroots.partyhonours"
    label = "partyhonours"
    verbose_name = "表彰与考核"

    def ready(self):
        from . import exports  # noqa: F401 - registers the medal list's export kind
