"""Rolls in the back office, read-mostly: entries change through the pages and the import (history is kept)."""

from django.contrib import admin

from grassroots.core.admin import AuditedModelAdmin

from .models import Roll, RollEntry


@admin.register(Roll)
class RollAdmin(AuditedModelAdmin):
    list_display = ("name", "kind", "region", "compound", "organization")
    list_filter = ("kind",)
    raw_id_fields = ("region", "compound", "organization")


@admin.register(RollEntry)
class RollEntryAdmin(AuditedModelAdmin):
    list_display = ("roll", "person", "start_date", "term_ends", "end_date", "area", "extra_votes", "voting")
    raw_id_fields = ("roll", "person")
    filter_horizontal = ()
