"""What Open311 clients may read: the active categories, and public cases with their public fields only.

Every function takes ``actor=`` like any selector; Open311 readers are anonymous, so they see exactly what the
public sees (docs/personal-data.md § What is public): category, status, rounded position, dates and the staff-written public
summary — never the reporter's own text, name or contact. What is public is one rule, ``selectors.public_q``
(the public case list uses it too): a rejected report is not public, a duplicate is, with its original named.
"""

from __future__ import annotations

import datetime as dt

from grassroots.core import events as event_log
from grassroots.core.errors import NotFound

from ..models import Assignment, Case, Category
from ..selectors import public_q
from ..states import AssignmentRole, Status, event_verb, table_verb

MAX_ROWS = 1000
CLOSED_STATUSES = (Status.CLOSED, Status.REJECTED)


def jurisdictions(*, actor) -> set[str]:
    from grassroots.territory.models import Region

    return set(Region.objects.filter(level="zone", active=True).values_list("code", flat=True))


def service_list(*, actor) -> list[Category]:
    return list(Category.objects.filter(active=True, parent__isnull=False).select_related("parent")
                .order_by("sort_order", "code"))


def service_get(*, actor, code: str) -> Category:
    category = Category.objects.filter(active=True, parent__isnull=False, code=code).select_related(
        "parent").first()
    if category is None:
        raise NotFound("服务类别不存在", f"Unknown service_code {code}")
    return category


def request_list(*, actor, references: list[str] | None = None, codes: list[str] | None = None,
                 start: dt.datetime | None = None, end: dt.datetime | None = None,
                 status: list[str] | None = None, limit: int = MAX_ROWS) -> list[Case]:
    cases = Case.objects.filter(public_q()).select_related("category", "region", "duplicate_of")
    if references:
        cases = cases.filter(reference__in=references)
    else:
        if codes:
            cases = cases.filter(category__code__in=codes)
        if start is not None:
            cases = cases.filter(reported_at__gte=start)
        if end is not None:
            cases = cases.filter(reported_at__lte=end)
        if status:
            wanted = set(status)
            if wanted == {"open"}:
                cases = cases.exclude(status__in=CLOSED_STATUSES)
            elif wanted == {"closed"}:
                cases = cases.filter(status__in=CLOSED_STATUSES)
    return list(cases.order_by("-reported_at", "-id")[:limit])


def request_get(*, actor, reference: str) -> Case:
    case = Case.objects.filter(public_q(), reference=reference).select_related("category", "region",
                                                                             "duplicate_of").first()
    if case is None:
        raise NotFound("事件不存在或未公开", f"No public service request {reference}")
    return case


def request_for_token(*, actor, token: str) -> Case:
    case = Case.objects.filter(tracking_code=token).only("reference", "tracking_code").first()
    if case is None:
        raise NotFound("查询码不存在", f"Unknown token {token}")
    return case


def lead_units(*, actor, cases: list[Case]) -> dict[int, str]:
    """Case id → name of its active lead unit, for ``agency_responsible`` (one query)."""
    rows = Assignment.objects.filter(case_id__in=[c.pk for c in cases], role=AssignmentRole.LEAD,
                                     active=True).values_list("case_id", "organization__name")
    return dict(rows)


def region_names(*, actor, cases: list[Case]) -> dict[int, str]:
    """Case id → "街道 社区 网格" of its region (public, coarse address), one query for the ancestors."""
    from grassroots.territory.models import Region

    paths: set[str] = set()
    for case in cases:
        parts = [p for p in case.region_path.split("/") if p]
        paths.update("/" + "/".join(parts[: i + 1]) + "/" for i in range(1, len(parts)))
    names = dict(Region.objects.filter(path__in=sorted(paths)).values_list("path", "name"))
    result = {}
    for case in cases:
        parts = [p for p in case.region_path.split("/") if p]
        chain = ["/" + "/".join(parts[: i + 1]) + "/" for i in range(1, len(parts))]
        result[case.pk] = " ".join(names[p] for p in chain if p in names)
    return result


def updates(*, actor, start: dt.datetime, end: dt.datetime, verbs, limit: int = MAX_ROWS) -> list[tuple]:
    """(event id, case reference, transition verb, to_state, at) of public cases' moves by ``verbs`` (transition
    verbs; rows of either spelling, ``core.events.verbs``) in the window, oldest first."""
    from grassroots.core.models import Event

    spellings = event_log.verbs(*map(event_verb, verbs))
    events = list(Event.objects.filter(object_type="cases.case", at__gte=start, at__lte=end, outcome="success",
                                       verb__in=spellings)
                  .order_by("at", "id").values_list("id", "object_id", "verb", "to_state", "at")[: limit * 4])
    ids = {int(e[1]) for e in events if e[1].isdigit()}
    public = dict(Case.objects.filter(public_q(), pk__in=sorted(ids)).values_list("pk", "reference"))
    result = []
    for event_id, object_id, verb, to_state, at in events:
        if object_id.isdigit() and int(object_id) in public:
            result.append((event_id, public[int(object_id)], table_verb(verb), to_state, at))
            if len(result) >= limit:
                break
    return result
