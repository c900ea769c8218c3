"""The KPI counters with aggregate SQL (one GROUP BY query per family of counters) over cases, assignments and
ratings: the direct computation, exact for any period, channel and moment; the live rollup groups the same queries
by block and month (``rollup``)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, F, Q
from django.db.models.functions import Substr

from grassroots.cases.models import Assignment, Case, Rating
from grassroots.cases.states import AssignmentRole, AssignmentStatus, Channel, Satisfaction, Status
from grassroots.core.scope import scope_for
from grassroots.territory.models import Region

from .kpis import COUNTERS, REGION_DEPTH, VIEW_ROLES, Period


def path_length(unit_kind: str) -> int | None:
    levels = {"subdistrict": ["subdistrict"], "community": ["community", "village", "park"], "grid": ["grid"]}
    path = Region.objects.filter(level__in=levels[unit_kind]).values_list("path", flat=True).first()
    return len(path) if path else None


def grouped(queryset, keys: dict, flat: bool, aggregates: dict) -> list:
    """One GROUP BY query: dict rows, or with ``flat`` one ``(counter names, [(*keys, *counters) tuples])`` pair
    (tuples skip the per-row dict building; the rollup reads them column-wise)."""
    queryset = queryset.annotate(**keys).values(*keys).annotate(**aggregates).order_by()
    if not flat:
        return list(queryset)
    # The SQL of the values_list query, read with a plain cursor: no per-row converters (every column is an
    # integer or a string, see ``rollup._month_expr``).
    from django.db import connections

    names = (*keys, *aggregates)
    sql, params = queryset.values_list(*names).query.get_compiler(using=queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        if [c[0] for c in cursor.description] != list(names):
            raise RuntimeError(f"unexpected columns {cursor.description!r}")
        return [(tuple(aggregates), cursor.fetchall())]


def case_counters(cases, keys: dict, as_of, flat: bool = False) -> list:
    """Counters for cases grouped by ``keys`` (name → expression), one GROUP BY query."""
    decided = Q(accepted_at__lte=as_of) | Q(rejected_at__lte=as_of) | Q(resolved_on_site=True,
                                                                      first_handled_at__lte=as_of)
    on_time_decision = (Q(accepted_at__lte=F("accept_due")) | Q(rejected_at__lte=F("accept_due"))
                        | Q(resolved_on_site=True, first_handled_at__lte=F("accept_due")))
    handled = Q(handled_at__lte=as_of, handle_due__isnull=False)
    open_overdue = Q(handled_at__isnull=True, handle_due__lte=as_of) & ~Q(status=Status.REJECTED)
    closed = Q(status=Status.CLOSED, closed_at__lte=as_of)
    return grouped(cases, keys, flat, dict(
        accept_on_time=Count("id", filter=decided & on_time_decision),
        accept_due=Count("id", filter=decided | Q(accept_due__lte=as_of)),
        handle_on_time=Count("id", filter=handled & Q(handled_at__lte=F("handle_due"))),
        handle_due=Count("id", filter=handled | open_overdue),
        closed=Count("id", filter=closed & (Q(accepted_at__isnull=False) | Q(resolved_on_site=True))),
        led=Count("id", filter=Q(accepted_at__lte=as_of) | Q(resolved_on_site=True, first_handled_at__lte=as_of)),
        reworked=Count("id", filter=Q(handled_at__lte=as_of, rework_count__gt=0)),
        handled=Count("id", filter=Q(handled_at__lte=as_of)),
        closed_on_site=Count("id", filter=closed & Q(resolved_on_site=True)),
        closed_in_community=Count("id", filter=closed & Q(reached_above_community=False)),
        closed_reported=Count("id", filter=closed),
    ))


def ack_counters(assignments, keys: dict, as_of, flat: bool = False) -> list:
    """响应率's counters over assignments (lead or co-handler, every dispatch round), grouped by ``keys``: each
    assignment dispatched by ``as_of`` is due once acknowledged or once its deadline passed, and on time when
    acknowledged by its own deadline. One that ended unacknowledged before its deadline (the case was escalated or
    taken back first) was never due; one that ended after its deadline unacknowledged keeps its miss. Regions
    count the assignments of the cases reported in them, so a case escalated away keeps the first unit's miss."""
    ended_early = Q(acknowledged_at__isnull=True, ended_at__isnull=False, ended_at__lt=F("acknowledge_due"))
    return grouped(assignments.filter(dispatched_at__lte=as_of).exclude(ended_early), keys, flat, dict(
        ack_on_time=Count("id", filter=Q(acknowledged_at__lte=as_of)
                          & Q(acknowledged_at__lte=F("acknowledge_due"))),
        ack_due=Count("id", filter=Q(acknowledged_at__lte=as_of) | Q(acknowledge_due__lte=as_of)),
    ))


def rating_counters(ratings, keys: dict, as_of, flat: bool = False) -> list:
    """Rated / resolved / satisfied: the rating of each case's current round, given by ``as_of``."""
    good = [Satisfaction.SATISFIED, Satisfaction.BASICALLY]
    return grouped(ratings.filter(round=F("case__rating_round"), rated_at__lte=as_of), keys, flat, dict(
        rated=Count("case_id", distinct=True),
        resolved=Count("case_id", distinct=True, filter=Q(resolved=True)),
        satisfied=Count("case_id", distinct=True, filter=Q(satisfaction__in=good)),
    ))


def department_rows(assignments: Q, ratings: Q, keys: dict, rating_keys: dict, as_of, flat: bool = False) -> list:
    """Department counters grouped by ``keys`` over the assignments matching ``assignments`` (``flat``: see
    ``_grouped``; the rating rows' key columns, named by ``rating_keys``, come in the order of ``keys``)."""
    rows: list = []
    # 响应率: every assignment (lead or co-handler), ``ack_counters``.
    rows += ack_counters(Assignment.objects.filter(assignments), keys, as_of, flat)
    # Case-level rates over the cases the unit led (a case led in two rounds counts once).
    leads = Assignment.objects.filter(assignments, role=AssignmentRole.LEAD)
    handled = Q(handled_at__lte=as_of, case__handle_due__isnull=False)
    open_overdue = (Q(handled_at__isnull=True, active=True, case__handle_due__lte=as_of)
                    & ~Q(case__status__in=[Status.REJECTED, Status.CLOSED]))
    rows += grouped(leads.exclude(status=AssignmentStatus.RETURNED), keys, flat, dict(
        handle_on_time=Count("case_id", distinct=True, filter=handled & Q(handled_at__lte=F("case__handle_due"))),
        handle_due=Count("case_id", distinct=True, filter=handled | open_overdue),
        reworked=Count("case_id", distinct=True, filter=Q(handled_at__lte=as_of, case__rework_count__gt=0)),
        handled=Count("case_id", distinct=True, filter=Q(handled_at__lte=as_of)),
    ))
    rows += grouped(leads, keys, flat, dict(
        led=Count("case_id", distinct=True),
        closed=Count("case_id", distinct=True, filter=Q(case__status=Status.CLOSED, case__closed_at__lte=as_of)),
    ))
    rated = rating_counters(Rating.objects.filter(ratings & Q(case__assignments__role=AssignmentRole.LEAD)),
                             rating_keys, as_of, flat)
    if flat:
        return rows + rated
    for row in rated:
        rows.append({**{k: row.pop(r) for k, r in zip(keys, rating_keys, strict=True)}, **row})
    return rows


def _merge(rows: list[dict], key_names) -> dict:
    result: dict = defaultdict(dict)
    for row in rows:
        key = tuple(row.pop(k) for k in key_names)
        result[key if len(key) > 1 else key[0]].update(row)
    return result


def direct_counters(actor, unit_kind: str, period: Period, as_of, channel: str, units: dict) -> dict:
    if unit_kind == "department":
        org_ids = sorted(units)
        window = Q(dispatched_at__gte=period.start_at, dispatched_at__lt=period.end_at, dispatched_at__lte=as_of,
                   organization_id__in=org_ids)
        rating_window = Q(case__assignments__organization_id__in=org_ids,
                          case__assignments__dispatched_at__gte=period.start_at,
                          case__assignments__dispatched_at__lt=period.end_at,
                          case__assignments__dispatched_at__lte=as_of)
        if channel:
            window &= Q(case__channel=channel)
            rating_window &= Q(case__channel=channel)
        rows = department_rows(window, rating_window, {"unit": F("organization_id")},
                                {"r_unit": F("case__assignments__organization_id")}, as_of)
        return _merge(rows, ["unit"])
    in_period = Q(reported_at__gte=period.start_at, reported_at__lt=period.end_at, reported_at__lte=as_of)
    if channel:
        in_period &= Q(channel=channel)
    cases = Case.objects.filter(in_period)
    # the assignments of those cases (响应率 counts assignments), filtered on their case the same way
    assignments = Assignment.objects.filter(case__reported_at__gte=period.start_at, case__reported_at__lt=period.end_at,
                                            case__reported_at__lte=as_of)
    if channel:
        assignments = assignments.filter(case__channel=channel)
    ratings = Rating.objects.filter(case__reported_at__gte=period.start_at, case__reported_at__lt=period.end_at,
                                    case__reported_at__lte=as_of)
    if channel:
        ratings = ratings.filter(case__channel=channel)
    if unit_kind in REGION_DEPTH:
        length = path_length(unit_kind)
        if length is None:
            return {}
        scope = scope_for(actor)
        cases = cases.filter(scope.region_q("region_path", roles=VIEW_ROLES))
        ratings = ratings.filter(scope.region_q("case__region_path", roles=VIEW_ROLES))
        assignments = assignments.filter(scope.region_q("case__region_path", roles=VIEW_ROLES))
        case_key, rating_key = Substr("region_path", 1, length), Substr("case__region_path", 1, length)
    elif unit_kind == "grid_worker":
        cases = cases.filter(reporter_id__in=sorted(units), channel=Channel.GRID_PATROL)
        ratings = ratings.filter(case__reporter_id__in=sorted(units), case__channel=Channel.GRID_PATROL)
        assignments = assignments.filter(case__reporter_id__in=sorted(units), case__channel=Channel.GRID_PATROL)
        case_key, rating_key = F("reporter_id"), F("case__reporter_id")
    else:  # channel
        case_key, rating_key = F("channel"), F("case__channel")
    return _merge(case_counters(cases, {"unit": case_key}, as_of)
                  + ack_counters(assignments, {"unit": rating_key}, as_of)
                  + rating_counters(ratings, {"unit": rating_key}, as_of), ["unit"])


def counters_for(*, actor, unit_kind: str, period: Period, as_of, channel: str, units: dict) -> dict:
    """{unit id: {counter: n}} for the given units (every counter present, 0 when nothing counts)."""
    if not units:
        return {}
    raw = direct_counters(actor, unit_kind, period, as_of, channel, units)
    return {unit: {c: raw.get(unit, {}).get(c, 0) for c in COUNTERS} for unit in units}
