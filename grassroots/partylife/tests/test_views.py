import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.core import clock
from grassroots.party.models import PartyOrg
from grassroots.partylife import services
from grassroots.partylife.models import Alert, Meeting, MeetingKind, MemberReview, PointsEntry, Term
from tests.support.world import login_verified, scope_test

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    clock.freeze(dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC))
    yield
    clock.reset()


def _noticed(life, org=None, actor=None):
    kind = MeetingKind.objects.get(code="branch_assembly")
    m = services.meeting_plan(actor=actor or life.sec_g1, org=org or life.p.g1, kind=kind, title="第四季度党员大会",
                              planned_at=dt.datetime(2026, 11, 19, 6, 0, tzinfo=dt.UTC))
    return services.meeting_notice(actor=actor or life.sec_g1, meeting=m)


def _xlsx(response):
    return [r for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]


@scope_test("partylife:meetings", "partylife:meeting_plan", "partylife:meeting_detail", "partylife:meeting_action",
            "partylife:meeting_sign_in", "partylife:meeting_hold", "partylife:meeting_attach",
            "partylife:meeting_export", "partylife:attendance")
def test_a_secretary_runs_a_meeting_through_the_pages_and_others_find_it_missing(client, life):
    login_verified(client, life.sec_g1)
    kind = MeetingKind.objects.get(code="branch_assembly")
    r = client.post(reverse("partylife:meeting_plan"), {"org": life.p.g1.pk, "kind": kind.pk, "title": "冬季学习",
                                                        "planned_at": "2026-11-19T14:00", "place": "活动室"})
    meeting = Meeting.objects.get(title="冬季学习")
    assert r.status_code == 302
    client.post(reverse("partylife:meeting_action", args=[meeting.pk, "notice"]))
    data = {f"p-{m.person_id}": "present" for m in life.g1_full[:6]}
    data[f"p-{life.g1_full[6].person_id}"] = "leave"
    data[f"r-{life.g1_full[6].person_id}"] = "出差"
    client.post(reverse("partylife:meeting_sign_in", args=[meeting.pk]), data)
    upload = SimpleUploadedFile("会议.pdf", b"%PDF-1.4\n%x\n", content_type="application/pdf")
    client.post(reverse("partylife:meeting_attach", args=[meeting.pk]), {"file": upload})
    client.post(reverse("partylife:meeting_hold", args=[meeting.pk]), {"held_on": "2026-11-19", "minutes": "学习党章",
                                                                       "resolutions": "同意"})
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.quorum_met is True
    body = client.get(reverse("partylife:meeting_detail", args=[meeting.pk])).content.decode()
    assert "学习党章" in body and "出差" in body
    client.post(reverse("partylife:meeting_action", args=[meeting.pk, "archive"]))
    assert Meeting.objects.get(pk=meeting.pk).status == "archived"
    assert "冬季学习" in client.get(reverse("partylife:meetings")).content.decode()
    assert [r[2] for r in _xlsx(client.get(reverse("partylife:meeting_export")))[1:]] == ["冬季学习"]
    person = life.g1_full[0].person_id
    assert "冬季学习" in client.get(reverse("partylife:attendance", args=[person])).content.decode()
    # another branch's secretary: everything is missing
    login_verified(client, life.sec_g3)
    assert "冬季学习" not in client.get(reverse("partylife:meetings")).content.decode()
    assert _xlsx(client.get(reverse("partylife:meeting_export")))[1:] == []
    assert client.get(reverse("partylife:attendance", args=[person])).status_code == 404
    for name, args in (("meeting_detail", [meeting.pk]), ("meeting_action", [meeting.pk, "cancel"]),
                       ("meeting_sign_in", [meeting.pk]), ("meeting_hold", [meeting.pk]),
                       ("meeting_attach", [meeting.pk])):
        url = reverse(f"partylife:{name}", args=args)
        assert (client.get(url) if name == "meeting_detail" else client.post(url, {})).status_code == 404
    client.post(reverse("partylife:meeting_plan"), {"org": life.p.g1.pk, "kind": kind.pk, "title": "越权",
                                                    "planned_at": "2026-11-19T14:00"})
    assert not Meeting.objects.filter(title="越权").exists()
    # a member sees the meeting they were due at, and only their own line of the sheet
    login_verified(client, life.member_g1)
    body = client.get(reverse("partylife:meeting_detail", args=[meeting.pk])).content.decode()
    assert life.g1_full[1].person.name in body and life.g1_full[2].person.name not in body
    assert client.get(reverse("partylife:attendance", args=[life.g1_full[2].person_id])).status_code == 404


@scope_test("partylife:alerts", "partylife:alert_acknowledge", "partylife:alert_export")
def test_the_overdue_list_of_an_upper_committee(client, life):
    PartyOrg.objects.update(founded_on=dt.date(2020, 1, 1))
    services.rhythm_sweep()
    login_verified(client, life.officer_c1)
    body = client.get(reverse("partylife:alerts") + "?kind=rhythm").content.decode()
    assert "安泰一网格党支部2026年第3季度未召开支部党员大会" in body and "新华一网格党支部" not in body
    rows = _xlsx(client.get(reverse("partylife:alert_export") + "?kind=rhythm"))
    assert rows[1:] and all("新华" not in r[0] for r in rows[1:])
    alert = Alert.objects.filter(org=life.p.g3).first()
    assert client.post(reverse("partylife:alert_acknowledge", args=[alert.pk]), {"note": "x"}).status_code == 404
    login_verified(client, life.sec_g3)
    client.post(reverse("partylife:alert_acknowledge", args=[alert.pk]), {"note": "已补开"})
    assert Alert.objects.get(pk=alert.pk).acknowledged_at is not None


@scope_test("partylife:terms", "partylife:term_start", "partylife:term_extend", "partylife:term_export")
def test_terms_pages(client, life):
    login_verified(client, life.sec_g1)
    client.post(reverse("partylife:term_start"), {"org": life.p.g1.pk, "start": "2021-12-01"})
    term = Term.objects.get(org=life.p.g1)
    assert term.end == dt.date(2026, 12, 1)
    assert life.p.g1.name in client.get(reverse("partylife:terms") + "?due=1").content.decode()
    client.post(reverse("partylife:term_extend", args=[term.pk]), {"to": "2027-06-01", "reason": "合并调整"})
    login_verified(client, life.officer_c1)
    client.post(reverse("partylife:term_extend", args=[term.pk]), {"decision": "approve"})
    assert Term.objects.get(pk=term.pk).extended_to == dt.date(2027, 6, 1)
    assert _xlsx(client.get(reverse("partylife:term_export")))[1][0] == life.p.g1.name
    login_verified(client, life.sec_g3)
    assert life.p.g1.name not in client.get(reverse("partylife:terms")).content.decode()
    assert client.post(reverse("partylife:term_extend", args=[term.pk]), {"decision": "approve"}).status_code == 404
    assert client.post(reverse("partylife:term_start"), {"org": life.p.g1.pk, "start": "2026-01-01"}).status_code == 404
    assert _xlsx(client.get(reverse("partylife:term_export")))[1:] == []


@scope_test("partylife:points", "partylife:points_enter", "partylife:points_decide", "partylife:points_export",
            "partylife:reviews", "partylife:review_record", "partylife:review_export", "partylife:me")
def test_points_reviews_and_the_members_own_page(client, life):
    person = life.g1_full[1].person
    login_verified(client, life.sec_g1)
    client.post(reverse("partylife:points_enter"), {"person": person.pk, "rule": "manual_plus", "points": "4",
                                                    "reason": "带头清理楼道"})
    entry = PointsEntry.objects.get(person=person)
    client.post(reverse("partylife:review_record"), {"person": person.pk, "year": "2026", "grade": "excellent"})
    assert MemberReview.objects.get(person=person).grade == "excellent"
    login_verified(client, life.officer_c1)
    assert "带头清理楼道" in client.get(reverse("partylife:points")).content.decode()
    client.post(reverse("partylife:points_decide", args=[entry.pk]), {"decision": "approve"})
    assert PointsEntry.objects.get(pk=entry.pk).status == "approved"
    assert _xlsx(client.get(reverse("partylife:points_export")))[1] == (person.name, life.p.g1.name, 4)
    body = client.get(reverse("partylife:reviews")).content.decode()
    assert person.name in body and "优秀" in body
    assert _xlsx(client.get(reverse("partylife:review_export")))[1][3] == "优秀"
    login_verified(client, life.sec_g3)
    assert person.name not in client.get(reverse("partylife:points")).content.decode()
    assert person.name not in client.get(reverse("partylife:reviews")).content.decode()
    assert _xlsx(client.get(reverse("partylife:points_export")))[1:] == []
    assert _xlsx(client.get(reverse("partylife:review_export")))[1:] == []
    assert client.post(reverse("partylife:points_decide", args=[entry.pk]), {}).status_code == 404
    assert client.post(reverse("partylife:points_enter"), {"person": person.pk, "rule": "manual_plus", "points": "1",
                                                           "reason": "x"}).status_code == 404
    assert client.post(reverse("partylife:review_record"), {"person": person.pk, "year": "2026",
                                                            "grade": "basic"}).status_code == 404
    login_verified(client, life.member_g1)
    body = client.get(reverse("partylife:me")).content.decode()
    assert "带头清理楼道" in body and "优秀" in body
    login_verified(client, life.prob_g1)
    assert "带头清理楼道" not in client.get(reverse("partylife:me")).content.decode()


def _api(client, method, url, body=None):
    if method == "get":
        return client.get(url)
    return client.post(url, json.dumps(body or {}), content_type="application/json")


@scope_test("party_meeting_list", "party_meeting_plan", "party_meeting_detail", "party_meeting_attendance",
            "party_meeting_notice", "party_meeting_sign_in", "party_meeting_hold", "party_meeting_archive")
def test_the_meetings_api(client, life):
    login_verified(client, life.sec_g1)
    r = _api(client, "post", "/api/party/meetings", {"org_id": life.p.g1.pk, "kind": "branch_assembly",
                                                     "title": "API 党员大会", "planned_at": "2026-11-19T14:00:00+08:00"})
    assert r.status_code == 201
    pk = r.json()["id"]
    assert _api(client, "post", f"/api/party/meetings/{pk}/notice").json()["status"] == "noticed"
    marks = [{"person_id": m.person_id, "presence": "present"} for m in life.g1_full[:4]]
    _api(client, "post", f"/api/party/meetings/{pk}/sign-in", {"marks": marks})
    refused = _api(client, "post", f"/api/party/meetings/{pk}/minutes", {"held_on": "2026-11-19", "minutes": "x",
                                                                         "resolutions": "决议"})
    assert refused.status_code == 400 and refused.json()["code"] == "no_quorum"
    held = _api(client, "post", f"/api/party/meetings/{pk}/minutes", {"held_on": "2026-11-19", "minutes": "x"})
    assert held.json()["quorum_met"] is False and held.json()["due_with_vote"] == 8
    assert _api(client, "post", f"/api/party/meetings/{pk}/archive").json()["status"] == "archived"
    assert len(_api(client, "get", f"/api/party/meetings/{pk}/attendance").json()) == 10
    assert _api(client, "get", "/api/party/meetings").json()["count"] == 1
    login_verified(client, life.sec_g3)
    assert _api(client, "get", "/api/party/meetings").json()["count"] == 0
    for method, url in (("get", f"/api/party/meetings/{pk}"), ("get", f"/api/party/meetings/{pk}/attendance"),
                        ("post", f"/api/party/meetings/{pk}/notice"), ("post", f"/api/party/meetings/{pk}/archive")):
        assert _api(client, method, url).status_code == 404
    assert _api(client, "post", f"/api/party/meetings/{pk}/sign-in", {"marks": []}).status_code == 404
    assert _api(client, "post", f"/api/party/meetings/{pk}/minutes", {"held_on": "2026-11-19",
                                                                      "minutes": "x"}).status_code == 404
    assert _api(client, "post", "/api/party/meetings", {"org_id": life.p.g1.pk, "kind": "branch_assembly",
                                                        "title": "x",
                                                        "planned_at": "2026-11-19T14:00:00+08:00"}).status_code == 404


@scope_test("party_alert_list", "party_alert_acknowledge", "party_term_list", "party_term_start",
            "party_points_totals", "party_points_entries", "party_points_enter", "party_points_decide",
            "party_review_list", "party_review_record")
def test_the_alerts_terms_points_and_reviews_api(client, life):
    PartyOrg.objects.update(founded_on=dt.date(2020, 1, 1))
    services.rhythm_sweep()
    person = life.g1_full[2].person
    login_verified(client, life.sec_g1)
    alerts = _api(client, "get", "/api/party/alerts?kind=rhythm").json()["items"]
    assert alerts and all(a["org_id"] in (life.p.g1.pk, life.p.b1.pk) for a in alerts)
    done = _api(client, "post", f"/api/party/alerts/{alerts[0]['id']}/acknowledge", {"note": "已补开"})
    assert done.json()["acknowledged_at"]
    started = _api(client, "post", "/api/party/terms", {"org_id": life.p.g1.pk, "start": "2022-01-01"})
    assert started.status_code == 201 and started.json()["end"] == "2027-01-01"
    assert _api(client, "get", "/api/party/terms?due=true").json()["count"] == 1
    entered = _api(client, "post", "/api/party/points/entries", {"person_id": person.pk, "rule": "manual_plus",
                                                                 "points": "3", "reason": "宣讲"})
    assert entered.status_code == 201 and entered.json()["status"] == "pending"
    review = _api(client, "post", "/api/party/reviews", {"person_id": person.pk, "year": 2026, "grade": "qualified"})
    assert review.status_code == 201
    login_verified(client, life.officer_c1)
    decided = _api(client, "post", f"/api/party/points/entries/{entered.json()['id']}/decide", {"approve": True})
    assert decided.json()["status"] == "approved"
    assert _api(client, "get", "/api/party/points?year=2026").json()[0]["total"] == "3.0"
    assert _api(client, "get", "/api/party/reviews?year=2026").json()["items"][0]["points"] == "3.0"
    login_verified(client, life.sec_g3)
    g3_alert = Alert.objects.filter(org=life.p.g1).exclude(pk=alerts[0]["id"]).first()
    assert _api(client, "post", f"/api/party/alerts/{g3_alert.pk}/acknowledge", {"note": "x"}).status_code == 404
    assert all(a["org_id"] in (life.p.g3.pk, life.p.b3.pk) for a in _api(client, "get", "/api/party/alerts").json()["items"])
    assert _api(client, "get", "/api/party/terms").json()["count"] == 0
    assert _api(client, "post", "/api/party/terms", {"org_id": life.p.g1.pk, "start": "2022-01-01"}).status_code == 404
    assert _api(client, "get", "/api/party/points?year=2026").json() == []
    assert _api(client, "get", "/api/party/points/entries").json()["count"] == 0
    assert _api(client, "post", "/api/party/points/entries", {"person_id": person.pk, "rule": "manual_plus",
                                                              "points": "3", "reason": "x"}).status_code == 404
    assert _api(client, "post", f"/api/party/points/entries/{entered.json()['id']}/decide",
                {"approve": False}).status_code == 404
    assert _api(client, "get", "/api/party/reviews").json()["count"] == 0
    assert _api(client, "post", "/api/party/reviews", {"person_id": person.pk, "year": 2026,
                                                       "grade": "basic"}).status_code == 404


def test_the_workbench_tallies_equal_their_lists(client, life):
    from grassroots.core.scope import scope_for
    from grassroots.partylife import selectors, workbench

    PartyOrg.objects.update(founded_on=dt.date(2020, 1, 1))
    _noticed(life)
    services.sweep()
    tallies = {t.key: t for t in workbench.tallies(life.sec_g1, scope_for(life.sec_g1), clock.now())}
    assert tallies["partylife.to_prepare"].count == 1
    assert tallies["partylife.behind_rhythm"].count == selectors.alerts(actor=life.sec_g1, kind="rhythm").count() > 0
    officer = {t.key: t for t in workbench.tallies(life.officer_c1, scope_for(life.officer_c1), clock.now())}
    assert "partylife.to_prepare" not in officer
    assert officer["partylife.behind_rhythm"].count == selectors.alerts(actor=life.officer_c1, kind="rhythm").count()
    login_verified(client, life.sec_g1)
    body = client.get(reverse("partylife:meetings") + "?open=1").content.decode()
    assert "第四季度党员大会" in body
    assert workbench.tallies(life.w.grid_worker, scope_for(life.w.grid_worker), clock.now()) == []


def test_bad_input_is_refused_never_a_server_error(client, life):
    login_verified(client, life.sec_g1)
    kind = MeetingKind.objects.get(code="branch_assembly")
    for planned in ("2026-11-19T14:00+08:00", "x", "9999-12-31T23:59", ""):
        r = client.post(reverse("partylife:meeting_plan"), {"org": life.p.g1.pk, "kind": kind.pk, "title": "t",
                                                            "planned_at": planned})
        assert r.status_code == 302
    assert client.post(reverse("partylife:meeting_plan"), {"org": "x", "kind": "y"}).status_code == 302
    m = _noticed(life)
    assert client.post(reverse("partylife:meeting_hold", args=[m.pk]), {"held_on": "2030-01-01"}).status_code == 302
    assert client.post(reverse("partylife:meeting_sign_in", args=[m.pk]), {"p-999999": "present"}).status_code == 302
    assert client.post(reverse("partylife:review_record"), {"person": life.g1_full[0].person_id, "year": "abc",
                                                            "grade": "x"}).status_code == 302
    assert client.post(reverse("partylife:term_start"), {"org": life.p.g1.pk, "start": "x",
                                                         "years": "99"}).status_code == 302
    assert client.post(reverse("partylife:points_enter"), {"person": life.g1_full[0].person_id,
                                                           "rule": "manual_plus", "points": "NaN",
                                                           "reason": "x"}).status_code == 302
    for url in ("meetings", "alerts", "terms", "points", "reviews", "me"):
        assert client.get(reverse(f"partylife:{url}") + "?year=99999&org=abc&kind=zz&status=bad&page=x").status_code \
            == 200
    r = client.post("/api/party/points/entries", json.dumps({"person_id": life.g1_full[0].person_id,
                                                              "rule": "manual_plus", "points": "1e9", "reason": "x"}),
                    content_type="application/json")
    assert r.status_code == 400


@scope_test("partylife:points_services")
def test_service_hours_not_yet_counted_are_counted_from_the_points_page(client, life):
    from decimal import Decimal

    from grassroots.party.models import ServiceRecord

    mine = life.g1_full[4].person
    other = life.g3_full[0].person  # 新华: another branch, not the g1 secretary's
    for person, hours in ((mine, "3"), (mine, "2.5"), (other, "4")):
        ServiceRecord.objects.create(person=person, date=dt.date(2026, 10, 3), hours=Decimal(hours),
                                     description="社区志愿服务", source="volunteer")
    ServiceRecord.objects.create(person=mine, date=dt.date(2025, 10, 3), hours=Decimal("1"), description="去年")
    login_verified(client, life.sec_g1)
    page = client.get("/partylife/points/?year=2026").content.decode()
    assert "本年度有 2 条" in page
    response = client.post("/partylife/points/services/", {"year": "2026"})
    assert response.status_code == 302
    lines = PointsEntry.objects.filter(rule__code="service_hour")
    assert sorted(e.points for e in lines) == [Decimal("2.5"), Decimal("3")]
    assert {e.person_id for e in lines} == {mine.pk} and {e.org_id for e in lines} == {life.p.g1.pk}
    assert "都已计入积分" in client.get("/partylife/points/?year=2026").content.decode()
    client.post("/partylife/points/services/", {"year": "2026"})  # again: nothing twice
    assert lines.count() == 2
    # another branch's organisation looks missing; a resident acts for none
    assert client.post("/partylife/points/services/", {"year": "2026", "org": life.p.g3.pk}).status_code == 404
    login_verified(client, life.sec_g3)
    client.post("/partylife/points/services/", {"year": "2026"})
    assert PointsEntry.objects.filter(rule__code="service_hour", person=other).count() == 1
    client.force_login(life.member_g1)
    client.post("/partylife/points/services/", {"year": "2026"})
    assert PointsEntry.objects.filter(rule__code="service_hour").count() == 3


@scope_test("partylife:term_seats", "partylife:seat_end", "party_seat_list", "party_seat_add", "party_seat_end")
def test_the_committee_of_a_term_through_the_pages_and_the_api(client, life):
    from grassroots.partylife.models import CommitteeSeat

    term = services.term_start(actor=life.sec_g1, org=life.p.g1, start=dt.date(2024, 3, 1))
    a, b = life.g1_full[0].person, life.g1_full[1].person
    login_verified(client, life.sec_g1)
    url = reverse("partylife:term_seats", args=[term.pk])
    assert "本届尚未登记委员" in client.get(url).content.decode()
    assert client.post(url, {"person": a.pk, "duty": "secretary", "start": "2024-03-01"}).status_code == 302
    page = client.get(url).content.decode()
    assert a.name in page and "书记" in page
    r = client.post(f"/api/party/terms/{term.pk}/seats", {"person_id": b.pk, "duty": "secretary"},
                    content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "duty"
    r = client.post(f"/api/party/terms/{term.pk}/seats", {"person_id": b.pk, "duty": "organisation"},
                    content_type="application/json")
    assert r.status_code == 201 and r.json()["duty"] == "organisation"
    seat = CommitteeSeat.objects.get(person=b)
    assert {s["person_id"] for s in client.get(f"/api/party/terms/{term.pk}/seats").json()} == {a.pk, b.pk}
    client.post(reverse("partylife:seat_end", args=[seat.pk]), {"reason": "调离"})
    seat.refresh_from_db()
    assert seat.ended_on is not None and seat.end_reason == "调离"
    current = client.get(f"/api/party/terms/{term.pk}/seats?current=true").json()
    assert [s["person_id"] for s in current] == [a.pk]
    assert client.post(f"/api/party/seats/{seat.pk}/end", {"reason": "x"},
                       content_type="application/json").status_code == 409
    # another branch's secretary and a plain member: the term and its seats look missing
    for other in (life.sec_g3, life.member_g1):
        login_verified(client, other)
        assert client.get(url).status_code == 404
        assert client.post(url, {"person": b.pk, "duty": "member"}).status_code == 404
        assert client.post(reverse("partylife:seat_end", args=[seat.pk]), {"reason": "x"}).status_code == 404
        assert client.get(f"/api/party/terms/{term.pk}/seats").status_code == 404
        assert client.post(f"/api/party/terms/{term.pk}/seats", {"person_id": b.pk, "duty": "member"},
                           content_type="application/json").status_code == 404
        assert client.post(f"/api/party/seats/{seat.pk}/end", {"reason": "x"},
                           content_type="application/json").status_code == 404
    # the committee above sees them
    login_verified(client, life.officer_c1)
    assert client.get(url).status_code == 200
