from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "grassroots.cases"
    label = "cases"
    verbose_name = "事件办理"
