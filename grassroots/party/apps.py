from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

PARTY_NAV_ROLES = ["grid_worker", "community_staff", "community_secretary", "subdistrict_officer", "zone_leader",
                   "party_instructor", "department_handler", "enterprise_contact"]


class PartyConfig(AppConfig):
    name = "grassroots.party"
    label = "party"
    verbose_name = "党组织"

    def ready(self):
        from grassroots.web.navigation import register

        register(_("党组织"), "party:org_tree", roles=PARTY_NAV_ROLES, order=40)
        register(_("党员名册"), "party:member_list", roles=PARTY_NAV_ROLES + ["resident"], order=41)
        register(_("报到与联系"), "party:report_in_list", roles=PARTY_NAV_ROLES, order=42)
