"""Memberships: adding a member, 组织关系转接 inside the platform, 预备党员转正, ending on death or leaving."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from grassroots.core import clock, events
from grassroots.core.errors import Conflict, ValidationFailed

from .. import permissions
from ..models import Membership, MembershipStatus, OrgKind, PartyOrg, ReportIn, ReportInStatus
from ..states import move
from ._common import change_state, deny


def _check_dates(*, status: str, admission_date, full_member_date, today) -> None:
    if status not in MembershipStatus.values:
        raise ValidationFailed("党员状态应为预备党员或正式党员", "Status must be probationary or full", field="status")
    if admission_date is None:
        raise ValidationFailed("请填写入党日期", "The admission date is required", field="admission_date")
    if admission_date > today:
        raise ValidationFailed("入党日期不能晚于今天", "The admission date cannot be in the future",
                               field="admission_date")
    if status == MembershipStatus.FULL and full_member_date is None:
        raise ValidationFailed("正式党员需要填写转正日期", "A full member needs a full-membership date",
                               field="full_member_date")
    if status == MembershipStatus.PROBATIONARY and full_member_date is not None:
        raise ValidationFailed("预备党员不应有转正日期", "A probationary member has no full-membership date",
                               field="full_member_date")
    if full_member_date is not None:
        if full_member_date < admission_date:
            raise ValidationFailed("转正日期不能早于入党日期", "The full-membership date cannot precede admission",
                                   field="full_member_date")
        if full_member_date > today:
            raise ValidationFailed("转正日期不能晚于今天", "The full-membership date cannot be in the future",
                                   field="full_member_date")


def membership_validate(*, person, org: PartyOrg, status: str, admission_date, full_member_date=None,
                        in_service: bool = False, employer=None) -> None:
    """All checks of ``membership_add`` that need no actor (the roster import validates every row with it)."""
    _check_dates(status=status, admission_date=admission_date, full_member_date=full_member_date,
                 today=clock.today())
    if not org.active:
        raise ValidationFailed("该党组织已撤销", "The party organisation is dissolved", field="org")
    if org.kind in {OrgKind.ZONE_WORKING_COMMITTEE, OrgKind.SUBDISTRICT_WORKING_COMMITTEE}:
        raise ValidationFailed("党员应编入基层党组织，而不是党工委", "Members belong to a grassroots organisation",
                               field="org")
    if Membership.objects.filter(person=person, active=True).exists():
        raise ValidationFailed(f"「{person.name}」已有党组织关系，请使用组织关系转接",
                               f"{person.name} already has an active membership; transfer it instead",
                               field="person", code="already_member")
    if employer is not None and not in_service:
        raise ValidationFailed("只有在职党员需要填写工作单位", "Only in-service members have an employer",
                               field="employer")


def membership_add(*, actor, person, org: PartyOrg, status: str, admission_date: dt.date,
                   full_member_date: dt.date | None = None, start_date: dt.date | None = None,
                   in_service: bool = False, employer=None) -> Membership:
    membership_validate(person=person, org=org, status=status, admission_date=admission_date,
                        full_member_date=full_member_date, in_service=in_service, employer=employer)
    if not permissions.can_manage_org(actor, org):
        deny()
    with transaction.atomic():
        membership = Membership.objects.create(
            person=person, org=org, status=status, admission_date=admission_date,
            full_member_date=full_member_date, start_date=start_date or clock.today(), in_service=in_service,
            employer=employer)
        events.record(actor, "membership.add", membership, to_state=status, payload={
            "person": person.pk, "org": org.pk, "in_service": in_service,
            "employer": employer.pk if employer else None})
    return membership


def membership_transfer(*, actor, membership: Membership, to_org: PartyOrg | None, on: dt.date | None = None,
                        in_service: bool | None = None, employer=..., outside_org: str = "") -> Membership | None:
    """组织关系转接: end this membership and start one in ``to_org`` with the same status and dates; with no
    ``to_org`` the membership leaves the platform for ``outside_org`` (an introduction letter, ``party.services
    .transfers``) and only ends here."""
    on = on or clock.today()
    transfer = move("membership.transfer")
    if membership.active not in transfer.sources:
        raise Conflict("该组织关系已结束", "This membership has already ended", code="membership_ended")
    if to_org is None:
        return _transfer_out(actor, membership, transfer, on, outside_org)
    if to_org.pk == membership.org_id:
        raise ValidationFailed("转入党组织与当前党组织相同", "The member already belongs to this organisation",
                               field="to_org")
    if not to_org.active:
        raise ValidationFailed("转入的党组织已撤销", "The receiving organisation is dissolved", field="to_org")
    if to_org.kind in {OrgKind.ZONE_WORKING_COMMITTEE, OrgKind.SUBDISTRICT_WORKING_COMMITTEE}:
        raise ValidationFailed("党员应编入基层党组织，而不是党工委", "Members belong to a grassroots organisation",
                               field="to_org")
    if on < membership.start_date or on > clock.today():
        raise ValidationFailed("转接日期无效", "Invalid transfer date", field="on")
    if not (permissions.can_manage_org(actor, membership.org) or permissions.can_manage_org(actor, to_org)):
        deny()
    in_service = membership.in_service if in_service is None else in_service
    employer = membership.employer if employer is ... else employer
    with transaction.atomic():
        change_state(Membership, membership.pk, transfer.verb, end_date=on,
                     end_reason=Membership.EndReason.TRANSFER)
        new = Membership.objects.create(
            person_id=membership.person_id, org=to_org, status=membership.status,
            admission_date=membership.admission_date, full_member_date=membership.full_member_date,
            start_date=on, in_service=in_service, employer=employer if in_service else None,
            transferred_from=membership)
        ReportIn.objects.filter(membership=membership, status=ReportInStatus.ACTIVE).update(membership=new)
        events.record(actor, transfer.verb, new, payload={
            "from_membership": membership.pk, "from_org": membership.org_id, "to_org": to_org.pk,
            "on": on.isoformat()})
    membership.refresh_from_db()
    return new


def _transfer_out(actor, membership: Membership, transfer, on: dt.date, outside_org: str) -> None:
    if not (outside_org or "").strip():
        raise ValidationFailed("请填写转往的平台外党组织", "Name the organisation outside the platform",
                               field="outside_org")
    if on < membership.start_date or on > clock.today():
        raise ValidationFailed("转接日期无效", "Invalid transfer date", field="on")
    if not permissions.can_manage_org(actor, membership.org):
        deny()
    with transaction.atomic():
        change_state(Membership, membership.pk, transfer.verb, end_date=on, end_reason=Membership.EndReason.TRANSFER)
        ReportIn.objects.filter(membership=membership, status=ReportInStatus.ACTIVE).update(
            status=ReportInStatus.ENDED, ended_on=on)
        events.record(actor, transfer.verb, membership, payload={
            "from_org": membership.org_id, "outside_org": outside_org.strip()[:150], "on": on.isoformat()})
    membership.refresh_from_db()
    return None


def membership_promote(*, actor, membership: Membership, full_member_date: dt.date) -> Membership:
    """预备党员转正: probationary → full, from ``full_member_date`` (党龄 counts from it)."""
    promote = move("membership.promote")
    if membership.status not in promote.sources:
        raise Conflict("只有预备党员可以转正", "Only a probationary member can become a full member",
                       code="not_probationary", details={"current_state": membership.status})
    if not membership.active:
        raise Conflict("该组织关系已结束", "This membership has already ended", code="membership_ended")
    _check_dates(status=promote.target, admission_date=membership.admission_date,
                 full_member_date=full_member_date, today=clock.today())
    if not permissions.can_manage_org(actor, membership.org):
        deny()
    with transaction.atomic():
        change_state(Membership, membership.pk, promote.verb, full_member_date=full_member_date)
        events.record(actor, promote.verb, membership, from_state=promote.sources[0], to_state=promote.target,
                      payload={"full_member_date": full_member_date.isoformat()})
    membership.refresh_from_db()
    return membership


END_REASONS = (Membership.EndReason.DECEASED, Membership.EndReason.OTHER)


def membership_end(*, actor, membership: Membership, on: dt.date, reason: str, note: str = "") -> Membership:
    """End a membership on the member's death (``deceased``: the person's date of death is recorded, so lists of the
    living never show them again) or on leaving the party for another reason (``other``, with a note). Transfers
    end through ``membership_transfer``."""
    end = move("membership.end")
    if reason not in END_REASONS:
        raise ValidationFailed("请选择终止原因：去世或其他", "Choose the reason: deceased or other", field="reason")
    note = " ".join((note or "").split())
    if reason == Membership.EndReason.OTHER and not note:
        raise ValidationFailed("其他原因须写明情况", "Describe the reason", field="note")
    if len(note) > 500:
        raise ValidationFailed("说明不能超过500个字", "The note is at most 500 characters", field="note")
    if membership.active not in end.sources:
        raise Conflict("该组织关系已结束", "This membership has already ended", code="membership_ended")
    if on is None or on > clock.today() or on < membership.start_date:
        raise ValidationFailed("终止日期须在转入日期与今天之间", "The date must lie between the start of the membership "
                               "and today", field="on")
    if not permissions.can_manage_org(actor, membership.org):
        deny()
    from grassroots.people.services import person_record_death

    with transaction.atomic():
        change_state(Membership, membership.pk, end.verb, end_date=on, end_reason=reason)
        if reason == Membership.EndReason.DECEASED:
            person_record_death(actor=actor, person=membership.person, on=on)
        ReportIn.objects.filter(membership=membership, status=ReportInStatus.ACTIVE).update(
            status=ReportInStatus.ENDED, ended_on=on)
        events.record(actor, end.verb, membership, from_state="active", to_state="ended",
                      payload={"reason": reason, "on": on.isoformat(), "note": note})
    membership.refresh_from_db()
    return membership
