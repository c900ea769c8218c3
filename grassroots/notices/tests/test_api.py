"""The notices' API (list, one notice, the public board of open notices, objections submitted and answered) and the
party-organisation dimension: a notice owned by a party organisation is answered and counted by the posts on it and
on the committees above it, by path; a secretary of a sibling branch answers nothing."""

import datetime as dt
import json

import pytest

from grassroots.core import clock
from grassroots.core.roles import Role
from grassroots.core.scope import forget
from grassroots.notices import registry, selectors, services
from grassroots.notices.models import Objection
from grassroots.party.permissions import acts_for
from grassroots.party.posts import party_post_create
from grassroots.people.models import Organization
from tests.support.party import build_party
from tests.support.world import login_verified, make_user, scope_test

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def appoint(world, org, role, username):
    user = make_user(username)
    party_post_create(actor=world.admin, user=user, role=role, org=org)
    forget(user)
    return user


@pytest.fixture
def party_notice_kind():
    """A notice about a party organisation (as a nominee list would be), published in the organisation's name by
    the posts acting for it."""
    kind = registry.NoticeKind(
        code="test_party", label="党组织公示", model="party.partyorg",
        can_publish=lambda actor, org: acts_for(actor, org),
        owner=lambda org: registry.Owner(name=org.name, holder=org))
    registry.register(kind)
    yield kind
    registry._kinds.pop(kind.code, None)


@scope_test("notices_list", "notices_detail", "notices_public_open", "notices_objection_submit",
            "notices_objection_answer")
def test_the_api_lists_notices_takes_objections_and_answers_from_the_publisher_side_only(client, world,
                                                                                        org_notice_kind):
    w = world
    clock.freeze(dt.datetime(2026, 11, 23, 9, 0))
    coop = Organization.objects.create(name="安泰蔬菜合作社", kind=Organization.Kind.COOPERATIVE, region=w.c1)
    notice = services.notice_publish(actor=w.community_staff, kind="test_org", subject=coop, title="成员名单公示",
                                     body="拟吸收成员：张三、李四")
    old = services.notice_publish(actor=w.community_staff, kind="test_org", subject=coop, title="上年名单公示",
                                  body="已结束", working_days=1)
    client.logout()
    assert client.get("/api/notices/notices").status_code == 401
    clock.freeze(dt.datetime(2026, 11, 25, 9, 0))  # the one-day notice is over, the five-day one runs
    public = client.get("/api/notices/public").json()
    assert [n["title"] for n in public["items"]] == ["成员名单公示"] and public["items"][0]["open"]
    assert client.get(f"/api/notices/public?region={w.c3.code}").json()["count"] == 0

    login_verified(client, w.resident3)
    assert client.get("/api/notices/notices").json()["count"] == 2
    assert client.get("/api/notices/notices?open=true").json()["count"] == 1
    assert client.get("/api/notices/notices?mine=true").json()["count"] == 0  # a resident answers for nothing
    made = post(client, f"/api/notices/notices/{notice.pk}/objections", {"text": "李四已迁出"})
    assert made.status_code == 201 and made.json()["answer"] == ""
    late = post(client, f"/api/notices/notices/{old.pk}/objections", {"text": "迟了"})
    assert late.status_code == 400 and late.json()["code"] == "notice_ended"
    assert post(client, f"/api/notices/notices/{notice.pk}/objections", {"text": " "}).status_code == 400
    objection_id = made.json()["id"]
    for outsider in (w.resident3, w.other_staff):
        login_verified(client, outsider)
        assert post(client, f"/api/notices/objections/{objection_id}/answer", {"answer": "x"}).status_code == 404
        assert client.get(f"/api/notices/notices/{notice.pk}").json()["can_answer"] is False
    assert not Objection.objects.filter(answered_at__isnull=False).exists()

    login_verified(client, w.community_staff)
    assert [n["title"] for n in client.get("/api/notices/notices?mine=true&open=true").json()["items"]] == \
        ["成员名单公示"]
    detail = client.get(f"/api/notices/notices/{notice.pk}").json()
    assert detail["can_answer"] and detail["objection_count"] == 1 and detail["objections"][0]["text"] == "李四已迁出"
    answered = post(client, f"/api/notices/objections/{objection_id}/answer", {"answer": "已核实，李四仍在本村"})
    assert answered.status_code == 200 and answered.json()["answered_at"]
    again = post(client, f"/api/notices/objections/{objection_id}/answer", {"answer": "再答"})
    assert again.status_code == 400 and again.json()["code"] == "state"
    assert client.get("/api/notices/notices/999999").status_code == 404


def test_a_party_organisations_notice_is_answered_and_counted_by_its_posts_and_the_committees_above(
        client, world, party_notice_kind):
    w = world
    p = build_party(w)
    clock.freeze(dt.datetime(2026, 11, 23, 9, 0))
    secretary = appoint(w, p.g1, Role.PARTY_BRANCH_SECRETARY, "g1_secretary")
    sibling = appoint(w, p.g2, Role.PARTY_BRANCH_SECRETARY, "g2_secretary")
    officer = appoint(w, p.c1, Role.PARTY_COMMITTEE_OFFICER, "c1_officer")
    other_officer = appoint(w, p.c2, Role.PARTY_COMMITTEE_OFFICER, "c2_officer")
    notice = services.notice_publish(actor=secretary, kind="test_party", subject=p.g1, title="发展对象公示",
                                     body="拟确定发展对象：赵一")
    assert notice.party_path == p.g1.path and notice.region is None
    objection = services.objection_submit(actor=w.resident3, notice=notice, text="请说明培养情况")
    for actor in (secretary, officer):
        assert list(selectors.owned(actor=actor)) == [notice]
        assert list(selectors.objections_waiting(actor=actor)) == [objection]
    for actor in (sibling, other_officer, w.community_staff):
        assert list(selectors.owned(actor=actor)) == []
        assert list(selectors.objections_waiting(actor=actor)) == []
    login_verified(client, sibling)
    assert post(client, f"/api/notices/objections/{objection.pk}/answer", {"answer": "x"}).status_code == 404
    assert client.get("/api/notices/notices?mine=true").json()["count"] == 0
    login_verified(client, officer)
    assert client.get("/api/notices/notices?mine=true").json()["count"] == 1
    assert post(client, f"/api/notices/objections/{objection.pk}/answer",
                {"answer": "已列入培养两年"}).status_code == 200
    assert list(selectors.objections_waiting(actor=secretary)) == []
