from django.apps import AppConfig


class ParkConfig(AppConfig):
    name = "grassroots.park"
    label = "park"
    verbose_name = "园区企业服务"
