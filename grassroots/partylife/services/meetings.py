"""Meetings (三会一课 and the others): plan → notice to those due → sign-in → held (minutes, resolutions, quorum) →
archived and locked, with points for those present; a planned or noticed meeting may be cancelled
(docs/rules/party-life.md § Meetings)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from grassroots.core import attachments, clock, events, notifications
from grassroots.core.errors import Conflict, ValidationFailed
from grassroots.core.transitions import compare_and_set
from grassroots.rolls import votes

from .. import rules
from ..models import Attendance, Meeting, MeetingKind
from ..states import MEETING_LABELS, MEETING_TRANSITIONS, Body, MeetingStatus, Presence, RollRule
from ._common import accounts_of, membership_of, require_act, text


def url(meeting: Meeting) -> str:
    return f"/partylife/meetings/{meeting.pk}/"


def _move(actor, meeting: Meeting, verb: str, **fields) -> str:
    move = MEETING_TRANSITIONS[verb]
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if current.status not in move.sources:
        raise Conflict(f"会议当前为「{MEETING_LABELS[current.status]}」，不能{move.label}",
                       f"The meeting is '{current.status}': this action is not possible", code="state_conflict",
                       details={"current_state": current.status})
    compare_and_set(Meeting, meeting.pk, from_states=move.sources, to_state=move.target, labels=MEETING_LABELS,
                    **fields)
    events.record(actor, f"meeting.{verb}", meeting, from_state=current.status, to_state=move.target)
    return current.status


def meeting_plan(*, actor, org, kind: MeetingKind, title: str, planned_at: dt.datetime, place: str = "",
                 agenda: str = "") -> Meeting:
    require_act(actor, org)
    if not org.active:
        raise ValidationFailed("党组织已撤销", "The organisation is dissolved", field="org")
    if kind is None or not kind.active:
        raise ValidationFailed("会议类型无效", "Invalid kind of meeting", field="kind")
    if not rules.applies(kind, org):
        raise ValidationFailed(f"{org.name}不召开「{kind.name}」（见会议类型的适用组织）",
                               f"This organisation holds no meeting of this kind ({kind.code})", field="kind",
                               code="kind_not_applicable")
    title = text(title, "title", "请填写会议主题", "Enter the subject", 200)
    if not isinstance(planned_at, dt.datetime):
        raise ValidationFailed("请填写计划时间", "Enter the planned time", field="planned_at")
    if timezone.is_naive(planned_at):
        planned_at = timezone.make_aware(planned_at)
    if abs((planned_at.date() - clock.today()).days) > 366:
        raise ValidationFailed("计划时间须在一年之内", "The planned time must be within a year", field="planned_at")
    with transaction.atomic():
        meeting = Meeting.objects.create(
            org=org, kind=kind, title=title, planned_at=planned_at, place=text(place, "place", "", "", 200, False),
            agenda=text(agenda, "agenda", "", "", 5000, False),
            created_by=actor if getattr(actor, "is_authenticated", False) else None)
        events.record(actor, "meeting.plan", meeting, to_state=meeting.status,
                      payload={"org": org.pk, "kind": kind.code, "planned_at": planned_at.isoformat()})
    return meeting


def meeting_notice(*, actor, meeting: Meeting, invitee_ids=()) -> Meeting:
    """Fix the roll (those due on the planned day) and tell them. For a kind drawn on named people (支委会,
    谈心谈话), ``invitee_ids`` names them: members of the organisation."""
    require_act(actor, meeting.org)
    on = meeting.planned_at.date()
    if meeting.kind.roll == RollRule.INVITED:
        from grassroots.people.models import Person

        ids = sorted({int(i) for i in invitee_ids or ()})
        if not ids and meeting.kind.body == Body.COMMITTEE:
            from .seats import current_seat_person_ids

            ids = sorted(current_seat_person_ids(meeting.org))  # the committee of the current term
            if not ids:
                raise ValidationFailed("本届尚未登记支部委员，请先登记委员或选择参会人员",
                                       "No committee members are recorded for the current term: record them or "
                                       "choose who attends", field="invitees")
        if not ids:
            raise ValidationFailed("请选择参会人员", "Choose who attends", field="invitees")
        people = list(Person.objects.filter(pk__in=ids))
        if len(people) != len(ids):
            raise ValidationFailed("参会人员无效", "Invalid attendees", field="invitees")
        due = {}
        for person in people:
            m = membership_of(person, meeting.org)
            due[person.pk] = m.status == "full"
    else:
        due = {pid: e.voting for pid, e in rules.electorate(meeting.org, on).items()}
    if not due:
        raise ValidationFailed("该组织没有应到党员", "The organisation has no members due", field="invitees")
    with transaction.atomic():
        _move(actor, meeting, "notice", noticed_at=clock.now())
        Attendance.objects.bulk_create([Attendance(meeting=meeting, person_id=pid, voting=voting)
                                        for pid, voting in due.items()])
        when = timezone.localtime(meeting.planned_at)
        notifications.notify(accounts_of(due), verb="partylife.meeting_notice",
                             title=f"会议通知：{meeting.kind.name}——{meeting.title}",
                             body=f"{when:%Y-%m-%d %H:%M} {meeting.place}".strip(), url=url(meeting), obj=meeting)
    meeting.refresh_from_db()
    return meeting


def meeting_sign_in(*, actor, meeting: Meeting, marks: dict) -> int:
    """Mark each person due: ``{person_id: (presence, reason)}``; leave needs its reason. Until archived."""
    require_act(actor, meeting.org)
    clean = {}
    for pid, mark in marks.items():
        presence, reason = (mark if isinstance(mark, (tuple, list)) else (mark, ""))
        if presence not in (Presence.PRESENT, Presence.LEAVE, Presence.ABSENT):
            raise ValidationFailed("出席情况无效", "Invalid attendance", field="presence")
        reason = text(reason, "reason", "", "", 200, required=False)
        if presence == Presence.LEAVE and not reason:
            raise ValidationFailed("请假须写明事由", "Leave needs a reason", field="reason", code="leave_reason")
        clean[int(pid)] = (presence, reason if presence == Presence.LEAVE else "")
    with transaction.atomic():
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if current.status not in (MeetingStatus.NOTICED, MeetingStatus.HELD):
            raise Conflict("只有已通知或已召开、未归档的会议可以签到", "Sign-in is open from the notice until archiving",
                           code="state_conflict", details={"current_state": current.status})
        rows = {a.person_id: a for a in Attendance.objects.filter(meeting=meeting, person_id__in=list(clean))}
        if len(rows) != len(clean):
            raise ValidationFailed("有人员不在本次会议的应到名单中", "Someone is not due at this meeting",
                                   field="presence")
        for pid, (presence, reason) in clean.items():
            rows[pid].presence, rows[pid].reason = presence, reason
        Attendance.objects.bulk_update(list(rows.values()), ["presence", "reason", "updated_at"])
        if current.status == MeetingStatus.HELD:
            _count(current)
            current.save(update_fields=["due_count", "present_count", "quorum_met", "updated_at"])
        events.record(actor, "meeting.sign_in", meeting, payload={"marked": len(clean)})
    return len(clean)


def _count(meeting: Meeting) -> None:
    rows = list(Attendance.objects.filter(meeting=meeting))
    due = votes.Count.of(rows)
    present = votes.Count.of([a for a in rows if a.presence == Presence.PRESENT])
    threshold = meeting.kind.quorum
    meeting.due_count, meeting.present_count = due.as_dict(), present.as_dict()
    meeting.quorum_met = None if threshold is None else votes.reaches(threshold, votes.Measure.HEADS, present, due)


def quorum(meeting: Meeting):
    """(quorum met or None, due with a vote, present with a vote) from the sign-in as it stands."""
    probe = Meeting(pk=meeting.pk, kind=meeting.kind)
    _count(probe)
    return probe.quorum_met, probe.due_count.get("heads", 0), probe.present_count.get("heads", 0)


def meeting_hold(*, actor, meeting: Meeting, held_on: dt.date, minutes: str, resolutions: str = "") -> Meeting:
    """Record that the meeting took place: the day, the minutes, the resolutions. Those not signed in are absent.
    A resolution needs the quorum of the kind (支部党员大会: more than half of the members with a vote present)."""
    require_act(actor, meeting.org)
    if not isinstance(held_on, dt.date) or held_on > clock.today() or held_on < meeting.planned_at.date() - dt.timedelta(
            days=31):
        raise ValidationFailed("召开日期须不晚于今天", "The day held cannot be in the future", field="held_on")
    minutes = text(minutes, "minutes", "请填写会议记录", "Enter the minutes", 20000)
    resolutions = text(resolutions, "resolutions", "", "", 10000, required=False)
    with transaction.atomic():
        Attendance.objects.filter(meeting=meeting, presence=Presence.DUE).update(presence=Presence.ABSENT)
        probe = Meeting(pk=meeting.pk, kind=meeting.kind)
        _count(probe)
        if resolutions and probe.quorum_met is False:
            raise ValidationFailed(
                f"到会有表决权的党员 {probe.present_count['heads']} 人，未超过应到 {probe.due_count['heads']} 人的半数，"
                "不能形成决议", "Fewer than the quorum of members with a vote were present: no resolution can be made",
                field="resolutions", code="no_quorum")
        _move(actor, meeting, "hold", held_on=held_on, minutes=minutes, resolutions=resolutions,
              due_count=probe.due_count, present_count=probe.present_count, quorum_met=probe.quorum_met)
    meeting.refresh_from_db()
    return meeting


def meeting_archive(*, actor, meeting: Meeting) -> Meeting:
    """Lock the record; those present earn the kind's points."""
    from .points import points_for_meeting

    require_act(actor, meeting.org)
    with transaction.atomic():
        _move(actor, meeting, "archive", archived_at=clock.now())
        meeting.refresh_from_db()
        present = Attendance.objects.filter(meeting=meeting, presence=Presence.PRESENT).values_list("person_id",
                                                                                                   flat=True)
        points_for_meeting(meeting, list(present))
    return meeting


def meeting_cancel(*, actor, meeting: Meeting, reason: str) -> Meeting:
    require_act(actor, meeting.org)
    reason = text(reason, "reason", "请填写取消原因", "Enter the reason", 300)
    with transaction.atomic():
        was = _move(actor, meeting, "cancel")
        if was == MeetingStatus.NOTICED:
            due = Attendance.objects.filter(meeting=meeting).values_list("person_id", flat=True)
            notifications.notify(accounts_of(due), verb="partylife.meeting_cancel",
                                 title=f"会议取消：{meeting.title}", body=reason, url=url(meeting), obj=meeting)
    meeting.refresh_from_db()
    return meeting


def meeting_attach(*, actor, meeting: Meeting, upload):
    """A photo or document of the meeting (until archived)."""
    require_act(actor, meeting.org)
    if meeting.status == MeetingStatus.ARCHIVED or meeting.status == MeetingStatus.CANCELLED:
        raise Conflict("已归档的会议不能修改", "An archived meeting cannot change", code="state_conflict",
                       details={"current_state": meeting.status})
    return attachments.attachment_create(actor=actor, upload=upload, obj=meeting)

