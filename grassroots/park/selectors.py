"""The only readers of the park; every one takes the actor (``None`` = the system). Out of scope is missing."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from grassroots.core import clock, policy
from grassroots.core import roles as R
from grassroots.core.edges import int_param
from grassroots.core.errors import NotFound
from grassroots.core.scope import paths_q, scope_for

from . import permissions
from .models import (
    ChainCommittee,
    ContactCard,
    EnterpriseProfile,
    GridAssignment,
    Instructor,
    JointMeeting,
    Visit,
)

KEY_FIRMS_KEY, KEY_FIRMS_DEFAULT = "park.instructor_key_firms", 3
DAYS_KEY, DAYS_DEFAULT = "park.instructor_days_on_site", 10
TERM_KEY, TERM_DEFAULT = "park.instructor_term_years", 2
ENTRY_KEY, ENTRY_DEFAULT = "park.entry_days", 30


def setting(key: str, default: int) -> int:
    return int(policy.setting(key, default))


def _none(actor) -> Q | None:
    if actor is None:
        return Q()
    scope = scope_for(actor)
    if not scope.is_authenticated or scope.is_system:
        return Q(pk__in=[])
    return None


def keeper_q(actor, field: str = "park_path") -> Q:
    q = _none(actor)
    return q if q is not None else paths_q(field, permissions.keeper_paths(actor))


def profile_q(actor) -> Q:
    """Profiles the actor sees (the module docstring of permissions says who)."""
    q = _none(actor)
    if q is not None:
        return q
    scope = scope_for(actor)
    q = keeper_q(actor)
    q |= scope.region_q("grid__path", roles=(R.Role.PARTY_INSTRUCTOR, R.Role.SERVICE_COMMISSIONER))
    me = permissions.instructor_of(actor)
    if me is not None:
        q |= Q(grid_id__in=GridAssignment.objects.filter(instructor=me, ended_on__isnull=True).values("grid_id"))
    q |= Q(commissioner_id=actor.pk)
    orgs = scope.orgs_for(R.Role.SERVICE_COMMISSIONER, R.Role.ENTERPRISE_CONTACT)
    if orgs:
        q |= Q(organization_id__in=sorted(orgs))
    return q


def profile_list(*, actor, q: str = "", grid: int | None = None, kind: str = "", party_status: str = "",
                 key: bool | None = None, late: bool = False, today: dt.date | None = None) -> QuerySet:
    qs = (EnterpriseProfile.objects.filter(profile_q(actor))
          .select_related("organization", "grid", "commissioner", "chain"))
    if q:
        qs = qs.filter(Q(organization__name__icontains=q.strip()) | Q(contact_name__icontains=q.strip()))
    if grid:
        qs = qs.filter(grid_id=grid)
    if kind:
        qs = qs.filter(kind=kind)
    if party_status:
        qs = qs.filter(party_status=party_status)
    if key is not None:
        qs = qs.filter(is_key=key)
    if late:
        qs = qs.filter(late_q(today or clock.today()))
    return qs.order_by("grid__code", "organization__name", "pk")


def late_q(today: dt.date) -> Q:
    """Not entered into a grid and past the entry deadline (policy ``park.entry_days`` after arriving)."""
    return Q(entered_on__isnull=True, registered_on__lt=today - dt.timedelta(days=setting(ENTRY_KEY, ENTRY_DEFAULT)))


def profile_detail(*, actor, pk) -> EnterpriseProfile:
    row = (EnterpriseProfile.objects.filter(profile_q(actor), pk=pk)
           .select_related("organization", "grid", "commissioner", "chain").first() if int_param(pk, minimum=1) else None)
    if row is None:
        raise NotFound("企业不存在", "Enterprise not found")
    return row


def appeals(*, actor, profile: EnterpriseProfile) -> QuerySet:
    """The enterprise's appeals (cases of the closed loop) as the actor sees them, newest first."""
    from grassroots.cases.models import Case
    from grassroots.cases.selectors import visible_q

    return (Case.objects.filter(visible_q(actor), enterprise_id=profile.organization_id)
            .select_related("category").order_by("-reported_at", "-pk"))


def visits(*, actor, profile: EnterpriseProfile | None = None, instructor: Instructor | None = None) -> QuerySet:
    qs = Visit.objects.filter(profile__in=EnterpriseProfile.objects.filter(profile_q(actor)).values("pk"))
    if profile is not None:
        qs = qs.filter(profile=profile)
    if instructor is not None:
        qs = qs.filter(instructor=instructor)
    return qs.select_related("profile__organization", "instructor").order_by("-visited_on", "-pk")


def instructor_q(actor) -> Q:
    q = _none(actor)
    if q is not None:
        return q
    q = keeper_q(actor)
    me = permissions.instructor_of(actor)
    if me is not None:
        q |= Q(pk=me.pk)
    return q


def instructor_list(*, actor) -> QuerySet:
    return Instructor.objects.filter(instructor_q(actor)).select_related("user").order_by("park_path", "name")


def instructor_detail(*, actor, pk) -> Instructor:
    row = Instructor.objects.filter(instructor_q(actor), pk=pk).first() if int_param(pk, minimum=1) else None
    if row is None:
        raise NotFound("党建指导员不存在", "Instructor not found")
    return row


def active_assignments(instructor: Instructor) -> QuerySet:
    return instructor.assignments.filter(ended_on__isnull=True).select_related("grid").order_by("grid__code")


def key_firms(instructor: Instructor, *, extra_grid=None) -> int:
    """Key enterprises in the instructor's current grids (the policy limit counts these)."""
    grids = set(active_assignments(instructor).values_list("grid_id", flat=True))
    if extra_grid is not None:
        grids.add(getattr(extra_grid, "pk", extra_grid))
    return EnterpriseProfile.objects.filter(grid_id__in=grids, is_key=True).count()


def days_on_site(instructors, year: int, month: int) -> dict[int, int]:
    """Days with at least one visit, per instructor, in the month (one query)."""
    rows = (Visit.objects.filter(instructor__in=list(instructors), visited_on__year=year, visited_on__month=month)
            .values("instructor_id").annotate(days=Count("visited_on", distinct=True)).order_by())
    return {r["instructor_id"]: r["days"] for r in rows}


def instructor_figures(*, actor, year: int, month: int) -> list[dict]:
    """Every instructor the actor sees with their grids, key firms, the month's days on site and visits."""
    rows = list(instructor_list(actor=actor))
    days = days_on_site(rows, year, month)
    grids: dict[int, list] = {}
    for a in GridAssignment.objects.filter(instructor__in=rows, ended_on__isnull=True).select_related("grid"):
        grids.setdefault(a.instructor_id, []).append(a)
    key_by_grid = dict(EnterpriseProfile.objects.filter(is_key=True, grid__isnull=False).values_list("grid_id")
                       .annotate(n=Count("pk")).order_by().values_list("grid_id", "n"))
    need = setting(DAYS_KEY, DAYS_DEFAULT)
    out = []
    for i in rows:
        mine = grids.get(i.pk, [])
        n = days.get(i.pk, 0)
        out.append({"instructor": i, "assignments": mine, "key_firms": sum(key_by_grid.get(a.grid_id, 0) for a in mine),
                    "days": n, "short": n < need})
    return out


def card_detail(*, actor, pk) -> ContactCard:
    row = ContactCard.objects.filter(pk=pk).select_related("profile", "link").first() if int_param(pk, minimum=1) else None
    if row is None:
        raise NotFound("联系卡不存在", "Card not found")
    profile_detail(actor=actor, pk=row.profile_id)
    return row


def card_people(profile: EnterpriseProfile) -> dict:
    """Who a card prints for the enterprise now: the park's party committee, the enterprise's party organisation
    and secretary, the instructor of its grid, its commissioner (names, duties, phones)."""
    from grassroots.party.models import PartyOrg

    committee = (PartyOrg.objects.filter(region_id=profile.park_id, active=True).order_by("path").first())
    instructor = (Instructor.objects.filter(assignments__grid_id=profile.grid_id, assignments__ended_on__isnull=True)
                  .order_by("pk").first() if profile.grid_id else None)
    return {
        "park_party": committee.name if committee else "",
        "org": profile.party_org_name, "secretary": profile.secretary_name, "secretary_phone": profile.secretary_phone,
        "instructor": instructor.name if instructor else "", "instructor_phone": instructor.phone if instructor else "",
        "commissioner": str(profile.commissioner) if profile.commissioner else "",
    }


def reprint_list(*, actor) -> list[dict]:
    """Current cards whose people changed since they were printed (a new secretary, instructor, commissioner)."""
    profiles = {p.pk: p for p in EnterpriseProfile.objects.filter(keeper_q(actor)).select_related(
        "organization", "commissioner", "grid")}
    latest: dict[int, ContactCard] = {}
    for card in ContactCard.objects.filter(profile_id__in=list(profiles)).order_by("profile_id", "-version"):
        latest.setdefault(card.profile_id, card)
    out = []
    for pid, card in latest.items():
        now = card_people(profiles[pid])
        changed = [k for k in now if now[k] != card.people.get(k, "")]
        if changed:
            out.append({"profile": profiles[pid], "card": card, "changed": changed})
    return sorted(out, key=lambda r: r["profile"].organization.name)


def committees(*, actor) -> QuerySet:
    q = _none(actor)
    q = q if q is not None else keeper_q(actor, "park_path")
    return ChainCommittee.objects.filter(q).annotate(n=Count("members")).order_by("park_path", "name")


def committee_detail(*, actor, pk) -> ChainCommittee:
    row = committees(actor=actor).filter(pk=pk).first() if int_param(pk, minimum=1) else None
    if row is None:
        raise NotFound("产业链党委不存在", "Chain committee not found")
    return row


def meetings(*, actor, committee: ChainCommittee) -> QuerySet:
    return committee.meetings.order_by("-held_on", "-pk")


def meeting_detail(*, actor, pk) -> JointMeeting:
    row = JointMeeting.objects.filter(pk=pk).first() if int_param(pk, minimum=1) else None
    if row is None:
        raise NotFound("联席会议不存在", "Meeting not found")
    committee_detail(actor=actor, pk=row.committee_id)
    return row


def chain_appeals(*, actor, committee: ChainCommittee) -> QuerySet:
    """Open and recent chain-wide appeals (topic 产业链) of the committee's member enterprises."""
    from grassroots.cases.models import Case
    from grassroots.cases.selectors import visible_q

    members = committee.members.values("organization_id")
    qs = Case.objects.filter(visible_q(actor), enterprise_id__in=members).select_related("category")
    return qs.filter(appeal_topics__contains=["chain"]) if _json_contains() else qs.filter(
        appeal_topics__icontains='"chain"')


def _json_contains() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def grids(*, actor) -> QuerySet:
    from grassroots.territory.models import Region

    return Region.objects.filter(keeper_q(actor, "path") | scope_for(actor).region_q(
        "path", roles=(R.Role.PARTY_INSTRUCTOR,)), level="grid", grid_kind="enterprise", active=True).order_by("code")


def parks(*, actor) -> QuerySet:
    from grassroots.territory.models import Region

    paths = permissions.keeper_paths(actor) if actor is not None else ()
    q = Q() if actor is None else Q(pk__in=[])
    for p in paths:
        q |= Q(path__startswith=p)
    return Region.objects.filter(q, level="park", active=True).order_by("path")


def due_entries(*, actor, today: dt.date) -> QuerySet:
    """The workbench's count: profiles past their entry deadline, for the keepers."""
    return profile_list(actor=actor, late=True, today=today)
