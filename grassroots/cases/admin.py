"""Reference data of the closed loop, edited by administrators (every write audited): categories and time limits
(KPI weights are in ``metrics``, other policy settings in ``core``). Cases themselves are not in the admin (they
carry personal data and move only through the services)."""

from __future__ import annotations

from django.contrib import admin

from grassroots.core.admin import AuditedModelAdmin

from .models import Category, TimeLimit


class TimeLimitInline(admin.TabularInline):
    model = TimeLimit
    extra = 0
    fields = ["tier", "stage", "amount", "unit"]


@admin.register(Category)
class CategoryAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "kind", "parent", "default_tier", "on_site_allowed", "public_allowed",
                    "emergency", "active"]
    list_filter = ["kind", "default_tier", "on_site_allowed", "public_allowed", "emergency", "active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    inlines = [TimeLimitInline]


@admin.register(TimeLimit)
class TimeLimitAdmin(AuditedModelAdmin):
    list_display = ["category", "tier", "stage", "amount", "unit"]
    list_filter = ["stage", "tier", "unit"]
    search_fields = ["category__code", "category__name"]
    autocomplete_fields = ["category"]
