from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class PropertyConfig(AppConfig):
    name = "grassroots.property"
    label = "property"
    verbose_name = "红色物业"

    def ready(self):
        from grassroots.web.navigation import register

        roles = ("community_staff", "community_secretary", "subdistrict_officer", "zone_leader", "grid_worker",
                 "hotline_operator", "party_instructor")
        register(pgettext_lazy("menu", "红色物业"), "property:rates", roles=roles, order=70)
        register(pgettext_lazy("menu", "小区物业"), "property:compounds", roles=roles, order=71)

        from grassroots.people import dissolution

        from . import selectors

        dissolution.register("property_contracts", "履行中的物业服务合同", "current property service contracts",
                             selectors.current_contracts)
        dissolution.register("property_party_coverage", "在用的物业企业党组织覆盖", "current party coverage arrangements",
                             selectors.current_party_coverage)
