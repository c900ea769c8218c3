from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "grassroots.territory"
    label = "territory"
    verbose_name = "区域与网格"
