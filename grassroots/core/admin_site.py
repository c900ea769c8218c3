"""The admin site: for administrators only. Auditors hold no admin rights (separation of duties, 三员分立)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _

from .roles import Role


class GrassrootsAdminSite(admin.AdminSite):
    site_header = _("基层治理平台 · 后台管理")
    site_title = _("后台管理")
    index_title = _("基础数据与账号")

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        from .scope import scope_for

        return not scope_for(request.user).has_role(Role.AUDITOR)


class GrassrootsAdminConfig(AdminConfig):
    default_site = "grassroots.core.admin_site.GrassrootsAdminSite"
