import datetime as dt
from decimal import Decimal

import pytest

from grassroots.core import clock
from grassroots.core.errors import NotFound, NotPermitted, ValidationFailed
from grassroots.partylife import selectors, services
from grassroots.partylife.models import PointsRule

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    clock.freeze(dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC))
    yield
    clock.reset()


def test_review_record_and_grade(life):
    person = life.g1_full[2].person
    assert selectors.review_grade(person.pk, 2026) is None
    services.review_record(actor=life.sec_g1, person=person, org=life.p.g1, year=2026, grade="excellent")
    assert selectors.review_grade(person.pk, 2026) == "excellent"
    services.review_record(actor=life.sec_g1, person=person, org=life.p.g1, year=2026, grade="qualified")
    assert selectors.review_grade(person.pk, 2026) == "qualified"
    with pytest.raises(ValidationFailed) as e:
        services.review_record(actor=life.sec_g1, person=person, org=life.p.g1, year=2026, grade="unqualified")
    assert e.value.field == "note"
    with pytest.raises(ValidationFailed):
        services.review_record(actor=life.sec_g1, person=life.g3_full[0].person, org=life.p.g1, year=2026,
                               grade="qualified")
    with pytest.raises(ValidationFailed):
        services.review_record(actor=life.sec_g1, person=person, org=life.p.g1, year=2027, grade="qualified")
    with pytest.raises(NotFound):  # another branch's secretary: the organisation looks missing
        services.review_record(actor=life.sec_g3, person=person, org=life.p.g1, year=2026, grade="qualified")
    with pytest.raises(NotPermitted):  # the committee above sees but does not record
        services.review_record(actor=life.officer_c1, person=person, org=life.p.g1, year=2026, grade="qualified")


def test_points_award_and_cap(life):
    person = life.g1_full[3].person
    honour = life.p.g3  # any saved object stands for the honour
    services.points_award(actor=None, person=person, org=life.p.g1, points=5, reason="优秀共产党员",
                          source_object=honour)
    assert selectors.points_total(person.pk, 2026) == Decimal("5")
    from grassroots.core.errors import Conflict

    with pytest.raises(Conflict):
        services.points_award(actor=None, person=person, org=life.p.g1, points=5, reason="again", source_object=honour)
    # the manual rule's cap (20 a year): 15 pending, then 6 more refused, 5 accepted
    services.points_enter(actor=life.sec_g1, person=person, org=life.p.g1, rule_code="manual_plus", points=15,
                          reason="疫情防控志愿服务")
    with pytest.raises(ValidationFailed) as e:
        services.points_enter(actor=life.sec_g1, person=person, org=life.p.g1, rule_code="manual_plus", points=6,
                              reason="x")
    assert e.value.code == "points_cap"
    entry = services.points_enter(actor=life.sec_g1, person=person, org=life.p.g1, rule_code="manual_plus",
                                  points=5, reason="带头调解")
    assert selectors.points_total(person.pk, 2026) == Decimal("5")  # pending lines do not count
    with pytest.raises(NotPermitted):
        services.points_decide(actor=life.sec_g1, entry=entry, approve=True)
    services.points_decide(actor=life.officer_c1, entry=entry, approve=True)
    assert selectors.points_total(person.pk, 2026) == Decimal("10")
    # the cap restarts next year
    rule = PointsRule.objects.get(code="manual_plus")
    assert rule.cap == Decimal("20")


def test_meeting_points_are_capped_per_year(life):
    from grassroots.partylife.models import PointsEntry
    from grassroots.partylife.services.points import _write

    person = life.g1_full[4].person
    rule = PointsRule.objects.get(code="three_one")  # 3 each, cap 12 a year
    for i in range(5):
        _write(actor=None, rule=rule, person=person, org=life.p.g1, points=rule.points, on=dt.date(2026, 1 + i, 3),
               reason=f"第{i}次")
    assert selectors.points_total(person.pk, 2026) == Decimal("12")
    assert PointsEntry.objects.filter(person=person).count() == 4
    _write(actor=None, rule=rule, person=person, org=life.p.g1, points=rule.points, on=dt.date(2025, 12, 3),
           reason="去年")
    assert selectors.points_total(person.pk, 2025) == Decimal("3")


def test_service_hours_earn_points_per_hour_within_the_cap(life):
    from grassroots.party.models import ServiceRecord

    person = life.g1_full[5].person
    record = ServiceRecord.objects.create(person=person, date=dt.date(2026, 11, 1), hours=Decimal("15"),
                                          description="社区志愿服务", source="volunteer")
    services.points_for_service(actor=life.sec_g1, record=record, org=life.p.g1)
    more = ServiceRecord.objects.create(person=person, date=dt.date(2026, 11, 8), hours=Decimal("8"),
                                        description="双报到服务")
    entry = services.points_for_service(actor=life.sec_g1, record=more, org=life.p.g1)
    assert entry.points == Decimal("5") and selectors.points_total(person.pk, 2026) == Decimal("20")


def test_rankings_switch_off_by_policy(life):
    from grassroots.core.models import PolicySetting

    services.points_award(actor=None, person=life.g1_full[7].person, org=life.p.g1, points=9, reason="表彰")
    services.points_award(actor=None, person=life.g1_full[6].person, org=life.p.g1, points=1, reason="表彰")
    ranked = [r["total"] for r in selectors.yearly_totals(actor=life.officer_c1, year=2026)]
    assert ranked == [Decimal("9"), Decimal("1")]
    PolicySetting.objects.create(key="partylife.rankings", value=False)
    names = [r["name"] for r in selectors.yearly_totals(actor=life.officer_c1, year=2026)]
    assert names == sorted(names)
