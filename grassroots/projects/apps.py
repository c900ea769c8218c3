from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "grassroots.projects"
    label = "projects"
    verbose_name = "微项目与社区基金"

    def ready(self):
        from grassroots.core import attachments


        def milestone_owner(actor, object_id):
            from . import selectors
            from .models import Milestone

            milestone = Milestone.objects.filter(pk=object_id).first()
            if milestone is None:
                from grassroots.core.errors import NotFound

                raise NotFound()
            selectors.project_detail(actor=actor, pk=milestone.project_id)

        attachments.register_owner("projects.milestone", milestone_owner)
