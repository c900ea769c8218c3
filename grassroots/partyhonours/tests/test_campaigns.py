"""两优一先: quotas handed down never add up to more than the holder's; nominations within quota, by the deadline,
with their conditions (a full member, 优秀 in the latest 民主评议, a party post for 优秀党务工作者, an organisation a
full year old); the review above (never the nominator); the notice with objections before the award; the award kept
as history on the member's page and worth points."""

import datetime as dt

import pytest

from grassroots.core import clock
from grassroots.core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from grassroots.partyhonours import selectors, services
from grassroots.partyhonours.models import Honour
from tests.support.world import login_verified, scope_test

pytestmark = pytest.mark.django_db


@pytest.fixture
def hw(world):
    """Zone 党工委 officer runs the campaign; 安泰社区党委 (c1) officer hands down to g1; g1's secretary nominates."""
    from types import SimpleNamespace

    from grassroots.core import roles as R
    from grassroots.party.models import PartyOrg
    from grassroots.party.posts import party_post_create
    from grassroots.partylife import services as life
    from grassroots.partylife.policy import ensure_defaults
    from tests.support.party import add_members, build_party
    from tests.support.world import make_user

    ensure_defaults()
    p = build_party(world)
    PartyOrg.objects.update(founded_on=dt.date(2020, 1, 1))
    ns = SimpleNamespace(w=world, p=p)

    def post(username, role, org, person=None):
        user = make_user(username, person=person)
        party_post_create(actor=world.admin, user=user, role=role, org=org, start_date=dt.date(2020, 1, 1))
        return user

    ns.members = add_members(p.g1, 4, prefix="安泰党员")
    ns.prob = add_members(p.g1, 1, status="probationary", prefix="预备")[0]
    ns.zone_officer = post("h_zone", R.Role.PARTY_COMMITTEE_OFFICER, p.zone)
    ns.c1_officer = post("h_c1", R.Role.PARTY_COMMITTEE_OFFICER, p.c1)
    ns.secretary = post("h_sec_g1", R.Role.PARTY_BRANCH_SECRETARY, p.g1, person=ns.members[3].person)
    ns.sec_g4 = post("h_sec_g4", R.Role.PARTY_BRANCH_SECRETARY, p.g4)
    for m, grade in zip(ns.members, ("excellent", "qualified", "excellent", "excellent"), strict=True):
        life.review_record(actor=None, person=m.person, org=p.g1, year=clock.today().year - 1, grade=grade)
    ns.campaign = services.campaign_create(
        actor=ns.zone_officer, org=p.zone, year=clock.today().year, name="七一表彰",
        nominate_until=clock.today() + dt.timedelta(days=20),
        quotas={"outstanding_member": 3, "outstanding_worker": 1, "advanced_org": 1})
    services.quota_set(actor=ns.zone_officer, campaign=ns.campaign, org=p.c1, title="outstanding_member", quota=2)
    services.quota_set(actor=ns.c1_officer, campaign=ns.campaign, org=p.g1, title="outstanding_member", quota=1)
    return ns


def test_quotas_handed_down_never_exceed_the_holders(hw):
    p = hw.p
    with pytest.raises(ValidationFailed) as err:  # zone holds 3, gave c1 2: 1 left
        services.quota_set(actor=hw.zone_officer, campaign=hw.campaign, org=p.c2, title="outstanding_member",
                           quota=2)
    assert err.value.code == "quota_exceeded"
    services.quota_set(actor=hw.zone_officer, campaign=hw.campaign, org=p.c2, title="outstanding_member", quota=1)
    with pytest.raises(ValidationFailed):  # c1 holds 2, gave g1 1: g2 may get 1, not 2
        services.quota_set(actor=hw.c1_officer, campaign=hw.campaign, org=p.g2, title="outstanding_member", quota=2)
    services.quota_set(actor=hw.c1_officer, campaign=hw.campaign, org=p.g2, title="outstanding_member", quota=1)
    with pytest.raises(NotPermitted):  # a branch never hands itself a quota
        services.quota_set(actor=hw.secretary, campaign=hw.campaign, org=p.g1, title="outstanding_member", quota=1)
    with pytest.raises(ValidationFailed):  # nobody above g3 holds an 优秀党务工作者 quota but the zone: fine; c2 none
        services.quota_set(actor=hw.zone_officer, campaign=hw.campaign, org=p.c2, title="outstanding_worker",
                           quota=2)


def test_nominations_check_their_conditions_and_the_quota(hw):
    m_excellent, m_qualified, m_second = hw.members[0], hw.members[1], hw.members[2]
    kw = dict(actor=hw.secretary, campaign=hw.campaign, title="outstanding_member", org=hw.p.g1, reasons="带头服务群众")
    with pytest.raises(ValidationFailed) as err:
        services.nomination_create(person=m_qualified.person, **kw)
    assert err.value.code == "review_not_excellent"
    with pytest.raises(ValidationFailed) as err:
        services.nomination_create(person=hw.prob.person, **kw)
    assert err.value.code == "not_full_member"
    n = services.nomination_create(person=m_excellent.person, **kw)
    assert n.checks["review_grade"] == "excellent"
    with pytest.raises(ValidationFailed) as err:  # g1's quota of one is used
        services.nomination_create(person=m_second.person, **kw)
    assert err.value.code == "quota_used"
    with pytest.raises(NotPermitted):
        services.nomination_create(**{**kw, "actor": hw.sec_g4}, person=m_second.person)
    services.nomination_withdraw(actor=hw.secretary, nomination=n, reason="重新推荐")  # the quota is free again
    clock.freeze(clock.now() + dt.timedelta(days=21))
    with pytest.raises(Conflict):  # past the deadline
        services.nomination_create(person=m_second.person, **kw)


def test_worker_and_organisation_titles_have_their_own_conditions(hw):
    p = hw.p
    services.quota_set(actor=hw.zone_officer, campaign=hw.campaign, org=p.c1, title="outstanding_worker", quota=1)
    services.quota_set(actor=hw.c1_officer, campaign=hw.campaign, org=p.g1, title="outstanding_worker", quota=1)
    services.quota_set(actor=hw.zone_officer, campaign=hw.campaign, org=p.c1, title="advanced_org", quota=1)
    base = dict(actor=hw.c1_officer, campaign=hw.campaign, reasons="事迹")
    with pytest.raises(ValidationFailed) as err:  # no party post
        services.nomination_create(title="outstanding_worker", org=p.g1, person=hw.members[0].person,
                                   **{**base, "actor": hw.secretary})
    assert err.value.code == "no_party_post"
    services.nomination_create(title="outstanding_worker", org=p.g1, person=hw.members[3].person,
                               **{**base, "actor": hw.secretary})  # the secretary themself
    p.g2.founded_on = clock.today() - dt.timedelta(days=100)
    p.g2.save(update_fields=["founded_on"])
    with pytest.raises(ValidationFailed) as err:
        services.nomination_create(title="advanced_org", org=p.c1, nominee_org=p.g2, **base)
    assert err.value.code == "too_new"
    assert services.nomination_create(title="advanced_org", org=p.c1, nominee_org=p.g1, **base).nominee_org == p.g1


def test_review_notice_objection_and_award_in_order(hw):
    from grassroots.notices import services as notices
    from grassroots.partylife.models import PointsEntry

    person = hw.members[0].person
    n = services.nomination_create(actor=hw.secretary, campaign=hw.campaign, title="outstanding_member", org=hw.p.g1,
                                   person=person, reasons="带头服务群众")
    with pytest.raises(NotPermitted):  # the nominator never reviews
        services.nomination_review(actor=hw.secretary, nomination=n, approve=True)
    with pytest.raises(ValidationFailed):  # a refusal needs its reason
        services.nomination_review(actor=hw.c1_officer, nomination=n, approve=False)
    n = services.nomination_review(actor=hw.c1_officer, nomination=n, approve=True)
    with pytest.raises(NotPermitted):  # the committee running the campaign publishes
        services.nomination_notice(actor=hw.c1_officer, nomination=n)
    n = services.nomination_notice(actor=hw.zone_officer, nomination=n)
    assert n.status == "noticed"
    with pytest.raises(ValidationFailed) as err:
        services.nomination_award(actor=hw.zone_officer, nomination=n)
    assert err.value.code == "notice_open"
    notice = notices.latest_about(n)
    objection = notices.objection_submit(actor=hw.w.resident, notice=notice, text="事迹不实？")
    clock.freeze(clock.now() + dt.timedelta(days=10))
    with pytest.raises(ValidationFailed) as err:
        services.nomination_award(actor=hw.zone_officer, nomination=n)
    assert err.value.code == "objections_pending"
    notices.objection_answer(actor=hw.zone_officer, objection=objection, answer="经核实，事迹属实")
    honour = services.nomination_award(actor=hw.zone_officer, nomination=n)
    assert (honour.person, honour.title, honour.awarded_by) == (person, "outstanding_member", hw.p.zone)
    assert PointsEntry.objects.filter(person=person, rule__code="award").count() == 1
    assert [h.pk for h in selectors.person_honours(person_id=person.pk)] == [honour.pk]


@scope_test("partyhonours:campaigns", "partyhonours:campaign_create", "partyhonours:campaign",
            "partyhonours:quota_set", "partyhonours:nominate", "partyhonours:nomination_action", "party:member_detail")
def test_the_pages_run_a_campaign_and_the_honour_shows_on_the_members_page(client, hw):
    from grassroots.partyhonours.models import Nomination

    person = hw.members[0].person
    login_verified(client, hw.secretary)
    page = client.get(f"/partyhonours/campaigns/{hw.campaign.pk}/").content.decode()
    assert "七一表彰" in page and "推荐理由" in page
    quota = hw.campaign.quotas.get(org=hw.p.g1)
    client.post(f"/partyhonours/campaigns/{hw.campaign.pk}/nominate/",
                {"quota": quota.pk, "person": person.pk, "reasons": "带头服务群众"})
    n = Nomination.objects.get(person=person)
    login_verified(client, hw.c1_officer)
    client.post(f"/partyhonours/nominations/{n.pk}/do/approve/")
    login_verified(client, hw.zone_officer)
    client.post(f"/partyhonours/nominations/{n.pk}/do/notice/")
    clock.freeze(clock.now() + dt.timedelta(days=10))
    client.logout()  # idle far longer than a session lasts: sign in again
    login_verified(client, hw.zone_officer)
    client.post(f"/partyhonours/nominations/{n.pk}/do/award/")
    n.refresh_from_db()
    assert n.status == "awarded" and Honour.objects.filter(person=person).exists()
    member_page = client.get(f"/party/members/{hw.members[0].pk}/").content.decode()
    assert "优秀共产党员" in member_page
    # outside: another branch's secretary sees neither the nomination nor may act on it
    login_verified(client, hw.sec_g4)
    assert client.post(f"/partyhonours/nominations/{n.pk}/do/withdraw/", {"reason": "x"}).status_code == 404
    assert client.post(f"/partyhonours/campaigns/{hw.campaign.pk}/nominate/",
                       {"quota": quota.pk, "person": person.pk, "reasons": "x"}).status_code == 404
    assert client.post(f"/partyhonours/campaigns/{hw.campaign.pk}/quotas/",
                       {"org": hw.p.g4.pk, "title": "outstanding_member", "quota": 1}).status_code == 404
    login_verified(client, hw.w.resident)
    assert client.get(f"/partyhonours/campaigns/{hw.campaign.pk}/").status_code == 404
    assert client.post("/partyhonours/campaigns/new/", {"org": hw.p.zone.pk, "name": "x"}).status_code == 404
    assert "七一表彰" not in client.get("/partyhonours/campaigns/").content.decode()


def test_scope_of_campaigns_and_nominations(hw):
    n = services.nomination_create(actor=hw.secretary, campaign=hw.campaign, title="outstanding_member",
                                   org=hw.p.g1, person=hw.members[0].person, reasons="事迹")
    assert selectors.nomination_detail(actor=hw.c1_officer, pk=n.pk) == n
    assert selectors.nomination_detail(actor=hw.zone_officer, pk=n.pk) == n
    with pytest.raises(NotFound):
        selectors.nomination_detail(actor=hw.sec_g4, pk=n.pk)
    assert list(selectors.to_review(actor=hw.c1_officer)) == [n]
    assert list(selectors.to_review(actor=hw.secretary)) == []


@scope_test("party_honour_campaigns", "party_honour_campaign", "party_honour_campaign_create", "party_honour_quota_set",
            "party_honour_nominations", "party_honour_nominate", "party_honour_review", "party_honour_notice",
            "party_honour_award", "party_honour_withdraw", "partyhonours:nominations_export")
def test_the_campaign_api_and_export_follow_the_same_rules_and_scope(client, hw):
    person = hw.members[0].person
    base = f"/api/party/honours/campaigns/{hw.campaign.pk}"
    login_verified(client, hw.secretary)
    r = client.post(f"{base}/nominations", {"title": "outstanding_member", "org_id": hw.p.g1.pk,
                                            "person_id": hw.members[1].person.pk, "reasons": "事迹"},
                    content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "review_not_excellent"
    r = client.post(f"{base}/nominations", {"title": "outstanding_member", "org_id": hw.p.g1.pk,
                                            "person_id": person.pk, "reasons": "事迹"}, content_type="application/json")
    assert r.status_code == 201
    nid = r.json()["id"]
    assert [q["quota"] for q in client.get(base).json()["quotas"] if q["org_id"] == hw.p.g1.pk] == [1]
    login_verified(client, hw.c1_officer)
    r = client.post(f"/api/party/honours/nominations/{nid}/review", {"approve": True},
                    content_type="application/json")
    assert r.json()["status"] == "approved"
    login_verified(client, hw.zone_officer)
    assert client.post(f"/api/party/honours/nominations/{nid}/notice").json()["status"] == "noticed"
    assert client.post(f"/api/party/honours/nominations/{nid}/award").status_code == 400  # the notice is open
    assert client.get(f"/partyhonours/campaigns/{hw.campaign.pk}/nominations.xlsx").status_code == 200
    r = client.post("/api/party/honours/campaigns", {"org_id": hw.p.zone.pk, "year": 2026, "name": "年终表彰",
                                                     "nominate_until": "2026-12-31",
                                                     "quotas": {"advanced_org": 2}}, content_type="application/json")
    assert r.status_code == 201
    assert client.post(f"/api/party/honours/campaigns/{r.json()['id']}/quotas",
                       {"org_id": hw.p.s1.pk, "title": "advanced_org", "quota": 3},
                       content_type="application/json").status_code == 400
    # outside: another branch's secretary sees none of it
    login_verified(client, hw.sec_g4)
    assert client.get(base).status_code == 404
    assert client.get(f"{base}/nominations").status_code == 404
    assert client.get(f"/partyhonours/campaigns/{hw.campaign.pk}/nominations.xlsx").status_code == 404
    for path, body in ((f"/api/party/honours/nominations/{nid}/review", {"approve": False, "note": "x"}),
                       (f"/api/party/honours/nominations/{nid}/notice", {}),
                       (f"/api/party/honours/nominations/{nid}/award", {}),
                       (f"/api/party/honours/nominations/{nid}/withdraw", {"reason": "x"}),
                       (f"{base}/quotas", {"org_id": hw.p.g4.pk, "title": "advanced_org", "quota": 1}),
                       (f"{base}/nominations", {"title": "advanced_org", "org_id": hw.p.g4.pk, "reasons": "x",
                                                "nominee_org_id": hw.p.g4.pk}),
                       ("/api/party/honours/campaigns", {"org_id": hw.p.zone.pk, "year": 2026, "name": "x",
                                                         "nominate_until": "2026-12-31", "quotas": {}})):
        assert client.post(path, body, content_type="application/json").status_code == 404, path
    assert all(c["id"] != hw.campaign.pk for c in client.get("/api/party/honours/campaigns").json())
