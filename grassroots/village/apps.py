from django.apps import AppConfig


class VillageConfig(AppConfig):
    name = "grassroots.village"
    label = "village"
    verbose_name = "村集体经济"
