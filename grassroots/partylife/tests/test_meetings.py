import datetime as dt

import pytest

from grassroots.core import clock
from grassroots.core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from grassroots.core.models import Notification
from grassroots.partylife import selectors, services
from grassroots.partylife.models import Attendance, MeetingKind, PointsEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    clock.freeze(dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC))
    yield
    clock.reset()


def _assembly(life, org=None, title="第四季度支部党员大会"):
    kind = MeetingKind.objects.get(code="branch_assembly")
    meeting = services.meeting_plan(actor=life.sec_g1, org=org or life.p.g1, kind=kind, title=title,
                                    planned_at=dt.datetime(2026, 11, 18, 14, 0, tzinfo=dt.UTC), place="党群服务中心")
    return services.meeting_notice(actor=life.sec_g1, meeting=meeting)


def test_notice_goes_to_those_due_full_members_vote_probationary_do_not(life):
    meeting = _assembly(life)
    rows = {a.person_id: a.voting for a in Attendance.objects.filter(meeting=meeting)}
    assert len(rows) == 10 and sum(rows.values()) == 8
    assert rows[life.g1_prob[0].person_id] is False
    assert Notification.objects.filter(recipient=life.member_g1, verb="partylife.meeting_notice").exists()
    assert Notification.objects.filter(recipient=life.prob_g1, verb="partylife.meeting_notice").exists()
    assert not Notification.objects.filter(recipient=life.sec_g3, verb="partylife.meeting_notice").exists()


def _sign(life, meeting, present_full: int, present_prob: int = 2):
    marks = {}
    for i, m in enumerate(life.g1_full):
        marks[m.person_id] = "present" if i < present_full else ("leave", "出差")
    for i, m in enumerate(life.g1_prob):
        marks[m.person_id] = "present" if i < present_prob else "absent"
    services.meeting_sign_in(actor=life.sec_g1, meeting=meeting, marks=marks)


def test_quorum_is_more_than_half_of_the_members_with_a_vote(life):
    meeting = _assembly(life)
    _sign(life, meeting, present_full=4)  # 4 of 8 voting: exactly half is not more than half
    with pytest.raises(ValidationFailed) as e:
        services.meeting_hold(actor=life.sec_g1, meeting=meeting, held_on=dt.date(2026, 11, 18), minutes="学习",
                              resolutions="决议一")
    assert e.value.code == "no_quorum"
    # probationary members present do not make the quorum; one more full member does
    _sign(life, meeting, present_full=5, present_prob=0)
    held = services.meeting_hold(actor=life.sec_g1, meeting=meeting, held_on=dt.date(2026, 11, 18), minutes="学习",
                                 resolutions="决议一")
    assert held.status == "held" and held.quorum_met is True
    assert held.due_count["heads"] == 8 and held.present_count["heads"] == 5
    assert selectors.attendance_record(actor=life.member_g1, person_id=life.member_g1.person_id).get().presence == \
        "present"


def test_a_meeting_without_quorum_may_be_recorded_without_resolutions_then_archived_with_points(life):
    meeting = _assembly(life)
    _sign(life, meeting, present_full=3)
    held = services.meeting_hold(actor=life.sec_g1, meeting=meeting, held_on=dt.date(2026, 11, 18), minutes="学习")
    assert held.quorum_met is False
    archived = services.meeting_archive(actor=life.sec_g1, meeting=held)
    assert archived.status == "archived"
    assert PointsEntry.objects.filter(source_id=meeting.pk).count() == 3 + 2
    with pytest.raises(Conflict):
        services.meeting_sign_in(actor=life.sec_g1, meeting=archived, marks={life.g1_full[0].person_id: "absent"})
    with pytest.raises(Conflict):
        services.meeting_archive(actor=life.sec_g1, meeting=archived)


def test_leave_needs_a_reason_and_scope_refusals(life):
    meeting = _assembly(life)
    with pytest.raises(ValidationFailed):
        services.meeting_sign_in(actor=life.sec_g1, meeting=meeting, marks={life.g1_full[0].person_id: "leave"})
    with pytest.raises(NotFound):
        services.meeting_sign_in(actor=life.sec_g3, meeting=meeting, marks={})
    with pytest.raises(NotPermitted):  # the committee above sees, does not run the branch's meetings
        services.meeting_hold(actor=life.officer_c1, meeting=meeting, held_on=dt.date(2026, 11, 18), minutes="x")
    assert selectors.meetings(actor=life.officer_c1).filter(pk=meeting.pk).exists()
    assert not selectors.meetings(actor=life.sec_g3).filter(pk=meeting.pk).exists()
    assert selectors.meetings(actor=life.prob_g1).filter(pk=meeting.pk).exists()  # due at it
    assert selectors.attendances(actor=life.prob_g1, meeting=meeting).count() == 1


def test_committee_meetings_only_in_branches_with_seven_full_members(life):
    kind = MeetingKind.objects.get(code="committee")
    at = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
    services.meeting_plan(actor=life.sec_g1, org=life.p.g1, kind=kind, title="支委会", planned_at=at)
    with pytest.raises(ValidationFailed) as e:
        services.meeting_plan(actor=life.sec_g3, org=life.p.g3, kind=kind, title="支委会", planned_at=at)
    assert e.value.code == "kind_not_applicable"
    group = MeetingKind.objects.get(code="group")
    with pytest.raises(ValidationFailed):
        services.meeting_plan(actor=life.sec_g1, org=life.p.g1, kind=group, title="党小组会", planned_at=at)
    services.meeting_plan(actor=life.sec_g1, org=life.p.b1, kind=group, title="党小组会", planned_at=at)
