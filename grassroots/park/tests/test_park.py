"""The park: contact cards that open an appeal for their enterprise only, the reprint list, the instructors' limits
and visits, the entry alert, joint meetings, and scope on pages and API."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from grassroots.cases.models import Case
from grassroots.core import notifications
from grassroots.core.errors import NotPermitted, ValidationFailed
from grassroots.links import services as links
from grassroots.park import selectors, services
from grassroots.park.models import EnterpriseProfile
from tests.support.world import login_verified, scope_test

pytestmark = pytest.mark.django_db


def code_sent():
    return re.search(r"(\d{6})", notifications.phone_outbox()[0].text).group(1)


def appeal(**kw):
    return {"step": "file", "appeal_type": "consult", "category": "S0401", "title": "咨询研发费用加计扣除",
            "description": "请告知申报流程", **kw}


def test_the_cards_qr_opens_the_appeal_form_for_that_enterprise_and_files_only_with_the_contacts_code(
        client, park, django_capture_on_commit_callbacks):
    from grassroots.cases.models import Category

    Category.objects.get_or_create(code="S0401", defaults={"name": "企业服务", "kind": "social",
                                                           "default_tier": "community"})
    card = services.card_issue(actor=park.staff, profile=park.firm)
    url = links.path_of(card.link)
    page = client.get(url).content.decode()
    assert "国瓷材料有限公司" in page and "东凯新材料产业园有限公司" not in page and "158****0001" in page
    assert client.get(url[:-3] + "000/").status_code == 404  # a tampered address opens nothing
    # without the code nothing is filed
    r = client.post(url, appeal(code="000000"))
    assert r.status_code == 200 and not Case.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"step": "code"})
    assert notifications.phone_outbox()[0].phone == "15854600001"  # only to the contact's registered phone
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url, appeal(code=code_sent(), urgent="1", topics=["policy"]))
    case = Case.objects.get()
    assert (case.enterprise_id, case.channel, case.appeal_type, case.urgent, case.appeal_topics) == (
        park.w.enterprise.pk, "enterprise", "consult", True, ["policy"])
    assert case.tracking_code in r.content.decode()
    login_verified(client, park.staff)  # the enterprise's page lists the appeal with its progress
    assert case.reference in client.get(reverse("park:detail", args=[park.firm.pk])).content.decode()
    client.logout()
    # the other enterprise's card files for the other enterprise, never for this one
    other = services.card_issue(actor=park.staff, profile=park.soe)
    assert "东凯新材料产业园有限公司" in client.get(links.path_of(other.link)).content.decode()
    # the enterprise's contact, signed in, files without a code; a reprint keeps the old version working
    login_verified(client, park.w.enterprise_contact)
    v2 = services.card_issue(actor=park.staff, profile=park.firm)
    assert v2.version == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, appeal(title="求助用工"))
    assert Case.objects.filter(enterprise=park.w.enterprise, reporter=park.w.enterprise_contact).count() == 1
    # the other enterprise's card does not take the signed-in contact of this one without a code
    client.post(links.path_of(other.link), appeal(title="冒名", code="123456"))
    assert not Case.objects.filter(title="冒名").exists()
    links.link_revoke(actor=park.staff, link=card.link)
    assert client.get(url).status_code == 404


def test_the_reprint_list_shows_a_card_after_a_change_of_secretary(park):
    services.card_issue(actor=park.staff, profile=park.firm)
    services.card_issue(actor=park.staff, profile=park.soe)
    assert selectors.reprint_list(actor=park.staff) == []
    services.profile_update(actor=park.staff, profile=park.firm, secretary_name="新书记")
    rows = selectors.reprint_list(actor=park.staff)
    assert [(r["profile"].pk, r["changed"]) for r in rows] == [(park.firm.pk, ["secretary"])]
    services.card_issue(actor=park.staff, profile=park.firm)
    assert selectors.reprint_list(actor=park.staff) == []


def test_an_instructor_serves_at_most_three_key_enterprises(park):
    w = park.w
    from grassroots.people.models import Organization

    for i in range(2):
        org = Organization.objects.create(name=f"园区企业{i}", kind="enterprise", region=w.e1)
        services.profile_create(actor=park.staff, organization=org, park=w.p1, registered_on=dt.date(2025, 1, 1),
                                grid=w.e1, is_key=True)
    assert selectors.key_firms(park.instructor) == 3
    org = Organization.objects.create(name="园区企业9", kind="enterprise", region=w.e1)
    with pytest.raises(ValidationFailed) as exc:
        services.profile_create(actor=park.staff, organization=org, park=w.p1, registered_on=dt.date(2025, 1, 1),
                                grid=w.e1, is_key=True)
    assert exc.value.code == "key_firm_limit"
    services.profile_update(actor=park.staff, profile=park.soe, is_key=True)  # in 园区二网格: nobody's yet
    with pytest.raises(ValidationFailed) as exc:
        services.assign(actor=park.staff, instructor=park.instructor, grid=park.e2)
    assert exc.value.code == "key_firm_limit"
    a = park.instructor.assignments.get()
    assert a.end == dt.date(2027, 3, 1)  # a two-year term


def test_visits_count_days_on_site_and_stay_in_the_instructors_grids(park):
    me = park.w.party_instructor
    for d in (3, 3, 4):
        services.visit_log(actor=me, profile=park.firm, visited_on=dt.date(2026, 11, d), asked="用工", done="对接")
    with pytest.raises(ValidationFailed):
        services.visit_log(actor=me, profile=park.soe, visited_on=dt.date(2026, 11, 5), asked="x", done="y")
    with pytest.raises(ValidationFailed):
        services.visit_log(actor=me, profile=park.firm, visited_on=dt.date(2026, 12, 5), asked="x", done="y")
    rows = selectors.instructor_figures(actor=park.staff, year=2026, month=11)
    assert [(r["days"], r["short"], r["key_firms"]) for r in rows] == [(2, True, 1)]
    with pytest.raises(NotPermitted):
        services.visit_log(actor=park.w.other_staff, profile=park.firm, visited_on=dt.date(2026, 11, 5), asked="x",
                           done="y", instructor=park.instructor)


def test_an_enterprise_not_entered_in_time_alerts_the_keepers_once(park):
    from grassroots.core.models import Notification
    from grassroots.people.models import Organization

    org = Organization.objects.create(name="新建项目部", kind="enterprise", region=park.w.p1)
    services.profile_create(actor=park.staff, organization=org, park=park.w.p1, kind="project",
                            registered_on=dt.date(2026, 10, 26))  # 30 days before today
    assert services.entry_alerts() == 0
    profile = EnterpriseProfile.objects.get(organization=org)
    EnterpriseProfile.objects.filter(pk=profile.pk).update(registered_on=dt.date(2026, 10, 25))
    assert services.entry_alerts() == 1
    assert Notification.objects.filter(verb="park.entry_late", recipient=park.staff).count() == 1
    assert services.entry_alerts() == 0
    assert list(selectors.due_entries(actor=park.staff, today=dt.date(2026, 11, 25))) == [profile]
    services.profile_update(actor=park.staff, profile=profile, grid=park.e2)
    assert not selectors.due_entries(actor=park.staff, today=dt.date(2026, 11, 25)).exists()


def test_sync_steps_and_joint_meetings_take_chain_appeals_only(park):
    from grassroots.cases.services import case_report

    p = services.sync_step(actor=park.staff, profile=park.firm, step="org", on=dt.date(2024, 6, 1))
    assert p.sync_org_on == dt.date(2024, 6, 1)
    with pytest.raises(ValidationFailed):
        services.sync_step(actor=park.staff, profile=park.firm, step="role", on=dt.date(2024, 1, 1))
    chain = case_report(actor=park.w.enterprise_contact, channel="enterprise", category=_category(),
                        enterprise=park.w.enterprise, title="上下游配套", topics=["chain"]).case
    other = case_report(actor=park.w.enterprise_contact, channel="enterprise", category=_category(),
                        enterprise=park.w.enterprise, title="用电", topics=["factors"]).case
    m = services.meeting_create(actor=park.staff, committee=park.chain, held_on=dt.date(2026, 11, 20),
                                topic="产业链配套", case_ids=[chain.pk])
    assert m.case_ids == [chain.pk]
    with pytest.raises(ValidationFailed):
        services.meeting_create(actor=park.staff, committee=park.chain, held_on=dt.date(2026, 11, 20), topic="x",
                                case_ids=[other.pk])


def _category():
    from grassroots.cases.models import Category

    return Category.objects.get_or_create(code="S0401", defaults={"name": "企业服务", "kind": "social",
                                                                  "default_tier": "community"})[0]


@scope_test("park:list", "park:register", "park:detail", "park:action", "park:export", "park:card_pdf",
            "park:card_revoke", "park:reprint", "park:instructors", "park:instructor", "park:assignment_end",
            "park:chains", "park:chain")
def test_pages_do_the_job_and_outsiders_find_nothing(client, park):
    w = park.w
    login_verified(client, park.staff)
    r = client.post(reverse("park:register"), {"park": w.p1.pk, "name": "新落户企业", "kind": "enterprise",
                                               "registered_on": "2026-11-20", "grid": park.e2.pk})
    new = EnterpriseProfile.objects.get(organization__name="新落户企业")
    assert r.status_code == 302 and new.entered_on == dt.date(2026, 11, 25)
    act = lambda verb, data: client.post(reverse("park:action", args=[park.firm.pk, verb]), data)  # noqa: E731
    assert act("sync", {"step": "activity", "on": "2025-01-10"}).status_code == 302
    assert act("card", {}).status_code == 302
    card = park.firm.cards.get()
    pdf = client.get(reverse("park:card_pdf", args=[card.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("park:card_pdf", args=[card.pk]) + "?format=a6").content.startswith(b"%PDF")
    assert act("update", {"grid": w.e1.pk, "is_key": "1", "party_status": "own_branch",
                          "secretary_name": "新书记", "commissioner": park.commissioner.pk,
                          "contact_phone": "12"}).status_code == 302  # refused: the phone is invalid
    park.firm.refresh_from_db()
    assert park.firm.secretary_name == "张书记"
    act("update", {"grid": w.e1.pk, "is_key": "1", "party_status": "own_branch", "secretary_name": "新书记",
                   "commissioner": park.commissioner.pk, "contact_phone": "15854600001"})
    assert "国瓷材料有限公司" in client.get(reverse("park:reprint")).content.decode()
    page = client.get(reverse("park:detail", args=[park.firm.pk])).content.decode()
    assert "137****0001" in page and "13754600001" not in page  # masked by default
    assert client.get(reverse("park:export")).content.startswith(b"PK")
    assert client.get(reverse("park:instructors")).status_code == 200
    assert client.get(reverse("park:instructor", args=[park.instructor.pk])).status_code == 200
    assert client.get(reverse("park:chains")).status_code == 200
    assert client.get(reverse("park:chain", args=[park.chain.pk])).status_code == 200
    assignment = park.instructor.assignments.get()
    assert client.post(reverse("park:card_revoke", args=[card.pk])).status_code == 302

    login_verified(client, w.enterprise_contact)  # their own enterprise only
    assert client.get(reverse("park:detail", args=[park.firm.pk])).status_code == 200
    assert client.get(reverse("park:detail", args=[park.soe.pk])).status_code == 404
    assert client.get(reverse("park:card_pdf", args=[card.pk])).status_code == 404
    for other in (w.other_staff, park.other_commissioner, w.resident):
        login_verified(client, other)
        assert client.get(reverse("park:detail", args=[park.firm.pk])).status_code == 404
        assert act("sync", {"step": "role"}).status_code == 404
        assert client.get(reverse("park:card_pdf", args=[card.pk])).status_code == 404
        assert client.post(reverse("park:card_revoke", args=[card.pk])).status_code == 404
        assert client.get(reverse("park:instructor", args=[park.instructor.pk])).status_code == 404
        assert client.post(reverse("park:assignment_end", args=[assignment.pk])).status_code == 404
        assert client.get(reverse("park:chain", args=[park.chain.pk])).status_code == 404
        assert client.get(reverse("park:reprint")).status_code == 404
        assert "国瓷材料有限公司" not in client.get(reverse("park:list")).content.decode()
    login_verified(client, park.commissioner)  # their enterprises: 园区一网格's
    assert client.get(reverse("park:detail", args=[park.firm.pk])).status_code == 200
    assert client.get(reverse("park:detail", args=[park.soe.pk])).status_code == 404
    login_verified(client, park.staff)
    assert client.post(reverse("park:assignment_end", args=[assignment.pk])).status_code == 302
    assignment.refresh_from_db()
    assert assignment.ended_on == dt.date(2026, 11, 25)


@scope_test("park_enterprise_list", "park_enterprise_detail", "park_enterprise_update", "park_enterprise_sync",
            "park_visit_list", "park_visit_create", "park_card_issue", "park_card_reprint", "park_instructor_list",
            "park_assignment_create", "park_meeting_list", "park_meeting_create")
def test_the_api_keeps_the_park_in_scope(client, park):
    w = park.w
    j = lambda method, path, data=None: getattr(client, method)(  # noqa: E731
        f"/api/park{path}", data, content_type="application/json")
    login_verified(client, park.staff)
    assert j("get", "/enterprises").json()["count"] == 2
    r = j("put", f"/enterprises/{park.soe.pk}", {"grid_id": park.e2.pk, "is_key": True, "party_status": "own_branch",
                                                  "secretary_name": "赵书记"})
    assert r.json()["is_key"] is True
    assert j("post", f"/enterprises/{park.soe.pk}/sync", {"step": "org", "on": "2024-07-01"}).status_code == 200
    r = j("put", f"/enterprises/{park.firm.pk}", {"party_status": "joint_branch"})  # only what is sent changes
    assert r.status_code == 200 and r.json()["grid_id"] == w.e1.pk and r.json()["party_status"] == "joint_branch"
    assert j("put", f"/enterprises/{park.firm.pk}", {"party_status": "own_branch", "grid_id": None}).status_code \
        == 400  # an entered enterprise is never taken out of the grids
    assert j("put", f"/enterprises/{park.firm.pk}", {"party_status": "own_branch", "grid_id": 2**70}).status_code \
        == 404
    card = j("post", f"/enterprises/{park.firm.pk}/cards").json()
    assert card["version"] == 1 and "secretary_phone" not in card["people"]
    assert j("get", "/cards/reprint").json() == []
    assert [i["name"] for i in j("get", "/instructors").json()] == ["王建国"]
    assert j("post", f"/instructors/{park.instructor.pk}/assignments", {"grid_id": park.e2.pk}).status_code == 201
    assert j("post", f"/chains/{park.chain.pk}/meetings", {"held_on": "2026-11-20", "topic": "配套"}).status_code \
        == 201
    assert len(j("get", f"/chains/{park.chain.pk}/meetings").json()) == 1
    login_verified(client, w.party_instructor)
    v = j("post", f"/enterprises/{park.firm.pk}/visits", {"visited_on": "2026-11-24", "asked": "招工", "done": "对接"})
    assert v.status_code == 201
    assert len(j("get", f"/enterprises/{park.firm.pk}/visits").json()) == 1
    for other in (w.other_staff, park.other_commissioner, w.resident):
        login_verified(client, other)
        assert park.firm.pk not in {x["id"] for x in j("get", "/enterprises").json()["items"]}
        for method, path, data in (
                ("get", f"/enterprises/{park.firm.pk}", None),
                ("put", f"/enterprises/{park.firm.pk}", {"party_status": "none"}),
                ("post", f"/enterprises/{park.firm.pk}/sync", {"step": "role"}),
                ("get", f"/enterprises/{park.firm.pk}/visits", None),
                ("post", f"/enterprises/{park.firm.pk}/visits", {"visited_on": "2026-11-24", "asked": "x",
                                                                 "done": "y"}),
                ("post", f"/enterprises/{park.firm.pk}/cards", None),
                ("post", f"/instructors/{park.instructor.pk}/assignments", {"grid_id": w.e1.pk}),
                ("get", f"/chains/{park.chain.pk}/meetings", None),
                ("post", f"/chains/{park.chain.pk}/meetings", {"held_on": "2026-11-20", "topic": "x"})):
            assert j(method, path, data).status_code == 404, (other, method, path)
        assert j("get", "/cards/reprint").json() == []
        assert j("get", "/instructors").json() == []


def test_the_commissioners_workbench_counts_the_appeals_waiting_for_an_answer_as_its_list_does(client, park):
    from grassroots.cases.services import case_report
    from grassroots.core import clock
    from grassroots.core.scope import scope_for
    from grassroots.park import workbench

    for title in ("用工", "融资"):
        case_report(actor=park.w.enterprise_contact, channel="enterprise", category=_category(),
                    enterprise=park.w.enterprise, title=title, appeal_type="consult")
    tally = {t.key: t for t in workbench.tallies(park.commissioner, scope_for(park.commissioner), clock.now())}[
        "park.appeals_to_answer"]
    login_verified(client, park.commissioner)
    listed = client.get(tally.url).context["page"].paginator.count
    assert tally.count == listed == 2
    other = {t.key: t for t in workbench.tallies(park.other_commissioner, scope_for(park.other_commissioner),
                                                 clock.now())}["park.appeals_to_answer"]
    assert other.count == 0


def test_instructors_are_graded_on_the_shared_mechanism_by_the_parks_keepers_only(park):
    from grassroots.grading import services as grading
    from grassroots.grading import targets
    from tests.support.world import make_user

    officer = make_user("s2_officer", role="subdistrict_officer", region=park.w.s2)
    scheme = grading.scheme_create(actor=officer, name="2026年度党建指导员考核", year=2026,
                                   target_type="park_instructor", region=park.w.p1)
    assessment = grading.assessment_add(actor=officer, scheme=scheme, target_id=park.instructor.pk)
    assert assessment.target_id == park.instructor.pk
    kind = targets.get("park_instructor")
    assert list(kind.visible(park.w.party_instructor)) == [park.instructor]  # their own
    assert not kind.visible(park.w.other_staff).exists()
    assert not kind.assessable(park.w.party_instructor).exists()
