"""Account management in the admin: accounts, posts, organisations. Every write is an audit event.

The administrator manages accounts, not people: no ID number, phone or other personal detail of a Person is shown
here (an account shows only whether it is linked to a person). Posts are created through ``services.post_create``
(the same role/scope rules as everywhere) and ended on the post page (with handover), never deleted.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from grassroots.core.errors import ApplicationError

from . import idnumbers, services
from .models import Organization, Post, User

try:
    from grassroots.core.admin import AuditedModelAdmin
except ImportError:  # pragma: no cover - the shared base is part of core
    AuditedModelAdmin = admin.ModelAdmin


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        # Dissolving goes through the service (its checks, its event): the organisation pages and API.
        fields = ["name", "short_name", "kind", "credit_code", "parent", "region", "address", "phone", "lon", "lat"]

    def clean_credit_code(self):
        try:
            return idnumbers.validate_credit_code(self.cleaned_data.get("credit_code") or "")
        except ApplicationError as exc:
            raise ValidationError(exc.message)


@admin.register(Organization)
class OrganizationAdmin(AuditedModelAdmin):
    form = OrganizationForm
    list_display = ["name", "kind", "region", "parent", "active", "dissolved_on"]
    list_filter = ["kind", "active"]
    readonly_fields = ["active", "dissolved_on", "dissolved_reason"]
    search_fields = ["name", "short_name", "credit_code"]
    list_select_related = ["region", "parent"]
    raw_id_fields = ["region", "parent"]


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["user", "role", "region", "organization", "party_org_path", "title", "start_date"]

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and data.get("role"):
            try:
                services._check_post_scope(data["role"], data.get("region"), data.get("organization"),
                                           (data.get("party_org_path") or "").strip())
                if data.get("user") and data.get("start_date"):
                    services._check_role_combination(data["user"], data["role"], data["start_date"])
            except ApplicationError as exc:
                raise ValidationError({exc.field if exc.field in self.fields else None: exc.message})
        return data


@admin.register(Post)
class PostAdmin(AuditedModelAdmin):
    form = PostForm
    list_display = ["user", "role", "region", "organization", "title", "start_date", "end_date"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__display_name", "title"]
    list_select_related = ["user", "region", "organization"]
    raw_id_fields = ["user", "region", "organization"]
    date_hierarchy = "start_date"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:  # only the title changes here; ending goes through the post page (handover)
            return ["user", "role", "region", "organization", "party_org_path", "start_date", "end_date", "successor"]
        return []

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        try:
            created = services.post_create(actor=request.user, user=obj.user, role=obj.role, region=obj.region,
                                           organization=obj.organization, title=obj.title, start_date=obj.start_date,
                                           party_org_path=obj.party_org_path)
        except ApplicationError as exc:
            raise ValidationError(exc.message)
        obj.pk = created.pk
        obj._state.adding = False

    def has_delete_permission(self, request, obj=None):
        return False


class PostInline(admin.TabularInline):
    model = Post
    fk_name = "user"
    fields = ["role", "region", "organization", "title", "start_date", "end_date"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class AccountAdmin(AuditedModelAdmin, DjangoUserAdmin):
    list_display = ["username", "display_name", "is_active", "is_staff", "last_login", "linked_to_person"]
    list_filter = ["is_active", "is_staff"]
    search_fields = ["username", "display_name"]
    readonly_fields = ["last_login", "date_joined", "password_changed_at", "linked_to_person"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("账号"), {"fields": ("display_name", "email", "linked_to_person")}),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("时间"), {"fields": ("last_login", "date_joined", "password_changed_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "display_name", "password1", "password2")}),)
    inlines = [PostInline]

    @admin.display(boolean=True, description=_("已关联人员"))
    def linked_to_person(self, obj):
        return obj.person_id is not None

    def has_delete_permission(self, request, obj=None):
        return False  # accounts are disabled, not deleted (history and audit keep referring to them)
