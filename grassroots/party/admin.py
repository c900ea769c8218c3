from django.contrib import admin

from grassroots.core.admin import AuditedModelAdmin

from .models import Liaison, Membership, OrgReportIn, PartyOrg, ReportIn, ServicePost, ServiceRecord


class StatusReadOnlyOnChange(AuditedModelAdmin):
    """Status moves only through the services (compare-and-set); the admin may set it when adding a row."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + ["status"] if obj is not None else fields


@admin.register(PartyOrg)
class PartyOrgAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "kind", "region", "organization", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "region", "organization", "secretary"]
    filter_horizontal = ["linked_organizations"]
    readonly_fields = ["path", "serial"]


@admin.register(Membership)
class MembershipAdmin(StatusReadOnlyOnChange):
    list_display = ["person", "org", "status", "admission_date", "full_member_date", "active", "in_service"]
    list_filter = ["status", "active", "in_service"]
    search_fields = ["person__name", "org__name"]
    raw_id_fields = ["person", "org", "employer", "transferred_from"]


@admin.register(ServicePost)
class ServicePostAdmin(AuditedModelAdmin):
    list_display = ["name", "community", "capacity", "active"]
    list_filter = ["active"]
    search_fields = ["name"]
    raw_id_fields = ["community"]


@admin.register(ReportIn)
class ReportInAdmin(StatusReadOnlyOnChange):
    list_display = ["person", "community", "grid", "employer", "reported_on", "status"]
    list_filter = ["status"]
    search_fields = ["person__name"]
    raw_id_fields = ["person", "membership", "employer", "community", "grid"]


@admin.register(ServiceRecord)
class ServiceRecordAdmin(AuditedModelAdmin):
    list_display = ["person", "date", "hours", "description"]
    raw_id_fields = ["person", "report_in", "post", "recorded_by"]


@admin.register(OrgReportIn)
class OrgReportInAdmin(StatusReadOnlyOnChange):
    list_display = ["party_org", "organization", "community", "reported_on", "status"]
    list_filter = ["status"]
    raw_id_fields = ["party_org", "organization", "community"]


@admin.register(Liaison)
class LiaisonAdmin(AuditedModelAdmin):
    list_display = ["kind", "person", "user", "region", "compound", "start_date", "end_date"]
    list_filter = ["kind"]
    raw_id_fields = ["person", "user", "organization", "region", "compound"]
