from django.apps import AppConfig


class PartyConfig(AppConfig):
    name = "grassroots.party"
    label = "party"
    verbose_name = "党组织"

    def ready(self):

        from grassroots.people import dissolution, party_targets

        from . import assessment, posts, selectors

        party_targets.install(check=posts.check_post_target, names=posts.names_by_path)

        dissolution.register("party_orgs", "在用的党组织", "active party organisations", selectors.active_party_orgs)
        dissolution.register("party_report_ins", "报到中的单位党组织报到", "active organisation report-ins",
                             selectors.active_org_report_ins)
        dissolution.register("party_liaisons", "在联系的联系机制", "current liaisons", selectors.current_liaisons)
        assessment.register()
