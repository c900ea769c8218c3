"""The rolls' API (list, one roll, who is on it on a day, the electorate with weights) and the party-organisation
dimension: a roll of a party organisation's members is kept and read by the party posts on that organisation or a
committee above it; a secretary of a sibling branch finds nothing."""

import datetime as dt
from decimal import Decimal

import pytest

from grassroots.core import clock
from grassroots.core.errors import NotFound, NotPermitted
from grassroots.core.roles import Role
from grassroots.core.scope import forget
from grassroots.party.posts import party_post_create
from grassroots.rolls import selectors, services
from grassroots.rolls.models import RollKind
from grassroots.territory.models import Compound
from tests.support.party import build_party
from tests.support.world import login_verified, make_user, scope_test

pytestmark = pytest.mark.django_db


def appoint(world, org, role, username):
    user = make_user(username)
    party_post_create(actor=world.admin, user=user, role=role, org=org)
    forget(user)
    return user


@pytest.fixture
def api_world(roll_world):
    w = roll_world
    clock.freeze(dt.datetime(2026, 11, 23, 9, 0))
    w.reps = services.roll_create(actor=w.community_staff, kind=RollKind.REPRESENTATIVES, region=w.c1)
    services.entry_add(actor=w.community_staff, roll=w.reps, person=w.people[0], start_date=dt.date(2024, 1, 1),
                       term_ends=dt.date(2026, 12, 31))
    services.entry_add(actor=w.community_staff, roll=w.reps, person=w.people[1], start_date=dt.date(2026, 12, 1))
    w.compound = Compound.objects.create(code="C1-1", name="安泰小区", community=w.c1)
    w.owners = services.roll_create(actor=w.community_staff, kind=RollKind.OWNERS, region=w.c1, compound=w.compound)
    services.entry_add(actor=w.community_staff, roll=w.owners, person=w.people[2], start_date=dt.date(2025, 1, 1),
                       area="98.50", unit="1-101")
    services.entry_add(actor=w.community_staff, roll=w.owners, person=w.people[3], start_date=dt.date(2025, 1, 1),
                       area="120.25", unit="1-102")
    return w


@scope_test("rolls_list", "rolls_detail", "rolls_entries", "rolls_electorate")
def test_the_api_reads_rolls_their_entries_on_a_day_and_the_electorate_in_scope_only(client, api_world):
    w = api_world
    login_verified(client, w.community_staff)
    listed = client.get("/api/rolls/rolls").json()
    assert listed["count"] == 2 and {r["kind"] for r in listed["items"]} == {"representatives", "owners"}
    assert client.get("/api/rolls/rolls?kind=owners").json()["items"][0]["compound_code"] == w.compound.code
    assert client.get(f"/api/rolls/rolls/{w.reps.pk}").json()["region_code"] == w.c1.code
    today = client.get(f"/api/rolls/rolls/{w.reps.pk}/entries").json()
    assert [e["person_name"] for e in today["entries"]] == ["赵一"] and today["total"]["heads"] == 1
    later = client.get(f"/api/rolls/rolls/{w.reps.pk}/entries?on=2026-12-15").json()
    assert sorted(e["person_name"] for e in later["entries"]) == ["赵一", "钱二"]
    after_term = client.get(f"/api/rolls/rolls/{w.reps.pk}/entries?on=2027-01-01").json()
    assert [e["person_name"] for e in after_term["entries"]] == ["钱二"]
    electorate = client.get(f"/api/rolls/rolls/{w.owners.pk}/electorate").json()
    assert electorate["due"] == {"heads": 2, "votes": 2, "area": "218.75"}
    assert {(e["unit"], Decimal(e["area"])) for e in electorate["electors"]} == {("1-101", Decimal("98.50")),
                                                                                ("1-102", Decimal("120.25"))}
    assert client.get(f"/api/rolls/rolls/{w.owners.pk}/electorate?on=not-a-day").status_code == 400
    for outsider in (w.other_staff, w.grid_worker, w.resident):
        login_verified(client, outsider)
        assert client.get("/api/rolls/rolls").json()["count"] == 0
        for suffix in ("", "/entries", "/electorate"):
            assert client.get(f"/api/rolls/rolls/{w.reps.pk}{suffix}").status_code == 404
    assert client.get("/api/rolls/rolls/999999").status_code == 404


def test_a_party_members_roll_is_kept_by_its_organisations_posts_and_the_committees_above_by_path(world, roll_world):
    w = roll_world
    p = build_party(w)
    roll = services.roll_create(actor=w.community_staff, kind=RollKind.PARTY_MEMBERS, region=w.c1,
                                holder=p.g1)
    assert roll.party_path == p.g1.path
    ent_roll = services.roll_create(actor=w.zone_leader, kind=RollKind.PARTY_MEMBERS, region=w.zone,
                                    holder=p.enterprise_branch)
    secretary = appoint(w, p.g1, Role.PARTY_BRANCH_SECRETARY, "g1_secretary")
    sibling = appoint(w, p.g2, Role.PARTY_BRANCH_SECRETARY, "g2_secretary")
    officer = appoint(w, p.s1, Role.PARTY_COMMITTEE_OFFICER, "s1_officer")
    other_officer = appoint(w, p.s2, Role.PARTY_COMMITTEE_OFFICER, "s2_officer")
    ent_secretary = appoint(w, p.enterprise_branch, Role.PARTY_BRANCH_SECRETARY, "ent_secretary")

    assert list(selectors.rolls(actor=secretary)) == [roll]
    assert list(selectors.rolls(actor=officer)) == [roll]  # the subdistrict committee sees its subtree
    assert list(selectors.rolls(actor=ent_secretary)) == [ent_roll]  # outside the region tree, by path
    for outsider in (sibling, other_officer, ent_secretary):
        if outsider is not ent_secretary:
            assert list(selectors.rolls(actor=outsider)) == []
        with pytest.raises(NotFound):
            selectors.roll_detail(actor=outsider, pk=roll.pk)
    # the branch's own secretary keeps it; a sibling's secretary may not
    entry = services.entry_add(actor=secretary, roll=roll, person=w.people[0], voting=False)
    assert not entry.voting and entry.votes == 0
    with pytest.raises(NotPermitted):
        services.entry_add(actor=sibling, roll=roll, person=w.people[1])
    services.entry_end(actor=officer, entry=entry, reason="转出")
    assert selectors.roll_detail(actor=w.community_staff, pk=roll.pk) == roll  # region staff still keep it


def test_the_party_roll_api_follows_the_party_path(client, world, roll_world):
    w = roll_world
    p = build_party(w)
    roll = services.roll_create(actor=w.community_staff, kind=RollKind.PARTY_MEMBERS, region=w.c1, holder=p.g1)
    officer = appoint(w, p.c1, Role.PARTY_COMMITTEE_OFFICER, "c1_officer")
    sibling = appoint(w, p.g2, Role.PARTY_BRANCH_SECRETARY, "g2_secretary")
    login_verified(client, officer)
    assert [r["id"] for r in client.get("/api/rolls/rolls").json()["items"]] == [roll.pk]
    assert client.get(f"/api/rolls/rolls/{roll.pk}/electorate").status_code == 200
    login_verified(client, sibling)
    assert client.get("/api/rolls/rolls").json()["count"] == 0
    assert client.get(f"/api/rolls/rolls/{roll.pk}").status_code == 404
