"""The only writers of honours (docs/rules/honours.md). One transaction each, a transition-table move with
compare-and-set, and an event."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from grassroots.core import clock, events
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed
from grassroots.core.transitions import compare_and_set
from grassroots.party.models import MembershipStatus

from .. import permissions, rules
from ..models import MedalAward
from ..states import LABELS, TRANSITIONS, MedalStatus


def _denied():
    return NotPermitted("您无权办理该纪念章事项", "You may not act on this medal", code="medal_denied")


def _year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not rules.FIRST_YEAR <= year <= rules.LAST_YEAR:
        raise ValidationFailed("颁发年度无效", "Invalid award year", field="year")
    return year


def _text(value, field: str, max_length: int = 300) -> str:
    text = " ".join((value or "").split())
    if len(text) > max_length:
        raise ValidationFailed(f"不能超过{max_length}个字", f"At most {max_length} characters", field=field)
    return text


def _still_eligible(membership, year: int) -> None:
    membership.refresh_from_db()
    person = membership.person
    person.refresh_from_db(fields=["deceased_on"])
    if not membership.active or person.deceased_on is not None:
        raise Conflict("该党员的组织关系已终止或已去世，不能颁发纪念章",
                       "This member's membership has ended or the member has died", code="medal_not_living")
    if membership.status != MembershipStatus.FULL or not rules.eligible(membership.full_member_date,
                                                                          person.deceased_on, year):
        raise ValidationFailed(
            f"按转正日期计算，到{year}年7月1日党龄不满50周年",
            f"By the full-member date, party standing is under fifty full years on 1 July {year}",
            field="membership", code="medal_not_due")


def medal_confirm(*, actor, membership, year, remark: str = "") -> MedalAward:
    """The branch confirms a member of the year's list, with its remark."""
    year = _year(year)
    remark = _text(remark, "remark")
    if not permissions.can_confirm(actor, membership.org):
        raise _denied()
    _still_eligible(membership, year)
    if MedalAward.objects.filter(person_id=membership.person_id).exclude(status=MedalStatus.WITHDRAWN).exists():
        raise Conflict("该党员已有纪念章记录", "This member already has a medal record", code="medal_exists")
    try:
        with transaction.atomic():
            award = MedalAward.objects.create(
                person_id=membership.person_id, membership=membership, org=membership.org,
                org_path=membership.org.path, year=year, full_member_date=membership.full_member_date,
                remark=remark, confirmed_by=actor, confirmed_at=clock.now())
            events.record(actor, "medal.confirm", award, to_state=MedalStatus.CONFIRMED,
                          payload={"year": year, "membership": membership.pk})
    except IntegrityError:
        raise Conflict("该党员已有纪念章记录", "This member already has a medal record", code="medal_exists") from None
    return award


def _move(actor, award: MedalAward, verb: str, **fields) -> MedalAward:
    move = TRANSITIONS[verb]
    if award.status not in move.sources:
        raise Conflict(f"当前状态为「{LABELS.get(award.status, award.status)}」，不能{move.label}",
                       f"The award is {award.status}; this step is not possible", code="medal_state",
                       details={"current_state": award.status})
    with transaction.atomic():
        compare_and_set(MedalAward, award.pk, from_states=move.sources, to_state=move.target, labels=LABELS,
                        **fields)
        events.record(actor, verb, award, from_state=award.status, to_state=move.target,
                      payload={k: (v.isoformat() if isinstance(v, dt.date | dt.datetime) else v)
                               for k, v in fields.items() if not k.endswith("_by")})
    award.refresh_from_db()
    return award


def medal_approve(*, actor, award: MedalAward) -> MedalAward:
    """The upper committee approves a confirmed award (never the one who confirmed it)."""
    if not permissions.can_approve(actor, award):
        raise _denied()
    _still_eligible(award.membership, award.year)
    return _move(actor, award, "medal.approve", approved_by=actor, approved_at=clock.now())


def medal_issue(*, actor, award: MedalAward, on: dt.date | None = None) -> MedalAward:
    """Record the handing over: who, when."""
    on = on or clock.today()
    if on > clock.today() or on < award.confirmed_at.date():
        raise ValidationFailed("颁发日期须在确认之后、不晚于今天", "The date must lie between the confirmation and today",
                               field="on")
    if not permissions.can_approve(actor, award):
        raise _denied()
    _still_eligible(award.membership, award.year)
    return _move(actor, award, "medal.issue", issued_by=actor, issued_at=clock.now(), issued_on=on)


def medal_withdraw(*, actor, award: MedalAward, reason: str) -> MedalAward:
    reason = _text(reason, "reason")
    if not reason:
        raise ValidationFailed("请写明撤回原因", "Give the reason", field="reason")
    if not (permissions.can_confirm(actor, award.org) or permissions.can_approve(actor, award)):
        raise _denied()
    return _move(actor, award, "medal.withdraw", withdrawn_reason=reason)
