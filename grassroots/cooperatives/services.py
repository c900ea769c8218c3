"""The only writers of cooperatives: register a cooperative and adopt its charter; members join and leave (the law's
limits checked); contributions, transactions, subsidies and reserve shares are booked; the year's plan goes from the
trial to the notice, the members' assembly and the payout. Every write is one transaction with an event.
docs/rules/cooperatives.md.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from grassroots.core import bulk, clock, events
from grassroots.core import exports as ex
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed
from grassroots.core.transitions import compare_and_set
from grassroots.notices import services as notice_services
from grassroots.people.models import Organization, Person
from grassroots.rolls import services as roll_services
from grassroots.rolls import votes as V
from grassroots.rolls.models import RollKind

from . import distribution as D
from .models import (
    Charter,
    Contribution,
    ContributionKind,
    Cooperative,
    CoopMember,
    MemberKind,
    Plan,
    PlanLine,
    QuantifiedBy,
    ReserveShareEntry,
    Subsidy,
    SubsidyShare,
    Transaction,
)
from .permissions import can_keep, can_register
from .states import STATUS_LABELS, TRANSITIONS

NOTICE_KIND = "coop_distribution"
# Units with public-affairs duties may not join (农民专业合作社法 art. 19): offices, committees, agencies.
PUBLIC_DUTY_KINDS = ("department", "subdistrict_office", "residents_committee", "village_committee", "agency")
FOUNDERS_MIN = 5
QUORUM = V.Threshold(2, 3, strict=False)        # at least two thirds of the members present
MAJORITY = V.Threshold(1, 2, strict=True)       # more than half of all members' votes
SPECIAL = V.Threshold(2, 3, strict=False)       # charter, merger, split, dissolution: two thirds of all votes


def _keeper(actor, coop: Cooperative) -> None:
    if not can_keep(actor, coop):
        raise NotPermitted("合作社的账目由其会计、理事和村（社区）工作人员维护",
                           "The cooperative's accountant, board and village staff keep its books")


def _dec(value, field: str, *, positive: bool = False, allow_zero: bool = True) -> Decimal:
    try:
        if isinstance(value, float):
            value = str(value)
        number = Decimal(str(value).strip().replace(",", "")) if value not in (None, "") else None
    except (InvalidOperation, TypeError):
        number = None
    if number is None or not number.is_finite():
        raise ValidationFailed("请填写金额", "Enter an amount", field=field)
    if number < 0 or (positive and number == 0) or (not allow_zero and number == 0):
        raise ValidationFailed("金额须大于0" if positive else "金额不能为负数",
                               "The amount must be positive" if positive else "The amount cannot be negative",
                               field=field)
    if number != number.quantize(D.FEN):
        raise ValidationFailed("金额最多两位小数（到分）", "At most two decimals (fen)", field=field)
    if number >= Decimal("1e12"):
        raise ValidationFailed("金额过大", "The amount is too large", field=field)
    return number.quantize(D.FEN)


def _rate(value, field: str, minimum: Decimal = Decimal("0")) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, TypeError):
        number = None
    if number is None or not number.is_finite() or not minimum <= number <= 1:
        if minimum > 0:
            raise ValidationFailed(f"比例须在{minimum:.0%}至100%之间（小数，如0.60）",
                                   f"The rate must be from {minimum:.0%} to 100% (a decimal such as 0.60)", field=field)
        raise ValidationFailed("比例须在0至1之间（小数，如0.10）", "The rate must be from 0 to 1 (a decimal such as 0.10)",
                               field=field)
    return number.quantize(Decimal("0.0001"))


# --- cooperative and charter -------------------------------------------------------------------------------------


def cooperative_register(*, actor, organization: Organization, founded_on: dt.date, leading_branch=None,
                         business: str = "", greenhouses: int = 0, cumulative_income=0,
                         charter: dict | None = None) -> Cooperative:
    """Register a cooperative (an organisation of kind cooperative) with its first charter and its members' roll."""
    region = organization.region
    if region is None:
        raise ValidationFailed("合作社须登记所在村（社区）", "The cooperative needs its village", field="organization")
    if not can_register(actor, region):
        raise NotPermitted("合作社由所在村（社区）及以上工作人员登记", "Staff of the village and above register cooperatives")
    if organization.kind != Organization.Kind.COOPERATIVE:
        raise ValidationFailed("该组织不是合作社", "The organisation is not a cooperative", field="organization")
    if Cooperative.objects.filter(organization=organization).exists():
        raise Conflict("该合作社已登记", "The cooperative is already registered")
    with transaction.atomic():
        coop = Cooperative.objects.create(organization=organization, region=region, leading_branch=leading_branch,
                                          founded_on=founded_on, business=(business or "")[:200],
                                          greenhouses=int(greenhouses or 0),
                                          cumulative_income=_dec(cumulative_income, "cumulative_income"))
        coop.roll = roll_services.roll_create(actor=actor, kind=RollKind.COOP_MEMBERS, region=region,
                                              organization=organization) if actor is not None else _system_roll(coop)
        coop.save(update_fields=["roll"])
        events.record(actor, "cooperative.register", coop, to_state=coop.status,
                      payload={"organization": organization.pk, "region": region.pk})
        charter_adopt(actor=actor, coop=coop, adopted_on=founded_on, resolution="设立大会通过", **(charter or {}))
    return coop


def _system_roll(coop: Cooperative):
    from grassroots.rolls.models import Roll

    return Roll.objects.create(kind=RollKind.COOP_MEMBERS, name=f"{coop.organization.name}成员名册"[:100],
                               region=coop.region, organization=coop.organization)


def charter_adopt(*, actor, coop: Cooperative, adopted_on: dt.date | None = None, resolution: str = "",
                  reserve_rate="0.10", refund_rate="0.60", reserve_quantified_by: str = QuantifiedBy.TRANSACTIONS,
                  reserve_by_transactions_share="1", land_value_per_mu="8000", share_value="1",
                  labour_valuation: str = "全体成员评估作价，成员大会决议通过", extra_votes_rule: str = "") -> Charter:
    """A new version of the charter's economic rules. Refunds by transactions are at least 60% of the distributable
    surplus (art. 44)."""
    _keeper(actor, coop)
    if reserve_quantified_by not in QuantifiedBy.values:
        raise ValidationFailed("请选择公积金量化方式", "Choose how the reserve is quantified",
                               field="reserve_quantified_by")
    share = _rate(reserve_by_transactions_share, "reserve_by_transactions_share")
    if reserve_quantified_by == QuantifiedBy.TRANSACTIONS:
        share = Decimal("1")
    elif reserve_quantified_by == QuantifiedBy.CONTRIBUTIONS:
        share = Decimal("0")
    values = dict(reserve_rate=_rate(reserve_rate, "reserve_rate"),
                  refund_rate=_rate(refund_rate, "refund_rate", D.MIN_REFUND_RATE),
                  reserve_quantified_by=reserve_quantified_by, reserve_by_transactions_share=share,
                  land_value_per_mu=_dec(land_value_per_mu, "land_value_per_mu", positive=True),
                  share_value=_dec(share_value, "share_value", positive=True),
                  labour_valuation=(labour_valuation or "")[:200], extra_votes_rule=(extra_votes_rule or "")[:200])
    with transaction.atomic():
        charter = Charter.objects.create(cooperative=coop, adopted_on=adopted_on or clock.today(),
                                         resolution=(resolution or "")[:200], **values)
        events.record(actor, "charter.adopt", charter, payload={k: str(v) for k, v in values.items()})
    return charter


def charter_of(coop: Cooperative, on: dt.date | None = None) -> Charter:
    qs = coop.charters.all()
    if on is not None:
        qs = qs.filter(adopted_on__lte=on)
    charter = qs.order_by("-adopted_on", "-id").first() or coop.charters.order_by("adopted_on", "id").first()
    if charter is None:
        raise ValidationFailed("合作社尚无章程", "The cooperative has no charter", field="charter")
    return charter


# --- members -----------------------------------------------------------------------------------------------------


def register_counts(coop: Cooperative, *, on: dt.date | None = None, exclude_pk=None) -> dict:
    qs = CoopMember.objects.filter(cooperative=coop)
    if on is not None:
        qs = qs.filter(joined_on__lte=on).filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
    else:
        qs = qs.filter(left_on__isnull=True)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    counts = {"members": 0, "farmer": 0, "citizen": 0, "unit": 0, "extra_votes": 0}
    for kind, extra in qs.values_list("kind", "extra_votes"):
        counts["members"] += 1
        counts[kind] += 1
        counts["extra_votes"] += extra
    return counts


def limit_problems(counts: dict) -> list[tuple[str, str, str]]:
    """The register against the law's limits (art. 20 and the votes rule): farmers at least 80%; with 20 members or
    fewer at most one unit, above 20 units at most 5%; extra votes at most 20% of the basic votes. Checked once
    the register has the founders' minimum of five. Each problem: (field, zh, en)."""
    n = counts["members"]
    problems = []
    if n >= FOUNDERS_MIN and 5 * counts["farmer"] < 4 * n:
        problems.append(("kind", f"农民成员须占成员总数的80%以上（{counts['farmer']}/{n}）",
                         f"Farmers must be at least 80% of the members ({counts['farmer']}/{n})"))
    if n <= 20 and counts["unit"] > 1:
        problems.append(("kind", "成员总数20人以下的，单位成员不得超过一个",
                         "With 20 members or fewer, at most one member may be a unit"))
    if n > 20 and 20 * counts["unit"] > n:
        problems.append(("kind", f"成员总数超过20人的，单位成员不得超过成员总数的5%（{counts['unit']}/{n}）",
                         f"Above 20 members, units may be at most 5% of the members ({counts['unit']}/{n})"))
    if not D.extra_votes_ok(n, counts["extra_votes"]):
        problems.append(("extra_votes", f"附加表决权总票数不得超过成员基本表决权总票数的20%（{n} 名成员最多 {n // 5} 票）",
                         f"Extra votes may total at most 20% of the basic votes ({n} members allow {n // 5})"))
    return problems


def _raise_first(problems) -> None:
    if problems:
        field, zh, en = problems[0]
        raise ValidationFailed(zh, en, field=field)


def member_join(*, actor, coop: Cooperative, kind: str, person: Person | None = None,
                organization: Organization | None = None, representative: Person | None = None,
                joined_on: dt.date | None = None, extra_votes: int = 0, founder: bool = False) -> CoopMember:
    """A farmer, another person or a unit joins. Units with public duties are refused; the register after joining
    must keep the law's limits."""
    _keeper(actor, coop)
    joined_on = joined_on or clock.today()
    if kind not in MemberKind.values:
        raise ValidationFailed("请选择成员类型", "Choose the kind of member", field="kind")
    try:
        extra_votes = int(extra_votes or 0)
    except (TypeError, ValueError):
        extra_votes = -1
    if extra_votes < 0:
        raise ValidationFailed("附加表决权须为非负整数", "Extra votes must be a whole number, not negative",
                               field="extra_votes")
    if kind == MemberKind.UNIT:
        if organization is None:
            raise ValidationFailed("单位成员须选择单位", "A unit member needs its organisation", field="organization")
        if organization.kind in PUBLIC_DUTY_KINDS:
            raise ValidationFailed(f"具有管理公共事务职能的单位（{organization.get_kind_display()}）不得加入合作社",
                                   "Units with public-affairs duties may not join a cooperative", field="organization")
        if representative is None:
            raise ValidationFailed("单位成员须指定出席成员大会的代表", "A unit member needs its representative at the "
                                   "assembly", field="representative")
        if organization.pk == coop.organization_id:
            raise ValidationFailed("合作社不能成为自己的成员", "A cooperative cannot be its own member",
                                   field="organization")
        person = None
    else:
        if person is None:
            raise ValidationFailed("请选择成员", "Choose the member", field="person")
        if not person.active or person.deceased_on is not None:
            raise ValidationFailed(f"{person.name} 不在册", f"{person.name} is not on the register", field="person")
        organization, representative = None, None
    with transaction.atomic():
        Cooperative.objects.select_for_update().filter(pk=coop.pk).order_by().values_list("pk").first()
        same = CoopMember.objects.filter(cooperative=coop, left_on__isnull=True)
        if (person and same.filter(person=person).exists()) or (organization and same.filter(
                organization=organization).exists()):
            raise ValidationFailed("已是本社成员", "Already a member", field="person" if person else "organization")
        counts = register_counts(coop)
        counts["members"] += 1
        counts[kind] += 1
        counts["extra_votes"] += extra_votes
        _raise_first(limit_problems(counts))
        number = (CoopMember.objects.filter(cooperative=coop).order_by("-number").values_list("number", flat=True)
                  .first() or 0) + 1
        member = CoopMember.objects.create(cooperative=coop, number=number, kind=kind, person=person,
                                           organization=organization, representative=representative,
                                           joined_on=joined_on, extra_votes=extra_votes, founder=founder)
        voter = person or representative
        if voter is not None and coop.roll_id:
            if roll_services.RollEntry.objects.filter(roll_id=coop.roll_id, person=voter,
                                                      end_date__isnull=True).exists():
                raise ValidationFailed(f"{voter.name} 已代表其他成员在名册中", f"{voter.name} already stands for another "
                                       "member on the roll", field="representative")
            entry = roll_services.entry_add(actor=actor, roll=coop.roll, person=voter, start_date=joined_on,
                                            extra_votes=extra_votes) if actor is not None else _system_entry(
                coop, voter, joined_on, extra_votes)
            member.roll_entry = entry
            member.save(update_fields=["roll_entry"])
        events.record(actor, "coop_member.join", member, to_state="active",
                      payload={"cooperative": coop.pk, "number": number, "kind": kind, "extra_votes": extra_votes})
    return member


def _system_entry(coop, person, start, extra):
    from grassroots.rolls.models import RollEntry

    return RollEntry.objects.create(roll_id=coop.roll_id, person=person, start_date=start, extra_votes=extra)


def member_leave(*, actor, member: CoopMember, left_on: dt.date | None = None, reason: str = "") -> CoopMember:
    """A member leaves (退社): the row is closed, the roll entry ends; the account stays for the record."""
    coop = member.cooperative
    _keeper(actor, coop)
    left_on = left_on or clock.today()
    if not (reason or "").strip():
        raise ValidationFailed("请填写退社原因", "Give the reason", field="reason")
    if left_on < member.joined_on:
        raise ValidationFailed("退社日期早于入社日期", "The leaving date is before joining", field="left_on")
    with transaction.atomic():
        counts = register_counts(coop, exclude_pk=member.pk)
        problems = [p for p in limit_problems(counts) if p[0] == "kind" and member.kind == MemberKind.FARMER]
        _raise_first(problems)
        if not CoopMember.objects.filter(pk=member.pk, left_on__isnull=True).update(
                left_on=left_on, leave_reason=reason.strip()[:200], updated_at=timezone.now()):
            raise Conflict("该成员已退社", "The member has already left")
        if member.roll_entry_id:
            entry = member.roll_entry
            if entry.end_date is None:
                if actor is not None:
                    roll_services.entry_end(actor=actor, entry=entry, end_date=max(left_on, entry.start_date),
                                            reason="退社")
                else:
                    type(entry).objects.filter(pk=entry.pk).update(end_date=left_on, end_reason="退社")
        events.record(actor, "coop_member.leave", member, from_state="active", to_state="left",
                      payload={"left_on": left_on.isoformat(), "reason": reason[:200]})
    member.refresh_from_db()
    return member


# --- contributions, transactions, subsidies ----------------------------------------------------------------------


def contribution_record(*, actor, member: CoopMember, kind: str, amount=None, mu=None, description: str = "",
                        valued_by: str = "", valuation_method: str = "", resolution: str = "",
                        contributed_on: dt.date | None = None) -> Contribution:
    """A contribution (出资). Land-use rights: 亩 × the charter's value per 亩. Assets, forest rights, intellectual
    property and labour (the charter's other way): the valued amount, who valued it and the approving resolution."""
    coop = member.cooperative
    _keeper(actor, coop)
    if member.left_on is not None:
        raise ValidationFailed("该成员已退社", "The member has left", field="member")
    if kind not in ContributionKind.values:
        raise ValidationFailed("请选择出资方式", "Choose the kind of contribution", field="kind")
    contributed_on = contributed_on or clock.today()
    charter = charter_of(coop, contributed_on)
    value_per_mu = None
    if kind == ContributionKind.LAND_RIGHT:
        mu = _dec(mu, "mu", positive=True)
        if mu >= Decimal("1000000"):
            raise ValidationFailed("亩数过大", "Too many mu", field="mu")
        value_per_mu = charter.land_value_per_mu
        amount = (mu * value_per_mu).quantize(D.FEN, rounding=ROUND_HALF_UP)
        if amount >= Decimal("1e12"):
            raise ValidationFailed("作价金额过大", "The value is too large", field="mu")
        valuation_method = valuation_method or f"章程作价每亩{value_per_mu}元"
    else:
        mu = None
        amount = _dec(amount, "amount", positive=True)
    if kind not in (ContributionKind.CASH, ContributionKind.LAND_RIGHT):
        if not (valued_by or "").strip():
            raise ValidationFailed("非货币出资须写明评估作价人", "Say who valued the contribution", field="valued_by")
        if not (resolution or "").strip():
            raise ValidationFailed("非货币出资须有批准决议", "Give the resolution that approved the valuation",
                                   field="resolution")
        if kind == ContributionKind.OTHER_BY_CHARTER and not (valuation_method or "").strip():
            valuation_method = charter.labour_valuation
    shares = (amount / charter.share_value).quantize(D.FEN, rounding=ROUND_HALF_UP)
    with transaction.atomic():
        c = Contribution.objects.create(member=member, kind=kind, amount=amount, mu=mu, value_per_mu=value_per_mu,
                                        description=(description or "")[:200], valued_by=(valued_by or "")[:100],
                                        valuation_method=(valuation_method or "")[:200],
                                        resolution=(resolution or "")[:200], contributed_on=contributed_on,
                                        shares=shares)
        events.record(actor, "contribution.record", c, payload={"member": member.pk, "kind": kind,
                                                               "amount": str(amount), "shares": str(shares)})
    return c


def transaction_record(*, actor, coop: Cooperative, amount, occurred_on: dt.date | None = None,
                       member: CoopMember | None = None, real_name: str = "", product: str = "",
                       quantity=None) -> Transaction:
    """A transaction booked by real name: a member's (it counts for refunds) or a non-member's (kept apart)."""
    _keeper(actor, coop)
    amount = _dec(amount, "amount", positive=True)
    occurred_on = occurred_on or clock.today()
    if member is not None:
        if member.cooperative_id != coop.pk:
            raise ValidationFailed("不是本社成员", "Not a member of this cooperative", field="member")
        if member.joined_on > occurred_on or (member.left_on and member.left_on < occurred_on):
            raise ValidationFailed("交易日期不在其成员期间，请按非成员交易登记", "The date is outside the membership: book it "
                                   "as non-member business", field="occurred_on")
        real_name = member.display_name
    real_name = (real_name or "").strip()
    if not real_name:
        raise ValidationFailed("交易须实名登记", "Book the transaction by real name", field="real_name")
    with transaction.atomic():
        t = Transaction.objects.create(cooperative=coop, member=member, real_name=real_name[:150],
                                       occurred_on=occurred_on, product=(product or "")[:100],
                                       quantity=_dec(quantity, "quantity") if quantity not in (None, "") else None,
                                       amount=amount)
        events.record(actor, "coop_transaction.record", t, payload={"member": getattr(member, "pk", None),
                                                                   "amount": str(amount)})
    return t


def subsidy_record(*, actor, coop: Cooperative, name: str, amount, received_on: dt.date | None = None,
                   source: str = Subsidy.Source.STATE, quantified: str = Subsidy.Quantified.EQUALLY) -> Subsidy:
    """A state subsidy or a donation, quantified at once to the members of that day (equally or by contribution,
    by largest remainder in fen)."""
    _keeper(actor, coop)
    amount = _dec(amount, "amount", positive=True)
    received_on = received_on or clock.today()
    if source not in Subsidy.Source.values:
        raise ValidationFailed("请选择来源", "Choose the source", field="source")
    if quantified not in Subsidy.Quantified.values:
        raise ValidationFailed("请选择量化方式", "Choose how it is quantified", field="quantified")
    if not (name or "").strip():
        raise ValidationFailed("请填写名称", "Give the name", field="name")
    members = list(CoopMember.objects.filter(cooperative=coop, joined_on__lte=received_on)
                   .filter(Q(left_on__isnull=True) | Q(left_on__gt=received_on)).order_by("number"))
    if not members:
        raise ValidationFailed("当日没有成员可量化", "No members to quantify to on that day", field="received_on")
    contributions = _sum_by_member(Contribution.objects.filter(member__in=members, contributed_on__lte=received_on),
                                   "amount")
    figures = [D.MemberFigures(m.code, m.number, contributions.get(m.pk, D.ZERO), D.ZERO, D.ZERO) for m in members]
    if quantified == Subsidy.Quantified.CONTRIBUTIONS and not any(f.contribution for f in figures):
        raise ValidationFailed("成员尚无出资，无法按出资额量化", "No contributions to quantify by", field="quantified")
    parts = D.quantify(amount, figures, quantified)
    with transaction.atomic():
        s = Subsidy.objects.create(cooperative=coop, name=name.strip()[:150], amount=amount, received_on=received_on,
                                   source=source, quantified=quantified)
        SubsidyShare.objects.bulk_create([SubsidyShare(subsidy=s, member=m, amount=p)
                                          for m, p in zip(members, parts, strict=True)])
        events.record(actor, "subsidy.record", s, payload={"amount": str(amount), "members": len(members)})
    return s


def reserve_opening(*, actor, member: CoopMember, amount, year: int) -> ReserveShareEntry:
    """A member's opening reserve share (公积金份额) when the books start in this platform."""
    _keeper(actor, member.cooperative)
    amount = _dec(amount, "amount")
    with transaction.atomic():
        e = ReserveShareEntry.objects.create(member=member, kind=ReserveShareEntry.Kind.OPENING, year=year,
                                             amount=amount)
        events.record(actor, "reserve_share.open", e, payload={"member": member.pk, "amount": str(amount)})
    return e


def _sum_by_member(qs, field: str) -> dict[int, Decimal]:
    return {row["member_id"]: Decimal(row["s"] or 0).quantize(D.FEN)
            for row in qs.values("member_id").annotate(s=Sum(field)).order_by()}


# --- the year's plan ---------------------------------------------------------------------------------------------


def members_of_year(coop: Cooperative, year: int):
    end = dt.date(year, 12, 31)
    return (CoopMember.objects.filter(cooperative=coop, joined_on__lte=end)
            .filter(Q(left_on__isnull=True) | Q(left_on__gte=end)).order_by("number"))


def figures_of_year(coop: Cooperative, year: int) -> tuple[list[CoopMember], list[D.MemberFigures]]:
    """Each member's figures for the year, read with one aggregate query per kind (not per member)."""
    end = dt.date(year, 12, 31)
    members = list(members_of_year(coop, year))
    contributions = _sum_by_member(Contribution.objects.filter(member__cooperative=coop, contributed_on__lte=end),
                                   "amount")
    reserve = _sum_by_member(ReserveShareEntry.objects.filter(member__cooperative=coop, year__lte=year).exclude(
        kind=ReserveShareEntry.Kind.QUANTIFIED, year=year), "amount")
    subsidies = _sum_by_member(SubsidyShare.objects.filter(member__cooperative=coop, subsidy__received_on__lte=end),
                               "amount")
    tx = _sum_by_member(Transaction.objects.filter(cooperative=coop, member__isnull=False,
                                                   occurred_on__gte=dt.date(year, 1, 1), occurred_on__lte=end),
                        "amount")
    figures = [D.MemberFigures(m.code, m.number, contributions.get(m.pk, D.ZERO), reserve.get(m.pk, D.ZERO),
                               tx.get(m.pk, D.ZERO), subsidies.get(m.pk, D.ZERO)) for m in members]
    return members, figures


def _work(plan: Plan) -> list[PlanLine]:
    members, figures = figures_of_year(plan.cooperative, plan.year)
    if not members:
        raise ValidationFailed("该年度没有成员", "No members in that year", field="year")
    rules = D.Rules(plan.reserve_rate, plan.refund_rate, plan.reserve_quantified_by, plan.reserve_by_transactions_share)
    try:
        result = D.distribute(rules, surplus=plan.surplus, loss_to_cover=plan.loss_to_cover, members=figures)
    except D.DistributionError as exc:
        raise ValidationFailed(exc.zh, exc.en, field="surplus") from None
    plan.reserve, plan.distributable = result.reserve, result.distributable
    plan.refund_total, plan.by_basis_total = result.refund, result.by_basis
    plan.computed_at = timezone.now()
    return [PlanLine(plan=plan, member=m, contribution=f.contribution, reserve_share=f.reserve_share,
                     subsidy_share=f.subsidy_share, basis=f.basis, transactions=f.transactions, refund=x.refund,
                     by_basis=x.by_basis, cash=x.cash, reserve_share_added=x.reserve_share_added)
            for m, f, x in zip(members, figures, result.lines, strict=True)]


def plan_trial(*, actor, coop: Cooperative, year: int, surplus, loss_to_cover=0, income=0) -> Plan:
    """The year's accounts and the trial (试算): a new plan, or the plan of the year still on trial worked again."""
    _keeper(actor, coop)
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not 1990 <= year <= clock.today().year:
        raise ValidationFailed("年度不正确", "Not a valid year", field="year")
    surplus, loss = _dec(surplus, "surplus"), _dec(loss_to_cover, "loss_to_cover")
    income = _dec(income, "income")
    charter = charter_of(coop, dt.date(year, 12, 31))
    with transaction.atomic():
        Cooperative.objects.select_for_update().filter(pk=coop.pk).order_by().values_list("pk").first()
        plan = Plan.objects.filter(cooperative=coop, year=year).exclude(status=Plan.Status.REJECTED).first()
        if plan is not None and plan.status != Plan.Status.TRIAL:
            raise Conflict(f"{year}年度的分配方案已{STATUS_LABELS[plan.status]}，不能重新试算",
                           f"The {year} plan has moved on ({plan.status}); it cannot be worked again",
                           code="state_conflict")
        verb = "plan.recompute" if plan else "plan.trial"
        plan = plan or Plan(cooperative=coop, year=year)
        plan.income, plan.surplus, plan.loss_to_cover = income, surplus, loss
        plan.reserve_rate, plan.refund_rate = charter.reserve_rate, charter.refund_rate
        plan.reserve_quantified_by = charter.reserve_quantified_by
        plan.reserve_by_transactions_share = charter.reserve_by_transactions_share
        lines = _work(plan)
        plan.save()
        PlanLine.objects.filter(plan=plan).delete()
        stamp = timezone.now()
        for ln in lines:
            ln.plan_id, ln.created_at, ln.updated_at = plan.pk, stamp, stamp
        bulk.insert_many(PlanLine, lines)  # COPY on PostgreSQL
        events.record(actor, verb, plan, to_state=plan.status,
                      payload={"year": year, "surplus": str(surplus), "loss_to_cover": str(loss),
                               "reserve": str(plan.reserve), "distributable": str(plan.distributable)})
    return plan


def notice_body(plan: Plan) -> str:
    return (f"{plan.cooperative.name}{plan.year}年度盈余分配方案：当年盈余{plan.surplus}元，弥补亏损{plan.loss_to_cover}元，"
            f"提取公积金{plan.reserve}元（{plan.reserve_rate:.0%}），可分配盈余{plan.distributable}元，其中按交易量返还"
            f"{plan.refund_total}元（{plan.refund_rate:.0%}），按出资额、公积金份额和量化补助分配{plan.by_basis_total}元。"
            f"成员个人明细可登录查看本人账户。如有异议，请在公示期内提出。")


def plan_publish(*, actor, plan: Plan, working_days: int | None = None) -> Plan:
    """The plan goes up as a public notice (公示) with objections."""
    _keeper(actor, plan.cooperative)
    with transaction.atomic():
        compare_and_set(Plan, plan.pk, from_states=TRANSITIONS["publish"].sources,
                        to_state=TRANSITIONS["publish"].target, labels=STATUS_LABELS, updated_at=timezone.now())
        notice_services.notice_publish(actor=actor, kind=NOTICE_KIND, subject=plan,
                                       title=f"{plan.cooperative.name}{plan.year}年度盈余分配方案公示"[:100],
                                       body=notice_body(plan), working_days=working_days)
        events.record(actor, "plan.publish", plan, from_state=Plan.Status.TRIAL, to_state=Plan.Status.NOTICED)
    plan.refresh_from_db()
    return plan


def assembly_outcome(*, due: V.Count, present: V.Count, yes: V.Count, special: bool = False) -> V.Outcome:
    """The members' assembly: quorum at least two thirds of the members present (heads); the motion passes with
    more than half of all members' votes (basic + extra), two thirds for the charter, a merger, a split or
    dissolution (农民专业合作社法 arts. 22–25 of the 2006 text)."""
    return V.decide(quorum=QUORUM, quorum_measure=V.Measure.HEADS, majority=SPECIAL if special else MAJORITY,
                    majority_measure=V.Measure.VOTES, majority_base=V.Base.DUE, due=due, present=present,
                    cast=present, yes=yes)


def plan_decide(*, actor, plan: Plan, held_on: dt.date | None = None, present=(), yes=(), note: str = "") -> Plan:
    """The members' assembly votes on the plan after the notice is over with every objection answered. ``present``
    and ``yes`` are the members (ids) at the meeting and those voting for; each weighs one vote plus extra votes."""
    coop = plan.cooperative
    _keeper(actor, coop)
    held_on = held_on or clock.today()
    if plan.status != Plan.Status.NOTICED:
        raise Conflict("方案不在公示后待表决状态", "The plan is not waiting for the assembly", code="state_conflict")
    notice_services.require_cleared(plan, NOTICE_KIND, what="成员大会表决")
    members = {m.pk: m for m in CoopMember.objects.filter(cooperative=coop, joined_on__lte=held_on).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=held_on))}
    try:
        present_ids = {int(x) for x in present}
        yes_ids = {int(x) for x in yes}
    except (TypeError, ValueError):
        raise ValidationFailed("到会成员不正确", "Not valid members", field="present") from None
    if not present_ids <= set(members) or not yes_ids <= set(members):
        raise ValidationFailed("只有本社成员可以到会表决", "Only members attend and vote", field="present")
    if not yes_ids <= present_ids:
        raise ValidationFailed("投赞成票的成员须到会", "Members voting for must be present", field="yes")
    count = lambda ids: V.Count(len(ids), sum(1 + members[i].extra_votes for i in ids))  # noqa: E731
    due = count(set(members))
    if not D.extra_votes_ok(due.heads, due.votes - due.heads):
        raise ValidationFailed("附加表决权超过基本表决权总票数的20%，请先核正成员名册",
                               "Extra votes exceed 20% of the basic votes: correct the register first", field="present")
    outcome = assembly_outcome(due=due, present=count(present_ids), yes=count(yes_ids))
    if not outcome.quorum:
        raise ValidationFailed(f"到会成员不足三分之二（{len(present_ids)}/{due.heads}），会议不能表决",
                               f"Fewer than two thirds of the members are present ({len(present_ids)}/{due.heads})",
                               field="present", code="quorum")
    to = Plan.Status.APPROVED if outcome.passed else Plan.Status.REJECTED
    p, y = count(present_ids), count(yes_ids)
    with transaction.atomic():
        compare_and_set(Plan, plan.pk, from_states=TRANSITIONS["decide"].sources, to_state=to, labels=STATUS_LABELS,
                        assembly_on=held_on, due_heads=due.heads, due_votes=due.votes, present_heads=p.heads,
                        present_votes=p.votes, yes_votes=y.votes, assembly_note=(note or "")[:200],
                        updated_at=timezone.now())
        events.record(actor, "plan.decide", plan, from_state=Plan.Status.NOTICED, to_state=to,
                      payload={"due": due.as_dict(), "present": p.as_dict(), "yes": y.as_dict()})
    plan.refresh_from_db()
    return plan


def plan_pay(*, actor, plan: Plan, paid_on: dt.date | None = None) -> Plan:
    """Payout records for every line and this year's reserve shares added to the member accounts. Only a plan the
    members' assembly passed pays out."""
    _keeper(actor, plan.cooperative)
    paid_on = paid_on or clock.today()
    if plan.status != Plan.Status.APPROVED:
        raise Conflict("成员大会通过前不能兑付", "Nothing is paid before the members' assembly passes the plan",
                       code="state_conflict")
    with transaction.atomic():
        compare_and_set(Plan, plan.pk, from_states=TRANSITIONS["pay"].sources, to_state=TRANSITIONS["pay"].target,
                        labels=STATUS_LABELS, paid_on=paid_on, updated_at=timezone.now())
        lines = list(plan.lines.all())
        PlanLine.objects.filter(plan=plan).update(paid_on=paid_on)
        ReserveShareEntry.objects.bulk_create(
            [ReserveShareEntry(member_id=ln.member_id, kind=ReserveShareEntry.Kind.QUANTIFIED, year=plan.year,
                               amount=ln.reserve_share_added, plan=plan) for ln in lines if ln.reserve_share_added],
            batch_size=2000)
        events.record(actor, "plan.pay", plan, from_state=Plan.Status.APPROVED, to_state=Plan.Status.PAID,
                      payload={"lines": len(lines), "cash": str(sum((ln.cash for ln in lines), D.ZERO))})
    plan.refresh_from_db()
    return plan


# --- exports -----------------------------------------------------------------------------------------------------

TRIAL_COLUMNS = ("成员", "按交易量返还", "按出资等分配", "应分现金", "新增公积金份额")


def trial_workbook(result: D.Result) -> bytes:
    """The trial from a file, as a workbook (codes and amounts only: no one's personal data)."""
    rows = [(x.code, x.refund, x.by_basis, x.cash, x.reserve_share_added) for x in result.lines]
    rows.append(("合计", result.refund, result.by_basis, result.distributable, result.reserve))
    notes = [("公积金", str(result.reserve)), ("可分配盈余", str(result.distributable)),
             ("按交易量返还", str(result.refund)), ("按出资等分配", str(result.by_basis))]
    return ex.workbook("盈余分配试算", [ex.Column(h) for h in TRIAL_COLUMNS], rows, notes)


def group_totals(lines) -> dict:
    totals = defaultdict(lambda: D.ZERO)
    for ln in lines:
        for k in ("refund", "by_basis", "cash", "reserve_share_added"):
            totals[k] += getattr(ln, k)
    return dict(totals)


# --- transactions from Excel -------------------------------------------------------------------------------------


def transaction_columns():
    from django.utils.translation import gettext_lazy as _

    from grassroots.core import imports as xl

    return [xl.Column("成员编号", "member", parser=xl.text(12),
                      help=_("成员编号（如 M12 或 12）；非成员交易留空")),
            xl.Column("实名", "real_name", parser=xl.text(150), help=_("成员交易须与成员名册上的名称一致；非成员交易必填")),
            xl.Column("交易日期", "occurred_on", required=True, parser=xl.date),
            xl.Column("产品", "product", parser=xl.text(100)),
            xl.Column("数量", "quantity", parser=xl.decimal(2)),
            xl.Column("交易额", "amount", required=True, parser=xl.decimal(2), help=_("元，大于0，到分"))]


def transaction_import(*, actor, coop: Cooperative, file, dry_run: bool = False):
    """A year's transactions from a sheet, booked by real name: every row checked first (the member on that day,
    the name as on the register, the amount), every bad row reported with its line, nothing written unless all
    are good."""
    import re as _re

    from grassroots.core import imports as xl

    _keeper(actor, coop)
    members = {m.number: m for m in CoopMember.objects.filter(cooperative=coop).select_related(
        "person", "organization")}

    def check(rows):
        for r in rows:
            code, name = (r.get("member") or "").strip(), (r.get("real_name") or "").strip()
            amount, day = r.get("amount"), r.get("occurred_on")
            if amount is not None and amount <= 0:
                yield xl.RowError(r.row, "交易额", "交易额须大于0", "the amount must be positive")
            if amount is not None and amount >= Decimal("1e12"):
                yield xl.RowError(r.row, "交易额", "金额过大", "the amount is too large")
            if not code:
                if not name:
                    yield xl.RowError(r.row, "实名", "非成员交易须填写实名", "non-member business needs the real name")
                r.values["member_obj"] = None
                continue
            match = _re.fullmatch(r"[Mm]?0*(\d+)", code)
            member = members.get(int(match.group(1))) if match else None
            if member is None:
                yield xl.RowError(r.row, "成员编号", f"没有成员「{code}」", f"no member {code!r}")
                continue
            if name and name != member.display_name:
                yield xl.RowError(r.row, "实名", f"{code} 的名称是「{member.display_name}」，不是「{name}」",
                                  f"{code} is on the register under another name")
            if day is not None and (member.joined_on > day or (member.left_on and member.left_on < day)):
                yield xl.RowError(r.row, "交易日期", "交易日期不在其成员期间，请按非成员交易登记",
                                  "the date is outside the membership: book it as non-member business")
            r.values["member_obj"] = member

    def write(rows) -> int:
        stamp = timezone.now()
        objs = []
        for r in rows:
            m = r.get("member_obj")
            objs.append(Transaction(cooperative=coop, member=m, real_name=(m.display_name if m else r["real_name"])[:150],
                                    occurred_on=r["occurred_on"], product=(r.get("product") or "")[:100],
                                    quantity=r.get("quantity"), amount=r["amount"], created_at=stamp,
                                    updated_at=stamp))
        bulk.insert_many(Transaction, objs)
        events.record(actor, "coop_transaction.import", coop, payload={"count": len(objs),
                                                                       "amount": str(sum(o.amount for o in objs))})
        return len(objs)

    return xl.run_import(file, transaction_columns(), write=write, check=check, dry_run=dry_run)


def transaction_template() -> bytes:
    from grassroots.core import imports as xl

    return xl.template_xlsx(transaction_columns())
