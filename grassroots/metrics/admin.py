"""KPI weights, edited by administrators (every write audited)."""

from __future__ import annotations

from django.contrib import admin

from grassroots.core.admin import AuditedModelAdmin

from .models import KpiWeight


@admin.register(KpiWeight)
class KpiWeightAdmin(AuditedModelAdmin):
    list_display = ["unit_kind", "indicator", "weight", "active"]
    list_filter = ["unit_kind", "active"]
