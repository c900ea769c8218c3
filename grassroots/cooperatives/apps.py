from django.apps import AppConfig


class CooperativesConfig(AppConfig):
    name = "grassroots.cooperatives"
    label = "cooperatives"
    verbose_name = "合作社"

    def ready(self):
        from grassroots.notices import registry

        from .permissions import can_keep

        def owner(plan):
            coop = plan.cooperative
            return registry.Owner(name=coop.organization.name, region=coop.region, organization=coop.organization)

        registry.register(registry.NoticeKind(
            code="coop_distribution", label="合作社盈余分配方案公示", label_en="cooperative surplus distribution notice",
            model="cooperatives.plan", owner=owner, can_publish=lambda actor, plan: can_keep(actor, plan.cooperative),
            subject_url=lambda plan: f"/cooperatives/plans/{plan.pk}/"))
