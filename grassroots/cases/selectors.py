"""The only readers of cases. Every selector takes ``actor=`` and filters through ``core.scope.scope_for(actor)``.

Scope of cases:

* grid workers, community staff/secretaries, subdistrict officers, party instructors — cases whose ``region_path``
  lies under their posts' regions (one range predicate on the indexed ``region_path`` column);
* hotline operators and zone leaders — the whole zone (their post's region is the zone);
* department handlers — only cases with an assignment (current or past) to their organisation;
* enterprise contacts — their enterprise's appeals;
* residents — their own reports; public cases only through ``public_case_list`` / ``public_case_get``, which
  expose public fields only (category, status, rounded position, dates, staff-written summary);
* admin and auditor — no cases.

Out of scope a case is ``NotFound``; lists leave it out.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Case as When_
from django.db.models import (
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from grassroots.core import clock, events, geo
from grassroots.core.errors import NotFound, ValidationFailed
from grassroots.core.geo import EARTH_RADIUS_M
from grassroots.core.models import Attachment, Event
from grassroots.core.roles import Role
from grassroots.core.scope import scope_for
from grassroots.territory.models import subtree_q

from . import permissions, policy
from .models import Assignment, Case, Extension, Rating
from .states import (
    DUE_FIELD,
    OPEN_STATUSES,
    RUNNING_STAGE,
    AssignmentRole,
    AssignmentStatus,
    Channel,
    ExtensionStatus,
    Satisfaction,
    Status,
    event_verb,
    table_verb,
)

PUBLIC_FIELDS = ("id", "reference", "category__code", "category__name", "status", "public_lon", "public_lat",
                 "reported_at", "accepted_at", "handled_at", "closed_at", "public_summary", "region__name",
                 "duplicate_of_id", "duplicate_of__reference", "duplicate_of__is_public", "duplicate_of__status")
PUBLIC_VERBS = ("report", "accept", "dispatch", "acknowledge", "escalate", "handle", "resolve_on_site",
                "verify_pass", "verify_fail", "reopen", "suspend", "resume", "reject", "mark_duplicate")
PUBLIC_EVENT_VERBS = events.verbs(*map(event_verb, PUBLIC_VERBS))  # both spellings (``core.events.verbs``)


def visible_q(actor) -> Q:
    """Q over Case for everything the actor may see (see the module docstring)."""
    scope = scope_for(actor)
    if not scope.is_authenticated:
        return Q(pk__in=[])
    q = scope.region_q("region_path", roles=permissions.REGION_ROLES)
    q |= Q(reporter_id=scope.user_id)
    if scope.person_id:
        q |= Q(reporter_person_id=scope.person_id)
    enterprises = scope.orgs_for(Role.ENTERPRISE_CONTACT)
    if enterprises:
        q |= Q(enterprise_id__in=sorted(enterprises))
    if scope.has_role(Role.SERVICE_COMMISSIONER):  # their enterprises' appeals (permissions.is_commissioner)
        served = scope.region_q("region_path", roles=(Role.SERVICE_COMMISSIONER,))
        assigned = scope.orgs_for(Role.SERVICE_COMMISSIONER)
        if assigned:
            served |= Q(enterprise_id__in=sorted(assigned))
        q |= Q(channel=Channel.ENTERPRISE, enterprise__isnull=False) & served
    if scope.org_ids:
        q |= Q(Exists(Assignment.objects.filter(case_id=OuterRef("pk"), organization_id__in=sorted(scope.org_ids))))
    return q


def running_due_expression():
    """The deadline of the clock running in the case's status (None for closed/rejected/suspended)."""
    return When_(*[When(status=status, then=DUE_FIELD[stage]) for status, stage in RUNNING_STAGE.items()],
                 default=Value(None), output_field=DateTimeField())


def overdue_q(now=None) -> Q:
    now = now or clock.now()
    q = Q(pk__in=[])
    for status, stage in RUNNING_STAGE.items():
        q |= Q(status=status, **{f"{DUE_FIELD[stage]}__lt": now})
    return q


def _base(actor) -> QuerySet:
    return (Case.objects.filter(visible_q(actor))
            .select_related("category", "region", "community")
            .annotate(running_due=running_due_expression()))


def case_list(*, actor, status=None, category=None, tier=None, channel=None, date_from: dt.date | None = None,
              date_to: dt.date | None = None, overdue: bool | None = None, supervision: bool | None = None,
              region=None, q: str = "", open_only: bool = False) -> QuerySet:
    """Cases in the actor's scope, newest first, filtered. ``status`` may be one value or a list."""
    qs = _base(actor)
    if status:
        qs = qs.filter(status__in=[status] if isinstance(status, str) else list(status))
    if open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if category:
        if isinstance(category, str) and not category.isdigit():
            qs = qs.filter(Q(category__code=category) | Q(category__parent__code=category))
        else:
            pk = getattr(category, "pk", category)
            qs = qs.filter(Q(category_id=pk) | Q(category__parent_id=pk))
    if tier:
        qs = qs.filter(tier=tier)
    if channel:
        qs = qs.filter(channel=channel)
    if date_from:
        qs = qs.filter(reported_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(reported_at__date__lte=date_to)
    if overdue is not None:
        qs = qs.filter(overdue_q()) if overdue else qs.exclude(overdue_q())
    if supervision is not None:
        qs = qs.filter(supervision=supervision)
    if region:
        from grassroots.territory.models import Region

        path = region.path if hasattr(region, "path") else Region.objects.filter(pk=region).values_list(
            "path", flat=True).first()
        qs = qs.filter(subtree_q(path, "region_path")) if path else qs.none()
    if q:
        term = q.strip()
        qs = qs.filter(Q(reference__icontains=term) | Q(tracking_code=term.upper()) | Q(external_id=term))
    return qs.order_by("-reported_at", "-id")


def case_get(*, actor, pk) -> Case:
    case = _base(actor).filter(pk=pk).first()
    if case is None:
        raise NotFound("事件不存在", "Case not found")
    return case


def extension_get(*, actor, case_id, pk) -> Extension:
    """One extension request of a case in the actor's scope."""
    ext = case_get(actor=actor, pk=case_id).extensions.filter(pk=pk).first()
    if ext is None:
        raise NotFound("延期申请不存在", "Extension request not found")
    return ext


def case_timeline(*, actor, case) -> QuerySet:
    """The case's events, oldest first (the timeline)."""
    case = case if isinstance(case, Case) else case_get(actor=actor, pk=case)
    if not permissions.can_see(actor, case):
        raise NotFound("事件不存在", "Case not found")
    return (Event.objects.filter(object_type="cases.case", object_id=str(case.pk))
            .select_related("actor").order_by("at", "id"))


# What the reporter (and anyone else who is not staff of the case) sees of the timeline: the moves, the units that
# acted, and only the text written for them — the reason a report was not accepted or not reopened, the case a
# duplicate joins (both also sent to the reporter as notifications). Never staff names, handling notes, results,
# instructions or any other payload.
REPORTER_VERBS = (*PUBLIC_VERBS, "rate", "decline_reopen")
REPORTER_NOTES = {"reject": "reason", "decline_reopen": "reason"}
STAFF_NOTE_KEYS = ("reason", "text", "result", "note")


def timeline_for(*, actor, case: Case, events=None, assignments=None) -> list[dict]:
    """The case's timeline as ``actor`` may see it: one rule for the case page and the API.

    Staff of the case (``permissions.sees_internals``) see every event with who acted (an anonymous reporter who
    asked to stay hidden shows as anonymous) and its note and details. Everyone else who sees the case (the
    reporter, an enterprise contact) sees the moves in ``REPORTER_VERBS``, each with the unit that acted (the
    dispatched lead, the acknowledging or handling unit, otherwise the community) and only the notes in
    ``REPORTER_NOTES``; ``payload`` is empty. Rows: ``at, verb`` (transition verb), ``from_state, to_state,
    actor, note, payload``."""
    from django.utils.translation import gettext as _

    if events is None:
        events = case_timeline(actor=actor, case=case)
    staff = permissions.sees_internals(actor, case)
    rows = []
    if staff:
        hidden_reporter = case.reporter_id if identity_hidden_for(actor, case) else None
        for e in events:
            verb = table_verb(e.verb)
            if e.actor_id is None:
                who = _("匿名") if e.actor_label == "anonymous" and verb == "report" else _("系统")
            elif hidden_reporter is not None and e.actor_id == hidden_reporter:
                who = _("匿名")
            else:
                who = str(e.actor)
            payload = e.payload or {}
            note = next((str(payload[k]) for k in STAFF_NOTE_KEYS if payload.get(k)), "")
            rows.append({"at": e.at, "verb": verb, "from_state": e.from_state, "to_state": e.to_state,
                         "actor": who, "note": note, "payload": payload})
        return rows
    if assignments is None:
        assignments = list(case.assignments.select_related("organization"))
    unit_names = {a.organization_id: a.organization.name for a in assignments}
    community = case.community.name if case.community_id else ""
    for e in events:
        verb = table_verb(e.verb)
        if verb not in REPORTER_VERBS:
            continue
        payload = e.payload or {}
        if verb == "report" or verb == "rate":
            unit = ""
        elif verb == "dispatch" or (verb == "escalate" and payload.get("lead_name")):
            unit = str(payload.get("lead_name") or "")
        elif payload.get("unit_name") or payload.get("unit") in unit_names:
            unit = str(payload.get("unit_name") or unit_names[payload["unit"]])
        else:
            unit = community
        note = str(payload.get(REPORTER_NOTES.get(verb, ""), "") or "")
        if verb == "mark_duplicate" and payload.get("original_reference"):
            note = _("与 %(reference)s 重复，已合并办理") % {"reference": payload["original_reference"]}
        rows.append({"at": e.at, "verb": verb, "from_state": e.from_state, "to_state": e.to_state,
                     "actor": unit, "note": note, "payload": {}})
    return rows


@dataclass
class CaseDetail:
    case: Case
    assignments: list
    timeline: list
    ratings: list
    extensions: list
    suspensions: list
    attachments: list
    identity_hidden: bool

    @property
    def lead(self):
        return next((a for a in self.assignments if a.active and a.role == AssignmentRole.LEAD), None)


def identity_hidden_for(actor, case) -> bool:
    """Staff do not see an anonymous reporter who asked to stay hidden (the reporter sees themselves)."""
    if not (case.anonymous and case.hide_identity_from_staff):
        return False
    scope = scope_for(actor)
    return case.reporter_id != scope.user_id


def case_detail(*, actor, pk) -> CaseDetail:
    """Everything a case page shows, in a fixed number of queries; the timeline as ``timeline_for`` gives it."""
    case = case_get(actor=actor, pk=pk)
    assignments = list(case.assignments.select_related("organization", "handler").order_by("round", "role", "id"))
    events = list(Event.objects.filter(object_type="cases.case", object_id=str(case.pk))
                  .select_related("actor").order_by("at", "id"))
    timeline = timeline_for(actor=actor, case=case, events=events, assignments=assignments)
    ratings = list(case.ratings.order_by("round"))
    extensions = list(case.extensions.select_related("requested_by", "decided_by").order_by("requested_at"))
    suspensions = list(case.suspensions.order_by("suspended_at"))
    attachments = list(Attachment.objects.filter(object_type="cases.case", object_id=str(case.pk)).order_by("id"))
    return CaseDetail(case=case, assignments=assignments, timeline=timeline, ratings=ratings, extensions=extensions,
                      suspensions=suspensions, attachments=attachments,
                      identity_hidden=identity_hidden_for(actor, case))


# ---------------------------------------------------------------------------------------------------------------
# Inbox queues

QUEUES = ("to_accept", "to_dispatch", "to_acknowledge", "to_handle", "to_verify", "to_callback", "to_reopen",
          "to_approve_extension", "suspended")
QUEUE_LABELS = {
    "to_accept": _("待受理"), "to_dispatch": _("待派遣"), "to_acknowledge": _("待报到"), "to_handle": _("待办理"),
    "to_verify": _("待核查"), "to_callback": _("待回访"), "to_reopen": _("待确认重启"),
    "to_approve_extension": _("待审批延期"), "suspended": _("挂账中"),
}


def _tier_dispatch_q(scope) -> Q:
    q = Q(pk__in=[])
    for tier, roles in permissions.DISPATCHER_ROLES.items():
        if scope.has_role(*roles):
            q |= Q(tier=tier) & scope.region_q("region_path", roles=roles)
    return q


def _queue_q(scope, queue: str) -> Q:
    orgs = sorted(scope.org_ids)
    community = scope.region_q("region_path", roles=permissions.COMMUNITY_ROLES)
    if queue == "to_accept":
        return Q(status=Status.REPORTED) & community
    if queue == "to_dispatch":
        return Q(status=Status.ACCEPTED) & _tier_dispatch_q(scope)
    if queue == "to_acknowledge":
        return Q(status__in=[Status.DISPATCHED, Status.IN_PROGRESS]) & Q(Exists(Assignment.objects.filter(
            case_id=OuterRef("pk"), active=True, status=AssignmentStatus.DISPATCHED, organization_id__in=orgs)))
    if queue == "to_handle":  # the lead while in progress; a co-handler once it has acknowledged (also before the lead)
        return Q(status__in=[Status.DISPATCHED, Status.IN_PROGRESS]) & Q(Exists(Assignment.objects.filter(
            (Q(role=AssignmentRole.LEAD) & Q(case__status=Status.IN_PROGRESS)) | Q(status=AssignmentStatus.ACKNOWLEDGED),
            case_id=OuterRef("pk"), active=True, organization_id__in=orgs)))
    if queue == "to_verify":
        grid = scope.region_q("region_path", roles=(Role.GRID_WORKER,))
        mine = Q(channel="grid_patrol", reporter_id=scope.user_id, resolved_on_site=False) & grid
        others = ~Q(channel="grid_patrol") & grid  # reports from residents, the hotline …: the grid's worker looks
        return Q(status=Status.HANDLED) & (community | mine | others)
    if queue == "to_callback":  # permissions.has_someone_to_call_back, as a filter
        someone = Q(channel__in=permissions.CALLBACK_CHANNELS) | (
            Q(channel__in=permissions.NAMED_CALLBACK_CHANNELS, anonymous=False)
            & (Q(reporter_id__isnull=False) | Q(reporter_person_id__isnull=False)))
        # Bounded by the callback window (policy ``callback_window_days``): the recently closed cases through the
        # (status, closed_at) index, not every closed case of the history anti-joined with its ratings.
        since = clock.now() - dt.timedelta(days=int(policy.setting("callback_window_days")))
        return (Q(status=Status.CLOSED, closed_at__gte=since) & someone
                & scope.region_q("region_path", roles=(Role.HOTLINE_OPERATOR,))
                & ~Q(Exists(Rating.objects.filter(case_id=OuterRef("pk"), round=OuterRef("rating_round")))))
    if queue == "to_reopen":
        since = clock.now() - dt.timedelta(days=int(policy.setting("reopen_window_days")))
        unsatisfied = Rating.objects.filter(Q(satisfaction=Satisfaction.UNSATISFIED) | Q(resolved=False),
                                            case_id=OuterRef("pk"), round=OuterRef("rating_round"),
                                            reopen_decision="", rated_at__gte=since)
        # the recent unsatisfied ratings first (a few rows through the rating index), not every closed case
        recent = Rating.objects.filter(Q(satisfaction=Satisfaction.UNSATISFIED) | Q(resolved=False),
                                       reopen_decision="", rated_at__gte=since).values("case_id")
        return Q(status=Status.CLOSED) & community & Q(pk__in=recent) & Q(Exists(unsatisfied))
    if queue == "to_approve_extension":
        q = Q(pk__in=[])
        for tier, roles in permissions.APPROVER_ROLES.items():
            if scope.has_role(*roles):
                q |= Q(tier=tier) & scope.region_q("region_path", roles=roles)
        # the pending requests first (a handful), not every case of the tier
        return q & Q(pk__in=Extension.objects.filter(status=ExtensionStatus.PENDING).values("case_id"))
    if queue == "suspended":
        return Q(status=Status.SUSPENDED) & scope.region_q("region_path", roles=(Role.SUBDISTRICT_OFFICER,))
    raise ValidationFailed("未知的待办队列", "Unknown queue", field="queue")


def inbox(*, actor, queue: str) -> QuerySet:
    """One queue of the actor's work, overdue first (earliest running deadline first, then oldest)."""
    scope = scope_for(actor)
    qs = _base(actor).filter(_queue_q(scope, queue))
    if queue == "suspended":
        return qs.order_by("resume_at", "id")
    return qs.order_by(When_(When(running_due__isnull=True, then=Value(1)), default=Value(0)).asc(),
                       "running_due", "reported_at", "id")


def inbox_counts(*, actor) -> dict[str, int]:
    """How many cases wait in each queue that applies to the actor (queues with a role, zero included)."""
    scope = scope_for(actor)
    counts = {}
    base = Case.objects.filter(visible_q(actor))
    for queue in QUEUES:
        counts[queue] = base.filter(_queue_q(scope, queue)).count()
    return counts


def workbench_counts(*, actor, now: dt.datetime, soon: dt.datetime) -> dict[str, tuple[int, int, int]]:
    """For each queue the actor works: (how many wait, how many are past their running deadline, how many fall due
    before ``soon``), by the inbox's own queue definitions; plus ``"mine"`` for a resident: their own reports (the
    length of 我的反映). One small aggregate per queue: each queue's filter reaches its few open cases through an
    index, while one statement OR-ing every queue would read the whole history (measured: 6.5 s against 2–17 ms
    per queue at 300,000 cases, bench/workbench.py)."""
    from django.db.models import Count

    scope = scope_for(actor)
    if not scope.is_authenticated:
        return {}
    out = {}
    visible = Case.objects.filter(visible_q(actor))
    for queue in QUEUES:
        if not permissions.works_queue(actor, queue):
            continue
        row = (visible.filter(_queue_q(scope, queue)).annotate(running_due=running_due_expression())
               .aggregate(n=Count("pk"), overdue=Count("pk", filter=Q(running_due__lt=now)),
                          soon=Count("pk", filter=Q(running_due__gte=now, running_due__lt=soon))))
        out[queue] = (row["n"], row["overdue"], row["soon"])
    if scope.has_role(Role.RESIDENT):
        out["mine"] = (_own_reports(scope).count(), 0, 0)
    return out


def _own_reports(scope) -> QuerySet:
    mine = Q(reporter_id=scope.user_id)
    if scope.person_id:
        mine |= Q(reporter_person_id=scope.person_id)
    return Case.objects.filter(mine)


def month_figures(*, actor, month: dt.date) -> dict[str, tuple[int, int]]:
    """Cases in the actor's region reported and closed in ``month`` and in the month before (staff and grid
    workers), and the grid worker's own reports; one query over the two months. It reads a month of the scope's
    cases, so the workbench keeps its answer for a few minutes (cases.workbench.figures)."""
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from django.db.models import Count

    from grassroots.core.workbench import month_bounds

    scope = scope_for(actor)
    tz = ZoneInfo(settings.TIME_ZONE)
    start, end = month_bounds(month, tz)
    prev_start, _ = month_bounds(start.date() - dt.timedelta(days=1), tz)
    region = scope.region_q("region_path", roles=(*permissions.REGION_ROLES,))
    aggregates = {}
    if scope.has_role(*R_STAFF_FIGURES):
        for key, field in (("reported", "reported_at"), ("closed", "closed_at")):
            aggregates[f"{key}__this"] = Count("pk", filter=region & Q(**{f"{field}__gte": start, f"{field}__lt": end}))
            aggregates[f"{key}__last"] = Count("pk", filter=region & Q(**{f"{field}__gte": prev_start,
                                                                          f"{field}__lt": start}))
    if scope.has_role(Role.GRID_WORKER):
        mine = Q(reporter_id=scope.user_id)
        aggregates["mine__this"] = Count("pk", filter=mine & Q(reported_at__gte=start, reported_at__lt=end))
        aggregates["mine__last"] = Count("pk", filter=mine & Q(reported_at__gte=prev_start, reported_at__lt=start))
    if not aggregates:
        return {}
    window = (Q(reported_at__gte=prev_start, reported_at__lt=end) | Q(closed_at__gte=prev_start, closed_at__lt=end))
    row = Case.objects.filter(visible_q(actor)).filter(window).aggregate(**aggregates)
    keys = [k for k in ("reported", "closed", "mine") if f"{k}__this" in row]
    return {k: (row[f"{k}__this"], row[f"{k}__last"]) for k in keys}


R_STAFF_FIGURES = (Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY, Role.SUBDISTRICT_OFFICER, Role.ZONE_LEADER,
                   Role.HOTLINE_OPERATOR)


def time_left(case, now=None) -> dt.timedelta | None:
    due = getattr(case, "running_due", None)
    if due is None:
        return None
    return due - (now or clock.now())


# ---------------------------------------------------------------------------------------------------------------
# Duplicates


DUPLICATE_LIMIT = 10
DUPLICATE_FIELDS = ("id", "reference", "category_id", "title", "status", "lon", "lat", "public_lon", "public_lat",
                    "public_summary", "reported_at", "accepted_at", "handled_at", "closed_at")


def _near(qs: QuerySet, *, category_id: int, lon: float, lat: float, at: dt.datetime, radius: float,
          window: dt.timedelta, lon_field: str = "lon", lat_field: str = "lat") -> list[Case]:
    """Open cases of the category in ``qs`` within ``radius`` metres of (lon, lat) on the given position fields and
    within ``window`` of ``at``, nearest first (at most ``DUPLICATE_LIMIT``), each with ``distance_m``.

    A bounding box (the (category, lat, lon, reported_at) index on exact positions), then the squared local
    distance in metres (equirectangular: exact to millimetres at these radii) filtered and ordered in SQL; only
    the fields a suggestion shows are read."""
    ky = EARTH_RADIUS_M * math.pi / 180  # metres per degree of latitude
    kx = ky * max(0.1, math.cos(math.radians(lat)))
    dlat, dlon = radius / ky, radius / kx
    dx = (F(lon_field) - Value(lon)) * Value(kx)
    dy = (F(lat_field) - Value(lat)) * Value(ky)
    found = list(qs.filter(**{"category_id": category_id, f"{lat_field}__gte": lat - dlat,
                              f"{lat_field}__lte": lat + dlat, f"{lon_field}__gte": lon - dlon,
                              f"{lon_field}__lte": lon + dlon, "reported_at__gte": at - window,
                              "reported_at__lte": at + window, "status__in": OPEN_STATUSES})
                 .annotate(d2=ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField()))
                 .filter(d2__lte=radius * radius)
                 .only(*DUPLICATE_FIELDS)
                 .order_by("d2", "id")[:DUPLICATE_LIMIT])
    for other in found:
        other.distance_m = math.sqrt(other.d2)
    return found


def _window(radius_m, hours) -> tuple[float, dt.timedelta]:
    return (float(radius_m or policy.setting("duplicate_radius_m")),
            dt.timedelta(hours=float(hours or policy.setting("duplicate_hours"))))


def duplicate_candidates(*, actor, case, radius_m: float | None = None, hours: float | None = None) -> list[Case]:
    """At triage: open cases of the same category within 50 m and 72 h (policy) of the case, visible to the
    actor (community staff) or public, nearest first, each with ``distance_m``. The category is the case's own."""
    if case.lon is None or case.lat is None:
        return []
    radius, window = _window(radius_m, hours)
    found = _near(Case.objects.filter(visible_q(actor) | public_q()).exclude(pk=case.pk),
                  category_id=case.category_id, lon=case.lon, lat=case.lat, at=case.reported_at, radius=radius,
                  window=window)
    for other in found:
        other.category = case.category
    return found


def public_rounding_m(lat: float) -> float:
    """Half the diagonal of a cell of the public (rounded) position grid at this latitude, in metres."""
    step = 10 ** -int(policy.setting("public_position_decimals"))
    ky = EARTH_RADIUS_M * math.pi / 180
    return math.hypot(step * ky, step * ky * max(0.1, math.cos(math.radians(lat)))) / 2


def nearby_open_cases(*, actor, category, lon, lat, crs: str = "WGS84") -> list[Case]:
    """Before filing (the intake forms, ``GET /api/cases/nearby``): open cases of the category near a position,
    reported within the duplicate window up to now, so the reporter sees the problem is already known and may
    leave it there (FixMyStreet's duplicate suggestions).

    Cases the actor may see are matched on their exact position (``distance_m``). Other public cases are matched
    on their public, rounded position with the radius widened by the rounding, and their distance is measured
    from that position (``approximate``): nothing is revealed beyond the public case page. Nearest first, at
    most ``DUPLICATE_LIMIT``; each case carries its category."""
    category = policy.require_category(category)
    lon, lat = geo.position(lon, lat, crs)
    radius, window = _window(None, None)
    now = clock.now()
    visible = visible_q(actor)
    seen = _near(Case.objects.filter(visible), category_id=category.pk, lon=lon, lat=lat, at=now, radius=radius,
                 window=window)
    public = _near(Case.objects.filter(public_q()).exclude(visible).exclude(public_lon=None),
                   category_id=category.pk, lon=lon, lat=lat, at=now, radius=radius + public_rounding_m(lat),
                   window=window, lon_field="public_lon", lat_field="public_lat")
    for c in seen:
        c.approximate = False
    for c in public:
        c.approximate = True
    found = sorted(seen + public, key=lambda c: (c.distance_m, c.pk))[:DUPLICATE_LIMIT]
    for c in found:
        c.category = category
    return found


# ---------------------------------------------------------------------------------------------------------------
# Public and tracking-code views (no personal data)


def public_q() -> Q:
    """The one rule for what is public (public case list and page, ``nearby``, Open311): a case whose category
    allows it and whose reporter did not ask for privacy (``is_public``), unless it was not accepted — a report
    rejected as invalid is never public; a duplicate stays public, shown with a link to its original."""
    return Q(is_public=True) & (~Q(status=Status.REJECTED) | Q(duplicate_of__isnull=False))


def public_original(row: dict) -> str:
    """The reference of a public duplicate's original, when that original is public too ("" otherwise)."""
    if row.get("duplicate_of_id") and row.get("duplicate_of__is_public") and \
            row.get("duplicate_of__status") != Status.REJECTED:
        return row.get("duplicate_of__reference") or ""
    return ""


def _public_qs():
    return Case.objects.filter(public_q())


def public_case_list(*, actor=None, status=None, category=None, date_from=None, date_to=None) -> QuerySet:
    """Public cases as dicts of public fields only (category, status, rounded position, dates, public summary)."""
    qs = _public_qs()
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(Q(category__code=category) | Q(category__parent__code=category))
    if date_from:
        qs = qs.filter(reported_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(reported_at__date__lte=date_to)
    return qs.order_by("-reported_at", "-id").values(*PUBLIC_FIELDS)


def public_case_get(*, actor=None, pk) -> dict:
    row = _public_qs().filter(pk=pk).values(*PUBLIC_FIELDS).first()
    if row is None:
        raise NotFound("事件不存在或未公开", "Case not found")
    row["timeline"] = _public_timeline(pk)
    reference = public_original(row)
    row["original"] = {"id": row["duplicate_of_id"], "reference": reference} if reference else None
    return row


def _public_timeline(pk) -> list[dict]:
    """The moves the public may see, oldest first, each with its transition verb (either spelling on the row)."""
    rows = list(Event.objects.filter(object_type="cases.case", object_id=str(pk), verb__in=PUBLIC_EVENT_VERBS)
                .order_by("at", "id").values("at", "verb", "from_state", "to_state"))
    for row in rows:
        row["verb"] = table_verb(row["verb"])
    return rows


def tracking_lookup(*, actor=None, code: str) -> dict:
    """What the holder of a tracking code sees: public fields, their own title, the status timeline, rating state."""
    from .services import normalize_tracking_code

    code = normalize_tracking_code(code)
    if len(code) < 10:
        raise NotFound("查询码无效", "Unknown tracking code")
    case = Case.objects.select_related("category").filter(tracking_code=code).first()
    if case is None:
        raise NotFound("查询码无效", "Unknown tracking code")
    rated = Rating.objects.filter(case=case, round=case.rating_round).exists()
    return {
        "id": case.pk, "reference": case.reference, "title": case.title, "category__code": case.category.code,
        "category__name": case.category.name, "status": case.status, "reported_at": case.reported_at,
        "accepted_at": case.accepted_at, "handled_at": case.handled_at, "closed_at": case.closed_at,
        "public_summary": case.public_summary,
        "can_rate": case.status == Status.CLOSED and not rated,
        "timeline": _public_timeline(case.pk),
    }


# Counters for people.dissolution (called inside organization_dissolve, which has checked the actor).


def open_assignments(organization, on) -> int:
    from .models import Assignment
    from .states import OPEN_ASSIGNMENT_STATUSES

    return Assignment.objects.filter(organization=organization, active=True,
                                     status__in=OPEN_ASSIGNMENT_STATUSES).count()
