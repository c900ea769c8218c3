"""The only readers of dues data. Every function that shows records takes ``actor=``.

Visibility: the party posts and party staff see the bills, bases and reductions of the organisations they see in
the register (``party.selectors.staff_org_ids``: their organisation and those under it); a member sees their own.
Out of scope is missing (NotFound).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max, Min, Q, Sum

from grassroots.core.errors import NotFound
from grassroots.core.scope import PATH_END, scope_for
from grassroots.party import selectors as party_selectors

from .models import DuesBase, DuesBill, DuesCategory, DuesReduction
from .states import BillStatus, ReductionStatus


def last_paid_months(person_ids) -> dict[int, dt.date | None]:
    """The latest month (its first day) each person paid dues for; None for a person with no paid bill.
    One query; used by organisational life's "six months without organisational life or dues" alert."""
    ids = sorted({int(i) for i in person_ids})
    found = dict(DuesBill.objects.filter(person_id__in=ids, status=BillStatus.PAID).order_by()
                 .values("person_id").annotate(m=Max("month")).values_list("person_id", "m"))
    return {i: found.get(i) for i in ids}


def arrears_by_person(person_ids, *, before: dt.date) -> dict[int, tuple[dt.date, int]]:
    """{person id: (the oldest month still open, the number of open months)} for the persons with open bills for
    months before ``before``. One query; organisational life's arrears reminder reads it."""
    ids = sorted({int(i) for i in person_ids})
    rows = (DuesBill.objects.filter(person_id__in=ids, status=BillStatus.OPEN, month__lt=before).order_by()
            .values("person_id").annotate(oldest=Min("month"), n=Count("pk"))
            .values_list("person_id", "oldest", "n"))
    return {pid: (oldest, n) for pid, oldest, n in rows}


def categories():
    return DuesCategory.objects.filter(active=True).order_by("order", "code")


def category_by_code(code: str) -> DuesCategory | None:
    return DuesCategory.objects.filter(code=code, active=True).first()


def _scope_q(actor, org_field: str = "org") -> Q:
    scope = scope_for(actor)
    q = Q(**{f"{org_field}__in": party_selectors.staff_org_ids(actor)})
    if scope.person_id:
        q |= Q(person_id=scope.person_id)
    return q


def bill_list(*, actor, org=None, month: dt.date | None = None, status: str = "", q: str = "", year: int | None = None):
    qs = DuesBill.objects.filter(_scope_q(actor)).select_related("person", "org", "category")
    if org is not None:
        qs = qs.filter(org__path__gte=org.path, org__path__lt=org.path + PATH_END)
    if month is not None:
        qs = qs.filter(month=month)
    if year:
        qs = qs.filter(month__year=year)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(person__name__icontains=q) | Q(receipt_no__icontains=q))
    return qs.order_by("-month", "org__path", "person__name", "pk")


def bill_detail(*, actor, pk: int) -> DuesBill:
    row = DuesBill.objects.filter(_scope_q(actor)).select_related("person", "org", "category").filter(pk=pk).first()
    if row is None:
        raise NotFound("党费账单不存在", "Dues bill not found")
    return row


def arrears(*, actor, before: dt.date, org=None):
    """Open bills for months before ``before`` (the current month's bill is not yet in arrears)."""
    qs = bill_list(actor=actor, org=org, status=BillStatus.OPEN).filter(month__lt=before)
    return qs


def my_bills(*, actor):
    scope = scope_for(actor)
    if not scope.person_id:
        return DuesBill.objects.none()
    return DuesBill.objects.filter(person_id=scope.person_id).select_related("org", "category").order_by("-month")


def base_history(*, actor, person_id: int):
    scope = scope_for(actor)
    visible = DuesBill.objects.filter(_scope_q(actor), person_id=person_id).exists() or (
        scope.person_id == person_id) or party_selectors.member_visible(actor=actor, person_id=person_id)
    if not visible:
        raise NotFound("党员不存在", "Member not found")
    return DuesBase.objects.filter(person_id=person_id).select_related("category").order_by("-valid_from", "-pk")


def current_base(person_id: int, month: dt.date) -> DuesBase | None:
    return (DuesBase.objects.filter(person_id=person_id, valid_from__lte=month).select_related("category")
            .order_by("-valid_from", "-pk").first())


def reduction_list(*, actor, status: str = "", org=None):
    qs = DuesReduction.objects.filter(_scope_q(actor)).select_related("person", "org")
    if status:
        qs = qs.filter(status=status)
    if org is not None:
        qs = qs.filter(org__path__gte=org.path, org__path__lt=org.path + PATH_END)
    return qs.order_by("-created_at", "-pk")


def reduction_detail(*, actor, pk: int) -> DuesReduction:
    row = DuesReduction.objects.filter(_scope_q(actor)).select_related("person", "org").filter(pk=pk).first()
    if row is None:
        raise NotFound("减免申请不存在", "Reduction not found")
    return row


def reductions_to_approve(*, actor):
    """Proposed reductions the actor may decide (``permissions.can_approve_reduction``): those of organisations
    strictly under the actor's committees, read by path ranges; all of them for the zone's party staff; the
    region's party staff check their few remaining rows one by one."""
    from grassroots.core import roles as R
    from grassroots.core.scope import paths_q
    from grassroots.party.permissions import PARTY_STAFF_ROLES, is_zone_level

    from . import permissions

    proposed = reduction_list(actor=actor, status=ReductionStatus.PROPOSED)
    if actor is None or is_zone_level(actor, PARTY_STAFF_ROLES):
        return proposed
    scope = scope_for(actor)
    below = paths_q("org__path", scope.party_paths_for(R.Role.PARTY_COMMITTEE_OFFICER), below=True)
    if not scope.paths_for(*PARTY_STAFF_ROLES):
        return proposed.filter(below)
    ids = [r.pk for r in proposed.exclude(below) if permissions.can_approve_reduction(actor, r.org)]
    return proposed.filter(below | Q(pk__in=ids))


def yearly_summary(*, actor, year: int, org=None) -> list[dict]:
    """Per organisation and year: members billed, amount due, paid, open, waived."""
    qs = bill_list(actor=actor, org=org, year=year).order_by()
    rows = (qs.values("org_id", "org__name", "org__path")
            .annotate(members=Count("person_id", distinct=True), bills=Count("pk"), due=Sum("amount"),
                      paid=Sum("paid_amount", filter=Q(status=BillStatus.PAID)),
                      open=Sum("amount", filter=Q(status=BillStatus.OPEN)),
                      open_bills=Count("pk", filter=Q(status=BillStatus.OPEN)),
                      waived=Count("pk", filter=Q(status=BillStatus.WAIVED)))
            .order_by("org__path"))
    return list(rows)
