"""Back office for deliberation's reference data: meeting kinds (policy rows) and residents' representatives.
Topics, meetings, votes and notices change only through the services (pages and API)."""

from django.contrib import admin

from grassroots.core.admin import AuditedModelAdmin

from .models import MeetingKind, Representative


@admin.register(MeetingKind)
class MeetingKindAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "basis", "formal", "remote_allowed", "quorum_ratio", "majority_ratio",
                    "majority_base")
    list_filter = ("basis", "formal", "remote_allowed")
    search_fields = ("code", "name")


@admin.register(Representative)
class RepresentativeAdmin(AuditedModelAdmin):
    list_display = ("person", "community", "start_date", "end_date")
    raw_id_fields = ("person", "community")
