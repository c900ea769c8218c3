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
        register_notice_kinds()


def register_notice_kinds() -> None:
    """A micro-project is publicly noticed when approved (立项公示) and when closing (结项公示, spending against
    budget); the approver publishes the first, the community's staff the second; the next step waits for each."""
    from grassroots.core.scope import scope_for
    from grassroots.notices import registry

    from .permissions import APPROVER_ROLES, is_staff_for

    def owner(project):
        return registry.Owner(name=project.community.name, region=project.community)

    def url(project):
        return f"/projects/{project.pk}/"

    registry.register(registry.NoticeKind(
        code="project_approval", label="微项目立项公示", label_en="micro-project approval notice",
        model="projects.microproject", owner=owner, subject_url=url,
        can_publish=lambda actor, p: scope_for(actor).covers_path(p.community.path, *APPROVER_ROLES)))
    registry.register(registry.NoticeKind(
        code="project_closing", label="微项目结项公示", label_en="micro-project closing notice",
        model="projects.microproject", owner=owner, subject_url=url,
        can_publish=lambda actor, p: is_staff_for(actor, p.community)))
