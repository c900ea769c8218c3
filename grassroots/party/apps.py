from django.apps import AppConfig
from django.utils.translation import pgettext_lazy

PARTY_NAV_ROLES = ["grid_worker", "community_staff", "community_secretary", "subdistrict_officer", "zone_leader",
                   "party_instructor", "department_handler", "enterprise_contact"]


class PartyConfig(AppConfig):
    name = "grassroots.party"
    label = "party"
    verbose_name = "党组织"

    def ready(self):
        from grassroots.web.navigation import register

        register(pgettext_lazy("menu", "党组织"), "party:org_tree", roles=PARTY_NAV_ROLES, order=40)
        register(pgettext_lazy("menu", "党员名册"), "party:member_list", roles=PARTY_NAV_ROLES + ["resident"], order=41)
        register(pgettext_lazy("menu", "报到与联系"), "party:report_in_list", roles=PARTY_NAV_ROLES, order=42)

        from grassroots.people import dissolution

        from . import selectors

        dissolution.register("party_orgs", "在用的党组织", "active party organisations", selectors.active_party_orgs)
        dissolution.register("party_report_ins", "报到中的单位党组织报到", "active organisation report-ins",
                             selectors.active_org_report_ins)
        dissolution.register("party_liaisons", "在联系的联系机制", "current liaisons", selectors.current_liaisons)
