from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "grassroots.cases"
    label = "cases"
    verbose_name = _("事件办理")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from grassroots.core import attachments
        from grassroots.people import handover

        from . import policy, selectors, services
        from .models import Category, TimeLimit

        for model in (TimeLimit, Category):
            post_save.connect(policy.invalidate, sender=model, dispatch_uid=f"cases-policy-save-{model.__name__}")
            post_delete.connect(policy.invalidate, sender=model, dispatch_uid=f"cases-policy-del-{model.__name__}")
        handover.register("cases", services.handover_assignments)
        from grassroots.core import observability

        from . import sweep

        observability.register_gauge("sweep_lag_seconds", "Seconds since the oldest passed deadline the sweep has "
                                     "not yet handled", sweep.lag_seconds)
        from grassroots.people import dissolution

        dissolution.register("case_assignments", "未办结的派遣任务", "open case assignments", selectors.open_assignments)
        attachments.register_owner("cases.case", lambda actor, object_id: selectors.case_get(
            actor=actor, pk=int(object_id)))
