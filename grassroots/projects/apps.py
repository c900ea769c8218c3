from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "grassroots.projects"
    label = "projects"
    verbose_name = "微项目与社区基金"

    def ready(self):
        from grassroots.core import attachments
        from grassroots.deliberation import follow_up

        from . import selectors
        from .follow_up import ProjectFollowUp

        attachments.register_owner("projects.milestone", selectors.milestone_owner)
        follow_up.register(ProjectFollowUp())  # a micro-project carries a resolution out
