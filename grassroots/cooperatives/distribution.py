"""The year's surplus distribution, worked to the fen (农民专业合作社法 arts. 42–44). No database: the services,
the pages and ``grassroots coop_trial`` all call :func:`distribute` with plain values.

- base = the year's surplus − losses to cover (nothing to distribute when it is not positive);
- reserve (公积金) = base × the charter's reserve rate, rounded half-up to the fen;
- distributable (可分配盈余) = base − reserve;
- refund pool = distributable × the refund rate (≥ 60%), rounded half-up to the fen, split by each member's
  transactions; the rest (by basis) is split by contribution + reserve share (before this year's reserve is added)
  + the member's quantified subsidy share;
- the reserve is quantified to members by transactions, by contributions, or both (the share by transactions
  rounded half-up, the rest by contributions).

Every pool is split by largest remainder in fen (:func:`split`): each part first gets its exact share rounded down
to the fen, then the fen left over go one each to the largest remainders, ties to the lower member number. The
parts of every pool add up to the pool exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
MIN_REFUND_RATE = Decimal("0.60")


def money(value) -> Decimal:
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def to_fen(amount: Decimal) -> int:
    return int((Decimal(amount) * 100).to_integral_value(rounding=ROUND_HALF_UP))


def from_fen(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(FEN)


def _integers(weights: Sequence[Decimal]) -> list[int] | None:
    """The weights in fen as integers when every one is a whole number of fen (amounts always are)."""
    out = []
    for w in weights:
        scaled = Decimal(w) * 100
        if scaled != scaled.to_integral_value():
            return None
        out.append(int(scaled))
    return out


def split(pool: Decimal, weights: Sequence[Decimal], order: Sequence[int] | None = None) -> list[Decimal]:
    """Split ``pool`` (yuan, to the fen) over ``weights`` by largest remainder in fen. ``order`` ranks the parts
    for ties (lower first; the position by default). Zero total weight: every part is zero and the pool is not
    split (the caller decides what that means). Exact: integers when the weights are whole fen, fractions else."""
    n = len(weights)
    order = list(order) if order is not None else list(range(n))
    pool_fen = to_fen(pool)
    whole = _integers(weights)
    if whole is not None:
        total = sum(whole)
        if n == 0 or total <= 0:
            return [ZERO] * n
        floors = [pool_fen * w // total for w in whole]
        rest = [pool_fen * w % total for w in whole]  # remainder × total: the same order as the remainders
    else:
        fractions = [Fraction(Decimal(w)) for w in weights]
        total = sum(fractions, Fraction(0))
        if n == 0 or total <= 0:
            return [ZERO] * n
        exact = [Fraction(pool_fen) * f / total for f in fractions]
        floors = [e.numerator // e.denominator for e in exact]
        rest = [e - f for e, f in zip(exact, floors, strict=True)]
    left = pool_fen - sum(floors)
    ranked = sorted(range(n), key=lambda i: (-rest[i], order[i]))
    for i in ranked[:left]:
        floors[i] += 1
    return [from_fen(f) for f in floors]


class DistributionError(ValueError):
    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


@dataclass(frozen=True)
class Rules:
    reserve_rate: Decimal
    refund_rate: Decimal
    reserve_quantified_by: str = "transactions"  # transactions | contributions | both
    reserve_by_transactions_share: Decimal = Decimal("1")


@dataclass(frozen=True)
class MemberFigures:
    code: str
    number: int
    contribution: Decimal
    reserve_share: Decimal
    transactions: Decimal
    subsidy_share: Decimal = ZERO

    @property
    def basis(self) -> Decimal:
        return self.contribution + self.reserve_share + self.subsidy_share


@dataclass(frozen=True)
class Line:
    code: str
    basis: Decimal
    transactions: Decimal
    refund: Decimal
    by_basis: Decimal
    reserve_share_added: Decimal

    @property
    def cash(self) -> Decimal:
        return self.refund + self.by_basis


@dataclass
class Result:
    base: Decimal
    reserve: Decimal
    distributable: Decimal
    refund: Decimal
    by_basis: Decimal
    lines: list[Line] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def line(self, code: str) -> Line:
        return next(x for x in self.lines if x.code == code)

    def as_json(self) -> dict:
        return {"totals": {"reserve": f"{self.reserve:.2f}", "distributable": f"{self.distributable:.2f}",
                           "refund": f"{self.refund:.2f}", "by_basis": f"{self.by_basis:.2f}"},
                "members": {x.code: {"refund": f"{x.refund:.2f}", "by_basis": f"{x.by_basis:.2f}",
                                     "cash": f"{x.cash:.2f}", "reserve_share_added": f"{x.reserve_share_added:.2f}"}
                            for x in self.lines}}


def quantify(amount: Decimal, members: Sequence[MemberFigures], how: str = "equally") -> list[Decimal]:
    """A subsidy or donation quantified to members: equally, or by contribution (largest remainder in fen)."""
    weights = [Decimal(1)] * len(members) if how == "equally" else [m.contribution for m in members]
    return split(money(amount), weights, [m.number for m in members])


def distribute(rules: Rules, *, surplus: Decimal, loss_to_cover: Decimal,
               members: Sequence[MemberFigures]) -> Result:
    order = [m.number for m in members]
    base = money(Decimal(surplus) - Decimal(loss_to_cover))
    notes: list[str] = []
    if base <= 0:
        zero = [Line(m.code, m.basis, m.transactions, ZERO, ZERO, ZERO) for m in members]
        return Result(base, ZERO, ZERO, ZERO, ZERO, zero, ["nothing_to_distribute"])
    reserve = money(base * Decimal(rules.reserve_rate))
    distributable = base - reserve
    tx = [m.transactions for m in members]
    basis = [m.basis for m in members]
    has_tx, has_basis = sum(tx, ZERO) > 0, sum(basis, ZERO) > 0
    if not has_tx and not has_basis:
        raise DistributionError("没有交易额也没有出资，无法分配", "No transactions and no contributions to distribute by")
    refund_total = money(distributable * Decimal(rules.refund_rate))
    if not has_tx:  # everything by basis
        notes.append("no_transactions")
        refund_total = ZERO
    elif not has_basis:  # everything by transactions
        notes.append("no_basis")
        refund_total = distributable
    by_basis_total = distributable - refund_total
    refunds = split(refund_total, tx, order)
    rests = split(by_basis_total, basis, order)
    # The reserve quantified to members.
    how = rules.reserve_quantified_by
    share_tx = {"transactions": Decimal(1), "contributions": Decimal(0)}.get(
        how, Decimal(rules.reserve_by_transactions_share))
    reserve_tx = money(reserve * share_tx)
    has_contribution = sum((m.contribution for m in members), ZERO) > 0
    if not has_tx:
        reserve_tx = ZERO
    elif not has_contribution:
        reserve_tx = reserve
    if not has_tx and not has_contribution and reserve > 0:
        raise DistributionError("没有交易额也没有出资，公积金无法量化", "No transactions and no contributions to "
                                "quantify the reserve by")
    reserve_c = reserve - reserve_tx
    added = [a + b for a, b in zip(split(reserve_tx, tx, order),
                                   split(reserve_c, [m.contribution for m in members], order), strict=True)]
    lines = [Line(m.code, m.basis, m.transactions, r, b, a)
             for m, r, b, a in zip(members, refunds, rests, added, strict=True)]
    return Result(base, reserve, distributable, refund_total, by_basis_total, lines, notes)


# --- votes (成员大会) ------------------------------------------------------------------------------------------


def extra_votes_allowed(members: int) -> int:
    """Extra votes may total at most 20% of the members' basic votes (one each): 5 × Σextra ≤ members."""
    return max(0, members) // 5


def extra_votes_ok(members: int, extra_total: int) -> bool:
    return 5 * extra_total <= members
