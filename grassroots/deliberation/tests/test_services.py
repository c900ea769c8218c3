import datetime as dt
from decimal import Decimal

import pytest

from grassroots.core import clock
from grassroots.core.errors import NotPermitted, ValidationFailed
from grassroots.core.models import Event, Notification
from grassroots.deliberation import services
from grassroots.deliberation.models import BallotCast, SecretTally, Topic, Vote
from grassroots.deliberation.states import MotionResult, TopicStatus
from grassroots.notices import services as notices

from .conftest import open_meeting

pytestmark = pytest.mark.django_db


def topic_on_agenda(w, meeting):
    topic = services.topic_create(actor=w.resident, scope_region=w.c1, title="加装电动车充电桩", description="楼下充电难")
    services.agenda_add(actor=w.community_staff, meeting=meeting, topic=topic)
    return topic


def test_a_resident_raises_a_topic_where_they_live_only(delib_world):
    w = delib_world
    topic = services.topic_create(actor=w.resident, scope_region=w.g1, title="楼道照明", description="灯坏了")
    assert topic.source == Topic.Source.RESIDENT and topic.community == w.c1
    with pytest.raises(NotPermitted):
        services.topic_create(actor=w.resident, scope_region=w.c3, title="别处的事", description="x")
    services.topic_support(actor=w.neighbour_user, topic=topic)
    with pytest.raises(ValidationFailed):
        services.topic_support(actor=w.neighbour_user, topic=topic)
    with pytest.raises(NotPermitted):
        services.topic_support(actor=w.resident3, topic=topic)


def test_due_count_follows_the_kind_and_excludes_minors(delib_world):
    w = delib_world
    meeting = services.meeting_open(actor=w.community_staff, meeting=open_meeting(w))
    assert meeting.due_count == 5  # person1 + four neighbours; the child is not counted


def test_quorum_not_met_means_no_valid_resolution(delib_world):
    w = delib_world
    meeting = open_meeting(w)
    topic = topic_on_agenda(w, meeting)
    services.meeting_open(actor=w.community_staff, meeting=meeting)
    for person in w.neighbours[:2]:  # 2 of 5 present: not more than half
        services.sign_in(actor=w.community_staff, meeting=meeting, person=person)
    motion = services.motion_create(actor=w.community_staff, meeting=meeting, text="同意建设充电桩", ballot="show_of_hands",
                                    topic=topic)
    for person in w.neighbours[:2]:
        services.vote_cast(actor=w.community_staff, motion=motion, choice="yes", person=person)
    motion = services.motion_close(actor=w.community_staff, motion=motion)
    assert motion.result == MotionResult.NO_QUORUM and motion.yes == 2
    with pytest.raises(ValidationFailed) as err:
        services.resolution_create(actor=w.community_staff, motion=motion, text="建设充电桩",
                                   responsible=w.community_staff, due_date=clock.today() + dt.timedelta(days=30))
    assert err.value.code == "no_valid_vote"


def test_quorum_and_majority_make_a_resolution_and_the_topic_follows(delib_world):
    w = delib_world
    meeting = open_meeting(w)
    topic = services.topic_create(actor=w.resident, scope_region=w.c1, title="加装电动车充电桩", description="楼下充电难")
    services.topic_support(actor=w.neighbour_user, topic=topic)  # a supporter from the start hears of every step
    services.agenda_add(actor=w.community_staff, meeting=meeting, topic=topic)
    services.meeting_open(actor=w.community_staff, meeting=meeting)
    for person in w.neighbours[:3]:
        services.sign_in(actor=w.community_staff, meeting=meeting, person=person)
    motion = services.motion_create(actor=w.community_staff, meeting=meeting, text="同意建设充电桩",
                                    ballot="show_of_hands", topic=topic)
    services.vote_cast(actor=w.community_staff, motion=motion, choice="yes", person=w.neighbours[0])
    services.vote_cast(actor=w.community_staff, motion=motion, choice="yes", person=w.neighbours[1])
    services.vote_cast(actor=w.community_staff, motion=motion, choice="no", person=w.neighbours[2])
    motion = services.motion_close(actor=w.community_staff, motion=motion)
    assert motion.result == MotionResult.PASSED
    with pytest.raises(ValidationFailed):
        services.meeting_close(actor=w.community_staff, meeting=meeting, minutes="")
    services.meeting_close(actor=w.community_staff, meeting=meeting, minutes="三人到会，两票赞成")
    resolution = services.resolution_create(actor=w.community_staff, motion=motion, text="建设充电桩",
                                            responsible=w.community_staff, due_date=clock.today() + dt.timedelta(days=60))
    topic.refresh_from_db()
    assert topic.status == TopicStatus.RESOLVED
    # the author and the supporter heard of every step
    steps = [f"议题「{topic.title}」已列入议程", f"议题「{topic.title}」已协商", f"议题「{topic.title}」已形成决议"]
    for user in (w.resident, w.neighbour_user):
        titles = list(Notification.objects.filter(recipient=user, title__startswith=f"议题「{topic.title}」")
                      .order_by("id").values_list("title", flat=True))
        assert titles == steps, user
    assert resolution.status == "in_notice"


def test_a_second_vote_by_the_same_person_is_refused_across_paper_and_online(delib_world):
    w = delib_world
    meeting = open_meeting(w, kind=w.teahouse, title="民生茶馆")
    services.meeting_open(actor=w.community_staff, meeting=meeting)
    services.sign_in(actor=w.neighbour_user, meeting=meeting, mode="online")
    motion = services.motion_create(actor=w.community_staff, meeting=meeting, text="周末集中清理楼道", ballot="secret")
    services.vote_cast(actor=w.neighbour_user, motion=motion, choice="yes")
    with pytest.raises(ValidationFailed) as err:
        services.vote_cast(actor=w.community_staff, motion=motion, choice="no", person=w.neighbours[0])
    assert err.value.code == "already_voted"
    with pytest.raises(ValidationFailed):
        services.vote_cast(actor=w.neighbour_user, motion=motion, choice="no")
    assert BallotCast.objects.filter(motion=motion).count() == 1
    assert dict(SecretTally.objects.filter(motion=motion).values_list("choice", "count")) == {"yes": 1, "no": 0, "abstain": 0}


def test_secret_ballots_store_and_log_no_choice(delib_world):
    w = delib_world
    meeting = open_meeting(w, kind=w.teahouse, title="民生茶馆")
    services.meeting_open(actor=w.community_staff, meeting=meeting)
    motion = services.motion_create(actor=w.community_staff, meeting=meeting, text="是否同意", ballot="secret")
    for person, choice in zip(w.neighbours, ["yes", "no", "yes", "abstain"], strict=True):
        services.sign_in(actor=w.community_staff, meeting=meeting, person=person)
        services.vote_cast(actor=w.community_staff, motion=motion, choice=choice, person=person)
    assert not Vote.objects.filter(motion=motion).exists()
    cast_fields = {f.name for f in BallotCast._meta.get_fields()}
    assert "choice" not in cast_fields
    for event in Event.objects.filter(verb__startswith="motion.ballot"):
        assert "choice" not in event.payload and not ({"yes", "no", "abstain"} & set(map(str, event.payload.values())))
    motion = services.motion_close(actor=w.community_staff, motion=motion)
    assert (motion.yes, motion.no, motion.abstain) == (2, 1, 1)


def test_online_attendance_only_where_the_kind_allows_it(delib_world):
    w = delib_world
    meeting = services.meeting_open(actor=w.community_staff, meeting=open_meeting(w))
    with pytest.raises(ValidationFailed) as err:
        services.sign_in(actor=w.neighbour_user, meeting=meeting, mode="online")
    assert err.value.code == "remote_not_allowed"


def test_notice_period_blocks_the_next_step_until_it_ends_and_objections_are_answered(delib_world):
    w = delib_world
    w.community_staff.refresh_from_db()
    clock.freeze(dt.datetime(2026, 11, 23, 9, 0))  # a Monday
    meeting = open_meeting(w)
    topic = topic_on_agenda(w, meeting)
    services.meeting_open(actor=w.community_staff, meeting=meeting)
    for person in w.neighbours[:3]:
        services.sign_in(actor=w.community_staff, meeting=meeting, person=person)
    motion = services.motion_create(actor=w.community_staff, meeting=meeting, text="同意", ballot="show_of_hands", topic=topic)
    for person in w.neighbours[:3]:
        services.vote_cast(actor=w.community_staff, motion=motion, choice="yes", person=person)
    motion = services.motion_close(actor=w.community_staff, motion=motion)
    services.meeting_close(actor=w.community_staff, meeting=meeting, minutes="通过")
    resolution = services.resolution_create(actor=w.community_staff, motion=motion, text="建设充电桩",
                                            responsible=w.community_staff, due_date=dt.date(2027, 3, 1))
    notice = services.resolution_publish(actor=w.community_staff, resolution=resolution)
    assert notice.ends_at.date() == dt.date(2026, 12, 1)  # end of the 5th working day after Monday 23rd (24:00 of Mon 30th)
    from grassroots.projects.tests.conftest import approved_in_progress

    objection = notices.objection_submit(actor=w.neighbour_user, notice=notice, text="位置离窗户太近")
    clock.freeze(dt.datetime(2026, 11, 27, 9, 0))
    with pytest.raises(ValidationFailed) as err:
        services.resolution_follow_up(actor=w.community_staff, resolution=resolution, case_category=None,
                                      project=object())
    assert err.value.code == "notice_open"
    clock.freeze(dt.datetime(2026, 12, 2, 9, 0))
    with pytest.raises(ValidationFailed) as err:
        notices.objection_submit(actor=w.neighbour_user, notice=notice, text="晚了")
    assert err.value.code == "notice_ended"
    with pytest.raises(ValidationFailed) as err:
        services.resolution_follow_up(actor=w.community_staff, resolution=resolution, project=object())
    assert err.value.code == "objections_pending"
    notices.objection_answer(actor=w.community_staff, objection=objection, answer="已调整到停车场一侧")
    project = approved_in_progress(w, Decimal("3000"), title="充电桩建设")
    services.resolution_follow_up(actor=w.community_staff, resolution=resolution, project=project)
    topic.refresh_from_db()
    assert topic.status == TopicStatus.IN_PROGRESS
    services.resolution_progress(actor=w.community_staff, resolution=resolution, text="完工", progress=100,
                                 happened_on=dt.date(2026, 12, 20))
    topic.refresh_from_db()
    assert topic.status == TopicStatus.DONE


def test_meeting_kinds_file_errors_are_reported(db, tmp_path):
    path = tmp_path / "k.json"
    path.write_text('[{"code": "x", "name": "X", "basis": "nobody", "majority_base": "present", '
                    '"quorum": "2/1", "majority": "1/2"}]')
    with pytest.raises(ValidationFailed) as err:
        services.load_meeting_kinds(path=path)
    assert len(err.value.details["errors"]) == 2
