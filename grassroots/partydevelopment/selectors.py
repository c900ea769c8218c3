"""The only readers of development cases. The branch's secretary and 党务工作者 (and the region's party staff) see
their branch's pipeline; the committee above sees its subtree and where cases wait; the applicant sees their own.
Out of scope is missing (NotFound)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from grassroots.core import clock
from grassroots.core.errors import NotFound
from grassroots.core.scope import PATH_END, scope_for
from grassroots.party import selectors as party_selectors

from . import rules
from .models import DevelopmentCase, DevelopmentStep
from .states import OPEN_STAGES, STEPS, UPPER_STEPS, Stage


def _q(actor) -> Q:
    scope = scope_for(actor)
    q = Q(branch__in=party_selectors.staff_org_ids(actor))
    if scope.person_id:
        q |= Q(person_id=scope.person_id)
    return q


def case_list(*, actor, stage: str = "", org=None, q: str = "", waiting: str = "", due: dt.date | None = None):
    """Cases in scope; ``waiting`` = ``upper`` (next step is the committee's) or ``branch``; ``due``: the next step
    is possible on that day and waits on the branch (``steps_due_q``)."""
    qs = DevelopmentCase.objects.filter(_q(actor)).select_related("person", "branch")
    if stage:
        qs = qs.filter(stage=stage)
    if org is not None:
        qs = qs.filter(branch__path__gte=org.path, branch__path__lt=org.path + PATH_END)
    if q:
        qs = qs.filter(person__name__icontains=q.strip())
    if waiting:
        upper = Q(last_step__in=[n - 1 for n in sorted(UPPER_STEPS)])
        qs = qs.filter(stage__in=OPEN_STAGES).filter(upper if waiting == "upper" else ~upper)
    if due is not None:
        qs = qs.filter(steps_due_q(due))
    return qs.order_by("branch__path", "-applied_on", "-pk")


def case_detail(*, actor, pk: int) -> DevelopmentCase:
    row = DevelopmentCase.objects.filter(_q(actor)).select_related("person", "branch", "membership").filter(
        pk=pk).first()
    if row is None:
        raise NotFound("发展记录不存在", "Development case not found")
    return row


def case_for_attachment(actor, object_id):
    return case_detail(actor=actor, pk=int(object_id))


def case_steps(*, actor, case: DevelopmentCase):
    """Recorded steps of a case obtained from ``case_detail`` with the same actor."""
    return DevelopmentStep.objects.filter(case=case).select_related("recorded_by", "document").order_by("number")


def pipeline(*, actor, org=None) -> list[dict]:
    """Per branch: open cases per stage (one aggregate query)."""
    qs = case_list(actor=actor, org=org).filter(stage__in=OPEN_STAGES).order_by()
    rows = (qs.values("branch_id", "branch__name", "branch__path")
            .annotate(**{s: Count("pk", filter=Q(stage=s)) for s in OPEN_STAGES},
                      upper=Count("pk", filter=Q(last_step__in=[n - 1 for n in sorted(UPPER_STEPS)])))
            .order_by("branch__path"))
    return list(rows)


def next_step_due(case: DevelopmentCase, today: dt.date | None = None) -> dict | None:
    """The case's next step with its clock: the earliest and latest dates where the rules set them."""
    number = case.next_step
    if number is None:
        return None
    today = today or clock.today()
    earliest = latest = None
    if number == 2:
        latest = rules.talk_deadline(case.applied_on)
    elif number == 7 and case.activist_on:
        earliest = rules.candidate_earliest(case.activist_on)
    elif number == 17 and case.vote_on:
        latest = rules.approval_deadlines(case.vote_on)[1]
    elif number == 23 and case.probation_ends:
        earliest = case.probation_ends
    return {"number": number, "label": STEPS[number].label, "upper": number in UPPER_STEPS,
            "earliest": earliest, "latest": latest, "ready": earliest is None or earliest <= today,
            "late": latest is not None and latest < today}


def steps_due_q(today: dt.date) -> Q:
    """Open cases whose next step is now possible and waits on the branch: talks due, activists of a year,
    probations ended (as one filter, for the workbench's count)."""
    year_ago = rules.add_years(today, -1)
    return Q(stage__in=OPEN_STAGES) & (
        Q(last_step=1) | (Q(last_step=6) & Q(activist_on__lte=year_ago))
        | (Q(last_step=22) & Q(probation_ends__lte=today)))


def my_cases(*, actor):
    scope = scope_for(actor)
    if not scope.person_id:
        return DevelopmentCase.objects.none()
    return DevelopmentCase.objects.filter(person_id=scope.person_id).select_related("branch")


__all__ = ["Stage"]
