"""Back office for the fund's reference data: the negative list. Projects, ledgers, partners and volunteers
change only through the services (the ledger is append-only)."""

from django.contrib import admin

from grassroots.core.admin import AuditedModelAdmin

from .models import ProhibitedUse


@admin.register(ProhibitedUse)
class ProhibitedUseAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "active", "source")
    list_filter = ("active",)
    search_fields = ("code", "name")
