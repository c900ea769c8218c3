from django.apps import AppConfig
from django.utils.translation import pgettext_lazy

PEOPLE_NAV_ROLES = ["grid_worker", "community_staff", "community_secretary", "subdistrict_officer", "zone_leader",
                    "hotline_operator", "party_instructor"]
ORGANIZATION_NAV_ROLES = [*PEOPLE_NAV_ROLES, "department_handler", "enterprise_contact", "admin"]
POST_NAV_ROLES = ["admin", "community_staff", "community_secretary", "subdistrict_officer", "zone_leader"]


class PeopleConfig(AppConfig):
    name = "grassroots.people"
    label = "people"
    verbose_name = "人员与组织"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from grassroots.web.navigation import register

        from . import directory
        from .models import Post

        post_save.connect(directory.invalidate, sender=Post, dispatch_uid="people-directory-save")
        post_delete.connect(directory.invalidate, sender=Post, dispatch_uid="people-directory-delete")

        register(pgettext_lazy("menu", "人员"), "people:person_list", roles=PEOPLE_NAV_ROLES, order=20)
        register(pgettext_lazy("menu", "组织"), "people:organization_list", roles=ORGANIZATION_NAV_ROLES, order=21)
        register(pgettext_lazy("menu", "岗位"), "people:post_list", roles=POST_NAV_ROLES, order=90)
