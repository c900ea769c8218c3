"""Readers of 为群众办实事 projects; every one takes the actor. A project is seen by those who see its organisation
as party staff (posts on it or above it, the region's party staff); outside that it looks missing."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from grassroots.core.errors import NotFound
from grassroots.core.scope import paths_q, scope_for
from grassroots.party import selectors as party_selectors
from grassroots.party.permissions import PARTY_STAFF_ROLES

from .models import ServiceMilestone, ServiceProject
from .states import ProjectStatus, Rating


def _scope_q(actor) -> Q:
    if actor is None:
        return Q()
    return Q(org__in=party_selectors.staff_org_ids(actor))


def project_list(*, actor, status: str = "", source: str = "", q: str = "", year: int | None = None,
                 org=None, hearts: bool | None = None) -> QuerySet:
    qs = ServiceProject.objects.filter(_scope_q(actor)).select_related("org")
    if status:
        qs = qs.filter(status=status)
    if source:
        qs = qs.filter(source=source)
    if q:
        qs = qs.filter(Q(title__icontains=q.strip()) | Q(org__name__icontains=q.strip()))
    if year:
        qs = qs.filter(start__year=year)
    if org is not None:
        qs = qs.filter(paths_q("org_path", [org.path]))
    if hearts is not None:
        qs = qs.filter(hearts=hearts)
    return qs.order_by("-start", "-pk")


def project_detail(*, actor, pk: int) -> ServiceProject:
    row = ServiceProject.objects.filter(_scope_q(actor), pk=pk).select_related("org").first()
    if row is None:
        raise NotFound("实事项目不存在", "Service project not found")
    return row


def milestone_detail(*, actor, pk: int) -> ServiceMilestone:
    row = ServiceMilestone.objects.filter(pk=pk).select_related("project__org").first()
    if row is None:
        raise NotFound()
    project_detail(actor=actor, pk=row.project_id)
    return row


def completion(*, actor, year: int | None = None) -> list[dict]:
    """办结率 per organisation: projects (cancelled left out), done, the rate; and the ratings given (one query)."""
    qs = project_list(actor=actor, year=year).exclude(status=ProjectStatus.CANCELLED).order_by()
    rows = (qs.values("org_id", "org__name", "org_path")
            .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=ProjectStatus.DONE)))
            .order_by("org_path"))
    out = []
    for r in rows:
        out.append({**r, "rate": round(100 * r["done"] / r["total"], 1) if r["total"] else None})
    return out


def totals(*, actor, year: int | None = None) -> dict:
    qs = project_list(actor=actor, year=year).exclude(status=ProjectStatus.CANCELLED).order_by()
    t = qs.aggregate(total=Count("pk"), done=Count("pk", filter=Q(status=ProjectStatus.DONE)))
    t["rate"] = round(100 * t["done"] / t["total"], 1) if t["total"] else None
    return t


def rating_counts(project: ServiceProject) -> dict:
    """{rating: n} and the satisfied share (满意 + 基本满意) of a project the caller already obtained."""
    counts = dict(project.ratings.values("rating").annotate(n=Count("pk")).values_list("rating", "n"))
    out = {r: counts.get(r, 0) for r in Rating.values}
    total = sum(out.values())
    good = out[Rating.SATISFIED] + out[Rating.BASICALLY]
    return {**out, "total": total, "satisfied_rate": round(100 * good / total, 1) if total else None}


def keepable_orgs(*, actor) -> QuerySet:
    """Organisations the actor may keep projects for (choices of the form; the service checks each exactly)."""
    from grassroots.party.models import PartyOrg

    from .permissions import ACTING_ROLES

    scope = scope_for(actor)
    q = paths_q("path", scope.party_paths_for(*ACTING_ROLES))
    if scope.paths_for(*PARTY_STAFF_ROLES):
        q |= Q(pk__in=party_selectors.staff_org_ids(actor))
    return PartyOrg.objects.filter(q, active=True).exclude(kind="building_group").order_by("path")


def keepable_org(*, actor, pk):
    org = keepable_orgs(actor=actor).filter(pk=pk).first() if str(pk).isdigit() else None
    if org is None:
        raise NotFound("党组织不存在", "Organisation not found")
    return org


def due_soon(*, actor, today, days: int = 7) -> QuerySet:
    """Open projects due within ``days`` or already past their day (the workbench's count)."""
    import datetime as dt

    return project_list(actor=actor).filter(status__in=[ProjectStatus.PLANNED, ProjectStatus.IN_PROGRESS],
                                            due__lte=today + dt.timedelta(days=days))
