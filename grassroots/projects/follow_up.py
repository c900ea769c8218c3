"""Micro-projects carry resolutions out. Deliberation does not know projects: this is what the projects app puts
into deliberation's follow-up registry (``deliberation/follow_up.py``), from ``ProjectsConfig.ready`` — the
follow-up choice on a resolution's page, the link to the project, the API's ``follow_up_project_id`` and the
projects part of a topic's story."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grassroots.deliberation import follow_up
from grassroots.notices import selectors as notices_selectors

from . import selectors, services
from .models import MicroProject


class ProjectFollowUp(follow_up.FollowUp):
    field = "project"
    label = _("以微项目落实")
    linked_label = _("落实微项目")

    def annotate(self, resolutions):
        return resolutions.annotate(follow_up_project_id=Subquery(
            MicroProject.objects.filter(resolution=OuterRef("pk")).order_by("pk").values("pk")[:1]))

    def linked(self, *, actor, resolution):
        project = selectors.follow_up_project(actor=actor, resolution=resolution)
        return None if project is None else (project.title, reverse("projects:project_detail", args=[project.pk]))

    def choices(self, *, actor, resolution):
        return [(p.pk, gettext("%(name)s（%(detail)s）") % {"name": p.title, "detail": p.get_status_display()})
                for p in selectors.follow_up_candidates(actor=actor, resolution=resolution)]

    def attach(self, *, actor, resolution, value):
        project = value if isinstance(value, MicroProject) else \
            selectors.follow_up_choice(actor=actor, resolution=resolution, pk=value)
        services.project_follow_resolution(actor=actor, project=project, resolution=resolution)
        return f"微项目「{project.title}」", project.pk

    def topic_part(self, *, actor, topic):
        items = selectors.topic_projects(actor=actor, topic=topic)
        ids = [p.pk for p in items if p.topic_id == topic.pk]  # notices of the projects raised from the topic
        return {"template": "projects/_topic_follow_up.html", "items": items,
                "progress": max((p.progress for p in items), default=0),
                "notices": notices_selectors.notices_about_many(actor=actor, model=MicroProject, ids=ids)}
