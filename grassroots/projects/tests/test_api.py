from decimal import Decimal

import pytest

from grassroots.projects import fund as fundsvc
from grassroots.projects import services
from tests.support.world import scope_test

from .conftest import approved_in_progress

pytestmark = pytest.mark.django_db


@scope_test("projects_project_list", "projects_project_detail")
def test_projects_api_shows_public_summaries_not_others_drafts(client, fund_world):
    w = fund_world
    draft = services.project_create(actor=w.resident, community=w.c1, title="草稿", background="b", goals="g",
                                    activities="a", beneficiaries="x", budget_lines=[("a", "", "10")])
    project = approved_in_progress(w, Decimal("2000"), title="口袋公园")
    client.force_login(w.enterprise_contact)
    titles = [p["title"] for p in client.get("/api/projects/projects").json()["items"]]
    assert titles == ["口袋公园"]
    assert client.get(f"/api/projects/projects/{project.pk}").json()["approved_amount"] == "2000.00"
    assert client.get(f"/api/projects/projects/{draft.pk}").status_code == 404
    client.force_login(w.resident)
    assert client.get(f"/api/projects/projects/{draft.pk}").status_code == 200


@scope_test("projects_fund_summary", "projects_fund_entries")
def test_public_fund_api_needs_no_login_and_hides_anonymous_donors(client, fund_world):
    w = fund_world
    fundsvc.donation_record(actor=w.community_staff, fund=w.fund, amount="1000", donor_kind="person",
                            donor_name="钱匿名", anonymous=True)
    fundsvc.donation_record(actor=w.community_staff, fund=w.fund, amount="500", donor_kind="organization",
                            donor_name="某商户", anonymous=True)
    project = approved_in_progress(w, Decimal("800"))
    fundsvc.disbursement_record(actor=w.community_staff, fund=w.fund, project=project, amount="300", purpose="材料")
    client.logout()
    s = client.get(f"/api/projects/funds/{w.c1.code}").json()
    assert s["balance"] == "1200.00" and s["entry_count"] == 3
    assert s["by_donor_kind"] == {"organization": "500.00", "person": "1000.00"} or \
        {k: Decimal(v) for k, v in s["by_donor_kind"].items()} == {"organization": 500, "person": 1000}
    assert s["by_project"][0]["disbursed_total"] in ("300.00", "300")
    entries = client.get(f"/api/projects/funds/{w.c1.code}/entries").json()
    assert entries["count"] == 3
    donors = {e["donor"] for e in entries["items"]}
    assert {"爱心人士", "爱心单位"} <= donors and "钱匿名" not in str(entries)
    assert client.get("/api/projects/funds/nope").status_code == 404
    assert entries["next"] is None and entries["previous"] is None
    assert client.get("/api/projects/funds/nope/entries").status_code == 404
    refused = client.get(f"/api/projects/funds/{w.c1.code}/entries", {"cursor": "garbage"})
    assert refused.status_code == 400 and refused.json()["field"] == "cursor"


@scope_test("projects_volunteer_leaderboard")
def test_leaderboard_api_masks_names_and_follows_the_policy(client, fund_world, monkeypatch):
    w = fund_world
    v = services.volunteer_register(actor=w.community_staff, person=w.person1, community=w.c1)
    import datetime as dt

    services.service_hours_record(actor=w.community_staff, volunteer=v, activity="巡逻", served_on=dt.date(2026, 11, 1),
                                  hours="2.5")
    client.force_login(w.department_handler)
    board = client.get("/api/projects/volunteers/leaderboard").json()
    assert board["individuals"][0]["name"] == "张**" and board["communities"][0]["community_code"] == w.c1.code
    from grassroots.projects import selectors

    monkeypatch.setattr(selectors, "rank_individuals", lambda: False)
    board = client.get("/api/projects/volunteers/leaderboard").json()
    assert board["ranked"] is False and board["individuals"] == []
    client.logout()
    assert client.get("/api/projects/volunteers/leaderboard").status_code == 401
