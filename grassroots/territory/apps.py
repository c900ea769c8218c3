from django.apps import AppConfig
from django.utils.translation import pgettext_lazy

TERRITORY_ROLES = ["grid_worker", "community_staff", "community_secretary", "subdistrict_officer",
                   "hotline_operator", "zone_leader", "party_instructor"]


class TerritoryConfig(AppConfig):
    name = "grassroots.territory"
    label = "territory"
    verbose_name = "区域与网格"

    def ready(self):
        from grassroots.web.navigation import register

        register(pgettext_lazy("menu", "网格地图"), "territory:browser", roles=TERRITORY_ROLES, order=20)
        register(pgettext_lazy("menu", "小区"), "territory:compound_list", roles=TERRITORY_ROLES, order=21)
