"""The only readers of organisational life. Every read takes ``actor``; out of scope is NotFound (404).

``review_grade`` and ``points_total`` are the two reads other apps use (honours: 民主评议 and points feed
nominations); they take no actor because they answer one number about one member for a service that has already
checked its own scope."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from grassroots.core.errors import NotFound
from grassroots.core.scope import scope_for

from . import permissions, policy
from .models import MemberReview, PointsEntry
from .states import EntryStatus

TENTH = Decimal("0.1")


def review_grade(person_id: int, year: int) -> str | None:
    """The member's 民主评议 grade for the year (``states.Grade`` value), or None when none was recorded."""
    return MemberReview.objects.filter(person_id=person_id, year=year).values_list("grade", flat=True).first()


def points_total(person_id: int, year: int) -> Decimal:
    """The member's approved points for the calendar year, computed from the ledger."""
    total = PointsEntry.objects.filter(person_id=person_id, occurred_on__year=year,
                                       status=EntryStatus.APPROVED).aggregate(s=Sum("points"))["s"]
    return Decimal(total or 0).quantize(TENTH)


def _own_or_org_q(actor, person_field: str = "person_id") -> Q:
    scope = scope_for(actor)
    q = permissions.org_path_q(actor)
    if scope.person_id:
        q |= Q(**{person_field: scope.person_id})
    return q


def points_entries(*, actor, person_id: int | None = None, org=None, status: str = "", year: int | None = None
                   ) -> QuerySet:
    qs = PointsEntry.objects.filter(_own_or_org_q(actor)).select_related("person", "org", "rule")
    if person_id:
        qs = qs.filter(person_id=person_id)
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(occurred_on__year=year)
    return qs


def points_entry(*, actor, pk: int) -> PointsEntry:
    entry = points_entries(actor=actor).filter(pk=pk).first()
    if entry is None:
        raise NotFound()
    return entry


def yearly_totals(*, actor, year: int, org=None) -> list[dict]:
    """Approved points per member for the year, in the actor's scope (highest first when rankings are on,
    else by name)."""
    qs = points_entries(actor=actor, org=org, status=EntryStatus.APPROVED, year=year)
    rows = list(qs.values("person_id", "person__name", "org__name").annotate(total=Sum("points")))
    out = [{"person_id": r["person_id"], "name": r["person__name"], "org_name": r["org__name"],
            "total": Decimal(r["total"] or 0).quantize(TENTH)} for r in rows]
    if policy.get("partylife.rankings"):
        out.sort(key=lambda r: (-r["total"], r["name"]))
    else:
        out.sort(key=lambda r: r["name"])
    return out


def reviews(*, actor, year: int | None = None, org=None, grade: str = "") -> QuerySet:
    qs = MemberReview.objects.filter(_own_or_org_q(actor)).select_related("person", "org")
    if year:
        qs = qs.filter(year=year)
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    if grade:
        qs = qs.filter(grade=grade)
    return qs


def review_detail(*, actor, pk: int) -> MemberReview:
    review = reviews(actor=actor).filter(pk=pk).first()
    if review is None:
        raise NotFound()
    return review




# --- meetings -----------------------------------------------------------------------------------------------------
def meetings(*, actor, org=None, kind: str = "", status: str = "", q: str = "", year: int | None = None) -> QuerySet:
    """Meetings of the organisations the actor sees as staff, and those the actor was due at."""
    from .models import Attendance, Meeting

    scope = scope_for(actor)
    where = permissions.org_path_q(actor)
    if scope.person_id:
        where |= Q(pk__in=Attendance.objects.filter(person_id=scope.person_id).values("meeting_id"))
    qs = Meeting.objects.filter(where).select_related("org", "kind")
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    if kind:
        qs = qs.filter(kind__code=kind)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(org__name__icontains=q))
    if year:
        qs = qs.filter(planned_at__year=year)
    return qs


def meeting_detail(*, actor, pk: int):
    meeting = meetings(actor=actor).filter(pk=pk).first()
    if meeting is None:
        raise NotFound()
    return meeting


def attendances(*, actor, meeting):
    """The sign-in sheet: everyone due for staff; for a member, their own line only."""
    from .models import Attendance

    qs = Attendance.objects.filter(meeting=meeting).select_related("person")
    if permissions.can_see(actor, meeting.org):
        return qs
    return qs.filter(person_id=scope_for(actor).person_id)


def attendance_record(*, actor, person_id: int, year: int | None = None) -> QuerySet:
    """A member's attendance record (their own, or a member of an organisation the actor sees)."""
    from .models import Attendance

    scope = scope_for(actor)
    where = permissions.org_path_q(actor, "meeting__org__path")
    if scope.person_id:
        where |= Q(person_id=scope.person_id)
    qs = (Attendance.objects.filter(where, person_id=person_id).select_related("meeting", "meeting__kind",
                                                                                "meeting__org")
          .order_by("-meeting__planned_at"))
    if year:
        qs = qs.filter(meeting__planned_at__year=year)
    return qs


def orgs_for_life(*, actor, acting: bool = True) -> QuerySet:
    """Active organisations the actor acts for (``acting``) or sees, for choices and filters."""
    from grassroots.party.models import PartyOrg

    q = permissions.acting_path_q(actor, "path") if acting else permissions.org_path_q(actor, "path")
    return PartyOrg.objects.filter(q, active=True).order_by("path")


def org_for_life(*, actor, pk, acting: bool = False):
    org = orgs_for_life(actor=actor, acting=acting).filter(pk=pk).first() if str(pk).isdigit() else None
    if org is None:
        raise NotFound()
    return org


def kinds():
    from .models import MeetingKind

    return MeetingKind.objects.filter(active=True)


def to_prepare_q(actor) -> Q:
    """Meetings the actor has to move on: planned (notice to send) or held (to archive), of organisations the
    actor acts for."""
    from .states import MeetingStatus

    return permissions.acting_path_q(actor) & Q(status__in=(MeetingStatus.PLANNED, MeetingStatus.NOTICED,
                                                            MeetingStatus.HELD))


# --- alerts -------------------------------------------------------------------------------------------------------
def alerts(*, actor, kind: str = "", open_only: bool = True, org=None) -> QuerySet:
    """Alerts of the organisations the actor sees as staff (the overdue list of an upper committee is its subtree's
    open rhythm alerts)."""
    from .models import Alert

    qs = Alert.objects.filter(permissions.org_path_q(actor, "org_path")).select_related("org", "person",
                                                                                         "meeting_kind")
    if kind:
        qs = qs.filter(kind=kind)
    if open_only:
        qs = qs.filter(acknowledged_at__isnull=True)
    if org is not None:
        qs = qs.filter(org_path__startswith=org.path)
    return qs


def alert_detail(*, actor, pk: int):
    alert = alerts(actor=actor, open_only=False).filter(pk=pk).first()
    if alert is None:
        raise NotFound()
    return alert


# --- terms --------------------------------------------------------------------------------------------------------
def terms(*, actor, due_within_months: int | None = None, org=None, current: bool = True) -> QuerySet:
    """Terms of the organisations the actor sees; ``due_within_months``: the terms due (ending within that many
    months, or already ended without a new term)."""
    from . import periods
    from .models import Term

    qs = Term.objects.filter(permissions.org_path_q(actor)).select_related("org")
    if current:
        qs = qs.filter(closed_on__isnull=True)
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    if due_within_months is not None:
        from django.db.models import Case, DateField, F, When

        from grassroots.core import clock

        horizon = periods.add_months(clock.today(), due_within_months)
        qs = qs.annotate(due_on=Case(When(extended_to__isnull=False, then=F("extended_to")), default=F("end"),
                                     output_field=DateField())).filter(due_on__lte=horizon).order_by("due_on")
    return qs


def term_detail(*, actor, pk: int):
    from .models import Term

    term = Term.objects.filter(permissions.org_path_q(actor), pk=pk).select_related("org").first()
    if term is None:
        raise NotFound()
    return term


def seats(*, actor, term_pk: int, current_only: bool = False) -> QuerySet:
    """The committee seats of a term the actor sees (history included unless ``current_only``)."""
    from .models import CommitteeSeat

    term = term_detail(actor=actor, pk=term_pk)
    qs = CommitteeSeat.objects.filter(term=term).select_related("person", "term__org")
    if current_only:
        qs = qs.filter(ended_on__isnull=True)
    return qs.order_by("ended_on", "duty", "pk")


def seat_candidates(*, actor, term) -> QuerySet:
    """Full members of the term's organisation (and under it) — those who may be elected to its committee."""
    from grassroots.party.models import Membership

    return (Membership.objects.filter(active=True, status="full", org__path__startswith=term.org.path)
            .select_related("person", "org").order_by("org__path", "person__name"))


def seat_candidate(*, actor, term, pk):
    """A person among ``seat_candidates``, or NotFound (also when the term is outside the actor's scope)."""
    term = term_detail(actor=actor, pk=term.pk)
    m = seat_candidates(actor=actor, term=term).filter(person_id=pk).first() if str(pk).isdigit() else None
    if m is None:
        raise NotFound("该人员不是本组织正式党员", "Not a full member of this organisation")
    return m.person


def seat_detail(*, actor, pk: int):
    from .models import CommitteeSeat

    seat = (CommitteeSeat.objects.filter(permissions.org_path_q(actor, field="term__org__path"), pk=pk)
            .select_related("term__org", "person").first())
    if seat is None:
        raise NotFound()
    return seat


# --- members and one's own record ---------------------------------------------------------------------------------
def members_for(*, actor, org=None) -> QuerySet:
    """Active memberships of the organisations the actor acts for (choices on the points and review forms)."""
    from grassroots.party.models import Membership

    qs = Membership.objects.filter(permissions.acting_path_q(actor), active=True).select_related("person", "org")
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    return qs.order_by("org__path", "person__name")


def uncounted_service_records(*, actor, year: int, org=None) -> QuerySet:
    """Service records (双报到 and volunteer hours, recorded by the community) of the year, of members of the
    organisations the actor acts for, that have no points line yet."""
    from grassroots.core.events import object_type_of
    from grassroots.party.models import ServiceRecord

    counted = PointsEntry.objects.filter(rule__code="service_hour", source_type=object_type_of(ServiceRecord),
                                         source_id__isnull=False).values("source_id")
    members = members_for(actor=actor, org=org).values("person_id")
    return (ServiceRecord.objects.filter(person_id__in=members, date__year=year).exclude(pk__in=counted)
            .select_related("person").order_by("date", "pk"))


def member_person(*, actor, pk) -> object:
    """A person who is a member of an organisation the actor acts for."""
    m = members_for(actor=actor).filter(person_id=pk).first() if str(pk).isdigit() else None
    if m is None:
        raise NotFound()
    return m.person


def my_record(*, actor, year: int) -> dict:
    """The member's own page: meetings due, attended, points this year and the review grade."""
    person_id = scope_for(actor).person_id
    if not person_id:
        return {"person_id": None, "attendances": [], "points": Decimal("0"), "entries": [], "grade": None}
    return {"person_id": person_id,
            "attendances": list(attendance_record(actor=actor, person_id=person_id)[:50]),
            "points": points_total(person_id, year),
            "entries": list(points_entries(actor=actor, person_id=person_id, year=year)[:50]),
            "grade": review_grade(person_id, year)}


def points_rules():
    from .models import PointsRule

    return PointsRule.objects.filter(active=True)
