"""Every clock and check of member development at its boundary (one day before, at, after)."""

import datetime as dt

import pytest

from grassroots.core import clock
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed
from grassroots.party.models import Membership
from grassroots.partydevelopment import rules, services
from grassroots.partydevelopment.states import Stage
from tests.support.party import add_members, make_person

D = dt.date
TODAY = dt.datetime(2028, 1, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
# A case that keeps every rule: step → date (and data).
PLAN = {
    2: D(2024, 2, 1), 3: D(2024, 3, 1), 4: D(2024, 3, 5), 5: D(2024, 3, 10), 6: D(2024, 9, 1), 7: D(2025, 3, 1),
    8: D(2025, 3, 5), 9: D(2025, 3, 10), 10: D(2025, 4, 1), 11: D(2025, 4, 10), 12: D(2025, 5, 1),
    13: D(2025, 5, 20), 14: D(2025, 5, 25), 15: D(2025, 6, 1), 16: D(2025, 6, 10), 17: D(2025, 7, 1),
    18: D(2025, 7, 10), 19: D(2025, 7, 15), 20: D(2025, 7, 20), 21: D(2026, 1, 1), 22: D(2026, 5, 20),
    23: D(2026, 6, 1), 24: D(2026, 6, 20), 25: D(2026, 6, 30),
}
DATA = {5: {"contacts": ["王联系人"]}, 9: {"sponsors": ["甲", "乙"]}, 11: {"days": 3}, 15: {"present": 4, "yes": 4},
        23: {"present": 4, "yes": 4}, 17: {}}


@pytest.fixture
def dev(world, party, posts):
    clock.freeze(TODAY)
    add_members(party.g1, 5)  # five full members with a vote (admitted 2000, full 2001)
    joined()
    person = make_person("申请人甲", region=world.g1)
    person.birth_date = D(2000, 1, 1)
    person.save()
    case = services.case_open(actor=posts.secretary, person=person, branch=party.g1, applied_on=D(2024, 1, 15))
    return case


def joined():
    """Members added in a test joined their branch long ago (the service dates a new membership today)."""
    Membership.objects.filter(start_date__gt=D(2001, 7, 1)).update(start_date=D(2001, 7, 1))


def actor_for(posts, number):
    from grassroots.partydevelopment.states import UPPER_STEPS

    return posts.officer if number in UPPER_STEPS else posts.secretary


def record(posts, case, number, done_on=None, data=None):
    case.refresh_from_db()
    return services.step_record(actor=actor_for(posts, number), case=case, number=number,
                                done_on=done_on or PLAN[number], done_by="经办人",
                                data=DATA.get(number, {}) if data is None else data)


def clear_notice(posts, case):
    case.refresh_from_db()
    services.notice_publish(actor=posts.secretary, case=case)
    clock.freeze(clock.now() + dt.timedelta(days=30))


def advance(posts, case, upto):
    """Record steps until ``upto`` (inclusive), publishing and clearing the notices on the way."""
    case.refresh_from_db()
    for n in range(case.last_step + 1, upto + 1):
        if n in (13, 24):
            clear_notice(posts, case)
        record(posts, case, n)
    case.refresh_from_db()
    return case


def refused(fn, field=None):
    with pytest.raises(ValidationFailed) as e:
        fn()
    if field:
        assert e.value.field == field, e.value.zh
    assert e.value.zh and e.value.en
    return e.value


def test_the_whole_way_to_full_membership(dev, posts, party):
    case = advance(posts, dev, 17)
    m = Membership.objects.get(person=case.person, active=True)
    assert (m.status, m.admission_date, m.org) == ("probationary", D(2025, 6, 1), party.g1)
    assert case.probation_ends == D(2026, 6, 1) and case.stage == Stage.ADMISSION
    case = advance(posts, case, 25)
    m.refresh_from_db()
    assert (m.status, m.full_member_date) == ("full", D(2026, 6, 1))
    assert case.stage == Stage.DONE and case.steps.count() == 25


def test_steps_out_of_order_are_refused_with_the_next_step(dev, posts):
    e = refused(lambda: record(posts, dev, 3), field="number")
    assert "第2步" in e.zh and "step 2" in e.en and e.code == "out_of_order"


@pytest.mark.parametrize("day,ok", [(D(2024, 2, 14), True), (D(2024, 2, 15), True), (D(2024, 2, 16), False)])
def test_talk_within_a_month_of_the_application(dev, posts, day, ok):
    if ok:
        record(posts, dev, 2, day)
    else:
        e = refused(lambda: record(posts, dev, 2, day))
        assert "2024-02-15" in e.zh


@pytest.mark.django_db
def test_talk_deadline_at_a_month_end():
    assert rules.talk_deadline(D(2024, 1, 31)) == D(2024, 2, 29)
    assert rules.talk_deadline(D(2023, 1, 31)) == D(2023, 2, 28)


def test_applicant_under_eighteen_is_refused(world, party, posts):
    clock.freeze(TODAY)
    young = make_person("少年", region=world.g1)
    young.birth_date = D(2006, 1, 16)
    young.save()
    refused(lambda: services.case_open(actor=posts.secretary, person=young, branch=party.g1,
                                       applied_on=D(2024, 1, 15)), field="person")
    case = services.case_open(actor=posts.secretary, person=young, branch=party.g1, applied_on=D(2024, 1, 16))
    assert case.stage == Stage.APPLICANT


@pytest.mark.parametrize("day,ok", [(D(2025, 2, 28), False), (D(2025, 3, 1), True), (D(2025, 3, 2), True)])
def test_a_year_as_activist_before_candidate(dev, posts, day, ok):
    case = advance(posts, dev, 6)
    if ok:
        record(posts, case, 7, day)
        case.refresh_from_db()
        assert case.stage == Stage.CANDIDATE
    else:
        assert "2025-03-01" in refused(lambda: record(posts, case, 7, day)).zh


@pytest.mark.parametrize("data,ok", [({"days": 2, "hours": 23}, False), ({"days": 3}, True), ({"hours": 24}, True),
                                     ({"days": 2, "hours": 24}, True), ({"days": "x"}, False)])
def test_training_three_days_or_24_hours(dev, posts, data, ok):
    case = advance(posts, dev, 10)
    if ok:
        record(posts, case, 11, data=data)
    else:
        refused(lambda: record(posts, case, 11, data=data), field="days")


def test_contacts_and_sponsors(dev, posts):
    case = advance(posts, dev, 4)
    refused(lambda: record(posts, case, 5, data={"contacts": []}), field="contacts")
    refused(lambda: record(posts, case, 5, data={"contacts": ["a", "b", "c"]}), field="contacts")
    case = advance(posts, case, 8)
    refused(lambda: record(posts, case, 9, data={"sponsors": ["a"]}), field="sponsors")


def test_candidate_notice_before_the_pre_review(dev, posts):
    from grassroots.notices.models import Notice
    from grassroots.notices.services import objection_answer, objection_submit

    case = advance(posts, dev, 12)
    assert refused(lambda: record(posts, case, 13)).code == "no_notice"
    notice = services.notice_publish(actor=posts.secretary, case=case)
    refused(lambda: record(posts, case, 13))  # the period runs
    objection = objection_submit(actor=posts.worker4, notice=Notice.objects.get(pk=notice.pk), text="有异议")
    clock.freeze(clock.now() + dt.timedelta(days=30))
    refused(lambda: record(posts, case, 13))  # an objection unanswered
    objection_answer(actor=posts.secretary, objection=objection, answer="已核实")
    record(posts, case, 13)


@pytest.mark.parametrize("present,yes,ok,field", [
    (2, 2, False, "present"),  # quorum: more than half of 5 must be present
    (3, 2, False, "yes"),      # 2 of 3 present is a majority of those present, not of the 5 due
    (3, 3, True, None), (5, 3, True, None), (5, 2, False, "yes"), (6, 6, False, "present"),
])
def test_branch_vote_counts_yes_against_all_who_should_attend(dev, posts, present, yes, ok, field):
    case = advance(posts, dev, 14)
    data = {"present": present, "yes": yes}
    if ok:
        step = record(posts, case, 15, data=data)
        assert step.data["due"] == 5
    else:
        refused(lambda: record(posts, case, 15, data=data), field=field)


def test_vote_base_leaves_out_probationary_members_and_counts_building_groups(dev, posts, party):
    add_members(party.g1, 2, status="probationary", prefix="预备")
    add_members(party.b1, 2, prefix="小组")
    joined()
    case = advance(posts, dev, 14)
    refused(lambda: record(posts, case, 15, data={"present": 7, "yes": 3}), field="yes")
    assert record(posts, case, 15, data={"present": 7, "yes": 4}).data["due"] == 7


@pytest.mark.parametrize("day,reason,ok", [
    (D(2025, 9, 1), "", True), (D(2025, 9, 2), "", False), (D(2025, 9, 2), "材料补充", True),
    (D(2025, 12, 1), "材料补充", True), (D(2025, 12, 2), "材料补充", False),
])
def test_upper_approval_within_three_months_six_at_most(dev, posts, day, reason, ok):
    case = advance(posts, dev, 16)
    data = {"delay_reason": reason}
    if ok:
        record(posts, case, 17, day, data=data)
    else:
        refused(lambda: record(posts, case, 17, day, data=data))


@pytest.mark.parametrize("day,ok", [(D(2026, 5, 31), False), (D(2026, 6, 1), True), (D(2026, 6, 2), True)])
def test_promotion_not_before_the_probation_year_ends(dev, posts, day, ok):
    case = advance(posts, dev, 22)
    data = {"present": 4, "yes": 4}
    if ok:
        record(posts, case, 23, day, data=data)
    else:
        assert "2026-06-01" in refused(lambda: record(posts, case, 23, day, data=data)).zh


@pytest.mark.parametrize("months,ok", [(5, False), (6, True), (12, True), (13, False)])
def test_extension_six_to_twelve_months(dev, posts, months, ok):
    case = advance(posts, dev, 21)
    if ok:
        services.case_extend(actor=posts.secretary, case=case, months=months, reason="考察")
        assert case.probation_ends == rules.add_months(D(2026, 6, 1), months)
        record(posts, case, 22)
        refused(lambda: record(posts, case, 23, D(2026, 6, 2), data={"present": 4, "yes": 4}))
    else:
        refused(lambda: services.case_extend(actor=posts.secretary, case=case, months=months, reason="考察"),
                field="months")


def test_extension_only_on_probation_and_once(dev, posts):
    refused(lambda: services.case_extend(actor=posts.secretary, case=dev, months=6, reason="x"))
    case = advance(posts, dev, 19)
    services.case_extend(actor=posts.secretary, case=case, months=6, reason="x")
    refused(lambda: services.case_extend(actor=posts.secretary, case=case, months=6, reason="x"))


def test_upper_steps_are_the_committees(dev, posts, world):
    case = advance(posts, dev, 3)
    with pytest.raises(NotPermitted):
        services.step_record(actor=posts.secretary, case=case, number=4, done_on=PLAN[4], done_by="x")
    with pytest.raises(NotPermitted):
        services.step_record(actor=posts.worker4, case=case, number=4, done_on=PLAN[4], done_by="x")
    record(posts, case, 4)
    case.refresh_from_db()
    with pytest.raises(NotPermitted):
        services.step_record(actor=posts.worker4, case=case, number=5, done_on=PLAN[5], done_by="x",
                             data={"contacts": ["a"]})


def test_dates_in_order_and_not_in_the_future(dev, posts):
    refused(lambda: record(posts, dev, 2, D(2024, 1, 14)))
    refused(lambda: record(posts, dev, 2, clock.today() + dt.timedelta(days=1)))


def test_stop_and_closed_cases(dev, posts):
    services.case_stop(actor=posts.secretary, case=dev, reason="本人撤回申请")
    with pytest.raises(Conflict):
        record(posts, dev, 2)
