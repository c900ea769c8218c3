"""Quorum and majority arithmetic, exact at the boundaries; the owners' assembly of 民法典 art. 278: at least two
thirds of the area AND of the owners take part; ordinary matters pass with more than half of the participating area
AND owners; items 6–8 with at least three quarters of both."""

from decimal import Decimal

import pytest

from grassroots.rolls.votes import Base, Count, Measure, Threshold, decide, reaches

TWO_THIRDS_AT_LEAST = Threshold(2, 3, strict=False)
HALF_MORE_THAN = Threshold(1, 2, strict=True)
THREE_QUARTERS_AT_LEAST = Threshold(3, 4, strict=False)

# 12 owners holding 1200 ㎡ in all
DUE = Count(heads=12, votes=12, area=Decimal("1200.00"))


def owners(present: Count, yes: Count, special: bool = False):
    return decide(quorum=TWO_THIRDS_AT_LEAST, quorum_measure=Measure.HEADS_AND_AREA,
                  majority=THREE_QUARTERS_AT_LEAST if special else HALF_MORE_THAN,
                  majority_measure=Measure.HEADS_AND_AREA, majority_base=Base.PRESENT, due=DUE, present=present,
                  cast=present, yes=yes)


@pytest.mark.parametrize(("heads", "area", "quorum"), [
    (8, "800.00", True),    # exactly two thirds of both: 以上 includes the number itself
    (8, "799.99", False),   # heads enough, area just under
    (7, "1000.00", False),  # area enough, heads just under
    (12, "1200.00", True),
    (7, "799.99", False),
])
def test_owners_take_part_with_two_thirds_of_the_area_and_two_thirds_of_the_owners(heads, area, quorum):
    assert owners(Count(heads, heads, Decimal(area)), Count()).quorum is quorum


@pytest.mark.parametrize(("heads", "area", "passed"), [
    (5, "450.01", True),    # of 8 present holding 900 ㎡: more than half of both
    (4, "600.00", False),   # exactly half the owners is not more than half
    (6, "450.00", False),   # exactly half the area is not more than half
    (5, "450.00", False),
])
def test_ordinary_matters_need_more_than_half_of_the_participating_area_and_owners(heads, area, passed):
    present = Count(8, 8, Decimal("900.00"))
    assert owners(present, Count(heads, heads, Decimal(area))).passed is passed


@pytest.mark.parametrize(("heads", "area", "passed"), [
    (6, "675.00", True),    # exactly three quarters of 8 owners and of 900 ㎡
    (6, "674.99", False),   # area just under
    (5, "900.00", False),   # owners just under
    (8, "900.00", True),
])
def test_items_six_to_eight_need_three_quarters_of_the_participating_area_and_owners(heads, area, passed):
    present = Count(8, 8, Decimal("900.00"))
    assert owners(present, Count(heads, heads, Decimal(area)), special=True).passed is passed


@pytest.mark.parametrize(("special", "heads", "area", "passed"), [
    (True, 9, "900.00", True),     # of all 12 taking part with 1200 ㎡: exactly three quarters of both
    (True, 9, "899.99", False),    # three quarters of the owners, the area one hundredth of a ㎡ under
    (True, 8, "1200.00", False),   # all the area, one owner under three quarters
    (False, 7, "600.01", True),    # an ordinary matter: more than half of both …
    (False, 6, "1200.00", False),  # … exactly half the owners is not more than half, whatever the area
    (False, 12, "600.00", False),  # … nor exactly half the area, whoever votes yes
])
def test_art_278_with_every_owner_taking_part_at_both_thresholds(special, heads, area, passed):
    assert owners(DUE, Count(heads, heads, Decimal(area)), special=special).passed is passed


def test_an_ordinary_majority_is_not_enough_for_items_six_to_eight():
    present, yes = Count(8, 8, Decimal("900.00")), Count(5, 5, Decimal("600.00"))
    assert owners(present, yes).passed and not owners(present, yes, special=True).passed


def test_fractions_are_exact_where_a_decimal_ratio_would_not_be():
    # 0.667 × 3 = 2.001 > 2: a decimal "two thirds" would refuse two of three; the fraction accepts it
    assert TWO_THIRDS_AT_LEAST.met(2, 3) and not TWO_THIRDS_AT_LEAST.met(1999, 3000)
    assert TWO_THIRDS_AT_LEAST.met(Decimal("666.67"), Decimal("1000.00"))
    assert not TWO_THIRDS_AT_LEAST.met(Decimal("666.66"), Decimal("1000.00"))


def test_nothing_reaches_a_share_of_nobody_and_bad_shares_are_refused():
    assert not HALF_MORE_THAN.met(0, 0) and not TWO_THIRDS_AT_LEAST.met(0, 0)
    assert Threshold(0, 1, strict=False).met(0, 0)
    for num, den in ((3, 2), (1, 0), (-1, 2)):
        with pytest.raises(ValueError):
            Threshold(num, den, strict=True)


def test_cooperative_members_vote_with_their_extra_votes_against_all_votes_due():
    # 10 members, 2 of them with 1 extra vote: 12 votes due; 5 members holding 7 votes say yes
    due = Count(10, 12)
    outcome = decide(quorum=TWO_THIRDS_AT_LEAST, quorum_measure=Measure.HEADS, majority=HALF_MORE_THAN,
                     majority_measure=Measure.VOTES, majority_base=Base.DUE, due=due, present=Count(7, 9),
                     cast=Count(7, 9), yes=Count(5, 7))
    assert outcome.quorum and outcome.passed  # 7 of 12 votes, though only 5 of 10 heads
    assert not reaches(HALF_MORE_THAN, Measure.VOTES, Count(5, 6), due)  # exactly half of the votes


def test_a_majority_of_those_who_cast_a_vote_ignores_those_who_did_not():
    outcome = decide(quorum=None, quorum_measure=Measure.HEADS, majority=HALF_MORE_THAN,
                     majority_measure=Measure.HEADS, majority_base=Base.CAST, due=Count(10, 10), present=Count(9, 9),
                     cast=Count(5, 5), yes=Count(3, 3))
    assert outcome.quorum is None and outcome.passed and outcome.base == Count(5, 5)


def test_shares_read_as_the_law_says_them():
    assert str(TWO_THIRDS_AT_LEAST) == "三分之二以上（含本数）" and str(HALF_MORE_THAN) == "超过二分之一"


def test_cooperative_extra_votes_total_at_most_a_fifth_of_the_basic_votes():
    from grassroots.rolls.votes import extra_votes_cap, extra_votes_within_cap

    assert extra_votes_within_cap(members=5, extra=1) and not extra_votes_within_cap(members=5, extra=2)
    assert extra_votes_within_cap(members=10, extra=2) and not extra_votes_within_cap(members=9, extra=2)
    assert extra_votes_within_cap(members=4, extra=0) and not extra_votes_within_cap(members=4, extra=1)
    assert [extra_votes_cap(n) for n in (0, 4, 5, 9, 10, 14, 15)] == [0, 0, 1, 1, 2, 2, 3]
