import pytest

from grassroots.core import clock
from grassroots.core.errors import NotFound
from grassroots.deliberation import selectors, services

from .conftest import open_meeting

pytestmark = pytest.mark.django_db


def test_secret_ballot_results_are_hidden_while_open_and_never_name_voters(delib_world):
    w = delib_world
    meeting = services.meeting_open(actor=w.community_staff, meeting=open_meeting(w))
    motion = services.motion_create(actor=w.community_staff, meeting=meeting, text="是否同意", ballot="secret")
    for person in w.neighbours[:3]:
        services.sign_in(actor=w.community_staff, meeting=meeting, person=person)
        services.vote_cast(actor=w.community_staff, motion=motion, choice="no", person=person)
    results = selectors.motion_results(actor=w.community_staff, motion=motion)
    assert results["cast"] == 3 and results["yes"] is None and results["no"] is None
    assert not any(p.name in str(results) for p in w.neighbours)
    board = selectors.meeting_board(actor=w.resident, meeting=selectors.meeting_detail(actor=w.resident, pk=meeting.pk))
    assert board["attendances"] == [] and board["staff"] is False  # residents do not read the attendance list


def test_meetings_outside_scope_are_not_found_and_lists_leave_them_out(delib_world):
    w = delib_world
    other = services.meeting_create(actor=w.other_staff, kind=w.teahouse, scope_region=w.c3, title="银河茶馆",
                                    scheduled_at=clock.now(), location="银河")
    for actor in (w.community_staff, w.resident, w.resident3, w.department_handler, w.enterprise_contact):
        assert other not in selectors.meetings(actor=actor)
        with pytest.raises(NotFound):
            selectors.meeting_detail(actor=actor, pk=other.pk)
    assert other in selectors.meetings(actor=w.zone_leader)
    assert other not in selectors.meetings(actor=w.resident3)  # 李居民 lives in 新华社区


def test_topic_story_steps_follow_the_status(delib_world):
    w = delib_world
    topic = services.topic_create(actor=w.resident, scope_region=w.g1, title="停车", description="难")
    steps = selectors.topic_story(actor=w.resident3, topic=topic)["steps"]
    assert [s["label"] for s in steps if s["done"]] == ["提出"] and steps[0]["current"]
