"""The points ledger (积分): append-only lines from what happened (a meeting attended, verified service hours, an
award) or entered by hand with a reason and approved above the branch. Each rule's cap per period is applied
when a line is written: a line never takes a member past the cap, and one that would add nothing is not written.
Totals are sums computed on reading (``selectors.points_total``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Sum

from grassroots.core import clock, events
from grassroots.core.errors import Conflict, NotFound, ValidationFailed
from grassroots.core.transitions import compare_and_set

from .. import periods, permissions
from ..models import PointsEntry, PointsRule
from ..states import ENTRY_LABELS, ENTRY_TRANSITIONS, EntryStatus, PointsSource
from ._common import membership_of, require_act, text

MAX_POINTS = Decimal("100")


def _points(value) -> Decimal:
    try:
        points = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationFailed("积分须为数字", "Points must be a number", field="points") from None
    if not points.is_finite() or abs(points) > MAX_POINTS or points == 0:
        raise ValidationFailed("积分须在 -100 到 100 之间且不为零", "Points must be between -100 and 100, not zero",
                               field="points")
    return points


def used(rule: PointsRule, person_id: int, on: dt.date) -> Decimal:
    """Points of the rule already on the member's ledger in the period containing ``on`` (pending included)."""
    start, end = periods.bounds(on, rule.period)
    total = (PointsEntry.objects.filter(rule=rule, person_id=person_id, occurred_on__range=(start, end),
                                        status__in=(EntryStatus.APPROVED, EntryStatus.PENDING))
             .aggregate(s=Sum("points"))["s"])
    return total or Decimal("0")


def capped(rule: PointsRule, person_id: int, on: dt.date, points: Decimal) -> Decimal:
    """What may still be written under the rule's cap (positive points only; deductions are not capped)."""
    if rule.cap is None or points <= 0:
        return points
    return max(Decimal("0"), min(points, rule.cap - used(rule, person_id, on)))


def _write(*, actor, rule, person, org, points, on, reason, source=None, status=EntryStatus.APPROVED):
    from grassroots.core.events import object_type_of

    points = capped(rule, person.pk, on, points)
    if points == 0:
        return None
    try:
        with transaction.atomic():
            entry = PointsEntry.objects.create(
                person=person, org=org, rule=rule, points=points, occurred_on=on, reason=reason, status=status,
                source_type=object_type_of(source) if source is not None else "",
                source_id=source.pk if source is not None else None,
                entered_by=actor if getattr(actor, "is_authenticated", False) else None)
    except IntegrityError:
        raise Conflict("该事项已记过积分", "Points for this were already recorded", code="points_duplicate") from None
    events.record(actor, "points.create", entry, to_state=status,
                  payload={"person": person.pk, "rule": rule.code, "points": str(points)})
    return entry


def _rule(code: str) -> PointsRule:
    rule = PointsRule.objects.filter(code=code, active=True).first()
    if rule is None:
        raise ValidationFailed("积分规则不存在或已停用", "No such active points rule", field="rule")
    return rule


def points_award(*, actor, person, org, points, reason: str, source_object=None) -> PointsEntry | None:
    """Points for an award (表彰): written approved by whoever acts for the organisation (the honours app, the
    system). ``source_object`` (the honour) makes it once."""
    require_act(actor, org)
    membership_of(person, org)
    reason = text(reason, "reason", "请填写事由", "Enter the reason", 300)
    points = _points(points)
    with transaction.atomic():
        return _write(actor=actor, rule=_rule("award"), person=person, org=org, points=points, on=clock.today(),
                      reason=reason, source=source_object)


def points_enter(*, actor, person, org, rule_code: str, points, reason: str,
                 occurred_on: dt.date | None = None) -> PointsEntry:
    """A manual line (pioneer work, a deduction) with its reason, pending approval above the branch."""
    require_act(actor, org)
    membership_of(person, org)
    rule = _rule(rule_code)
    if rule.source != PointsSource.MANUAL:
        raise ValidationFailed("该规则的积分由系统自动记录", "Points under this rule are recorded automatically",
                               field="rule")
    reason = text(reason, "reason", "请填写事由", "Enter the reason", 300)
    points = _points(points)
    if rule.code == "manual_minus" and points > 0:
        raise ValidationFailed("扣分须为负数", "A deduction must be negative", field="points")
    on = occurred_on or clock.today()
    if on > clock.today():
        raise ValidationFailed("日期不能晚于今天", "The date cannot be in the future", field="occurred_on")
    if points > 0 and capped(rule, person.pk, on, points) < points:
        raise ValidationFailed(f"超过本期上限（{rule.cap} 分）", f"Over the cap for the period ({rule.cap})",
                               field="points", code="points_cap")
    with transaction.atomic():
        return _write(actor=actor, rule=rule, person=person, org=org, points=points, on=on, reason=reason,
                      status=EntryStatus.PENDING)


def points_decide(*, actor, entry: PointsEntry, approve: bool) -> PointsEntry:
    """Approve or reject a pending manual line: the committee above or the region's party staff, never the branch
    that entered it alone."""
    if not permissions.can_see(actor, entry.org):
        raise NotFound()
    if not permissions.can_decide(actor, entry.org):
        from grassroots.core.errors import NotPermitted

        raise NotPermitted("积分须由上级党组织审核", "Points are approved by the organisation above",
                           code="points_own_approval")
    move = ENTRY_TRANSITIONS["approve" if approve else "reject"]
    with transaction.atomic():
        compare_and_set(PointsEntry, entry.pk, from_states=move.sources, to_state=move.target, labels=ENTRY_LABELS,
                        decided_by=actor if getattr(actor, "is_authenticated", False) else None)
        events.record(actor, f"points.{move.verb}", entry, from_state=entry.status, to_state=move.target)
    entry.refresh_from_db()
    return entry


def points_for_meeting(meeting, person_ids) -> int:
    """Lines for those present at an archived meeting (the system, at archive)."""
    rule = meeting.kind.points_rule
    if rule is None or not rule.active or rule.points <= 0:
        return 0
    from grassroots.people.models import Person

    written = 0
    on = meeting.held_on or meeting.planned_at.date()
    for person in Person.objects.filter(pk__in=list(person_ids)):
        if PointsEntry.objects.filter(rule=rule, person=person, source_type="partylife.meeting",
                                      source_id=meeting.pk).exists():
            continue
        if _write(actor=None, rule=rule, person=person, org=meeting.org, points=rule.points, on=on,
                  reason=f"{meeting.kind.name}：{meeting.title}", source=meeting):
            written += 1
    return written


def points_for_service(*, actor, record, org) -> PointsEntry | None:
    """A line for a verified service record of the party register (双报到 or volunteer hours): points per hour."""
    require_act(actor, org)
    membership_of(record.person, org)
    rule = _rule("service_hour")
    points = (rule.points * Decimal(record.hours)).quantize(Decimal("0.1"))
    with transaction.atomic():
        return _write(actor=actor, rule=rule, person=record.person, org=org, points=points, on=record.date,
                      reason=f"服务 {record.hours} 小时：{record.description}"[:300], source=record)


def points_for_services(*, actor, year: int, org=None) -> int:
    """Points lines for every service record of the year not yet counted, of members of the organisations the actor
    acts for (or of ``org``'s subtree): the line goes to the member's branch, capped by the rule. Returns how many
    lines were written (a record past the cap writes none)."""
    from grassroots.party.models import Membership, PartyOrg

    from ..selectors import uncounted_service_records

    records = list(uncounted_service_records(actor=actor, year=year, org=org))
    if not records:
        return 0
    branch = dict(Membership.objects.filter(active=True, person_id__in=[r.person_id for r in records])
                  .values_list("person_id", "org_id"))
    orgs = {o.pk: o for o in PartyOrg.objects.filter(pk__in=set(branch.values()))}
    written = 0
    with transaction.atomic():
        for record in records:
            org_of = orgs.get(branch.get(record.person_id))
            if org_of is None:
                continue
            if points_for_service(actor=actor, record=record, org=org_of) is not None:
                written += 1
    return written

