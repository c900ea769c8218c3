from decimal import Decimal as D

import pytest

from grassroots.grading.scoring import Band, Node, compute, grade_for, leaf_score, ranks

BANDS = [Band(1, D(90)), Band(2, D(80)), Band(3, D(60)), Band(4, D(0))]


@pytest.mark.parametrize(("total", "grade"), [
    (D("100"), 1), (D("90"), 1), (D("89.99"), 2), (D("80"), 2), (D("79.99"), 3), (D("60"), 3), (D("59.99"), 4),
    (D("0"), 4)])
def test_the_grade_is_the_highest_band_whose_minimum_the_total_reaches(total, grade):
    assert grade_for(total, BANDS, False, None) == grade


@pytest.mark.parametrize(("total", "veto_band", "grade"), [
    (D("95"), 3, 3),       # capped at the veto grade
    (D("60"), 3, 3),       # at the cap: unchanged
    (D("59.99"), 3, 4),    # below the cap: its own band
    (D("95"), None, 4),    # no veto grade set: the lowest band
])
def test_a_veto_caps_the_grade(total, veto_band, grade):
    assert grade_for(total, BANDS, True, veto_band) == grade


def test_a_total_below_every_band_has_no_grade():
    assert grade_for(D("10"), [Band(1, D(60))], False, None) is None


def n(pk, method, max_score, values=(), parent=None, kind="standard", unit="0"):
    return Node(pk, parent, kind, method, D(max_score), D(unit), [D(v) for v in values])


def test_leaf_methods_score_as_documented():
    assert leaf_score(n(1, "checked", "30", ["1"])) == D(30)
    assert leaf_score(n(1, "checked", "30", ["1", "0"])) == D(15)  # half the assessors found it met
    assert leaf_score(n(1, "count", "10", ["4"], unit="2")) == D(8)
    assert leaf_score(n(1, "count", "10", ["6"], unit="2")) == D(10)  # capped at the maximum
    assert leaf_score(n(1, "survey", "20", ["85"])) == D(17)
    assert leaf_score(n(1, "veto", "0", ["1"])) == D(0)
    assert leaf_score(n(1, "checked", "30", [])) == D(0)  # nothing entered


def test_groups_cap_their_children_and_bonus_and_deduction_their_limits():
    nodes = [n(1, "group", "50"), n(2, "checked", "30", ["1"], parent=1), n(3, "checked", "30", ["1"], parent=1),
             n(4, "survey", "40", ["100"]),
             n(5, "count", "10", ["3"], kind="bonus", unit="2"),       # 6, capped by the scheme's bonus limit 3
             n(6, "count", "20", ["2"], kind="deduction", unit="3")]   # 6, capped by the deduction limit 5
    r = compute(nodes, bonus_limit=D(3), deduction_limit=D(5), bands=BANDS, veto_band_id=None)
    assert (r.base, r.bonus, r.deduction, r.total) == (D(90), D(3), D(5), D(88))
    assert r.scores[1] == D(50) and r.grade_id == 2 and not r.vetoed


def test_no_limit_means_the_sums_are_not_capped_and_the_total_never_goes_below_zero():
    nodes = [n(1, "checked", "10", ["1"]), n(2, "count", "50", ["10"], kind="deduction", unit="3")]
    r = compute(nodes, bonus_limit=None, deduction_limit=None, bands=BANDS, veto_band_id=None)
    assert r.deduction == D(30) and r.total == D(0)


def test_one_assessor_applying_the_veto_vetoes_the_result():
    nodes = [n(1, "checked", "100", ["1"]), n(2, "veto", "0", ["0", "1"])]
    r = compute(nodes, bonus_limit=None, deduction_limit=None, bands=BANDS, veto_band_id=3)
    assert r.vetoed and r.total == D(100) and r.grade_id == 3


def test_ranks_put_vetoed_results_last_and_share_ranks_on_equal_totals():
    rows = [(1, False, D(80)), (2, False, D(90)), (3, False, D(80)), (4, True, D(99)), (5, False, D(70))]
    assert ranks(rows) == {2: 1, 1: 2, 3: 2, 5: 4, 4: 5}
