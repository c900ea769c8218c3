import pytest

from grassroots.deliberation import services
from tests.support.world import scope_test

from .conftest import open_meeting
from .test_views import passed_resolution

pytestmark = pytest.mark.django_db


@scope_test("deliberation_topic_list", "deliberation_topic_detail", "deliberation_topic_create",
            "deliberation_topic_support")
def test_topics_api_raises_supports_and_reads_public_topics(client, delib_world):
    w = delib_world
    client.force_login(w.resident)
    r = client.post("/api/deliberation/topics", {"scope_code": w.g1.code, "title": "停车难", "description": "晚上没车位"},
                    content_type="application/json")
    assert r.status_code == 201
    topic_id = r.json()["id"]
    r = client.post("/api/deliberation/topics", {"scope_code": w.g3.code, "title": "别处", "description": "x"},
                    content_type="application/json")
    assert r.status_code == 403
    client.force_login(w.neighbour_user)
    assert client.post(f"/api/deliberation/topics/{topic_id}/support").json()["support_count"] == 1
    assert client.post(f"/api/deliberation/topics/{topic_id}/support").status_code == 400
    client.force_login(w.department_handler)  # public parts only: topics are public
    assert [t["title"] for t in client.get("/api/deliberation/topics").json()["items"]] == ["停车难"]
    assert client.get(f"/api/deliberation/topics/{topic_id}").json()["community_code"] == w.c1.code
    assert client.get("/api/deliberation/topics/999999").status_code == 404
    assert client.post(f"/api/deliberation/topics/{topic_id}/support").status_code == 403


@scope_test("deliberation_meeting_list", "deliberation_meeting_detail", "deliberation_motion_results")
def test_meetings_are_scoped_and_motion_results_are_counts_only(client, delib_world):
    w = delib_world
    meeting = services.meeting_open(actor=w.community_staff, meeting=open_meeting(w))
    secret = services.motion_create(actor=w.community_staff, meeting=meeting, text="无记名", ballot="secret")
    for person, choice in zip(w.neighbours[:3], ["yes", "no", "yes"], strict=True):
        services.sign_in(actor=w.community_staff, meeting=meeting, person=person)
        services.vote_cast(actor=w.community_staff, motion=secret, choice=choice, person=person)
    client.force_login(w.community_staff)
    assert [m["id"] for m in client.get("/api/deliberation/meetings").json()["items"]] == [meeting.pk]
    assert client.get(f"/api/deliberation/meetings/{meeting.pk}").json()["present"] == 3
    open_result = client.get(f"/api/deliberation/motions/{secret.pk}/results").json()
    assert open_result["cast"] == 3 and open_result["yes"] is None  # no running tally of a secret ballot
    services.motion_close(actor=w.community_staff, motion=secret)
    closed = client.get(f"/api/deliberation/motions/{secret.pk}/results").json()
    assert (closed["yes"], closed["no"], closed["result"]) == (2, 1, "passed")
    assert "persons" not in closed and "voters" not in closed
    client.force_login(w.other_staff)
    assert client.get("/api/deliberation/meetings").json()["count"] == 0
    assert client.get(f"/api/deliberation/meetings/{meeting.pk}").status_code == 404
    assert client.get(f"/api/deliberation/motions/{secret.pk}/results").status_code == 404
    client.force_login(w.enterprise_contact)
    assert client.get(f"/api/deliberation/meetings/{meeting.pk}").status_code == 404


@scope_test("deliberation_resolution_list", "deliberation_resolution_detail", "deliberation_notice_list",
            "deliberation_notice_detail", "deliberation_objection_submit")
def test_resolutions_and_notices_are_public_and_objections_need_an_account(client, delib_world):
    w = delib_world
    topic, _, motion, resolution = passed_resolution(w)
    notice = services.resolution_publish(actor=w.community_staff, resolution=resolution)
    client.force_login(w.department_handler)
    assert client.get("/api/deliberation/resolutions").json()["items"][0]["text"] == "建设充电桩"
    assert client.get(f"/api/deliberation/resolutions/{resolution.pk}").json()["topic_id"] == topic.pk
    assert client.get("/api/deliberation/resolutions/999999").status_code == 404
    assert client.get(f"/api/deliberation/motions/{motion.pk}/results").json()["yes"] == 3  # on a topic: public
    client.logout()
    assert client.get("/api/deliberation/notices").json()["count"] == 1
    assert "应到" in client.get(f"/api/deliberation/notices/{notice.pk}").json()["body"]
    assert client.post(f"/api/deliberation/notices/{notice.pk}/objections", {"text": "x"},
                       content_type="application/json").status_code == 401
    client.force_login(w.resident3)
    r = client.post(f"/api/deliberation/notices/{notice.pk}/objections", {"text": "太吵"}, content_type="application/json")
    assert r.status_code == 201
    detail = client.get(f"/api/deliberation/notices/{notice.pk}").json()
    assert detail["objections"][0]["text"] == "太吵" and "author" not in detail["objections"][0]
    assert client.get("/api/deliberation/notices/999999").status_code == 404
