"""The distribution arithmetic (database-free): the reference's worked example to the fen, largest remainders, the
parts of every pool adding up exactly over many random cases, and the vote cap at its boundary."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from grassroots.cooperatives import distribution as D

d = Decimal

WORKED = [D.MemberFigures("M1", 1, d(500000), d(0), d(0), d(20000)),
          D.MemberFigures("M2", 2, d(160000), d(0), d(600000), d(20000)),
          D.MemberFigures("M3", 3, d(50000), d(0), d(150000), d(20000)),
          D.MemberFigures("M4", 4, d(100000), d(0), d(300000), d(20000)),
          D.MemberFigures("M5", 5, d(40000), d(0), d(150000), d(20000))]
EXPECTED = {"M1": ("0.00", "94585.26", "94585.26", "0.00"),
            "M2": ("129600.00", "32741.05", "162341.05", "24000.00"),
            "M3": ("32400.00", "12732.63", "45132.63", "6000.00"),
            "M4": ("64800.00", "21827.37", "86627.37", "12000.00"),
            "M5": ("32400.00", "10913.69", "43313.69", "6000.00")}


def test_the_worked_example_of_the_reference_to_the_fen():
    r = D.distribute(D.Rules(d("0.10"), d("0.60")), surplus=d(500000), loss_to_cover=d(20000), members=WORKED)
    assert (r.reserve, r.distributable, r.refund, r.by_basis) == (d("48000.00"), d("432000.00"), d("259200.00"),
                                                                  d("172800.00"))
    for x in r.lines:
        assert (f"{x.refund:.2f}", f"{x.by_basis:.2f}", f"{x.cash:.2f}", f"{x.reserve_share_added:.2f}") == \
            EXPECTED[x.code]
    assert sum(x.cash for x in r.lines) == d("432000.00")


def test_a_subsidy_quantified_equally_gives_each_member_the_same_fen():
    assert D.quantify(d(100000), WORKED) == [d("20000.00")] * 5
    # 100.00 over 3: 33.34, 33.33, 33.33 — the spare fen to the lowest member number on a tie
    three = WORKED[:3]
    assert D.quantify(d(100), three) == [d("33.34"), d("33.33"), d("33.33")]


def test_spare_fen_go_to_the_largest_remainders_and_ties_to_the_lower_member_number():
    assert D.split(d("0.05"), [d(1), d(1), d(1)], order=[3, 1, 2]) == [d("0.01"), d("0.02"), d("0.02")]
    assert D.split(d("1.00"), [d(1), d(2)]) == [d("0.33"), d("0.67")]  # .333 and .667: the spare fen to .667
    assert D.split(d("10.00"), [d(0), d(0)]) == [d("0.00"), d("0.00")]


def test_a_refund_rate_and_both_ways_of_quantifying_the_reserve():
    rules = D.Rules(d("0.15"), d("0.70"), "both", d("0.50"))
    r = D.distribute(rules, surplus=d("123456.78"), loss_to_cover=d("0"), members=WORKED)
    assert r.reserve == d("18518.52") and r.refund == (r.distributable * d("0.7")).quantize(D.FEN)
    assert sum(x.reserve_share_added for x in r.lines) == r.reserve
    assert r.line("M1").reserve_share_added > 0  # the unit trades nothing but contributed: half the reserve by that


def test_nothing_is_distributed_from_a_loss():
    r = D.distribute(D.Rules(d("0.10"), d("0.60")), surplus=d(1000), loss_to_cover=d(5000), members=WORKED)
    assert r.distributable == 0 and all(x.cash == 0 for x in r.lines)


def test_without_transactions_everything_goes_by_basis_and_without_either_it_is_refused():
    members = [D.MemberFigures(m.code, m.number, m.contribution, m.reserve_share, d(0), m.subsidy_share)
               for m in WORKED]
    r = D.distribute(D.Rules(d("0.10"), d("0.60")), surplus=d(1000), loss_to_cover=d(0), members=members)
    assert r.refund == 0 and r.by_basis == r.distributable == sum(x.cash for x in r.lines)
    empty = [D.MemberFigures("M1", 1, d(0), d(0), d(0))]
    with pytest.raises(D.DistributionError):
        D.distribute(D.Rules(d("0.10"), d("0.60")), surplus=d(1000), loss_to_cover=d(0), members=empty)


def _random_case(rng: random.Random):
    n = rng.randint(1, 60)
    members = []
    for i in range(n):
        cents = lambda top: d(rng.randint(0, top)) / 100 if rng.random() > 0.2 else d(0)  # noqa: E731
        members.append(D.MemberFigures(f"M{i + 1}", rng.randint(1, 10_000) if rng.random() < 0.1 else i + 1,
                                       cents(50_000_000), cents(5_000_000), cents(90_000_000), cents(3_000_000)))
    if not any(m.transactions for m in members) and not any(m.basis for m in members):
        members[0] = D.MemberFigures("M1", 1, d(1), d(0), d(1))
    rules = D.Rules(d(rng.randint(0, 3000)) / 10000, d(rng.randint(6000, 10000)) / 10000,
                    rng.choice(["transactions", "contributions", "both"]), d(rng.randint(0, 10000)) / 10000)
    return rules, d(rng.randint(0, 10**10)) / 100, d(rng.randint(0, 10**8)) / 100, members


def test_the_parts_of_every_pool_add_up_exactly_over_many_random_cases():
    rng = random.Random(20261205)
    for _ in range(600):
        rules, surplus, loss, members = _random_case(rng)
        if not any(m.contribution for m in members) and not any(m.transactions for m in members):
            continue
        r = D.distribute(rules, surplus=surplus, loss_to_cover=loss, members=members)
        base = max(D.money(surplus - loss), d(0))
        if base > 0:
            assert r.reserve + r.distributable == base
            assert r.refund + r.by_basis == r.distributable
        assert sum((x.refund for x in r.lines), d(0)) == r.refund
        assert sum((x.by_basis for x in r.lines), d(0)) == r.by_basis
        assert sum((x.cash for x in r.lines), d(0)) == r.distributable
        assert sum((x.reserve_share_added for x in r.lines), d(0)) == r.reserve
        for x in r.lines:
            assert x.refund >= 0 and x.by_basis >= 0 and x.reserve_share_added >= 0
            assert x.refund == x.refund.quantize(D.FEN)
        if r.refund and r.by_basis and "no_basis" not in r.notes and "no_transactions" not in r.notes:
            assert r.refund >= (r.distributable * d("0.6")).quantize(D.FEN)


def test_each_part_is_within_one_fen_of_its_exact_share():
    rng = random.Random(7)
    for _ in range(300):
        n = rng.randint(1, 30)
        weights = [d(rng.randint(0, 10**7)) / 100 for _ in range(n)]
        pool = d(rng.randint(0, 10**9)) / 100
        parts = D.split(pool, weights)
        total = sum(weights)
        if total == 0:
            continue
        assert sum(parts) == pool
        for w, p in zip(weights, parts, strict=True):
            assert abs(p - pool * w / total) < d("0.01")


def test_extra_votes_total_at_most_a_fifth_of_the_basic_votes():
    assert D.extra_votes_ok(5, 1) and not D.extra_votes_ok(5, 2)
    assert D.extra_votes_ok(4, 0) and not D.extra_votes_ok(4, 1)
    assert D.extra_votes_allowed(5) == 1 and D.extra_votes_allowed(9) == 1 and D.extra_votes_allowed(10) == 2


try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - hypothesis is a test dependency
    given = None

if given is not None:
    fen = st.integers(min_value=0, max_value=10**10).map(lambda c: d(c) / 100)
    member = st.tuples(fen, fen, fen, fen)

    @settings(max_examples=300, deadline=None)
    @given(members=st.lists(member, min_size=1, max_size=40), surplus=fen, loss=fen,
           reserve_rate=st.integers(0, 10000), refund_rate=st.integers(6000, 10000),
           how=st.sampled_from(["transactions", "contributions", "both"]), share=st.integers(0, 10000))
    def test_property_every_pool_adds_up_to_the_fen(members, surplus, loss, reserve_rate, refund_rate, how, share):
        figures = [D.MemberFigures(f"M{i + 1}", i + 1, c, r, t, s) for i, (c, r, t, s) in enumerate(members)]
        if not any(f.transactions for f in figures) and not any(f.basis for f in figures):
            return
        if not any(f.transactions for f in figures) and not any(f.contribution for f in figures):
            return
        rules = D.Rules(d(reserve_rate) / 10000, d(refund_rate) / 10000, how, d(share) / 10000)
        r = D.distribute(rules, surplus=surplus, loss_to_cover=loss, members=figures)
        assert sum((x.cash for x in r.lines), d(0)) == r.distributable
        assert sum((x.refund for x in r.lines), d(0)) == r.refund
        assert sum((x.by_basis for x in r.lines), d(0)) == r.by_basis
        assert sum((x.reserve_share_added for x in r.lines), d(0)) == r.reserve


def test_whole_fen_and_finer_weights_split_the_same_way():
    rng = random.Random(11)
    for _ in range(200):
        weights = [d(rng.randint(0, 10**6)) / 100 for _ in range(rng.randint(1, 20))]
        pool = d(rng.randint(0, 10**8)) / 100
        finer = [w + d("0.0001") * 0 for w in weights]  # same values, another exponent
        scaled = [w / 3 for w in weights]  # not whole fen: the fraction path, same proportions
        assert D.split(pool, weights) == D.split(pool, finer)
        if sum(weights):
            assert sum(D.split(pool, scaled)) == pool
