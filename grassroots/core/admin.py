"""Django admin: ``AuditedModelAdmin`` (every admin write is an audit event), holidays, policy settings, read-only
notifications/events.

Every app's ``admin.py`` registers its models with ``AuditedModelAdmin`` (or a subclass)::

    from grassroots.core.admin import AuditedModelAdmin

    @admin.register(Category)
    class CategoryAdmin(AuditedModelAdmin):
        list_display = ["name"]
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import clock, events, workdays
from .models import Event, Holiday, Notification, PolicySetting


def _changed_fields(form) -> list[str]:
    return sorted(form.changed_data) if form is not None else []


class AuditedModelAdmin(admin.ModelAdmin):
    """Writes an ``admin.add`` / ``admin.change`` / ``admin.delete`` event (with the changed field names)."""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            events.record(request.user, "admin.change" if change else "admin.add", obj,
                          payload={"changed": _changed_fields(form), "repr": str(obj)[:200]})

    def delete_model(self, request, obj):
        with transaction.atomic():
            pk, label = obj.pk, str(obj)[:200]
            object_type = events.object_type_of(obj)
            super().delete_model(request, obj)
            events.record(request.user, "admin.delete", object_type=object_type, object_id=pk,
                          payload={"repr": label})

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            gone = [(events.object_type_of(o), o.pk, str(o)[:200]) for o in queryset]
            super().delete_queryset(request, queryset)
            for object_type, pk, label in gone:
                events.record(request.user, "admin.delete", object_type=object_type, object_id=pk,
                              payload={"repr": label})


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Holiday)
class HolidayAdmin(AuditedModelAdmin):
    list_display = ["date", "kind", "name", "source"]
    list_filter = ["kind", "source"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def changelist_view(self, request, extra_context=None):
        this_year = clock.today().year
        for year in workdays.years_without_calendar([this_year, this_year + 1]):
            messages.warning(request, _("%(year)d 年未配置节假日，按周一至周五计算") % {"year": year})
        return super().changelist_view(request, extra_context)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "verb", "title", "read_at"]
    list_filter = ["verb"]
    list_select_related = ["recipient"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    """Superusers may look; auditors use the audit page (/core/audit/)."""

    list_display = ["at", "actor_label", "verb", "object_type", "object_id", "outcome", "ip"]
    list_filter = ["outcome"]
    show_full_result_count = False

    def has_view_permission(self, request, obj=None):
        return bool(request.user.is_active and request.user.is_superuser)

    def has_module_permission(self, request):
        return self.has_view_permission(request)


@admin.register(PolicySetting)
class PolicySettingAdmin(AuditedModelAdmin):
    list_display = ["key", "value", "note"]
    search_fields = ["key"]
