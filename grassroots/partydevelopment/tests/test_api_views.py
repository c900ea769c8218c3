import pytest

from grassroots.partydevelopment.tests.test_services import PLAN, advance
from tests.support.world import scope_test


@scope_test("party_development_case_list", "party_development_case_detail", "party_development_pipeline")
def test_api_lists_are_scoped(client, posts, dev):
    client.force_login(posts.secretary)
    assert [c["id"] for c in client.get("/api/party/development/cases").json()] == [dev.pk]
    body = client.get(f"/api/party/development/cases/{dev.pk}").json()
    assert body["next_step"] == 2 and body["steps"][0]["number"] == 1
    assert client.get("/api/party/development/pipeline").json()[0]["applicant"] == 1
    client.force_login(posts.worker4)
    assert client.get("/api/party/development/cases").json() == []
    assert client.get(f"/api/party/development/cases/{dev.pk}").status_code == 404
    assert client.get("/api/party/development/pipeline").json() == []
    assert client.get("/api/party/development/cases", {"stage": "x"}).status_code == 400


@scope_test("party_development_step_record")
def test_api_step_refusals_give_the_reason(client, posts, dev):
    client.force_login(posts.secretary)
    url = f"/api/party/development/cases/{dev.pk}/steps"
    r = client.post(url, {"number": 2, "done_on": "2024-02-16", "done_by": "王"}, content_type="application/json")
    assert r.status_code == 400 and "2024-02-15" in r.json()["message_zh"] and r.json()["message_en"]
    r = client.post(url, {"number": 2, "done_on": "2024-02-15", "done_by": "王"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["last_step"] == 2
    client.force_login(posts.worker4)
    r = client.post(url, {"number": 3, "done_on": "2024-03-01", "done_by": "王"}, content_type="application/json")
    assert r.status_code == 404


@scope_test("partydevelopment:cases", "partydevelopment:case_detail")
def test_pages_are_scoped_and_the_upper_committee_sees_where_cases_wait(client, posts, dev):
    case = advance(posts, dev, 3)  # step 4 waits on the committee
    client.force_login(posts.officer)
    page = client.get("/partydevelopment/", {"waiting": "upper"}).content.decode()
    assert case.person.name in page
    assert "s-date" in client.get(f"/partydevelopment/cases/{case.pk}/").content.decode()
    client.force_login(posts.secretary)
    assert "s-date" not in client.get(f"/partydevelopment/cases/{case.pk}/").content.decode()
    assert case.person.name not in client.get("/partydevelopment/", {"waiting": "branch"}).content.decode()
    client.force_login(posts.worker4)
    assert case.person.name not in client.get("/partydevelopment/").content.decode()
    assert client.get(f"/partydevelopment/cases/{case.pk}/").status_code == 404


@scope_test("partydevelopment:step_record", "partydevelopment:notice_publish", "partydevelopment:case_extend")
def test_page_actions(client, posts, dev):
    client.force_login(posts.secretary)
    client.post(f"/partydevelopment/cases/{dev.pk}/steps/", {"number": 2, "done_on": "2024-02-01", "done_by": "王"})
    dev.refresh_from_db()
    assert dev.last_step == 2
    case = advance(posts, dev, 12)
    client.post(f"/partydevelopment/cases/{case.pk}/notice/")
    from grassroots.notices.models import Notice

    assert Notice.objects.filter(kind="party_candidate").count() == 1
    case = advance(posts, case, 20)
    client.logout()  # the clock moved past the notice period, and past the session's idle timeout
    client.force_login(posts.secretary)
    client.post(f"/partydevelopment/cases/{case.pk}/extend/", {"months": "6", "reason": "考察"})
    case.refresh_from_db()
    assert case.extension_months == 6
    client.force_login(posts.worker4)
    assert client.post(f"/partydevelopment/cases/{case.pk}/extend/", {"months": "6"}).status_code == 404
    assert client.post(f"/partydevelopment/cases/{case.pk}/steps/", {"number": 21}).status_code == 404
    assert client.post(f"/partydevelopment/cases/{case.pk}/notice/").status_code == 404


@pytest.mark.django_db
def test_plan_is_in_order():
    assert sorted(PLAN) == list(range(2, 26))


@scope_test("party_development_case_open", "partydevelopment:case_open")
def test_opening_a_case_by_id_number(client, world, party, posts):
    from grassroots.core import clock
    from grassroots.partydevelopment.models import DevelopmentCase
    from grassroots.people.idnumbers import with_check_character
    from grassroots.people.services import person_create

    number = with_check_character("37050219950101001")
    person_create(actor=world.community_staff, name="新申请人", id_number=number, building=world.b1)
    client.force_login(world.community_staff)
    body = {"id_number": number, "branch_id": party.g1.pk, "applied_on": clock.today().isoformat()}
    r = client.post("/api/party/development/cases", body, content_type="application/json")
    assert r.status_code == 201 and r.json()["next_step"] == 2
    r = client.post("/api/party/development/cases", body, content_type="application/json")
    assert r.status_code == 400  # one open case per person
    client.force_login(world.other_staff)  # another community: neither the person nor the branch is theirs
    r = client.post("/api/party/development/cases", {**body, "branch_id": party.g4.pk},
                    content_type="application/json")
    assert r.status_code == 404
    DevelopmentCase.objects.all().delete()
    client.force_login(world.community_staff)
    client.post("/partydevelopment/cases/new/", {"id_number": number, "branch": party.g1.pk,
                                                 "applied_on": clock.today().isoformat()})
    assert DevelopmentCase.objects.count() == 1
    client.force_login(world.other_staff)
    client.post("/partydevelopment/cases/new/", {"id_number": number, "branch": party.g1.pk,
                                                 "applied_on": clock.today().isoformat()})
    assert DevelopmentCase.objects.count() == 1
