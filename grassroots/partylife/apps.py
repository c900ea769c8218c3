from django.apps import AppConfig


class PartylifeConfig(AppConfig):
    name = "grassroots.partylife"
    label = "partylife"
    verbose_name = "党组织生活"
