"""The only readers of cooperatives; every one takes the actor (``None`` = the system).

A cooperative is visible to the staff of its village and the regions above, to holders of its posts (accountant,
board member, supervisor) and to its members (a person member, or the representative of a unit member), who see
only their own rows. Out of scope is missing (``NotFound``).
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, Sum

from grassroots.core import roles as R
from grassroots.core.errors import NotFound
from grassroots.core.scope import scope_for

from .models import (
    Contribution,
    Cooperative,
    CoopMember,
    Plan,
    PlanLine,
    ReserveShareEntry,
    SubsidyShare,
    Transaction,
)
from .permissions import READER_POSTS

ZERO = Decimal("0.00")


def _member_q(person_id, prefix: str = "") -> Q:
    return Q(**{f"{prefix}person_id": person_id}) | Q(**{f"{prefix}representative_id": person_id})


def coop_q(actor, field: str = "") -> Q:
    """Cooperatives the actor sees at all (``field`` is the path from the queried model to the cooperative)."""
    if actor is None:
        return Q()
    scope = scope_for(actor)
    if not scope.is_authenticated or scope.is_system:
        return Q(pk__in=[])
    pre = f"{field}__" if field else ""
    q = scope.region_q(f"{pre}region__path", roles=R.STAFF)
    orgs = scope.orgs_for(*READER_POSTS)
    if orgs:
        q |= Q(**{f"{pre}organization_id__in": orgs})
    if scope.person_id:
        members = CoopMember.objects.filter(_member_q(scope.person_id)).values("cooperative_id")
        q |= Q(**{f"{field}_id__in" if field else "pk__in": members})
    return q


def full_q(actor, field: str = "") -> Q:
    """Cooperatives whose books the actor reads in full (staff and the cooperative's posts)."""
    if actor is None:
        return Q()
    scope = scope_for(actor)
    if not scope.is_authenticated or scope.is_system:
        return Q(pk__in=[])
    pre = f"{field}__" if field else ""
    q = scope.region_q(f"{pre}region__path", roles=R.STAFF)
    orgs = scope.orgs_for(*READER_POSTS)
    if orgs:
        q |= Q(**{f"{pre}organization_id__in": orgs})
    return q


def cooperatives(*, actor, q: str = ""):
    qs = Cooperative.objects.filter(coop_q(actor)).select_related("organization", "region", "leading_branch")
    if q:
        qs = qs.filter(organization__name__icontains=q)
    return qs.order_by("organization__name", "id")


def cooperative(*, actor, pk) -> Cooperative:
    try:
        return cooperatives(actor=actor).get(pk=pk)
    except (Cooperative.DoesNotExist, ValueError, TypeError):
        raise NotFound("没有这个合作社", "No such cooperative") from None


def sees_all(actor, coop) -> bool:
    return Cooperative.objects.filter(full_q(actor), pk=coop.pk).exists()


def members(*, actor, coop, active_only: bool = False, q: str = ""):
    qs = CoopMember.objects.filter(cooperative=coop).select_related("person", "organization", "representative")
    if not sees_all(actor, coop):
        person_id = scope_for(actor).person_id if actor is not None else None
        qs = qs.filter(_member_q(person_id)) if person_id else qs.none()
    if active_only:
        qs = qs.filter(left_on__isnull=True)
    if q:
        qs = qs.filter(Q(person__name__icontains=q) | Q(organization__name__icontains=q))
    return qs.order_by("number", "id")


def member(*, actor, pk) -> CoopMember:
    try:
        m = CoopMember.objects.select_related("cooperative__organization", "cooperative__region", "person",
                                              "organization", "representative").get(pk=pk)
    except (CoopMember.DoesNotExist, ValueError, TypeError):
        raise NotFound("没有这个成员", "No such member") from None
    if not members(actor=actor, coop=m.cooperative).filter(pk=m.pk).exists():
        raise NotFound("没有这个成员", "No such member")
    return m


def my_memberships(*, actor):
    scope = scope_for(actor)
    if not scope.person_id:
        return CoopMember.objects.none()
    return (CoopMember.objects.filter(_member_q(scope.person_id))
            .select_related("cooperative__organization", "organization", "person").order_by("cooperative_id", "number"))


def account(m: CoopMember, *, year: int | None = None) -> dict:
    """A member account (成员账户): contribution, reserve share and transactions (of ``year`` or all years)."""
    contribution = Contribution.objects.filter(member=m).aggregate(s=Sum("amount"))["s"] or ZERO
    shares = Contribution.objects.filter(member=m).aggregate(s=Sum("shares"))["s"] or ZERO
    reserve = ReserveShareEntry.objects.filter(member=m).aggregate(s=Sum("amount"))["s"] or ZERO
    subsidy = SubsidyShare.objects.filter(member=m).aggregate(s=Sum("amount"))["s"] or ZERO
    tx = Transaction.objects.filter(member=m)
    if year:
        tx = tx.filter(occurred_on__year=year)
    out = {"contribution": contribution, "shares": shares, "reserve_share": reserve, "subsidy_share": subsidy,
           "transactions": tx.aggregate(s=Sum("amount"))["s"] or ZERO}
    return {k: Decimal(v).quantize(ZERO) for k, v in out.items()}


def plans(*, actor, coop=None, status: str = ""):
    qs = Plan.objects.filter(coop_q(actor, "cooperative")).select_related("cooperative__organization")
    if actor is not None:  # members see a plan once it is published, never the trial
        qs = qs.filter(full_q(actor, "cooperative") | ~Q(status=Plan.Status.TRIAL))
    if coop is not None:
        qs = qs.filter(cooperative=coop)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-year", "-id")


def plan(*, actor, pk) -> Plan:
    try:
        return plans(actor=actor).get(pk=pk)
    except (Plan.DoesNotExist, ValueError, TypeError):
        raise NotFound("没有这个分配方案", "No such plan") from None


def plan_lines(*, actor, plan: Plan):
    qs = PlanLine.objects.filter(plan=plan).select_related("member__person", "member__organization")
    if not sees_all(actor, plan.cooperative):
        person_id = scope_for(actor).person_id if actor is not None else None
        qs = qs.filter(_member_q(person_id, "member__")) if person_id else qs.none()
    return qs.order_by("member__number")


def unit_member_payouts(*, organization, year: int, actor=None) -> list[dict]:
    """What a unit member (an organisation, e.g. the village collective) received from each cooperative's
    distribution of ``year``: the lines of paid plans (the members' assembly passed them and the payout is
    recorded). Amounts are Decimal to the fen; ``actor=None`` reads as the system."""
    lines = (PlanLine.objects.filter(member__organization=organization, plan__year=year,
                                     plan__status=Plan.Status.PAID)
             .filter(coop_q(actor, "plan__cooperative"))
             .select_related("plan__cooperative__organization").order_by("plan__cooperative_id", "id"))
    return [{"cooperative": ln.plan.cooperative, "plan": ln.plan, "paid_on": ln.paid_on,
             "refund": ln.refund, "by_basis": ln.by_basis, "cash": ln.cash,
             "reserve_share_added": ln.reserve_share_added} for ln in lines]


def accounts_of(coop) -> dict[int, dict]:
    """Every member's account of a cooperative with one aggregate query per figure (for lists and exports)."""
    out: dict[int, dict] = {}

    def add(qs, field, key):
        for row in qs.values("member_id").annotate(s=Sum(field)).order_by():
            out.setdefault(row["member_id"], {})[key] = Decimal(row["s"] or 0).quantize(ZERO)

    add(Contribution.objects.filter(member__cooperative=coop), "amount", "contribution")
    add(Contribution.objects.filter(member__cooperative=coop), "shares", "shares")
    add(ReserveShareEntry.objects.filter(member__cooperative=coop), "amount", "reserve_share")
    add(SubsidyShare.objects.filter(member__cooperative=coop), "amount", "subsidy_share")
    return out


def posts_of(coop) -> list:
    """The cooperative's accountant, board members and supervisors (posts on its organisation)."""
    from grassroots.core.scope import active_posts_q
    from grassroots.people.models import Post

    return list(Post.objects.filter(active_posts_q(), organization_id=coop.organization_id,
                                    role__in=READER_POSTS).select_related("user").order_by("role", "id"))


def waiting_plans(*, actor, status: str):
    """Plans the actor keeps waiting at a step (trial → publish, noticed → decide, approved → pay)."""
    return plans(actor=actor).filter(full_q(actor, "cooperative")).filter(status=status)


def notices_ending(*, actor, until, now) -> int:
    """Published plans whose notice ends between ``now`` and ``until`` (one query)."""
    from django.contrib.contenttypes.models import ContentType

    from grassroots.notices.models import Notice

    ids = plans(actor=actor, status=Plan.Status.NOTICED).values("pk")
    return Notice.objects.filter(kind="coop_distribution", subject_type=ContentType.objects.get_for_model(Plan),
                                 subject_id__in=ids, ends_at__gt=now, ends_at__lte=until).count()
