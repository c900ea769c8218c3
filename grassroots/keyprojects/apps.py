from django.apps import AppConfig


class KeyprojectsConfig(AppConfig):
    name = "grassroots.keyprojects"
    label = "keyprojects"
    verbose_name = "重点项目"
