"""Readers the case pages need beyond ``selectors.py``: pick lists for the forms, "my reports", map points.

Every function takes ``actor=`` and applies the actor's scope like the core selectors do (cases through
``selectors.visible_q`` / ``selectors.public_case_list``; regions through the territory selectors).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from grassroots.core import clock
from grassroots.core import roles as R
from grassroots.core.roles import Role
from grassroots.core.scope import scope_for
from grassroots.people.models import Organization
from grassroots.territory.models import Level, Region

from . import permissions
from .models import Case, Category, Rating
from .selectors import _base, overdue_q, public_case_list, visible_q
from .states import FINAL_STATUSES, status_label

# Organisations a dispatcher may name as lead unit or co-handler.
DISPATCH_KINDS = (Organization.Kind.DEPARTMENT, Organization.Kind.SUBDISTRICT_OFFICE,
                  Organization.Kind.RESIDENTS_COMMITTEE, Organization.Kind.VILLAGE_COMMITTEE,
                  Organization.Kind.PROPERTY_FIRM, Organization.Kind.AGENCY)
MAP_LIMIT = 3000


def intake_categories(*, actor=None) -> list[Category]:
    """Active categories one can report under (small classes first by sort order; the reference data is public)."""
    return list(Category.objects.filter(active=True).select_related("parent").order_by("sort_order", "code"))


def intake_regions(*, actor=None, with_buildings: bool = True) -> list[Region]:
    """Grids (and their buildings) to pick when the position is unknown.

    Region-scoped staff get the grids and buildings under their posts; residents, the hotline and everyone
    without a region post get every active grid of the zone (grid names are public; buildings would be too many).
    """
    scope = scope_for(actor)
    region_roles = [r for r in permissions.REGION_ROLES if r not in R.ZONE_WIDE]
    if scope.paths_for(*region_roles):
        levels = [Level.GRID, Level.BUILDING] if with_buildings else [Level.GRID]
        qs = Region.objects.filter(scope.region_q("path", roles=tuple(region_roles)), level__in=levels, active=True)
    else:
        qs = Region.objects.filter(level=Level.GRID, active=True)
    rows = list(qs.select_related("parent").order_by("path"))
    for r in rows:
        r.label = f"{r.parent.name} · {r.name}" if r.level == Level.GRID and r.parent else f"　{r.name}"
    return rows


def dispatch_units(*, actor, case) -> QuerySet[Organization]:
    """Units the case's dispatcher may name (active departments, offices, committees, property firms)."""
    if not (permissions.can_dispatch(actor, case) or permissions.can_whistle(actor, case)
            or permissions.can_redispatch(actor, case)):
        return Organization.objects.none()
    return Organization.objects.filter(active=True, kind__in=list(DISPATCH_KINDS)).order_by("kind", "name")


def appeal_enterprises(*, actor) -> QuerySet[Organization]:
    """Enterprises the actor may file an appeal for: their own, or those in the grids an instructor serves."""
    scope = scope_for(actor)
    q = Q(pk__in=sorted(scope.orgs_for(Role.ENTERPRISE_CONTACT)))
    if scope.paths_for(Role.PARTY_INSTRUCTOR):
        q |= scope.region_q("region__path", roles=(Role.PARTY_INSTRUCTOR,)) & Q(
            kind__in=[Organization.Kind.ENTERPRISE, Organization.Kind.STATE_OWNED_ENTERPRISE])
    return Organization.objects.filter(q, active=True).order_by("name")


def my_reports(*, actor) -> QuerySet[Case]:
    """Cases the actor reported (by account or as the registered person), newest first, with 'rated' flag."""
    scope = scope_for(actor)
    if not scope.is_authenticated:
        return Case.objects.none()
    mine = Q(reporter_id=scope.user_id)
    if scope.person_id:
        mine |= Q(reporter_person_id=scope.person_id)
    rated = Rating.objects.filter(case_id=OuterRef("pk"), round=OuterRef("rating_round"))
    return (_base(actor).filter(mine).annotate(rated=Exists(rated)).order_by("-reported_at", "-id"))


def case_map_points(*, actor, open_only: bool = True, overdue: bool | None = None) -> list[dict]:
    """Positions of the cases in scope (exact positions: staff only see their own scope)."""
    qs = Case.objects.filter(visible_q(actor), lon__isnull=False, lat__isnull=False)
    if open_only:
        qs = qs.exclude(status__in=FINAL_STATUSES)
    if overdue is not None:
        qs = qs.filter(overdue_q()) if overdue else qs.exclude(overdue_q())
    now = clock.now()
    overdue_ids = set(qs.filter(overdue_q(now)).values_list("pk", flat=True)[:MAP_LIMIT])
    rows = qs.order_by("-reported_at").values("pk", "reference", "category__name", "status", "lon", "lat",
                                              "supervision")[:MAP_LIMIT]
    return [{"id": r["pk"], "label": f"{r['reference']} {r['category__name']}", "status": r["status"],
             "status_label": status_label(r["status"]), "lon": r["lon"], "lat": r["lat"],
             "overdue": r["pk"] in overdue_ids, "supervision": r["supervision"], "closed": False}
            for r in rows]


def public_map_points(*, actor=None, status=None, category=None) -> list[dict]:
    """Public cases at their rounded positions (about 100 m), public fields only."""
    rows = public_case_list(actor=actor, status=status, category=category)[:MAP_LIMIT]
    return [{"id": r["id"], "label": f"{r['reference']} {r['category__name']}", "status": r["status"],
             "status_label": status_label(r["status"]), "lon": r["public_lon"],
             "lat": r["public_lat"], "overdue": False, "closed": r["status"] == "closed"}
            for r in rows if r["public_lon"] is not None and r["public_lat"] is not None]


def case_by_reference(*, actor, reference: str) -> Case:
    """A case in the actor's scope by its reference number (2026-000123); ValidationFailed on the field if none."""
    from grassroots.core.errors import ValidationFailed

    case = Case.objects.filter(visible_q(actor), reference=(reference or "").strip()).first()
    if case is None:
        raise ValidationFailed("原事件不存在", "The original case was not found", field="original")
    return case
