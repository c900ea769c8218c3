"""Notices in the back office, for reading: they change only through the services (publish, object, answer)."""

from django.contrib import admin

from grassroots.core.admin import AuditedModelAdmin

from .models import Notice


@admin.register(Notice)
class NoticeAdmin(AuditedModelAdmin):
    list_display = ("title", "kind", "owner_name", "starts_at", "ends_at", "working_days")
    list_filter = ("kind",)
    search_fields = ("title",)
    readonly_fields = [f.name for f in Notice._meta.fields]

    def has_add_permission(self, request):
        return False
