"""The arithmetic of a result, as plain functions over plain values (no database), so the boundaries are testable.

- A leaf's value is the mean of its assessors' values (one assessor: that value). ``checked`` scores the maximum
  times the value (1 met, 0 not; several assessors: the share that found it met); ``count`` scores the value times
  the points per unit, capped at the maximum; ``survey`` scores the maximum times the rate (0–100) / 100; ``veto``
  scores nothing and, if any assessor found it applies, vetoes the result.
- A group scores the sum of its children, capped at its own maximum.
- The base is the sum of the top-level standard indicators; the bonus and the deduction are the sums of their
  kinds' indicators, each capped by the scheme's limit (no limit: uncapped). Total = base + bonus − deduction, never
  below zero.
- The grade is the band with the highest minimum the total reaches (a total below every minimum has no grade). A
  veto caps it: a vetoed result gets at most the scheme's veto grade (none set: the lowest band).
- Ranking: results not vetoed first, by total (highest first); equal totals share a rank (1, 2, 2, 4).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .states import IndicatorKind, Method

ZERO = Decimal("0")
CENT = Decimal("0.01")


@dataclass
class Node:
    pk: int
    parent_id: int | None
    kind: str
    method: str
    max_score: Decimal
    unit_score: Decimal = ZERO
    values: list[Decimal] = field(default_factory=list)


@dataclass(frozen=True)
class Band:
    pk: int
    min_score: Decimal


@dataclass(frozen=True)
class Result:
    base: Decimal
    bonus: Decimal
    deduction: Decimal
    total: Decimal
    vetoed: bool
    grade_id: int | None
    scores: dict  # indicator id → its score


def _q(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def leaf_score(node: Node) -> Decimal:
    if not node.values or node.method == Method.VETO:
        return ZERO
    mean = sum(node.values, ZERO) / len(node.values)
    if node.method == Method.CHECKED:
        return node.max_score * min(mean, Decimal(1))
    if node.method == Method.COUNT:
        return min(mean * node.unit_score, node.max_score)
    if node.method == Method.SURVEY:
        return node.max_score * min(mean, Decimal(100)) / 100
    return ZERO


def compute(nodes: Sequence[Node], *, bonus_limit: Decimal | None, deduction_limit: Decimal | None,
            bands: Iterable[Band], veto_band_id: int | None) -> Result:
    children: dict[int | None, list[Node]] = {}
    for n in nodes:
        children.setdefault(n.parent_id, []).append(n)
    scores: dict[int, Decimal] = {}

    def score(n: Node) -> Decimal:
        if n.method == Method.GROUP:
            s = min(sum((score(c) for c in children.get(n.pk, ())), ZERO), n.max_score)
        else:
            s = leaf_score(n)
        scores[n.pk] = _q(s)
        return s

    sums = {IndicatorKind.STANDARD: ZERO, IndicatorKind.BONUS: ZERO, IndicatorKind.DEDUCTION: ZERO}
    for top in children.get(None, ()):
        sums[top.kind] = sums.get(top.kind, ZERO) + score(top)
    bonus = sums[IndicatorKind.BONUS] if bonus_limit is None else min(sums[IndicatorKind.BONUS], bonus_limit)
    deduction = (sums[IndicatorKind.DEDUCTION] if deduction_limit is None
                 else min(sums[IndicatorKind.DEDUCTION], deduction_limit))
    base = _q(sums[IndicatorKind.STANDARD])
    bonus, deduction = _q(bonus), _q(deduction)
    total = max(ZERO, base + bonus - deduction)
    vetoed = any(n.method == Method.VETO and any(v >= 1 for v in n.values) for n in nodes)
    return Result(base, bonus, deduction, total, vetoed, grade_for(total, bands, vetoed, veto_band_id), scores)


def grade_for(total: Decimal, bands: Iterable[Band], vetoed: bool, veto_band_id: int | None) -> int | None:
    ordered = sorted(bands, key=lambda b: b.min_score, reverse=True)
    reached = next((b for b in ordered if total >= b.min_score), None)
    if not vetoed or not ordered:
        return reached.pk if reached else None
    cap = next((b for b in ordered if b.pk == veto_band_id), ordered[-1])
    if reached is None or reached.min_score > cap.min_score:
        return cap.pk if reached is not None else None
    return reached.pk


def ranks(results: Iterable[tuple[int, bool, Decimal]]) -> dict[int, int]:
    """Competition ranks for (assessment id, vetoed, total) rows."""
    ordered = sorted(results, key=lambda r: (r[1], -r[2], r[0]))
    found: dict[int, int] = {}
    previous = None
    for position, (pk, vetoed, total) in enumerate(ordered, start=1):
        key = (vetoed, total)
        if key != previous:
            rank, previous = position, key
        found[pk] = rank
    return found
