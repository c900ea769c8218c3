from django.apps import AppConfig


class CooperativesConfig(AppConfig):
    name = "grassroots.cooperatives"
    label = "cooperatives"
    verbose_name = "合作社"
