import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.core import clock
from grassroots.deliberation import services
from grassroots.deliberation.models import (
    Attendance,
    BallotCast,
    Meeting,
    Motion,
    Resolution,
    Topic,
)
from grassroots.notices import services as notices
from grassroots.notices.models import Objection
from tests.support.world import scope_test

from .conftest import open_meeting

pytestmark = pytest.mark.django_db


def _topic(w, title="楼下充电桩", actor=None):
    return services.topic_create(actor=actor or w.resident, scope_region=w.g1, title=title, description="电动车没地方充电")


def passed_resolution(w):
    """A topic on a residents' meeting, quorum reached, motion passed, resolution made."""
    clock.freeze(dt.datetime(2026, 11, 23, 9, 0))
    topic = _topic(w)
    meeting = open_meeting(w)
    services.agenda_add(actor=w.community_staff, meeting=meeting, topic=topic)
    services.meeting_open(actor=w.community_staff, meeting=meeting)
    for person in w.neighbours[:3]:
        services.sign_in(actor=w.community_staff, meeting=meeting, person=person)
    motion = services.motion_create(actor=w.community_staff, meeting=meeting, text="同意建设充电桩",
                                    ballot="show_of_hands", topic=topic)
    for person in w.neighbours[:3]:
        services.vote_cast(actor=w.community_staff, motion=motion, choice="yes", person=person)
    motion = services.motion_close(actor=w.community_staff, motion=motion)
    services.meeting_close(actor=w.community_staff, meeting=meeting, minutes="三人到会，全票通过")
    resolution = services.resolution_create(actor=w.community_staff, motion=motion, text="建设充电桩",
                                            responsible=w.community_staff, due_date=dt.date(2027, 3, 1))
    return topic, meeting, motion, resolution


@scope_test("deliberation:topics", "deliberation:topic_detail")
def test_topic_list_filters_searches_and_keeps_a_constant_number_of_queries(client, delib_world):
    w = delib_world
    _topic(w, "楼道照明")
    services.topic_create(actor=w.other_staff, scope_region=w.c3, title="银河社区停车", description="停车难")
    client.force_login(w.resident)
    url = reverse("deliberation:topics")
    with CaptureQueriesContext(connection) as few:
        page = client.get(url).content.decode()
    assert "楼道照明" in page and "银河社区停车" in page  # topics are public
    for i in range(20):
        _topic(w, f"议题{i}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)
    filtered = client.get(url, {"community": w.c3.code}).content.decode()
    assert "银河社区停车" in filtered and "楼道照明" not in filtered
    assert "楼道照明" in client.get(url, {"q": "照明"}).content.decode()
    assert "还没有符合条件的议题" in client.get(url, {"q": "不存在的词"}).content.decode()
    assert client.get(reverse("deliberation:topic_detail", args=[999999])).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


@scope_test("deliberation:topic_new")
def test_a_resident_raises_a_topic_and_errors_show_next_to_the_field(client, delib_world):
    w = delib_world
    client.force_login(w.resident)
    r = client.post(reverse("deliberation:topic_new"), {"scope_region": w.g1.pk, "title": "加装电梯",
                                                        "description": "老人上下楼难"})
    topic = Topic.objects.get(title="加装电梯")
    assert r.status_code == 302 and r["Location"] == reverse("deliberation:topic_detail", args=[topic.pk])
    r = client.post(reverse("deliberation:topic_new"), {"scope_region": w.g3.pk, "title": "别处", "description": "x"})
    assert r.status_code == 200 and "只能在本人居住或负责的范围内提出议题" in r.content.decode()
    assert not Topic.objects.filter(title="别处").exists()


@scope_test("deliberation:topic_support", "deliberation:topic_drop")
def test_support_button_and_drop_with_confirmation(client, delib_world):
    w = delib_world
    topic = _topic(w)
    client.force_login(w.neighbour_user)
    r = client.post(reverse("deliberation:topic_support", args=[topic.pk]), HTTP_HX_REQUEST="true")
    assert "您已附议" in r.content.decode() and "1 位居民附议" in r.content.decode()
    r = client.post(reverse("deliberation:topic_support", args=[topic.pk]), HTTP_HX_REQUEST="true")
    assert "已附议过" in r.content.decode()
    client.force_login(w.resident3)  # another community: may read, not support
    r = client.post(reverse("deliberation:topic_support", args=[topic.pk]), HTTP_HX_REQUEST="true")
    assert "只能附议本人所在社区的议题" in r.content.decode()
    client.force_login(w.other_staff)  # staff of another community cannot drop it
    client.post(reverse("deliberation:topic_drop", args=[topic.pk]), {"reason": "重复"})
    topic.refresh_from_db()
    assert topic.status == "collected"
    client.force_login(w.community_staff)
    page = client.get(reverse("deliberation:topic_detail", args=[topic.pk])).content.decode()
    assert "data-confirm" in page
    client.post(reverse("deliberation:topic_drop", args=[topic.pk]), {"reason": "与已有议题重复"})
    topic.refresh_from_db()
    assert topic.status == "dropped"
    assert client.post(reverse("deliberation:topic_drop", args=[999999]), {"reason": "x"}).status_code == 404


@scope_test("deliberation:meetings", "deliberation:meeting_new", "deliberation:meeting_detail")
def test_meetings_are_read_by_staff_in_scope_and_residents_of_the_community(client, delib_world):
    w = delib_world
    m1 = open_meeting(w, title="安泰居民会议")
    m3 = services.meeting_create(actor=w.other_staff, kind=w.teahouse, scope_region=w.c3, title="银河民生茶馆",
                                 scheduled_at=clock.now(), location="银河")
    url = reverse("deliberation:meetings")
    client.force_login(w.community_staff)
    with CaptureQueriesContext(connection) as few:
        page = client.get(url).content.decode()
    assert "安泰居民会议" in page and "银河民生茶馆" not in page
    for i in range(15):
        open_meeting(w, title=f"会议{i}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)
    assert client.get(reverse("deliberation:meeting_detail", args=[m3.pk])).status_code == 404
    client.force_login(w.resident)
    assert client.get(reverse("deliberation:meeting_detail", args=[m1.pk])).status_code == 200
    assert client.get(reverse("deliberation:meeting_detail", args=[m3.pk])).status_code == 404
    assert client.get(reverse("deliberation:meeting_new")).status_code == 404
    client.force_login(w.department_handler)
    assert client.get(reverse("deliberation:meeting_detail", args=[m1.pk])).status_code == 404
    assert "安泰居民会议" not in client.get(url).content.decode()
    client.force_login(w.community_staff)
    r = client.post(reverse("deliberation:meeting_new"), {"kind": w.teahouse.pk, "scope_region": w.c1.pk,
                                                          "title": "民生茶馆第一期", "scheduled_at": "2026-12-01T19:00",
                                                          "location": "党群服务中心"})
    assert r.status_code == 302 and Meeting.objects.filter(title="民生茶馆第一期").exists()
    r = client.post(reverse("deliberation:meeting_new"), {"kind": w.teahouse.pk, "scope_region": w.c3.pk,
                                                          "title": "越界", "scheduled_at": "2026-12-01T19:00",
                                                          "location": "x"})
    assert r.status_code == 200 and not Meeting.objects.filter(title="越界").exists()


@scope_test("deliberation:meeting_agenda_add", "deliberation:meeting_invite", "deliberation:meeting_open",
            "deliberation:meeting_sign_in", "deliberation:motion_new", "deliberation:motion_vote",
            "deliberation:motion_close", "deliberation:meeting_close")
def test_staff_run_a_meeting_from_agenda_to_close_and_quorum_is_shown(client, delib_world):
    w = delib_world
    topic = _topic(w)
    meeting = open_meeting(w)
    client.force_login(w.other_staff)
    assert client.post(reverse("deliberation:meeting_open", args=[meeting.pk])).status_code == 404
    client.force_login(w.community_staff)
    client.post(reverse("deliberation:meeting_agenda_add", args=[meeting.pk]), {"topic": topic.pk})
    assert meeting.agenda.filter(topic=topic).exists()
    client.post(reverse("deliberation:meeting_invite", args=[meeting.pk]))
    client.post(reverse("deliberation:meeting_open", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == "open" and meeting.due_count == 5  # 张居民 and the four neighbours (not the child)
    page = client.get(reverse("deliberation:meeting_detail", args=[meeting.pk]), {"q": "邻居"}).content.decode()
    assert "签到：邻居0" in page and "未达到" in page
    for p in w.neighbours[:3]:
        client.post(reverse("deliberation:meeting_sign_in", args=[meeting.pk]), {"person": p.pk, "name": "邻居"})
    r = client.post(reverse("deliberation:meeting_sign_in", args=[meeting.pk]), {"person": w.person3.pk, "name": "李"},
                    follow=True)
    assert "未找到该应到人员" in r.content.decode()
    assert Attendance.objects.filter(meeting=meeting).count() == 3
    client.post(reverse("deliberation:motion_new", args=[meeting.pk]),
                {"text": "同意建设充电桩", "ballot": "secret", "topic": topic.pk})
    motion = Motion.objects.get(meeting=meeting)
    for p, choice in zip(w.neighbours[:3], ["yes", "yes", "no"], strict=True):
        client.post(reverse("deliberation:motion_vote", args=[motion.pk]), {"person": p.pk, "choice": choice})
    assert BallotCast.objects.filter(motion=motion).count() == 3
    page = client.get(reverse("deliberation:meeting_detail", args=[meeting.pk])).content.decode()
    assert "已投票 3" in page and "已达到" in page
    r = client.post(reverse("deliberation:meeting_close", args=[meeting.pk]), {"minutes": "纪要"}, follow=True)
    assert "还有未结束的表决" in r.content.decode()
    client.post(reverse("deliberation:motion_close", args=[motion.pk]))
    motion.refresh_from_db()
    assert motion.result == "passed" and (motion.yes, motion.no) == (2, 1)
    r = client.post(reverse("deliberation:meeting_close", args=[meeting.pk]), {"minutes": ""}, follow=True)
    assert "须填写会议纪要" in r.content.decode()
    client.post(reverse("deliberation:meeting_close", args=[meeting.pk]), {"minutes": "三人到会"})
    meeting.refresh_from_db()
    assert meeting.status == "closed"
    page = client.get(reverse("deliberation:meeting_detail", args=[meeting.pk])).content.decode()
    assert "赞成 2，反对 1" in page and "形成决议" in page


def test_residents_sign_in_and_vote_online_where_the_kind_allows_it(client, delib_world):
    w = delib_world
    meeting = services.meeting_create(actor=w.community_staff, kind=w.teahouse, scope_region=w.c1, title="民生茶馆",
                                      scheduled_at=clock.now(), location="茶馆")
    services.meeting_open(actor=w.community_staff, meeting=meeting)
    motion = services.motion_create(actor=w.community_staff, meeting=meeting, text="周末清理楼道", ballot="secret")
    client.force_login(w.neighbour_user)
    client.post(reverse("deliberation:meeting_sign_in", args=[meeting.pk]), {"self": "1"})
    client.post(reverse("deliberation:motion_vote", args=[motion.pk]), {"choice": "yes"})
    r = client.post(reverse("deliberation:motion_vote", args=[motion.pk]), {"choice": "no"}, follow=True)
    assert "不能重复投票" in r.content.decode()
    page = client.get(reverse("deliberation:meeting_detail", args=[meeting.pk])).content.decode()
    assert "您已投票" in page and "邻居0" not in page  # no list of who cast a secret ballot
    client.force_login(w.resident3)
    assert client.post(reverse("deliberation:motion_vote", args=[motion.pk]), {"choice": "yes"}).status_code == 404


@scope_test("deliberation:resolution_new", "deliberation:resolution_detail", "deliberation:resolution_publish",
            "deliberation:resolution_follow_up", "deliberation:resolution_progress")
def test_resolution_notice_follow_up_and_progress_through_pages(client, delib_world):
    from grassroots.projects.tests.conftest import approved_in_progress

    w = delib_world
    clock.freeze(dt.datetime(2026, 11, 23, 9, 0))
    topic = _topic(w)
    meeting = open_meeting(w)
    services.agenda_add(actor=w.community_staff, meeting=meeting, topic=topic)
    services.meeting_open(actor=w.community_staff, meeting=meeting)
    for person in w.neighbours[:3]:
        services.sign_in(actor=w.community_staff, meeting=meeting, person=person)
    motion = services.motion_create(actor=w.community_staff, meeting=meeting, text="同意", ballot="show_of_hands",
                                    topic=topic)
    for person in w.neighbours[:3]:
        services.vote_cast(actor=w.community_staff, motion=motion, choice="yes", person=person)
    services.motion_close(actor=w.community_staff, motion=motion)
    client.force_login(w.other_staff)
    assert client.get(reverse("deliberation:resolution_new", args=[motion.pk])).status_code == 404
    client.force_login(w.community_staff)
    r = client.post(reverse("deliberation:resolution_new", args=[motion.pk]),
                    {"text": "建设充电桩", "responsible": w.community_staff.pk, "due_date": "2020-01-01"})
    assert "完成时限不能早于今天" in r.content.decode()
    r = client.post(reverse("deliberation:resolution_new", args=[motion.pk]),
                    {"text": "建设充电桩", "responsible": w.community_staff.pk, "due_date": "2027-03-01"})
    resolution = Resolution.objects.get(motion=motion)
    assert r.status_code == 302
    client.post(reverse("deliberation:resolution_publish", args=[resolution.pk]), {"working_days": 5})
    notice = notices.latest_about(resolution)
    notices.objection_submit(actor=w.neighbour_user, notice=notice, text="太吵")
    r = client.post(reverse("deliberation:resolution_follow_up", args=[resolution.pk]), {"project": ""}, follow=True)
    assert "公示期至" in r.content.decode()
    clock.freeze(dt.datetime(2026, 12, 2, 9, 0))
    objection = Objection.objects.get(notice=notice)
    notices.objection_answer(actor=w.community_staff, objection=objection, answer="装隔音罩")
    project = approved_in_progress(w, title="充电桩建设")
    client.logout()  # the clock moved past the idle timeout
    client.force_login(w.community_staff)
    client.post(reverse("deliberation:resolution_follow_up", args=[resolution.pk]), {"project": project.pk})
    resolution.refresh_from_db()
    project.refresh_from_db()
    assert resolution.status == "in_progress" and project.resolution_id == resolution.pk
    client.post(reverse("deliberation:resolution_progress", args=[resolution.pk]),
                {"text": "完成选址", "progress": 40, "happened_on": "2026-12-20"})
    resolution.refresh_from_db()
    assert resolution.progress == 40
    client.force_login(w.resident3)  # public
    page = client.get(reverse("deliberation:resolution_detail", args=[resolution.pk])).content.decode()
    assert "建设充电桩" in page and reverse("deliberation:resolution_progress", args=[resolution.pk]) not in page
    assert client.post(reverse("deliberation:resolution_progress", args=[resolution.pk]),
                       {"text": "x", "progress": 50, "happened_on": "2026-12-21"}).status_code == 302
    resolution.refresh_from_db()
    assert resolution.progress == 40
    # the topic's page tells the whole story
    client.force_login(w.resident)
    page = client.get(reverse("deliberation:topic_detail", args=[topic.pk])).content.decode()
    for text in ("居民会议", "赞成 3", "建设充电桩", "太吵", "装隔音罩", "充电桩建设", "完成选址", "40%"):
        assert text in page, text


@scope_test("deliberation:notices", "deliberation:notice_detail")
def test_the_old_notice_addresses_redirect_to_the_notice_pages(client, delib_world):
    w = delib_world
    _, _, _, resolution = passed_resolution(w)
    notice = services.resolution_publish(actor=w.community_staff, resolution=resolution)
    client.logout()
    r = client.get(reverse("deliberation:notices") + "?kind=resolution")
    assert r.status_code == 301 and r["Location"] == reverse("notices:notices") + "?kind=resolution"
    r = client.get(reverse("deliberation:notice_detail", args=[notice.pk]), follow=True)
    assert r.redirect_chain[0][0] == reverse("notices:notice_detail", args=[notice.pk])
    assert "决议公示" in r.content.decode() and "登录后可提出异议" in r.content.decode()
    assert client.get(reverse("deliberation:notice_detail", args=[999999]), follow=True).status_code == 404
