"""The only writers of deliberation: topics, meetings, sign-in, motions and votes, resolutions and follow-up.

Topic lifecycle (states.py): collected → on_agenda → deliberated → resolved → in_notice → in_progress → done, or
dropped with a reason; the author and supporters are notified at every step.
Meetings follow their kind's rules (MeetingKind rows): their roll (``grassroots.rolls``: who is due, what each vote
weighs), remote attendance, quorum and majority (``rolls.votes``, exact fractions; heads, votes, or heads and area).
Secret ballots never store or log who voted what.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, models, transaction
from django.db.models import F, Sum
from django.utils import timezone

from grassroots.core import clock, events, notifications
from grassroots.core import roles as R
from grassroots.core.errors import NotFound, NotPermitted, ValidationFailed
from grassroots.core.scope import scope_for
from grassroots.core.transitions import Transition, compare_and_set
from grassroots.notices import services as notices
from grassroots.people.models import Person
from grassroots.rolls import selectors as rolls
from grassroots.rolls.votes import Count, decide
from grassroots.territory.models import Level, Region

from . import follow_up
from .models import (
    AgendaItem,
    Attendance,
    BallotCast,
    Channel,
    Choice,
    Meeting,
    MeetingKind,
    Motion,
    ProgressUpdate,
    Resolution,
    SecretTally,
    Topic,
    TopicSupport,
    Vote,
)
from .permissions import STAFF_ROLES, can_raise_topic, is_staff_for, lives_in
from .states import (
    MEETING_TRANSITIONS,
    MOTION_TRANSITIONS,
    RESOLUTION_TRANSITIONS,
    TOPIC_LABELS,
    TOPIC_TRANSITIONS,
    MeetingStatus,
    MotionResult,
    MotionStatus,
    ResolutionStatus,
    TopicStatus,
)


def community_of(region: Region) -> Region:
    if region.level in (Level.COMMUNITY, Level.VILLAGE, Level.PARK):
        return region
    parts = [p for p in region.path.split("/") if p]
    return Region.objects.get(path="/" + "/".join(parts[:3]) + "/")


# --- topics ------------------------------------------------------------------------------------------------------
def _topic_followers(topic: Topic) -> list[int]:
    return [topic.author_id, *TopicSupport.objects.filter(topic=topic).values_list("user_id", flat=True)]


def _cas(obj, table: dict[str, Transition], verb: str, **fields) -> Transition:
    """Move ``obj`` along ``table[verb]`` (compare-and-set on its status; Conflict with the current state)."""
    move = table[verb]
    compare_and_set(type(obj), obj.pk, from_states=move.sources, to_state=move.target,
                    labels=dict(type(obj)._meta.get_field("status").choices), **fields)
    return move


def _topic_move(actor, topic: Topic, verb: str, note: str = "", **fields) -> Topic:
    before = topic.status
    to_state = _cas(topic, TOPIC_TRANSITIONS, verb, **fields).target
    events.record(actor, f"topic.{verb}", topic, from_state=before, to_state=to_state, payload={"note": note[:200]})
    notifications.notify(_topic_followers(topic), verb=f"topic.{verb}",
                         title=f"议题「{topic.title}」{TOPIC_LABELS[to_state]}", body=note[:300],
                         url=f"/deliberation/topics/{topic.pk}/", obj=topic)
    topic.refresh_from_db()
    return topic


def topic_create(*, actor, scope_region: Region, title: str, description: str, case=None) -> Topic:
    if scope_region.level not in (Level.BUILDING, Level.GRID, Level.COMMUNITY, Level.VILLAGE):
        raise ValidationFailed("议事范围应为楼栋、网格或社区", "The scope is a building, grid or community",
                               field="scope_region")
    if not can_raise_topic(actor, scope_region):
        raise NotPermitted("只能在本人居住或负责的范围内提出议题", "Raise topics where you live or work")
    if not title.strip() or not description.strip():
        raise ValidationFailed("请填写议题和说明", "Title and description are required", field="title")
    scope = scope_for(actor)
    if case is not None:
        source = Topic.Source.CASE
    elif scope.covers_path(scope_region.path, *STAFF_ROLES):
        source = Topic.Source.STAFF
    elif scope.has_role(R.Role.GRID_WORKER):
        source = Topic.Source.GRID_WORKER
    else:
        source = Topic.Source.RESIDENT
    with transaction.atomic():
        topic = Topic.objects.create(community=community_of(scope_region), scope_region=scope_region,
                                     title=title.strip()[:100], description=description.strip(), author=actor,
                                     source=source, case=case)
        events.record(actor, "topic.create", topic, to_state=TOPIC_TRANSITIONS["create"].target)
    return topic


def topic_support(*, actor, topic: Topic) -> None:
    if not lives_in(actor, topic.community):
        raise NotPermitted("只能附议本人所在社区的议题", "Support topics of your own community")
    if topic.status in (TopicStatus.DONE, TopicStatus.DROPPED):
        raise ValidationFailed("该议题已结束", "The topic is closed")
    try:
        with transaction.atomic():
            TopicSupport.objects.create(topic=topic, user=actor, created_at=clock.now())
            events.record(actor, "topic.support", topic)
    except IntegrityError:
        raise ValidationFailed("您已附议过该议题", "You already support this topic")


def topic_drop(*, actor, topic: Topic, reason: str) -> Topic:
    if not is_staff_for(actor, topic.community):
        raise NotPermitted("由社区工作人员决定", "Community staff decide this")
    if not reason.strip():
        raise ValidationFailed("请说明不予采纳的理由", "Give the reason", field="reason")
    with transaction.atomic():
        return _topic_move(actor, topic, "drop", note=reason, drop_reason=reason.strip())


# --- meetings ----------------------------------------------------------------------------------------------------
def _staff_of(actor, meeting_or_region) -> None:
    region = getattr(meeting_or_region, "community", meeting_or_region)
    scope = scope_for(actor)
    if not scope.covers_path(region.path):
        raise NotFound()
    if not is_staff_for(actor, region):
        raise NotPermitted("会议由社区工作人员组织", "Community staff run meetings")


def meeting_create(*, actor, kind: MeetingKind, scope_region: Region, title: str, scheduled_at: dt.datetime,
                   location: str, compound=None) -> Meeting:
    community = community_of(scope_region)
    _staff_of(actor, community)
    if kind.basis == MeetingKind.Basis.OWNERS and compound is None:
        raise ValidationFailed("业主大会须指定小区", "An owners' assembly needs its compound", field="compound")
    if not title.strip() or not location.strip():
        raise ValidationFailed("请填写会议名称和地点", "Title and location are required", field="title")
    roll = None
    if kind.basis in KEPT_ROLLS:
        roll = rolls.roll_for(kind=kind.basis, region=community, compound=compound)
        if roll is None:
            label = MeetingKind.Basis(kind.basis).label
            raise ValidationFailed(f"尚无{label}名册，请先在“名册”中建立或导入", f"There is no roll of {kind.basis} "
                                   "yet: create or import it first", field="kind", code="no_roll")
    with transaction.atomic():
        meeting = Meeting.objects.create(kind=kind, community=community, scope_region=scope_region, compound=compound,
                                         roll=roll,
                                         title=title.strip(), scheduled_at=scheduled_at, location=location.strip(),
                                         convened_by=actor)
        events.record(actor, "meeting.create", meeting, to_state=MEETING_TRANSITIONS["create"].target)
    return meeting


def agenda_add(*, actor, meeting: Meeting, topic: Topic) -> AgendaItem:
    _staff_of(actor, meeting)
    if meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.OPEN):
        raise ValidationFailed("会议已结束", "The meeting is over", code="state")
    if topic.community_id != meeting.community_id:
        raise ValidationFailed("议题不属于本社区", "The topic belongs to another community", field="topic")
    with transaction.atomic():
        if topic.status == TopicStatus.COLLECTED:
            _topic_move(actor, topic, "put_on_agenda", note=f"列入「{meeting.title}」（{meeting.scheduled_at:%Y-%m-%d %H:%M}）")
        elif topic.status != TopicStatus.ON_AGENDA:
            raise ValidationFailed(f"议题当前为「{topic.get_status_display()}」，不能列入议程",
                                   "The topic cannot be put on an agenda",
                                   code="state")
        order = meeting.agenda.count() + 1
        item, created = AgendaItem.objects.get_or_create(meeting=meeting, topic=topic, defaults={"order": order})
        if not created:
            raise ValidationFailed("议题已在议程中", "Already on the agenda")
        events.record(actor, "meeting.agenda_add", meeting, payload={"topic": topic.pk})
    return item


KEPT_ROLLS = (MeetingKind.Basis.REPRESENTATIVES, MeetingKind.Basis.OWNERS, MeetingKind.Basis.PARTY_MEMBERS,
              MeetingKind.Basis.COOP_MEMBERS)


def _meeting_day(meeting: Meeting):
    """The day the roll is read on: the day the meeting opened, or before that the day it is scheduled for."""
    return timezone.localtime(meeting.opened_at or meeting.scheduled_at).date()


def eligible_persons(meeting: Meeting):
    """Who is due to attend (应到): the meeting's roll on its day; adult residents or households of its scope from
    the people register; for open meetings anyone of the scope."""
    day = _meeting_day(meeting)
    if meeting.roll_id is not None:
        return rolls.persons_due(roll=meeting.roll, on=day)
    if meeting.kind.basis in KEPT_ROLLS:
        return Person.objects.none()
    return rolls.register_persons(meeting.kind.basis, meeting.scope_region, day)


def electorate(meeting: Meeting) -> dict:
    """person id → the elector's weight (votes, area, whether they vote) on the meeting's day."""
    day = _meeting_day(meeting)
    if meeting.roll_id is not None:
        return rolls.electorate(roll=meeting.roll, on=day)
    return rolls.electorate(kind=meeting.kind.basis, region=meeting.scope_region, on=day)


def meeting_invite(*, actor, meeting: Meeting) -> int:
    """Notify every eligible person who has an account."""
    _staff_of(actor, meeting)
    from grassroots.people.models import User

    users = list(User.objects.filter(person__in=eligible_persons(meeting), is_active=True).values_list("pk", flat=True))
    with transaction.atomic():
        notifications.notify(users, verb="meeting.invite", title=f"会议通知：{meeting.title}",
                             body=f"{meeting.scheduled_at:%Y-%m-%d %H:%M}，{meeting.location}",
                             url=f"/deliberation/meetings/{meeting.pk}/", obj=meeting)
        events.record(actor, "meeting.invite", meeting, payload={"invited": len(users)})
    return len(users)


def meeting_open(*, actor, meeting: Meeting) -> Meeting:
    _staff_of(actor, meeting)
    due = None
    if meeting.kind.basis != MeetingKind.Basis.OPEN:
        meeting.opened_at = clock.now()  # the roll is read on the day the meeting opens
        due = Count.of(electorate(meeting).values())
    with transaction.atomic():
        _cas(meeting, MEETING_TRANSITIONS, "open", due_count=due and due.heads, due_votes=due and due.votes,
             due_area=due and due.area, opened_at=meeting.opened_at or clock.now())
        events.record(actor, "meeting.open", meeting, from_state=MeetingStatus.PLANNED, to_state=MeetingStatus.OPEN,
                      payload={"due": due.as_dict() if due else None})
    meeting.refresh_from_db()
    return meeting


def sign_in(*, actor, meeting: Meeting, person: Person | None = None, mode: str = Attendance.Mode.IN_PERSON) -> Attendance:
    """Staff sign people in at the door; a resident signs themself in online where the kind allows it."""
    if meeting.status != MeetingStatus.OPEN:
        raise ValidationFailed("会议未在进行中，不能签到", "The meeting is not open", code="state")
    if person is None or mode == Attendance.Mode.ONLINE:
        own = getattr(actor, "person", None)
        if own is None or (person is not None and person.pk != own.pk):
            raise NotPermitted("线上只能本人签到", "Online, people sign themselves in")
        if not meeting.kind.remote_allowed:
            raise ValidationFailed("该类会议不允许线上参会", "This kind of meeting does not allow remote attendance",
                                   code="remote_not_allowed")
        person, mode, recorded_by = own, Attendance.Mode.ONLINE, None
    else:
        _staff_of(actor, meeting)
        recorded_by = actor
    weight = None
    if meeting.kind.basis != MeetingKind.Basis.OPEN:
        weight = electorate(meeting).get(person.pk)
        if weight is None:
            raise ValidationFailed(f"{person.name} 不在本次会议应到人员之列", "Not among those due to attend",
                                   field="person")
    fields = {"voting": weight.voting, "votes": weight.votes if weight.voting else 0,
              "area": weight.area if weight.voting else 0} if weight is not None else {}
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(meeting=meeting, person=person, mode=mode,
                                                   signed_in_at=clock.now(), recorded_by=recorded_by, **fields)
            events.record(actor, "meeting.sign_in", meeting, payload={"mode": mode})
    except IntegrityError:
        raise ValidationFailed(f"{person.name} 已签到", "Already signed in", field="person")
    return attendance


def present_count(meeting: Meeting) -> int:
    """Everyone signed in (those who attend without a vote too)."""
    return Attendance.objects.filter(meeting=meeting).count()


def _sum(qs) -> Count:
    found = qs.aggregate(heads=models.Count("pk"), votes=Sum("votes"), area=Sum("area"))
    return Count(found["heads"] or 0, found["votes"] or 0, found["area"] or Decimal("0"))


def present_weight(meeting: Meeting) -> Count:
    """Heads, votes and area of those signed in who vote."""
    return _sum(Attendance.objects.filter(meeting=meeting, voting=True))


def due_weight(meeting: Meeting) -> Count:
    return Count(meeting.due_count or 0, meeting.due_votes if meeting.due_votes is not None else (meeting.due_count or 0),
                 meeting.due_area or Decimal("0"))


def quorum_met(meeting: Meeting, present: Count | int | None = None) -> bool | None:
    """None for meetings without a quorum (open attendance, informal kinds)."""
    kind = meeting.kind
    if meeting.due_count is None or kind.quorum is None:
        return None
    if not isinstance(present, Count):  # a bare head count from a page: weigh those present
        present = present_weight(meeting)
    return decide(quorum=kind.quorum, quorum_measure=kind.quorum_measure, majority=kind.majority,
                  majority_measure=kind.majority_measure, majority_base=kind.majority_base, due=due_weight(meeting),
                  present=present, cast=present, yes=Count()).quorum


def motion_create(*, actor, meeting: Meeting, text: str, ballot: str, topic: Topic | None = None,
                  special: bool = False) -> Motion:
    _staff_of(actor, meeting)
    if meeting.status != MeetingStatus.OPEN:
        raise ValidationFailed("会议进行中才能提出表决事项", "Motions are put while the meeting is open", code="state")
    if ballot not in Motion.Ballot.values:
        raise ValidationFailed("请选择表决方式", "Choose the ballot", field="ballot")
    if topic is not None and not meeting.agenda.filter(topic=topic).exists():
        raise ValidationFailed("议题不在本次会议议程中", "The topic is not on the agenda", field="topic")
    if not text.strip():
        raise ValidationFailed("请填写表决事项", "Write the motion", field="text")
    if special and meeting.kind.special is None:
        raise ValidationFailed("该类会议没有须特别多数通过的事项", "This kind of meeting has no special-majority matters",
                               field="special")
    with transaction.atomic():
        motion = Motion.objects.create(meeting=meeting, topic=topic, text=text.strip(), ballot=ballot,
                                       special=bool(special))
        if ballot == Motion.Ballot.SECRET:
            SecretTally.objects.bulk_create([SecretTally(motion=motion, choice=c) for c in Choice.values])
        events.record(actor, "motion.create", motion, payload={"ballot": ballot})
    return motion


def vote_cast(*, actor, motion: Motion, choice: str, person: Person | None = None) -> None:
    """One vote per person per motion across paper (entered by staff) and online (the person themself).

    Secret ballots: the cast is recorded without the choice, the choice only as +1 on its tally; the event says
    that a vote was cast, never its choice."""
    if choice not in Choice.values:
        raise ValidationFailed("请选择赞成、反对或弃权", "Choose yes, no or abstain", field="choice")
    meeting = motion.meeting
    if motion.status != MotionStatus.OPEN or meeting.status != MeetingStatus.OPEN:
        raise ValidationFailed("表决已结束", "Voting on this motion is closed", code="state")
    if person is None:
        person = getattr(actor, "person", None)
        if person is None:
            raise NotPermitted("请以本人身份登录投票", "Sign in as yourself to vote")
        channel, entered_by = Channel.ONLINE, None
        if not Attendance.objects.filter(meeting=meeting, person=person, mode=Attendance.Mode.ONLINE).exists():
            raise ValidationFailed("请先线上签到再投票", "Sign in online before voting", code="not_signed_in")
    else:
        _staff_of(actor, meeting)
        channel, entered_by = Channel.PAPER, actor
    attendance = Attendance.objects.filter(meeting=meeting, person=person).first()
    if attendance is None:
        raise ValidationFailed(f"{person.name} 未签到，不能投票", "Only those signed in may vote", code="not_signed_in")
    if not attendance.voting:
        raise ValidationFailed(f"{person.name} 列席会议，没有表决权", "Attends without a vote", code="no_vote")
    try:
        with transaction.atomic():
            if motion.ballot == Motion.Ballot.SECRET:
                BallotCast.objects.create(motion=motion, person=person, channel=channel)
                SecretTally.objects.filter(motion=motion, choice=choice).update(
                    count=F("count") + 1, votes=F("votes") + attendance.votes, area=F("area") + attendance.area)
                events.record(actor, "motion.ballot_cast", motion, payload={"channel": channel})
            else:
                Vote.objects.create(motion=motion, person=person, choice=choice, channel=channel, entered_by=entered_by)
                events.record(actor, "motion.vote", motion, payload={"channel": channel, "person": person.pk,
                                                                    "choice": choice})
    except IntegrityError:
        raise ValidationFailed(f"{person.name} 已就该事项投过票（纸质或线上），不能重复投票",
                               "This person already voted on this motion (on paper or online)", code="already_voted")


def _choice_weights(motion: Motion) -> dict[str, Count]:
    """Heads, votes and area per choice: from the tallies (secret) or from the signed-in weights of open votes."""
    if motion.ballot == Motion.Ballot.SECRET:
        return {t.choice: Count(t.count, t.votes, t.area) for t in SecretTally.objects.filter(motion=motion)}
    weights = {a.person_id: a for a in Attendance.objects.filter(meeting=motion.meeting)}
    result = {c: Count() for c in Choice.values}
    for vote in Vote.objects.filter(motion=motion):
        a = weights.get(vote.person_id)
        result[vote.choice] = result[vote.choice] + Count(1, a.votes if a else 1, a.area if a else Decimal("0"))
    return result


def motion_close(*, actor, motion: Motion) -> Motion:
    """Quorum (a share of all due) and majority (a share of the kind's base; the special share for the matters
    the kind lists), each by the kind's measure; a formal kind's motion without a quorum is void."""
    meeting = motion.meeting
    _staff_of(actor, meeting)
    kind = meeting.kind
    with transaction.atomic():
        by_choice = _choice_weights(motion)
        yes, no, abstain = (by_choice.get(c, Count()) for c in ("yes", "no", "abstain"))
        present_all = present_count(meeting)
        present = present_weight(meeting) if meeting.due_count is not None else Count(present_all, present_all)
        due = due_weight(meeting) if meeting.due_count is not None else present
        majority = kind.special if motion.special and kind.special is not None else kind.majority
        outcome = decide(quorum=kind.quorum if meeting.due_count is not None else None,
                         quorum_measure=kind.quorum_measure, majority=majority, majority_measure=kind.majority_measure
                         if kind.majority_measure else "heads", majority_base=kind.majority_base, due=due,
                         present=present, cast=yes + no + abstain, yes=yes)
        if kind.formal and outcome.quorum is not True:
            result = MotionResult.NO_QUORUM
        else:
            result = MotionResult.PASSED if outcome.passed else MotionResult.FAILED
        tally = {"due": due.as_dict(), "present": present.as_dict(), "cast": (yes + no + abstain).as_dict(),
                 "yes": yes.as_dict(), "no": no.as_dict(), "abstain": abstain.as_dict(),
                 "rule": str(majority), "measure": kind.majority_measure, "base": kind.majority_base,
                 "quorum": outcome.quorum}
        _cas(motion, MOTION_TRANSITIONS, "close", yes=yes.heads, no=no.heads, abstain=abstain.heads, result=result,
             present_at_close=present_all, closed_at=clock.now(), tally=tally)
        events.record(actor, "motion.close", motion, from_state=MotionStatus.OPEN, to_state=MotionStatus.CLOSED,
                      payload={"result": result, "yes": yes.heads, "no": no.heads, "abstain": abstain.heads,
                               "present": present_all, "due": meeting.due_count, "tally": tally})
    motion.refresh_from_db()
    return motion


def meeting_close(*, actor, meeting: Meeting, minutes: str) -> Meeting:
    _staff_of(actor, meeting)
    if not minutes.strip():
        raise ValidationFailed("结束会议须填写会议纪要", "Minutes are required to close a meeting", field="minutes")
    if meeting.motions.filter(status=MotionStatus.OPEN).exists():
        raise ValidationFailed("还有未结束的表决", "Close every motion first", code="motions_open")
    with transaction.atomic():
        _cas(meeting, MEETING_TRANSITIONS, "close", minutes=minutes.strip(), closed_at=clock.now())
        for item in meeting.agenda.select_related("topic"):
            if item.topic.status == TopicStatus.ON_AGENDA:
                _topic_move(actor, item.topic, "deliberate", note=f"已在「{meeting.title}」上协商")
        events.record(actor, "meeting.close", meeting, from_state=MeetingStatus.OPEN, to_state=MeetingStatus.CLOSED,
                      payload={"present": present_count(meeting), "due": meeting.due_count})
    meeting.refresh_from_db()
    return meeting


# --- resolutions and follow-up -----------------------------------------------------------------------------------
def resolution_create(*, actor, motion: Motion, text: str, responsible, due_date: dt.date) -> Resolution:
    meeting = motion.meeting
    _staff_of(actor, meeting)
    if motion.status != MotionStatus.CLOSED or motion.result != MotionResult.PASSED:
        reason = "未达法定人数，表决无效" if motion.result == MotionResult.NO_QUORUM else "表决未通过或尚未结束"
        raise ValidationFailed(f"{reason}，不能形成决议", "No valid resolution without a passed motion",
                               code="no_valid_vote")
    if not text.strip():
        raise ValidationFailed("请填写决议内容", "Write the resolution", field="text")
    if due_date < clock.today():
        raise ValidationFailed("完成时限不能早于今天", "The deadline is in the past", field="due_date")
    with transaction.atomic():
        resolution = Resolution.objects.create(meeting=meeting, motion=motion, topic=motion.topic, text=text.strip(),
                                               responsible=responsible, due_date=due_date)
        events.record(actor, "resolution.create", resolution, to_state=RESOLUTION_TRANSITIONS["create"].target)
        if motion.topic is not None and motion.topic.status in (TopicStatus.ON_AGENDA, TopicStatus.DELIBERATED):
            _topic_move(actor, motion.topic, "resolve", note=text)
    return resolution


def resolution_publish(*, actor, resolution: Resolution, working_days: int | None = None):
    meeting = resolution.meeting
    _staff_of(actor, meeting)
    motion = resolution.motion
    with transaction.atomic():
        notice = notices.notice_publish(
            actor=actor, kind="resolution", subject=resolution,
            title=f"决议公示：{resolution.text[:40]}", working_days=working_days,
            body=(f"会议：{meeting.title}（{meeting.kind.name}，{meeting.scheduled_at:%Y-%m-%d}）\n"
                  f"应到 {meeting.due_count if meeting.due_count is not None else '—'} 人，实到 {motion.present_at_close} 人\n"
                  f"表决：赞成 {motion.yes}，反对 {motion.no}，弃权 {motion.abstain}\n决议：{resolution.text}\n"
                  f"责任人：{resolution.responsible}；完成时限：{resolution.due_date}"))
        if resolution.topic is not None and resolution.topic.status == TopicStatus.RESOLVED:
            _topic_move(actor, resolution.topic, "publish_notice",
                        note=f"公示至 {timezone.localtime(notice.ends_at):%Y-%m-%d %H:%M}，期间可提出异议")
    return notice


def resolution_follow_up(*, actor, resolution: Resolution, case_category=None, case_title: str = "",
                         case_description: str = "", **chosen) -> Resolution:
    """After the notice period (objections answered): carry the resolution out as a case, or as what an app above
    registered (``follow_up.py``; a micro-project: ``project=<id or object>``)."""
    _staff_of(actor, resolution.meeting)
    notices.require_cleared(resolution, "resolution", "决议落实")
    ways = [(way, chosen[way.field]) for way in follow_up.registered() if chosen.get(way.field) not in (None, "")]
    unknown = set(chosen) - {way.field for way in follow_up.registered()}
    if unknown or len(ways) + (case_category is not None) != 1:
        raise ValidationFailed("请选择以微项目或事件的方式落实", "Follow up as a micro-project or as a case",
                               field="project")
    payload = {**{way.field: None for way in follow_up.registered()}, "case": None}
    with transaction.atomic():
        fields = {}
        if ways:
            way, value = ways[0]
            what, payload[way.field] = way.attach(actor=actor, resolution=resolution, value=value)
        else:
            from grassroots.cases.services import case_report

            intake = case_report(actor=actor, channel="deliberation", category=case_category,
                                 title=case_title or resolution.text[:60],
                                 description=case_description or resolution.text, region=resolution.meeting.scope_region
                                 if resolution.meeting.scope_region.level in (Level.GRID, Level.BUILDING) else None,
                                 lon=None, lat=None)
            fields["follow_up_case"] = intake.case
            payload["case"] = intake.case.pk
            what = f"事件 {intake.case.reference}"
        _cas(resolution, RESOLUTION_TRANSITIONS, "follow_up", **fields)
        events.record(actor, "resolution.follow_up", resolution, from_state=ResolutionStatus.IN_NOTICE,
                      to_state=ResolutionStatus.IN_PROGRESS, payload=payload)
        if resolution.topic is not None and resolution.topic.status == TopicStatus.IN_NOTICE:
            _topic_move(actor, resolution.topic, "start_follow_up", note=f"以{what}落实")
    resolution.refresh_from_db()
    return resolution


def resolution_progress(*, actor, resolution: Resolution, text: str, progress: int, happened_on: dt.date) -> ProgressUpdate:
    if not (is_staff_for(actor, resolution.meeting.community) or resolution.responsible_id == actor.pk):
        raise NotPermitted("由责任人或社区工作人员登记进展", "The responsible person or staff record progress")
    if resolution.status not in RESOLUTION_TRANSITIONS["progress"].sources:
        raise ValidationFailed("决议尚未进入落实阶段", "The resolution is not being carried out", code="state")
    progress = int(progress)
    if not 0 <= progress <= 100 or progress < resolution.progress:
        raise ValidationFailed("进度须在0–100之间且不低于当前进度", "Progress is 0–100 and never decreases", field="progress")
    with transaction.atomic():
        update = ProgressUpdate.objects.create(resolution=resolution, text=text.strip()[:200], progress=progress,
                                               happened_on=happened_on, recorded_by=actor)
        Resolution.objects.filter(pk=resolution.pk).update(progress=progress)
        events.record(actor, "resolution.progress", resolution, payload={"progress": progress, "text": text[:200]})
        if progress == 100:
            _cas(resolution, RESOLUTION_TRANSITIONS, "finish")
            if resolution.topic is not None and resolution.topic.status == TopicStatus.IN_PROGRESS:
                _topic_move(actor, resolution.topic, "finish", note=text)
        elif resolution.topic is not None:
            notifications.notify(_topic_followers(resolution.topic), verb="topic.progress",
                                 title=f"议题「{resolution.topic.title}」落实进度 {progress}%", body=text[:300],
                                 url=f"/deliberation/topics/{resolution.topic.pk}/", obj=resolution.topic)
    resolution.refresh_from_db()
    return update


def _share(text) -> tuple[int, int]:
    """"2/3" → (2, 3); a share is num/den with 0 ≤ num ≤ den and den > 0."""
    num, _, den = str(text).partition("/")
    num, den = int(num), int(den or 1)
    if den <= 0 or not 0 <= num <= den:
        raise ValueError(text)
    return num, den


def load_meeting_kinds(*, actor=None, path=None) -> int:
    """Upsert the meeting kinds (policy rows) from JSON; validates every row before writing. Shares are written as
    exact fractions ("2/3"), never as decimals."""
    import json
    from pathlib import Path

    from grassroots.rolls.votes import Base, Measure

    path = Path(path or Path(__file__).parent / "data" / "meeting_kinds.json")
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValidationFailed(f"无法读取：{exc}", f"Cannot read: {exc}")
    errors, records = [], []
    for i, row in enumerate(rows, start=1):
        if not row.get("code") or not row.get("name"):
            errors.append(f"第 {i} 项缺少编码或名称")
        if row.get("basis") not in MeetingKind.Basis.values:
            errors.append(f"第 {i} 项应到人员口径无效：{row.get('basis')}")
        if row.get("majority_base") not in Base.values:
            errors.append(f"第 {i} 项通过比例基数无效")
        for key in ("quorum_measure", "majority_measure"):
            if row.get(key, Measure.HEADS) not in Measure.values:
                errors.append(f"第 {i} 项 {key} 无效")
        shares = {}
        for key in ("quorum", "majority", "special"):
            if key == "special" and not row.get(key):
                shares[key] = (None, None)
                continue
            try:
                shares[key] = _share(row.get(key))
            except (TypeError, ValueError):
                errors.append(f"第 {i} 项 {key} 应为 分子/分母（如 2/3），且不大于1")
        if not errors:
            records.append((row["code"], {
                "name": row["name"], "basis": row["basis"], "formal": bool(row.get("formal")),
                "remote_allowed": bool(row.get("remote_allowed")),
                "quorum_num": shares["quorum"][0], "quorum_den": shares["quorum"][1],
                "quorum_strict": bool(row.get("quorum_strict")),
                "quorum_measure": row.get("quorum_measure", Measure.HEADS),
                "majority_num": shares["majority"][0], "majority_den": shares["majority"][1],
                "majority_strict": bool(row.get("majority_strict", True)), "majority_base": row["majority_base"],
                "majority_measure": row.get("majority_measure", Measure.HEADS),
                "special_num": shares["special"][0], "special_den": shares["special"][1],
                "special_strict": bool(row.get("special_strict")), "special_matters": row.get("special_matters", ""),
                "source": row.get("source", "")}))
    if errors:
        raise ValidationFailed("；".join(errors), "; ".join(errors), details={"errors": errors})
    with transaction.atomic():
        for code, defaults in records:
            MeetingKind.objects.update_or_create(code=code, defaults=defaults)
        events.record(actor, "meeting_kind.load", payload={"count": len(records)})
    return len(records)
