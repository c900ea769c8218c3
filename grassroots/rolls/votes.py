"""Quorum and majority arithmetic, exact (integers and Decimal; no floats).

A rule is a share of a base: ``Threshold(2, 3, strict=False)`` is "at least two thirds" (以上 includes the number
itself), ``Threshold(1, 2, strict=True)`` "more than half" (过半数). What is counted (``Measure``): heads, votes
(one member one vote plus extra votes), or heads and area together (民法典 art. 278: both must reach the share).
The base of a majority (``Base``): those present, all due, or those who took part in the vote (cast a ballot,
abstentions included). A quorum is always a share of all due.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0")


class Base(models.TextChoices):
    PRESENT = "present", _("到会人员")
    DUE = "due", _("应到人员（全体）")
    CAST = "cast", _("参与表决人员")


class Measure(models.TextChoices):
    HEADS = "heads", _("人数")
    VOTES = "votes", _("表决权数（一人一票加附加表决权）")
    HEADS_AND_AREA = "heads_and_area", _("人数和专有部分面积同时计算")


@dataclass(frozen=True)
class Count:
    """Heads, votes and area of a group of people (those due, present, voting yes …)."""

    heads: int = 0
    votes: int = 0
    area: Decimal = ZERO

    def __add__(self, other: Count) -> Count:
        return Count(self.heads + other.heads, self.votes + other.votes, self.area + other.area)

    @classmethod
    def of(cls, people) -> Count:
        """The sum over objects with ``votes``/``area``/``voting`` (roll entries, electors, attendances)."""
        total = cls()
        for p in people:
            if getattr(p, "voting", True):
                total = total + cls(1, int(p.votes), Decimal(p.area or 0))
        return total

    def as_dict(self) -> dict:
        return {"heads": self.heads, "votes": self.votes, "area": str(self.area)}

    @classmethod
    def from_dict(cls, d: dict | None) -> Count:
        d = d or {}
        return cls(int(d.get("heads", 0)), int(d.get("votes", 0)), Decimal(str(d.get("area", "0"))))


@dataclass(frozen=True)
class Threshold:
    num: int
    den: int
    strict: bool  # True: more than (过半数, 超过); False: at least (以上, 不少于)

    def __post_init__(self):
        if self.den <= 0 or not 0 <= self.num <= self.den:
            raise ValueError("a share is num/den with 0 ≤ num ≤ den and den > 0")

    def met(self, part, whole) -> bool:
        """Whether ``part`` reaches this share of ``whole`` (exact: part·den against num·whole). Nothing reaches a
        share of an empty whole, except the zero share at least."""
        if whole <= 0:
            return not self.strict and self.num == 0
        left, right = part * self.den, self.num * whole
        return left > right if self.strict else left >= right

    def __str__(self) -> str:
        words = {(1, 2): "二分之一", (2, 3): "三分之二", (3, 4): "四分之三", (4, 5): "五分之四", (1, 1): "全部"}
        share = words.get((self.num, self.den), f"{self.num}/{self.den}")
        return f"超过{share}" if self.strict else f"{share}以上（含本数）"


def reaches(threshold: Threshold, measure: str, part: Count, whole: Count) -> bool:
    """Whether ``part`` reaches the threshold of ``whole`` by the measure (both heads and area for
    ``heads_and_area``)."""
    if measure == Measure.VOTES:
        return threshold.met(part.votes, whole.votes)
    if measure == Measure.HEADS_AND_AREA:
        return threshold.met(part.heads, whole.heads) and threshold.met(part.area, whole.area)
    return threshold.met(part.heads, whole.heads)


@dataclass(frozen=True)
class Outcome:
    quorum: bool | None  # None: no quorum applies
    passed: bool
    base: Count


def decide(*, quorum: Threshold | None, quorum_measure: str, majority: Threshold, majority_measure: str,
           majority_base: str, due: Count, present: Count, cast: Count, yes: Count) -> Outcome:
    """Quorum (a share of all due) and majority (a share of the base) for one motion."""
    quorum_ok = None if quorum is None else reaches(quorum, quorum_measure, present, due)
    base = {Base.PRESENT: present, Base.DUE: due, Base.CAST: cast}[majority_base]
    return Outcome(quorum_ok, reaches(majority, majority_measure, yes, base), base)


def extra_votes_within_cap(*, members: int, extra: int) -> bool:
    """Cooperative members' extra votes (附加表决权) total at most 20% of all members' basic votes (one each):
    ``5 × extra ≤ members`` (农民专业合作社法; docs/rules/cooperatives.md)."""
    return 5 * extra <= members


def extra_votes_cap(members: int) -> int:
    """The most extra votes ``members`` members may hold between them."""
    return max(0, members) // 5
