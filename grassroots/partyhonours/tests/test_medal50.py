"""光荣在党50年: the year's list from the register (the 1 July boundary from the full-member date, never the dead or
those who left), the branch's confirmation, the committee's approval and issuing, refusals, scope, the command,
the API and the pages."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from grassroots.core.models import Event
from grassroots.party.services import membership_end
from grassroots.partyhonours import selectors, services
from grassroots.partyhonours.models import MedalAward
from tests.support.world import issue_token, login_verified, scope_test

pytestmark = pytest.mark.django_db


def names(qs):
    return sorted(m.person.name for m in qs)


def test_the_list_follows_the_full_member_date_to_the_first_of_july(medal):
    assert names(selectors.medal_list(actor=None, year=2026)) == ["老党员丁", "老党员丙", "老党员戊", "老党员甲"]
    assert "老党员乙" in names(selectors.medal_list(actor=None, year=2027))
    assert "预备党员" not in names(selectors.medal_list(actor=None, year=2100))


def test_a_death_or_a_leaving_takes_the_member_off_the_list_for_good(medal):
    membership_end(actor=medal.sec_g1, membership=medal.dies, on=dt.date(2026, 5, 1), reason="deceased")
    membership_end(actor=medal.sec_g1, membership=medal.leaves, on=dt.date(2026, 5, 2), reason="other",
                   note="本人申请退党")
    medal.dies.person.refresh_from_db()
    assert medal.dies.person.deceased_on == dt.date(2026, 5, 1)
    for year in (2026, 2027):
        listed = names(selectors.medal_list(actor=None, year=year))
        assert "老党员丙" not in listed and "老党员丁" not in listed
    assert Event.objects.filter(verb="membership.end").count() == 2
    assert Event.objects.filter(verb="person.record_death").count() == 1


def test_ending_a_membership_is_refused_without_a_reason_or_twice_or_by_a_stranger(medal):
    with pytest.raises(ValidationFailed):
        membership_end(actor=medal.sec_g1, membership=medal.leaves, on=dt.date(2026, 5, 2), reason="other")
    with pytest.raises(ValidationFailed):
        membership_end(actor=medal.sec_g1, membership=medal.leaves, on=dt.date(2026, 7, 2), reason="deceased")
    with pytest.raises(NotPermitted):
        membership_end(actor=medal.sec_g3, membership=medal.leaves, on=dt.date(2026, 5, 2), reason="deceased")
    membership_end(actor=medal.sec_g1, membership=medal.leaves, on=dt.date(2026, 5, 2), reason="deceased")
    medal.leaves.refresh_from_db()
    with pytest.raises(Conflict):
        membership_end(actor=medal.sec_g1, membership=medal.leaves, on=dt.date(2026, 5, 2), reason="deceased")


def test_confirm_approve_issue_with_who_and_when(medal):
    award = services.medal_confirm(actor=medal.sec_g1, membership=medal.due, year=2026, remark="五十年如一日")
    with pytest.raises(NotPermitted):  # the branch does not approve its own confirmation
        services.medal_approve(actor=medal.sec_g1, award=award)
    with pytest.raises(Conflict):  # not approved yet
        services.medal_issue(actor=medal.officer_c1, award=award)
    award = services.medal_approve(actor=medal.officer_c1, award=award)
    award = services.medal_issue(actor=medal.officer_c1, award=award, on=dt.date(2026, 6, 10))
    assert award.status == "issued" and award.issued_by == medal.officer_c1 and award.issued_on == dt.date(2026, 6, 10)
    assert list(Event.objects.filter(object_type="partyhonours.medalaward").values_list("verb", flat=True)
                .order_by("id")) == ["medal.confirm", "medal.approve", "medal.issue"]
    # Issued: off next year's list, and never a second medal.
    assert "老党员甲" not in names(selectors.medal_list(actor=None, year=2027))
    with pytest.raises(Conflict):
        services.medal_confirm(actor=medal.sec_g1, membership=medal.due, year=2027)


def test_confirmation_refuses_who_is_not_due_and_a_member_who_died_meanwhile(medal):
    with pytest.raises(ValidationFailed):
        services.medal_confirm(actor=medal.sec_g1, membership=medal.next_year, year=2026)
    with pytest.raises(ValidationFailed):
        services.medal_confirm(actor=medal.sec_g1, membership=medal.probationary, year=2026)
    with pytest.raises(ValidationFailed):
        services.medal_confirm(actor=medal.sec_g1, membership=medal.due, year=99999)
    award = services.medal_confirm(actor=medal.sec_g1, membership=medal.dies, year=2026)
    membership_end(actor=medal.sec_g1, membership=medal.dies, on=dt.date(2026, 6, 1), reason="deceased")
    with pytest.raises(Conflict):
        services.medal_approve(actor=medal.officer_c1, award=award)
    award = services.medal_withdraw(actor=medal.sec_g1, award=award, reason="党员已去世")
    assert award.status == "withdrawn"


def test_a_sibling_branch_and_a_committee_not_above_find_the_award_missing(medal):
    award = services.medal_confirm(actor=medal.sec_g1, membership=medal.due, year=2026)
    with pytest.raises(NotFound):
        selectors.award_detail(actor=medal.sec_g3, pk=award.pk)
    with pytest.raises(NotPermitted):
        services.medal_confirm(actor=medal.sec_g3, membership=medal.due, year=2026)
    assert names(selectors.medal_list(actor=medal.sec_g3, year=2026)) == ["老党员戊"]
    assert "老党员戊" not in names(selectors.medal_list(actor=medal.officer_c1, year=2026))
    other = services.medal_confirm(actor=medal.sec_g3, membership=medal.other, year=2026)
    with pytest.raises(NotPermitted):  # c1 is not above g3
        services.medal_approve(actor=medal.officer_c1, award=other)


def test_the_command_writes_the_scoped_list_to_excel(medal, tmp_path):
    out = tmp_path / "medal.xlsx"
    call_command("medal50", "--year", "2026", "--out", str(out), "--user", "sec_g3", stdout=io.StringIO(),
                 verbosity=0)
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["老党员戊"] and rows[1][5] == 66
    call_command("medal50", "--year", "2026", "--out", str(out), stdout=io.StringIO(), verbosity=0)
    assert len(list(load_workbook(out).active.iter_rows(values_only=True))) == 5
    assert Event.objects.filter(verb="medal.export").count() == 2


@scope_test("party_medal50", "party_medal50_confirm", "party_medal50_award", "party_medal50_approve",
            "party_medal50_issue", "party_medal50_withdraw")
def test_the_api_answers_the_list_and_the_steps_within_scope(client, medal):
    def auth(user):
        return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user)}"}

    body = client.get("/api/party/medal50", {"year": 2026}, **auth(medal.sec_g1)).json()
    assert sorted(r["name"] for r in body["items"]) == ["老党员丁", "老党员丙", "老党员甲"]
    row = next(r for r in body["items"] if r["name"] == "老党员甲")
    assert row["standing_on_july_first"] == 50 and row["award_status"] is None
    assert client.get("/api/party/medal50", {"year": 10000}, **auth(medal.sec_g1)).status_code == 400
    made = client.post("/api/party/medal50/awards", {"membership": medal.due.pk, "year": 2026},
                       content_type="application/json", **auth(medal.sec_g1))
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert client.post("/api/party/medal50/awards", {"membership": medal.due.pk, "year": 2026},
                       content_type="application/json", **auth(medal.sec_g3)).status_code == 404
    assert client.get(f"/api/party/medal50/awards/{pk}", **auth(medal.sec_g3)).status_code == 404
    assert client.post(f"/api/party/medal50/awards/{pk}/approve", **auth(medal.sec_g3)).status_code == 404
    assert client.post(f"/api/party/medal50/awards/{pk}/approve", **auth(medal.sec_g1)).status_code == 403
    assert client.post(f"/api/party/medal50/awards/{pk}/approve", **auth(medal.officer_c1)).json()["status"] == \
        "approved"
    assert client.post(f"/api/party/medal50/awards/{pk}/issue", {}, content_type="application/json",
                       **auth(medal.sec_g3)).status_code == 404
    assert client.post(f"/api/party/medal50/awards/{pk}/withdraw", {"reason": "x"}, content_type="application/json",
                       **auth(medal.sec_g3)).status_code == 404
    issued = client.post(f"/api/party/medal50/awards/{pk}/issue", {}, content_type="application/json",
                         **auth(medal.officer_c1))
    assert issued.json()["status"] == "issued" and issued.json()["issued_on"] == "2026-06-10"


@scope_test("partyhonours:medal50", "partyhonours:medal50_confirm", "partyhonours:medal50_export",
            "partyhonours:award", "partyhonours:award_approve", "partyhonours:award_issue",
            "partyhonours:award_withdraw", "party:member_end")
def test_the_pages_run_the_medal_from_the_list_to_issuing(client, medal):
    login_verified(client, medal.sec_g1)
    page = client.get(reverse("partyhonours:medal50") + "?year=2026").content.decode()
    assert "老党员甲" in page and "老党员戊" not in page
    client.post(reverse("partyhonours:medal50_confirm"), {"membership": medal.due.pk, "year": 2026, "remark": "好"})
    award = MedalAward.objects.get(person=medal.due.person)
    rows = list(load_workbook(io.BytesIO(client.get(reverse("partyhonours:medal50_export") + "?year=2026").content))
                .active.iter_rows(values_only=True))
    assert {r[0] for r in rows[1:]} == {"老党员甲", "老党员丙", "老党员丁"}
    login_verified(client, medal.sec_g3)
    assert client.get(reverse("partyhonours:award", args=[award.pk])).status_code == 404
    assert client.post(reverse("partyhonours:award_approve", args=[award.pk])).status_code == 404
    assert client.post(reverse("partyhonours:award_issue", args=[award.pk])).status_code == 404
    assert client.post(reverse("partyhonours:award_withdraw", args=[award.pk]), {"reason": "x"}).status_code == 404
    assert client.post(reverse("party:member_end", args=[medal.dies.pk]), {"reason": "deceased",
                                                                          "on": "2026-06-01"}).status_code == 404
    login_verified(client, medal.officer_c1)
    client.post(reverse("partyhonours:award_approve", args=[award.pk]))
    client.post(reverse("partyhonours:award_issue", args=[award.pk]), {"on": "2026-06-10"})
    assert MedalAward.objects.get(pk=award.pk).status == "issued"
    assert "已颁发" in client.get(reverse("partyhonours:award", args=[award.pk])).content.decode()
    login_verified(client, medal.sec_g1)
    client.post(reverse("party:member_end", args=[medal.dies.pk]), {"reason": "deceased", "on": "2026-06-01"})
    medal.dies.person.refresh_from_db()
    assert medal.dies.person.deceased_on == dt.date(2026, 6, 1)
    assert "老党员丙" not in client.get(reverse("partyhonours:medal50") + "?year=2026").content.decode()


def test_the_workbench_counts_equal_their_lists(medal):
    from grassroots.core import clock
    from grassroots.core.scope import scope_for
    from grassroots.partyhonours.workbench import tallies

    services.medal_confirm(actor=medal.sec_g1, membership=medal.due, year=2026)
    mine = {t.key: t.count for t in tallies(medal.sec_g1, scope_for(medal.sec_g1), clock.now())}
    assert mine["partyhonours.medal_to_confirm"] == selectors.medal_list(actor=medal.sec_g1, year=2026,
                                                                         status="pending").count() == 2
    above = {t.key: t.count for t in tallies(medal.officer_c1, scope_for(medal.officer_c1), clock.now())}
    assert above["partyhonours.medal_to_approve"] == 1
    assert MedalAward.objects.count() == 1


def test_the_demo_confirms_approves_and_issues_part_of_this_years_list(medal):
    import random
    from types import SimpleNamespace

    from grassroots.core import clock
    from grassroots.partyhonours import demo

    ctx = SimpleNamespace(today=clock.today(), rng=random.Random(1), stats={})
    demo.build(ctx)
    assert ctx.stats == {"medal50_due": 4, "medal50_confirmed": 3, "medal50_issued": 1}
    assert sorted(MedalAward.objects.values_list("status", flat=True)) == ["approved", "confirmed", "issued"]
    assert selectors.medal_list(actor=None, year=2026, status="pending").count() == 1
