from django.contrib import admin

from grassroots.core.admin import AuditedModelAdmin

from .models import Circle, Facility, FacilityKind, Requirement, RequirementProfile, ServiceItem, WalkNetwork


@admin.register(Circle)
class CircleAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "minutes", "max_distance_m")


@admin.register(FacilityKind)
class FacilityKindAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "name_en", "domain")
    search_fields = ("code", "name")


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0


@admin.register(RequirementProfile)
class RequirementProfileAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "source", "is_default")
    inlines = [RequirementInline]


@admin.register(ServiceItem)
class ServiceItemAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "item_type", "competent_department", "level", "promised_days", "active")
    list_filter = ("item_type", "level", "active")
    search_fields = ("code", "name", "competent_department")


@admin.register(Facility)
class FacilityAdmin(AuditedModelAdmin):
    list_display = ("name", "kind", "region", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "address")
    raw_id_fields = ("region", "operator")
    filter_horizontal = ("service_items",)


@admin.register(WalkNetwork)
class WalkNetworkAdmin(AuditedModelAdmin):
    list_display = ("name", "zone", "node_count", "edge_count", "total_length_m", "active", "created_at")
    exclude = ("arrays",)
    readonly_fields = ("node_count", "edge_count", "total_length_m")
