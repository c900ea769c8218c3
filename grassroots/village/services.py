"""The only writers of the village collective economy: one transaction each, one audit row per write.

Refusals are ``ApplicationError`` with a Chinese and an English message (docs/rules/village.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from grassroots.core import clock, events, notifications
from grassroots.core import roles as R
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed

from . import selectors
from .models import Alliance, Category, Collective, Contract, Disclosure, Entry, Payment, VillageMember
from .permissions import can_keep, can_register

LAW_IN_FORCE = dt.date(2025, 5, 1)  # 农村集体经济组织法


def _amount(value, field: str = "amount") -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationFailed("不是金额", "Not an amount", field=field) from None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed("金额须大于零并精确到分", "The amount must be above zero, to the fen", field=field)
    return amount


def _keep(actor, collective):
    if not can_keep(actor, collective):
        raise NotPermitted("只有本村工作人员可以管理村集体账目", "Only the village's staff keep the collective's books")


@transaction.atomic
def collective_register(*, actor, region, organization, retained_rate="0.30", collective_share_rate="0",
                        villagers: int = 0) -> Collective:
    from grassroots.territory.models import Level

    if region.level != Level.VILLAGE:
        raise ValidationFailed("村集体经济组织须登记在村", "A village collective is registered on a village",
                               field="region")
    if not can_register(actor, region):
        raise NotPermitted("只有本村及以上工作人员可以登记", "Only staff of the village or above register it")
    if Collective.objects.filter(region=region).exists():
        raise Conflict("该村已登记集体经济组织", "The village already has a collective registered")
    rates = {}
    for name, value in (("retained_rate", retained_rate), ("collective_share_rate", collective_share_rate)):
        rate = Decimal(str(value))
        if not 0 <= rate <= 1:
            raise ValidationFailed("比例须在0与1之间", "A rate is between 0 and 1", field=name)
        rates[name] = rate
    c = Collective.objects.create(region=region, organization=organization, villagers=villagers, **rates)
    events.record(actor, "village.collective_register", c)
    return c


@transaction.atomic
def entry_book(*, actor, collective, booked_on: dt.date, category: str, amount, note: str = "") -> Entry:
    _keep(actor, collective)
    if category not in Category.values:
        raise ValidationFailed("没有这个科目", "No such line of the statement", field="category")
    if booked_on > clock.today():
        raise ValidationFailed("不能记未来日期的账", "Entries cannot be booked in the future", field="booked_on")
    published = Disclosure.objects.filter(collective=collective, starts_on__lte=booked_on, ends_on__gte=booked_on)
    if published.exists():
        raise Conflict("该期间已公开，账目已锁定", "That period is published; its books are locked")
    e = Entry.objects.create(collective=collective, booked_on=booked_on, category=category,
                             amount=_amount(amount), note=note[:200])
    events.record(actor, "village.entry_book", e, payload={"category": category, "amount": str(e.amount)})
    return e


@transaction.atomic
def contract_create(*, actor, collective, counterparty: str, object_kind: str, object: str, annual_rent,
                    starts_on: dt.date, ends_on: dt.date, schedule: list[tuple[dt.date, object]], area=None,
                    area_unit: str = "亩") -> Contract:
    _keep(actor, collective)
    if not counterparty.strip() or not object.strip():
        raise ValidationFailed("须写明承租方和标的", "The counterparty and the object are required", field="counterparty")
    if object_kind not in Contract.ObjectKind.values:
        raise ValidationFailed("没有这种标的", "No such kind of object", field="object_kind")
    if ends_on <= starts_on:
        raise ValidationFailed("终止日期须晚于起始日期", "The contract ends after it starts", field="ends_on")
    if not schedule:
        raise ValidationFailed("须有付款计划", "A payment schedule is required", field="schedule")
    rows = []
    for due_on, amount in schedule:
        if not starts_on <= due_on <= ends_on:
            raise ValidationFailed("付款日期须在合同期内", "Payments fall due within the contract's term",
                                   field="schedule")
        rows.append((due_on, _amount(amount, "schedule")))
    c = Contract.objects.create(collective=collective, counterparty=counterparty.strip()[:100],
                                object_kind=object_kind, object=object.strip()[:200], annual_rent=_amount(annual_rent,
                                                                                                          "annual_rent"),
                                starts_on=starts_on, ends_on=ends_on, area=area, area_unit=area_unit)
    Payment.objects.bulk_create([Payment(contract=c, due_on=d, amount=a) for d, a in sorted(rows)])
    events.record(actor, "village.contract_create", c, payload={"payments": len(rows)})
    return c


@transaction.atomic
def payment_record(*, actor, payment: Payment, paid_on: dt.date) -> Payment:
    """Record a rent payment: the payment is marked paid and its amount booked as 发包及上交收入."""
    collective = payment.contract.collective
    _keep(actor, collective)
    if paid_on > clock.today():
        raise ValidationFailed("付款日期不能晚于今天", "The payment date cannot be in the future", field="paid_on")
    updated = Payment.objects.filter(pk=payment.pk, paid_on__isnull=True).update(paid_on=paid_on)
    if not updated:
        raise Conflict("这笔租金已经收取", "This payment is already recorded")
    payment.paid_on = paid_on
    entry_book(actor=actor, collective=collective, booked_on=paid_on, category=Category.CONTRACTING,
               amount=payment.amount, note=f"{payment.contract.counterparty} {payment.contract.object}"[:200])
    events.record(actor, "village.payment_record", payment)
    return payment


def remind_due(*, now: dt.datetime | None = None) -> int:
    """Notify the village's staff once of every unpaid payment falling due within the policy's days
    (``village_rent_reminder_days``, default 30). Returns the number of payments reminded."""
    from grassroots.people.directory import region_holders

    today = timezone.localdate(now) if now else clock.today()
    due = list(selectors.payments(actor=None, due="soon", today=today).filter(reminded_on__isnull=True)
               .select_related("contract__collective__region"))
    rows = []
    for p in due:
        c = p.contract
        users = region_holders(c.collective.region.path, R.COMMUNITY)
        rows += notifications.build(users, verb="village.rent_due", title=f"租金将到期：{c.counterparty} {p.due_on}",
                                    body=f"{c.object} 应付 {p.amount} 元", url=f"/village/contracts/{c.pk}/", obj=p)
    with transaction.atomic():
        notifications.write(rows)
        Payment.objects.filter(pk__in=[p.pk for p in due]).update(reminded_on=today)
    return len(due)


@transaction.atomic
def disclosure_publish(*, actor, collective, period: str) -> Disclosure:
    """Publish the period (``2026Q3`` or ``2026-07``): a snapshot of the period's statement, the year to date and
    the contracts; locked (never edited; the period's books are closed to new entries)."""
    _keep(actor, collective)
    starts_on, ends_on = period_bounds(period)
    if ends_on >= clock.today():
        raise ValidationFailed("期间结束后才能公开", "A period is published after it ends", field="period")
    if Disclosure.objects.filter(collective=collective, period=period).exists():
        raise Conflict("该期间已经公开，不能修改", "That period is already published and cannot be changed")
    snap = {"period": selectors.period_statement(collective, starts_on, ends_on).as_json(),
            "year_to_date": selectors.period_statement(collective, dt.date(starts_on.year, 1, 1), ends_on).as_json(),
            "contracts": [{"counterparty": c.counterparty, "object": c.object, "annual_rent": f"{c.annual_rent:.2f}",
                           "ends_on": c.ends_on.isoformat()}
                          for c in Contract.objects.filter(collective=collective, starts_on__lte=ends_on,
                                                           ends_on__gte=starts_on).order_by("id")]}
    d = Disclosure.objects.create(collective=collective, period=period, starts_on=starts_on, ends_on=ends_on,
                                  snapshot=snap, published_at=clock.now())
    events.record(actor, "village.disclosure_publish", d, payload={"period": period})
    return d


def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    try:
        if "Q" in period:
            y, q = period.split("Q")
            y, q = int(y), int(q)
            if not 1 <= q <= 4:
                raise ValueError
            start = dt.date(y, 3 * q - 2, 1)
            end = dt.date(y + (q == 4), (3 * q) % 12 + 1, 1) - dt.timedelta(days=1)
        else:
            y, m = (int(x) for x in period.split("-"))
            start = dt.date(y, m, 1)
            end = dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
    except (ValueError, TypeError):
        raise ValidationFailed("期间格式为2026Q3或2026-07", "A period is written 2026Q3 or 2026-07",
                               field="period") from None
    return start, end


# --- members ---------------------------------------------------------------------------------------------------


@transaction.atomic
def member_confirm(*, actor, collective, person, confirmed_on: dt.date, basis: str, resolution: str,
                   shares: int = 1) -> VillageMember:
    """Confirm a member by the members' assembly (农村集体经济组织法 ch. 2): the date, the basis (户籍、土地承包等)
    and the assembly's resolution are required; a person is a member of one collective at a time."""
    _keep(actor, collective)
    if not basis.strip():
        raise ValidationFailed("须写明确认依据", "The basis of the confirmation is required", field="basis")
    if not resolution.strip():
        raise ValidationFailed("须由成员大会决议确认", "A members' assembly resolution is required",
                               field="resolution")
    if confirmed_on > clock.today():
        raise ValidationFailed("确认日期不能晚于今天", "The confirmation date cannot be in the future",
                               field="confirmed_on")
    if person.household_id is None:
        raise ValidationFailed("成员须属于一户（确权到户）", "A member belongs to a household", field="person")
    if shares < 0:
        raise ValidationFailed("成员股不能为负", "Member shares cannot be negative", field="shares")
    if VillageMember.objects.filter(person=person, exited_on__isnull=True).exists():
        raise Conflict("此人已是集体经济组织成员", "This person is already a member of a collective")
    m = VillageMember.objects.create(collective=collective, person=person, household_id=person.household_id,
                                     confirmed_on=confirmed_on, basis=basis.strip()[:200],
                                     resolution=resolution.strip()[:200], shares=shares)
    events.record(actor, "village.member_confirm", m, payload={"shares": shares, "under_law": confirmed_on >= LAW_IN_FORCE})
    return m


@transaction.atomic
def member_exit(*, actor, member: VillageMember, exited_on: dt.date, reason: str) -> VillageMember:
    _keep(actor, member.collective)
    if not reason.strip():
        raise ValidationFailed("须写明退出原因", "The reason for leaving is required", field="reason")
    if exited_on < member.confirmed_on or exited_on > clock.today():
        raise ValidationFailed("退出日期须在确认日期之后且不晚于今天",
                               "The exit date is after the confirmation and not in the future", field="exited_on")
    if not VillageMember.objects.filter(pk=member.pk, exited_on__isnull=True).update(
            exited_on=exited_on, exit_reason=reason.strip()[:200]):
        raise Conflict("该成员已经退出", "This member has already left")
    member.refresh_from_db()
    events.record(actor, "village.member_exit", member, payload={"reason": member.exit_reason})
    return member


# --- alliances -------------------------------------------------------------------------------------------------


@transaction.atomic
@transaction.atomic
def alliance_create(*, actor, name: str, kind: str, collectives, organizations=(), formed_on: dt.date,
                    purpose: str = "") -> Alliance:
    collectives = list(collectives)
    if not collectives:
        raise ValidationFailed("至少有一个村集体参加", "At least one village collective takes part", field="collectives")
    for c in collectives:
        _keep(actor, c)
    if kind not in Alliance.Kind.values:
        raise ValidationFailed("没有这种类型", "No such kind", field="kind")
    if not (name or "").strip():
        raise ValidationFailed("须写名称", "A name is required", field="name")
    if not isinstance(formed_on, dt.date) or formed_on > clock.today():
        raise ValidationFailed("成立日期无效", "Invalid founding date", field="formed_on")
    a = Alliance.objects.create(name=name.strip()[:100], kind=kind, formed_on=formed_on, purpose=purpose[:200])
    a.collectives.set(collectives)
    a.organizations.set(list(organizations))
    events.record(actor, "village.alliance_create", a)
    return a


