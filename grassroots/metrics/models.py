"""Metrics policy rows: the composite-score weights (``KpiWeight``)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import BaseModel


class KpiWeight(BaseModel):
    """Composite-score weights as policy rows (defaults after 接诉即办: 响应率 10%, 解决率 45%, 满意率 45%)."""

    class UnitKind(models.TextChoices):
        ANY = "", _("全部")
        DEPARTMENT = "department", _("部门")
        COMMUNITY = "community", _("社区")
        SUBDISTRICT = "subdistrict", _("街道")
        GRID = "grid", _("网格")
        GRID_WORKER = "grid_worker", _("网格员")

    unit_kind = models.CharField(_("考核对象"), max_length=16, choices=UnitKind.choices, blank=True)
    indicator = models.CharField(_("指标"), max_length=32)
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=4)
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("考核权重")
        verbose_name_plural = _("考核权重")
        ordering = ["unit_kind", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["unit_kind", "indicator"], name="metrics_kpi_weight_unique"),
            models.CheckConstraint(condition=Q(weight__gte=0, weight__lte=1), name="metrics_kpi_weight_range"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_kind or '*'} {self.indicator} {self.weight}"
