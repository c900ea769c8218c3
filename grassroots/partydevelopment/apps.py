from django.apps import AppConfig


class PartydevelopmentConfig(AppConfig):
    name = "grassroots.partydevelopment"
    label = "partydevelopment"
    verbose_name = "发展党员"

    def ready(self):
        from grassroots.core import attachments
        from grassroots.notices import registry

        from . import permissions, selectors

        attachments.register_owner("partydevelopment.developmentcase", selectors.case_for_attachment)

        def owner(case):
            return registry.Owner(name=case.branch.name, region=case.branch.region)

        def url(case):
            return f"/partydevelopment/cases/{case.pk}/"

        registry.register(registry.NoticeKind(
            code="party_candidate", label="发展对象公示", label_en="notice of a membership candidate",
            model="partydevelopment.developmentcase", owner=owner, subject_url=url,
            can_publish=lambda actor, case: permissions.can_branch(actor, case.branch)))
        registry.register(registry.NoticeKind(
            code="party_full_member", label="预备党员转正公示", label_en="notice: a probationary member to become full",
            model="partydevelopment.developmentcase", owner=owner, subject_url=url,
            can_publish=lambda actor, case: permissions.can_branch(actor, case.branch)))
