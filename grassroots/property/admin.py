from django.contrib import admin

from grassroots.core.admin import AuditedModelAdmin

from .models import (
    CommitteeMember,
    DemonstrationCompound,
    FirmPartyCoverage,
    JointMeeting,
    OwnersCommittee,
    ServiceContract,
)


@admin.register(ServiceContract)
class ServiceContractAdmin(AuditedModelAdmin):
    list_display = ("compound", "firm", "kind", "start_date", "end_date", "terminated_on")
    list_filter = ("kind",)
    raw_id_fields = ("compound", "firm")


class MemberInline(admin.TabularInline):
    model = CommitteeMember
    raw_id_fields = ("person",)
    extra = 0


@admin.register(OwnersCommittee)
class OwnersCommitteeAdmin(AuditedModelAdmin):
    list_display = ("compound", "kind", "formed_on", "term_end", "dissolved_on")
    raw_id_fields = ("compound",)
    inlines = [MemberInline]


@admin.register(FirmPartyCoverage)
class FirmPartyCoverageAdmin(AuditedModelAdmin):
    list_display = ("firm", "mode", "party_org", "instructor", "start_date", "end_date")
    raw_id_fields = ("firm", "party_org", "instructor")


@admin.register(JointMeeting)
class JointMeetingAdmin(AuditedModelAdmin):
    list_display = ("held_on", "community", "compound", "topic")
    raw_id_fields = ("community", "compound", "recorded_by")


@admin.register(DemonstrationCompound)
class DemonstrationCompoundAdmin(AuditedModelAdmin):
    list_display = ("compound", "year")
    raw_id_fields = ("compound",)
