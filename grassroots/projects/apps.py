from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ProjectsConfig(AppConfig):
    name = "grassroots.projects"
    label = "projects"
    verbose_name = "微项目与社区基金"

    def ready(self):
        from grassroots.core import attachments
        from grassroots.web.navigation import register

        staff = ("community_staff", "community_secretary", "subdistrict_officer", "zone_leader", "grid_worker",
                 "hotline_operator")
        register(pgettext_lazy("menu", "微项目"), "projects:projects", order=45)
        register(pgettext_lazy("menu", "社区基金"), "projects:funds", order=46)
        register(pgettext_lazy("menu", "红色合伙人"), "projects:partners", order=47)
        register(pgettext_lazy("menu", "志愿者"), "projects:volunteers", roles=staff, order=48)

        def milestone_owner(actor, object_id):
            from . import selectors
            from .models import Milestone

            milestone = Milestone.objects.filter(pk=object_id).first()
            if milestone is None:
                from grassroots.core.errors import NotFound

                raise NotFound()
            selectors.project_detail(actor=actor, pk=milestone.project_id)

        attachments.register_owner("projects.milestone", milestone_owner)
