from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PropertyConfig(AppConfig):
    name = "grassroots.property"
    label = "property"
    verbose_name = "红色物业"

    def ready(self):
        from grassroots.web.navigation import register

        roles = ("community_staff", "community_secretary", "subdistrict_officer", "zone_leader", "grid_worker",
                 "hotline_operator", "party_instructor")
        register(_("红色物业"), "property:rates", roles=roles, order=70)
        register(_("小区物业"), "property:compounds", roles=roles, order=71)
