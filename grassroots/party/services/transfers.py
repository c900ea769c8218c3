"""组织关系转接 with its paperwork: a transfer inside the platform is issued by the sending side and received by the
other within three months; a transfer out of the platform ends the membership here on an introduction letter valid
three months; a transfer in from outside is recorded by the receiving side on the letter the member brings, while
it is valid. The move itself is ``membership_transfer`` (and ``membership_add`` for a transfer in)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from grassroots.core import clock, events, policy
from grassroots.core.errors import ValidationFailed

from .. import permissions
from ..models import Membership, PartyOrg, Transfer, TransferKind, TransferState
from ..states import move
from ._common import change_state, deny
from .memberships import membership_add, membership_transfer


def letter_valid_until(issued_on: dt.date) -> dt.date:
    """An introduction letter is valid three months (a policy default); the day before the same date three months
    on is its last day."""
    import calendar

    months = int(policy.setting("party.transfer_letter_months", 3))
    y, m = divmod(issued_on.year * 12 + issued_on.month - 1 + months, 12)
    end = dt.date(y, m + 1, min(issued_on.day, calendar.monthrange(y, m + 1)[1]))
    return end - dt.timedelta(days=1)


def _letter_no(issued_on: dt.date) -> str:
    n = Transfer.objects.filter(issued_on__year=issued_on.year).count() + 1
    return f"{issued_on.year}-{n:05d}"


def transfer_issue(*, actor, membership: Membership, to_org: PartyOrg | None = None, outside_org: str = "",
                   on: dt.date | None = None, note: str = "") -> Transfer:
    """The sending side issues the transfer: to ``to_org`` inside the platform (it waits to be received), or out of
    it to ``outside_org`` (the membership ends here; the letter is printed)."""
    on = on or clock.today()
    if not membership.active:
        raise ValidationFailed("该组织关系已结束", "This membership has already ended", field="membership")
    if not permissions.can_manage_org(actor, membership.org):
        deny()
    if on > clock.today() or on < membership.start_date:
        raise ValidationFailed("开具日期无效", "Invalid date", field="on")
    if Transfer.objects.filter(from_membership=membership, status=TransferState.ISSUED).exists():
        raise ValidationFailed("该党员已有待接收的转接", "A transfer of this member is already waiting",
                               field="membership")
    if to_org is None and not (outside_org or "").strip():
        raise ValidationFailed("请选择接收党组织或填写平台外党组织", "Choose the receiving organisation",
                               field="to_org")
    if to_org is not None:
        if to_org.pk == membership.org_id or not to_org.active:
            raise ValidationFailed("接收党组织无效", "Invalid receiving organisation", field="to_org")
    m = move("transfer.issue")
    with transaction.atomic():
        row = Transfer.objects.create(
            kind=TransferKind.INSIDE if to_org is not None else TransferKind.OUT, status=m.target,
            person_id=membership.person_id, from_membership=membership, from_org=membership.org, to_org=to_org,
            outside_org=(outside_org or "").strip()[:150], letter_no=_letter_no(on), issued_on=on,
            valid_until=letter_valid_until(on), note=(note or "")[:300], issued_by=actor)
        if to_org is None:
            membership_transfer(actor=actor, membership=membership, to_org=None, on=on, outside_org=outside_org)
        events.record(actor, m.verb, row, to_state=m.target, payload={
            "kind": row.kind, "to_org": to_org.pk if to_org else None, "outside_org": row.outside_org,
            "valid_until": row.valid_until.isoformat()})
    return row


def transfer_receive(*, actor, transfer: Transfer, on: dt.date | None = None) -> Transfer:
    """The receiving side takes the member in, while the letter is valid."""
    on = on or clock.today()
    if transfer.kind != TransferKind.INSIDE:
        raise ValidationFailed("只有平台内转接由接收方接收", "Only a transfer inside the platform is received here",
                               field="transfer")
    if not permissions.can_manage_org(actor, transfer.to_org):
        deny()
    if on > transfer.valid_until:
        raise ValidationFailed(f"介绍信已于 {transfer.valid_until:%Y-%m-%d} 过期，请转出方重新开具",
                               f"The letter expired on {transfer.valid_until:%Y-%m-%d}; the sending side issues a "
                               "new one", field="on", code="letter_expired")
    if on < transfer.issued_on or on > clock.today():
        raise ValidationFailed("接收日期无效", "Invalid date", field="on")
    m = move("transfer.receive")
    with transaction.atomic():
        change_state(Transfer, transfer.pk, m.verb, received_on=on, received_by=actor)
        new = membership_transfer(actor=actor, membership=transfer.from_membership, to_org=transfer.to_org, on=on)
        Transfer.objects.filter(pk=transfer.pk).update(new_membership=new)
        events.record(actor, m.verb, transfer, from_state=TransferState.ISSUED, to_state=m.target,
                      payload={"membership": new.pk, "on": on.isoformat()})
    transfer.refresh_from_db()
    return transfer


def transfer_cancel(*, actor, transfer: Transfer) -> Transfer:
    if transfer.kind != TransferKind.INSIDE:
        raise ValidationFailed("只有待接收的平台内转接可以撤回", "Only a waiting transfer inside the platform can be "
                               "withdrawn", field="transfer")
    if not permissions.can_manage_org(actor, transfer.from_org):
        deny()
    m = move("transfer.cancel")
    with transaction.atomic():
        change_state(Transfer, transfer.pk, m.verb)
        events.record(actor, m.verb, transfer, from_state=TransferState.ISSUED, to_state=m.target)
    transfer.refresh_from_db()
    return transfer


def transfer_in(*, actor, person, to_org: PartyOrg, outside_org: str, letter_no: str, letter_issued_on: dt.date,
                status: str, admission_date: dt.date, full_member_date: dt.date | None = None,
                on: dt.date | None = None, in_service: bool = False, employer=None) -> Transfer:
    """A member comes in from outside the platform on an introduction letter that is still valid."""
    on = on or clock.today()
    if not (outside_org or "").strip():
        raise ValidationFailed("请填写转出的党组织", "Name the sending organisation", field="outside_org")
    if not (letter_no or "").strip():
        raise ValidationFailed("请填写介绍信编号", "The letter number is required", field="letter_no")
    if letter_issued_on is None or letter_issued_on > on:
        raise ValidationFailed("介绍信日期无效", "Invalid letter date", field="letter_issued_on")
    valid_until = letter_valid_until(letter_issued_on)
    if on > valid_until:
        raise ValidationFailed(f"介绍信已于 {valid_until:%Y-%m-%d} 过期", f"The letter expired on {valid_until:%Y-%m-%d}",
                               field="letter_issued_on", code="letter_expired")
    if not permissions.can_manage_org(actor, to_org):
        deny()
    m = move("transfer.in")
    with transaction.atomic():
        membership = membership_add(actor=actor, person=person, org=to_org, status=status,
                                    admission_date=admission_date, full_member_date=full_member_date, start_date=on,
                                    in_service=in_service, employer=employer)
        row = Transfer.objects.create(
            kind=TransferKind.IN, status=m.target, person=person, to_org=to_org, outside_org=outside_org.strip()[:150],
            letter_no=letter_no.strip()[:40], issued_on=letter_issued_on, valid_until=valid_until, received_on=on,
            new_membership=membership, issued_by=actor, received_by=actor)
        events.record(actor, m.verb, row, to_state=m.target, payload={"membership": membership.pk,
                                                                     "outside_org": row.outside_org})
    return row


def _day(value) -> str:
    return f"{value:%Y-%m-%d}" if value else "—"


def letter_pdf(transfer: Transfer) -> bytes:
    """The introduction letter (中国共产党党员组织关系介绍信), printable, with its validity."""
    from grassroots.core import printing

    pdf = printing.document("中国共产党党员组织关系介绍信")
    to = transfer.to_org.name if transfer.to_org_id else transfer.outside_org
    membership = transfer.from_membership
    status = membership.get_status_display() if membership else ""
    for text in [
        f"编号：{transfer.letter_no}",
        f"{to}：",
        f"    {transfer.person.name} 同志（{status}）的党员组织关系由 "
        f"{transfer.from_org.name if transfer.from_org_id else ''} 转去，请接洽。",
        f"    入党日期：{membership.admission_date:%Y-%m-%d}" if membership else "",
        f"    转正日期：{_day(membership.full_member_date if membership else None)}",
        f"    党费交至：{transfer.note or '—'}",
        f"    本介绍信有效期至 {transfer.valid_until:%Y年%m月%d日}（三个月）。",
        f"开具日期：{transfer.issued_on:%Y年%m月%d日}",
    ]:
        printing.line(pdf, text)
    return printing.output(pdf)
