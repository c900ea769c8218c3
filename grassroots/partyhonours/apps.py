from django.apps import AppConfig


class PartyhonoursConfig(AppConfig):
    name = "grassroots.partyhonours"
    label = "partyhonours"
    verbose_name = "表彰与考核"

    def ready(self):
        from grassroots.notices import registry
        from grassroots.party import panels

        from . import (
            exports,  # noqa: F401 - registers the medal list's export kind
            permissions,
            selectors,
        )
        from .services.campaigns import NOTICE_KIND

        def owner(nomination):
            org = nomination.campaign.org
            return registry.Owner(name=org.name, region=org.region, holder=org, party_path=org.path)

        registry.register(registry.NoticeKind(
            code=NOTICE_KIND, label="拟表彰对象公示", label_en="notice of a nominee for an honour",
            model="partyhonours.nomination", owner=owner,
            subject_url=lambda n: f"/partyhonours/campaigns/{n.campaign_id}/",
            can_publish=lambda actor, n: permissions.can_run_campaign(actor, n.campaign.org)))
        panels.register_member_panel(selectors.member_honours_panel)
        panels.register_org_panel(selectors.org_honours_panel)
