"""Back office for deliberation's reference data: meeting kinds (policy rows). Rolls (representatives, owners …)
are kept in ``grassroots.rolls``. Topics, meetings, votes and notices change only through the services (pages and API)."""

from django.contrib import admin

from grassroots.core.admin import AuditedModelAdmin

from .models import MeetingKind


@admin.register(MeetingKind)
class MeetingKindAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "basis", "formal", "remote_allowed", "quorum_num", "quorum_den", "quorum_measure",
                    "majority_num", "majority_den", "majority_base", "majority_measure")
    list_filter = ("basis", "formal", "remote_allowed")
    search_fields = ("code", "name")
