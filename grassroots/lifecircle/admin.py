from django import forms
from django.contrib import admin

from grassroots.core.admin import AuditedModelAdmin
from grassroots.core.errors import ApplicationError

from .models import Circle, Facility, FacilityKind, Requirement, RequirementProfile, ServiceItem, WalkNetwork
from .search import clean_terms


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


class ServiceItemAdminForm(forms.ModelForm):
    """Aliases and keywords go through the same cleaning as on the pages (one per line, no duplicates, limits)."""

    class Meta:
        model = ServiceItem
        fields = [f.name for f in ServiceItem._meta.fields if f.editable and not f.primary_key]

    def _terms(self, field):
        try:
            return "\n".join(clean_terms(self.cleaned_data.get(field, ""), field=field))
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message)

    def clean_aliases(self):
        return self._terms("aliases")

    def clean_keywords(self):
        return self._terms("keywords")


@admin.register(ServiceItem)
class ServiceItemAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "item_type", "competent_department", "level", "promised_days", "active")
    list_filter = ("item_type", "level", "active")
    search_fields = ("code", "name", "aliases", "keywords", "competent_department")
    form = ServiceItemAdminForm


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
