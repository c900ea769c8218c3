import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count
from django.urls import reverse
from shapely.geometry import Point, shape

from grassroots.core.crypto import blind_index
from grassroots.core.scope import active_posts_q
from grassroots.demo import generator
from grassroots.demo.generator import idnumbers as demo_ids
from grassroots.party import selectors as party_selectors
from grassroots.party.models import BRANCH_KINDS, Membership, MembershipStatus, OrgKind, PartyOrg, ReportIn
from grassroots.people import idnumbers
from grassroots.people.models import Household, Organization, Person, Post, Role, User
from grassroots.territory.models import SERIAL_WIDTH, Compound, Level, Region

pytestmark = pytest.mark.django_db


def test_small_demo_has_the_article_shape(demo):
    assert demo.zone.code == "370571"
    names = {r.name for r in Region.objects.filter(level__in=[Level.COMMUNITY, Level.VILLAGE, Level.PARK])}
    assert {"安泰社区", "田庄村", "新材料产业园"} <= names
    assert Region.objects.filter(level=Level.GRID, grid_kind="enterprise").count() == len(
        demo.grids_by_area[demo.park.id]) >= 2
    assert Person.objects.count() == demo.spec.residents
    assert Organization.objects.filter(kind=Organization.Kind.DEPARTMENT, name="城市管理局").exists()
    assert Organization.objects.filter(kind=Organization.Kind.STATE_OWNED_ENTERPRISE,
                                       name="东凯新材料产业园有限公司", region__parent=demo.park).exists()
    assert set(PartyOrg.objects.filter(kind=OrgKind.INDUSTRY_CHAIN_COMMITTEE).values_list("name", flat=True)) == {
        "稀土汽车催化产业链党委", "互联网产业链党委"}
    assert ReportIn.objects.count() == demo.spec.party_members_reporting


def test_codes_are_unique_and_follow_the_parent_code_and_path(demo):
    regions = {r.pk: r for r in Region.objects.all()}
    codes = [r.code for r in regions.values()]
    assert len(codes) == len(set(codes))
    for r in regions.values():
        if r.parent_id is None:
            assert r.level == Level.ZONE and r.path == f"/{r.code}/"
            continue
        parent = regions[r.parent_id]
        serial = str(r.serial).zfill(SERIAL_WIDTH[r.level])
        assert r.code == parent.code + serial
        assert r.path == f"{parent.path}{serial}/"
    for compound in Compound.objects.select_related("community"):
        assert compound.code.startswith(compound.community.code + "X")


def test_grids_tile_their_area_without_overlaps(demo):
    grids = list(Region.objects.filter(level=Level.GRID).select_related("parent"))
    shapes = {g.pk: shape(g.geometry) for g in grids}
    for g in grids:
        assert shapes[g.pk].is_valid
        assert shape(g.parent.geometry).buffer(1e-9).contains(shapes[g.pk])
    ordered = sorted(grids, key=lambda g: g.pk)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            assert shapes[a.pk].intersection(shapes[b.pk]).area < 1e-12


def test_grids_count_their_registered_households_and_some_compounds_cross_grid_lines(demo):
    urban = Region.objects.filter(level=Level.GRID, parent__level=Level.COMMUNITY)
    registered = dict(Household.objects.values_list("building__parent_id").annotate(n=Count("id")).values_list(
        "building__parent_id", "n"))
    people = dict(Person.objects.values_list("region_id").annotate(n=Count("id")).values_list("region_id", "n"))
    for grid in urban:
        assert grid.households == registered[grid.pk] <= people[grid.pk]
        assert 2 <= people[grid.pk] / grid.households <= 3.5  # people per household, as families are drawn
    grids_per_compound = {}
    for compound_id, grid_id in Region.objects.filter(level=Level.BUILDING, compound__isnull=False).values_list(
            "compound_id", "parent_id"):
        grids_per_compound.setdefault(compound_id, set()).add(grid_id)
    assert any(len(g) > 1 for g in grids_per_compound.values())
    assert Compound.objects.filter(community__name="安泰社区").exists()


def test_every_grid_has_a_grid_branch_and_an_active_grid_worker(demo):
    grids = Region.objects.filter(level=Level.GRID)
    for grid in grids:
        branch = PartyOrg.objects.get(kind=OrgKind.GRID_BRANCH, region=grid)
        assert branch.parent.region_id == grid.parent_id
        assert Post.objects.filter(active_posts_q(), role=Role.GRID_WORKER, region=grid).exists()
        assert User.objects.filter(username=f"gw_{grid.code}", posts__region=grid).exists()


def test_every_community_has_a_community_committee_and_building_groups_sit_under_grid_branches(demo):
    for area in Region.objects.filter(level__in=[Level.COMMUNITY, Level.VILLAGE, Level.PARK]):
        assert PartyOrg.objects.filter(kind=OrgKind.COMMUNITY_PARTY_COMMITTEE, region=area).exists()
    groups = PartyOrg.objects.filter(kind=OrgKind.BUILDING_GROUP).select_related("parent", "region")
    assert groups.exists()
    for group in groups:
        assert group.parent.kind == OrgKind.GRID_BRANCH and group.region.parent_id == group.parent.region_id


def test_branches_with_fewer_than_three_full_members_are_exactly_the_flagged_ones(demo):
    expected = set()
    for branch in PartyOrg.objects.filter(kind__in=sorted(BRANCH_KINDS)):
        full = Membership.objects.filter(active=True, status=MembershipStatus.FULL, org__path__gte=branch.path,
                                         org__path__lt=branch.path + "\uffff").count()
        if full < 3:
            expected.add(branch.pk)
    assert expected, "the demo has deliberately small branches"
    flagged = party_selectors.org_list(actor=demo.user("zone_leader"), flagged=True)
    assert {o.pk for o in flagged} == expected


def test_every_person_lives_in_a_building_inside_their_grid(demo):
    grids = {g.pk: shape(g.geometry) for g in Region.objects.filter(level=Level.GRID)}
    buildings = {b.pk: b for b in Region.objects.filter(level=Level.BUILDING)}
    households = dict(Household.objects.values_list("pk", "building_id"))
    for person_id, building_id, region_id, household_id in Person.objects.values_list(
            "pk", "building_id", "region_id", "household_id"):
        building = buildings[building_id]
        assert building.parent_id == region_id, person_id
        assert households[household_id] == building_id
        assert grids[region_id].contains(Point(building.lon, building.lat))


def test_locate_finds_the_grid_of_every_building(demo):
    from grassroots.territory import locate

    locate.invalidate()
    buildings = list(Region.objects.filter(level=Level.BUILDING).values_list("lon", "lat", "parent_id"))
    found = locate.locate_many([b[0] for b in buildings], [b[1] for b in buildings])
    assert list(found) == [b[2] for b in buildings]
    grid = demo.grids[0]
    assert locate.locate(grid.lon, grid.lat).pk == grid.pk


def test_id_numbers_are_valid_encrypted_and_indexed(demo):
    people = list(Person.objects.exclude(id_number_index="")[:300])
    assert people
    for p in people:
        assert idnumbers.is_valid_resident_id(p.id_number)
        assert p.id_number_index == blind_index(p.id_number, purpose="id_number")
        assert p.id_number_last4 == p.id_number[-4:]
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM people_person WHERE id_number_index <> '' AND phone <> ''")
        rows = cursor.fetchall()
    assert rows and all(n.startswith("enc1:") and p.startswith("enc1:") for n, p in rows)
    adults = [p for p in Person.objects.all()[:500] if p.age >= 18]
    assert adults and all(p.id_number for p in adults)


def test_the_generated_id_numbers_pass_the_gb11643_check(demo):
    import datetime as dt
    import random

    rng = random.Random(1)
    for _ in range(200):
        number = demo_ids.id_number(rng, dt.date(1980, 2, 29), male=rng.random() < 0.5)
        assert idnumbers.is_valid_resident_id(number)
    good = demo_ids.id_number(rng, dt.date(1990, 1, 1), male=True)
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    assert demo_ids.is_valid_id_number(good) and not demo_ids.is_valid_id_number(wrong)
    assert not idnumbers.is_valid_resident_id(wrong)


def test_accounts_exist_for_every_role(demo):
    roles = {role for _, role, _ in demo.accounts}
    assert roles == set(Role.values)
    assert User.objects.get(username="admin").is_superuser
    resident = User.objects.get(username="resident")
    assert resident.person is not None and resident.person.region.parent.name == "安泰社区"
    assert Post.objects.get(user__username="grid_worker").region.parent.name == "安泰社区"
    assert Post.objects.get(user__username="community_staff2").region.name != "安泰社区"


def test_the_accounts_whose_posts_need_a_second_factor_have_a_confirmed_totp_device_and_others_none(demo):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from grassroots.people import security

    enrolled = set(TOTPDevice.objects.filter(confirmed=True).values_list("user__username", flat=True))
    assert {"zone_leader", "subdistrict_officer", "admin", "auditor"} <= enrolled
    for username, _, _ in demo.accounts:
        user = User.objects.get(username=username)
        assert (username in enrolled) == security.needs_second_factor(user), username
    device = TOTPDevice.objects.get(user__username="zone_leader")
    assert device.verify_token(totp(bytes.fromhex(generator.accounts.totp_key_hex())))


def test_every_printed_account_can_sign_in_with_the_printed_password(demo, client):
    usernames = [u for u, _, _ in demo.accounts] + [f"gw_{demo.grids[-1].code}"]
    for username in usernames:
        response = client.post(reverse("login"), {"username": username, "password": demo.password})
        assert response.status_code == 302, username
        assert client.session.get("_auth_user_id") == str(User.objects.get(username=username).pk)
        client.logout()
    response = client.post(reverse("login"), {"username": "grid_worker", "password": "wrong-Pass#1"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_same_seed_gives_the_same_zone_and_the_extensions_are_called(demo, only_fake_extension):
    fake = only_fake_extension
    before = list(Region.objects.order_by("code").values_list("code", "name"))
    people = list(Person.objects.order_by("name", "birth_date").values_list("name", "birth_date", "id_number_index"))
    generator.reset_database()
    assert generator.database_is_empty()
    ctx = generator.build(size="small", seed=7)
    assert list(Region.objects.order_by("code").values_list("code", "name")) == before
    assert list(Person.objects.order_by("name", "birth_date").values_list(
        "name", "birth_date", "id_number_index")) == people
    assert len(fake.CALLS) == 1
    call = fake.CALLS[0]
    assert call["zone"] == "370571" and call["grids"] == len(ctx.grids) and "城市管理局" in call["departments"]
    assert "grid_worker" in call["roles"]


def test_another_seed_gives_other_names(demo):
    names = set(Person.objects.values_list("name", flat=True)[:200])
    generator.reset_database()
    generator.build(size="small", seed=8, with_extensions=False)
    assert set(Person.objects.values_list("name", flat=True)[:200]) != names


def test_the_command_refuses_a_non_empty_database_without_reset(demo):
    with pytest.raises(CommandError):
        call_command("demo", "--size", "small", "--seed", "7", "--no-progress")


def test_the_command_resets_explains_what_it_deletes_and_prints_the_accounts(demo, capsys, only_fake_extension):
    call_command("demo", "--size", "small", "--seed", "7", "--reset", "--yes", "--no-progress")
    out = capsys.readouterr().out
    assert "people_person" in out and "territory_region" in out and "审计日志" in out
    for username in ("grid_worker", "community_secretary", "dept_city", "zone_leader", "resident", "auditor"):
        assert username in out
    assert generator.PASSWORD in out
    assert Region.objects.filter(code="370571").count() == 1


def test_reset_asks_before_deleting(demo, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt="": "no")
    with pytest.raises(CommandError):
        call_command("demo", "--size", "small", "--reset", "--no-progress")
    assert Region.objects.filter(code="370571").exists()


def test_the_command_runs_every_registered_app_extension_on_a_reset_zone(demo):
    """The README path: the core zone plus every app's demo module (rolled back with the test)."""
    generator.reset_database()
    ctx = generator.build(size="small", seed=2026)
    assert Region.objects.filter(level=Level.GRID).count() == len(ctx.grids)
    assert set(ctx.stats["timings"]) >= {"territory", "residents", "accounts", "party"}
    generator.reset_database()
    assert generator.database_is_empty()
