import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from grassroots.core import clock
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed
from grassroots.core.models import Event
from grassroots.rolls import selectors, services
from grassroots.rolls.models import RollEntry, RollKind
from grassroots.rolls.votes import Count
from grassroots.territory.models import Compound

from .conftest import ID_NUMBERS

pytestmark = pytest.mark.django_db


def xlsx(header, *rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def reps_roll(w):
    return services.roll_create(actor=w.community_staff, kind=RollKind.REPRESENTATIVES, region=w.c1)


def test_only_staff_of_the_region_keep_its_rolls_and_each_roll_exists_once(roll_world):
    w = roll_world
    for actor in (w.other_staff, w.grid_worker, w.resident):
        with pytest.raises(NotPermitted):
            services.roll_create(actor=actor, kind=RollKind.REPRESENTATIVES, region=w.c1)
    roll = reps_roll(w)
    assert roll.name == "安泰社区居民代表名册"
    assert Event.objects.filter(verb="roll.create", object_id=roll.pk).exists()
    with pytest.raises(Conflict):
        reps_roll(w)
    with pytest.raises(ValidationFailed) as err:
        services.roll_create(actor=w.community_staff, kind=RollKind.ADULT_RESIDENTS, region=w.c1)
    assert err.value.field == "kind"  # residents and households are read from the people register
    with pytest.raises(ValidationFailed) as err:
        services.roll_create(actor=w.community_staff, kind=RollKind.OWNERS, region=w.c1)
    assert err.value.field == "compound"
    other = Compound.objects.create(code="C3-1", name="银河小区", community=w.c3)
    with pytest.raises(ValidationFailed):
        services.roll_create(actor=w.community_staff, kind=RollKind.OWNERS, region=w.c1, compound=other)
    # the subdistrict above keeps rolls of its communities too
    services.roll_create(actor=w.subdistrict_officer, kind=RollKind.PARTY_MEMBERS, region=w.c2)


def test_joining_and_leaving_keep_the_history_and_the_roll_of_any_day(roll_world):
    w = roll_world
    roll = reps_roll(w)
    clock.freeze(dt.datetime(2026, 6, 1, 9, 0))
    a = services.entry_add(actor=w.community_staff, roll=roll, person=w.people[0], start_date=dt.date(2024, 1, 1),
                           term_ends=dt.date(2028, 12, 31), households=[w.h101, w.h102])
    b = services.entry_add(actor=w.community_staff, roll=roll, person=w.people[1], start_date=dt.date(2025, 1, 1))
    with pytest.raises(ValidationFailed):
        services.entry_add(actor=w.community_staff, roll=roll, person=w.people[0])
    with pytest.raises(ValidationFailed) as err:
        services.entry_end(actor=w.community_staff, entry=b, end_date=dt.date(2026, 3, 1), reason="")
    assert err.value.field == "reason"
    services.entry_end(actor=w.community_staff, entry=b, end_date=dt.date(2026, 3, 1), reason="迁出")
    with pytest.raises(ValidationFailed):
        services.entry_end(actor=w.community_staff, entry=b, reason="再次")
    on = lambda day: sorted(selectors.persons_due(roll=roll, on=day).values_list("name", flat=True))  # noqa: E731
    assert on(dt.date(2023, 12, 31)) == []
    assert on(dt.date(2025, 6, 1)) == ["赵一", "钱二"]
    assert on(dt.date(2026, 6, 1)) == ["赵一"]
    assert on(dt.date(2029, 1, 1)) == []  # the term ran out
    assert set(a.households.all()) == {w.h101, w.h102}
    # joining again after leaving is a new entry; the old one stays
    services.entry_add(actor=w.community_staff, roll=roll, person=w.people[1], start_date=dt.date(2026, 6, 1))
    assert RollEntry.objects.filter(roll=roll, person=w.people[1]).count() == 2
    assert Event.objects.filter(verb__in=["roll.join", "roll.leave"]).count() == 4


def test_owners_carry_their_area_party_members_their_vote_and_cooperative_members_extra_votes(roll_world):
    w = roll_world
    compound = Compound.objects.create(code="C1-1", name="安泰小区", community=w.c1)
    owners = services.roll_create(actor=w.community_staff, kind=RollKind.OWNERS, region=w.c1, compound=compound)
    with pytest.raises(ValidationFailed) as err:
        services.entry_add(actor=w.community_staff, roll=owners, person=w.people[0])
    assert err.value.field == "area"
    services.entry_add(actor=w.community_staff, roll=owners, person=w.people[0], unit="1-101", area="89.50")
    services.entry_add(actor=w.community_staff, roll=owners, person=w.people[1], unit="1-102、1-202", area="180.25")
    party = services.roll_create(actor=w.community_staff, kind=RollKind.PARTY_MEMBERS, region=w.c1)
    services.entry_add(actor=w.community_staff, roll=party, person=w.people[0])
    services.entry_add(actor=w.community_staff, roll=party, person=w.people[1], voting=False)  # probationary
    coop = services.roll_create(actor=w.community_staff, kind=RollKind.COOP_MEMBERS, region=w.c1,
                                organization=w.enterprise)
    for person in w.people[1:5]:
        services.entry_add(actor=w.community_staff, roll=coop, person=person)
    with pytest.raises(ValidationFailed) as err:  # 5 members allow 1 extra vote, not 2
        services.entry_add(actor=w.community_staff, roll=coop, person=w.people[0], extra_votes=2)
    assert err.value.field == "extra_votes"
    services.entry_add(actor=w.community_staff, roll=coop, person=w.people[0], extra_votes=1)
    with pytest.raises(ValidationFailed):
        services.entry_add(actor=w.community_staff, roll=party, person=w.people[2], extra_votes=1)
    total = lambda roll: selectors.due_count(selectors.electorate(roll=roll))  # noqa: E731
    assert total(owners) == Count(2, 2, Decimal("269.75"))
    assert total(party) == Count(1, 1)  # the probationary member attends without a vote
    assert total(coop) == Count(5, 6)


def test_adult_residents_and_households_are_read_from_the_people_register(roll_world):
    w = roll_world
    w.people[0].is_household_head = True
    w.people[0].save()
    clock.freeze(dt.datetime(2026, 6, 1, 9, 0))
    adults = selectors.persons_due(kind=RollKind.ADULT_RESIDENTS, region=w.c1)
    assert set(adults) == set(w.people) | {w.person1}
    assert list(selectors.persons_due(kind=RollKind.HOUSEHOLDS, region=w.c1)) == [w.people[0]]
    assert list(selectors.persons_due(kind=RollKind.ADULT_RESIDENTS, region=w.b1)) == [
        p for p in [w.person1, *w.people] if p.building_id == w.b1.pk]


def test_an_import_checks_every_row_first_and_names_each_error_with_its_row(roll_world):
    w = roll_world
    roll = reps_roll(w)
    services.entry_add(actor=w.community_staff, roll=roll, person=w.people[3])
    header = ["姓名", "证件号码", "任期开始", "任期届满", "联系户"]
    bad = xlsx(header,
               ["赵一", "", "2024-01-01", "2028-12-31", f"{w.b1.name} 101、{w.b1.name} 102"],  # row 2: fine
               ["王芳", "", "2024-01-01", "", ""],                             # row 3: two people are 王芳
               ["无此人", "", "2024-01-01", "", ""],                            # row 4: not in the register
               ["周外", "", "2024-01-01", "", ""],                              # row 5: lives elsewhere
               ["赵一", "", "2024-01-01", "", ""],                              # row 6: same as row 2
               ["钱二", ID_NUMBERS[0], "2024-01-01", "", ""],                   # row 7: the number is 赵一's
               ["孙三", "", "2024-13-01", "", ""],                              # row 8: no such date
               ["李四", "", "2024-01-01", "", ""],                              # row 9: already on the roll
               ["孙三", "", "2024-01-01", "2023-01-01", "9号楼 909"])           # row 10: term and household
    report = services.roll_import(actor=w.community_staff, roll=roll, file=bad)
    assert not report.ok and report.written == 0
    assert report.error_rows == [3, 4, 5, 6, 7, 8, 9, 10]
    assert not RollEntry.objects.filter(roll=roll).exclude(person=w.people[3]).exists()
    good = xlsx(header,
                ["赵一", "", "2024-01-01", "2028-12-31", f"{w.b1.name} 101、{w.b1.name} 102"],
                ["王芳", ID_NUMBERS[5].lower(), "2024-01-01", "2028-12-31", ""],
                ["孙三", "", "", "", ""])
    assert services.roll_import(actor=w.community_staff, roll=roll, file=good, dry_run=True).written == 0
    report = services.roll_import(actor=w.community_staff, roll=roll, file=good)
    assert report.ok and report.written == 3
    names = sorted(selectors.persons_due(roll=roll).values_list("name", flat=True))
    assert names == ["孙三", "李四", "王芳", "赵一"]
    assert RollEntry.objects.get(roll=roll, person=w.people[5]).term_ends == dt.date(2028, 12, 31)
    with pytest.raises(NotPermitted):
        services.roll_import(actor=w.other_staff, roll=roll, file=good)


def test_owners_party_and_cooperative_imports_read_their_own_columns(roll_world):
    w = roll_world
    compound = Compound.objects.create(code="C1-1", name="安泰小区", community=w.c1)
    owners = services.roll_create(actor=w.community_staff, kind=RollKind.OWNERS, region=w.c1, compound=compound)
    report = services.roll_import(actor=w.community_staff, roll=owners, file=xlsx(
        ["姓名", "房号", "专有部分面积"], ["赵一", "1-101", "89.5"], ["钱二", "1-102", ""], ["孙三", "1-103", "0"]))
    assert [(e.row, e.column) for e in report.errors] == [(3, "专有部分面积"), (4, "专有部分面积")]
    report = services.roll_import(actor=w.community_staff, roll=owners, file=xlsx(
        ["姓名", "房号", "专有部分面积"], ["赵一", "1-101", "89.5"], ["钱二", "1-102", 120]))
    assert report.written == 2
    assert selectors.due_count(selectors.electorate(roll=owners)).area == Decimal("209.50")
    party = services.roll_create(actor=w.community_staff, kind=RollKind.PARTY_MEMBERS, region=w.c1)
    report = services.roll_import(actor=w.community_staff, roll=party, file=xlsx(
        ["姓名", "党员类别"], ["赵一", "正式党员"], ["钱二", "预备党员"], ["孙三", "群众"]))
    assert report.error_rows == [4]
    report = services.roll_import(actor=w.community_staff, roll=party, file=xlsx(
        ["姓名", "党员类别"], ["赵一", "正式党员"], ["钱二", "预备党员"]))
    assert sorted(RollEntry.objects.filter(roll=party).values_list("person__name", "voting")) == [
        ("赵一", True), ("钱二", False)]
    coop = services.roll_create(actor=w.community_staff, kind=RollKind.COOP_MEMBERS, region=w.c1,
                                organization=w.enterprise)
    report = services.roll_import(actor=w.community_staff, roll=coop, file=xlsx(
        ["姓名", "附加表决权"], ["赵一", 3], ["钱二", ""]))
    assert report.written == 0 and "20%" in report.errors[0].en  # 2 members allow no extra vote
    report = services.roll_import(actor=w.community_staff, roll=coop, file=xlsx(
        ["姓名", "证件号码", "附加表决权"], ["赵一", "", 1], ["钱二", "", ""], ["孙三", "", ""], ["李四", "", ""],
        ["王芳", ID_NUMBERS[4], ""]))
    assert report.written == 5 and selectors.due_count(selectors.electorate(roll=coop)) == Count(5, 6)


def test_a_meeting_finds_the_roll_of_its_community_or_the_nearest_above(roll_world):
    w = roll_world
    upper = services.roll_create(actor=w.subdistrict_officer, kind=RollKind.REPRESENTATIVES, region=w.s1)
    assert selectors.roll_for(kind=RollKind.REPRESENTATIVES, region=w.c1) == upper
    own = reps_roll(w)
    assert selectors.roll_for(kind=RollKind.REPRESENTATIVES, region=w.c1) == own
    assert selectors.roll_for(kind=RollKind.REPRESENTATIVES, region=w.c3) is None
