"""The income and distribution statement (收益分配统计表) of a collective's year, computed from booked entries. No
database: the selectors hand it the sums per category.

本年收益 = 经营收入 + 发包及上交收入 + 投资收益 + 补助收入 + 其他收入 − 经营支出 − 管理费用 − 其他支出;
可分配收益 = 本年收益 + 年初未分配收益; 年末未分配收益 = 可分配收益 − 提取公积公益金 − 应付福利费 − 成员分配 − 其他.
经营性收入 = 经营收入 + 发包及上交收入 + 投资收益 (the total without 补助收入 and 其他收入).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .models import COSTS, DISTRIBUTION, INCOME, OPERATING_INCOME, Category

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value) -> Decimal:
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Statement:
    year: int
    lines: dict[str, Decimal]
    opening_undistributed: Decimal

    def _sum(self, cats) -> Decimal:
        return money(sum((self.lines.get(c, ZERO) for c in cats), ZERO))

    @property
    def income(self) -> Decimal:
        return self._sum(INCOME)

    @property
    def operating_income(self) -> Decimal:
        return self._sum(OPERATING_INCOME)

    @property
    def costs(self) -> Decimal:
        return self._sum(COSTS)

    @property
    def year_result(self) -> Decimal:
        return self.income - self.costs

    @property
    def distributable(self) -> Decimal:
        return self.year_result + self.opening_undistributed

    @property
    def distributed(self) -> Decimal:
        return self._sum(DISTRIBUTION)

    @property
    def closing_undistributed(self) -> Decimal:
        return self.distributable - self.distributed

    def as_json(self) -> dict:
        return {"year": self.year, "lines": {c.value: f"{self.lines.get(c.value, ZERO):.2f}" for c in Category},
                "income": f"{self.income:.2f}", "operating_income": f"{self.operating_income:.2f}",
                "costs": f"{self.costs:.2f}", "year_result": f"{self.year_result:.2f}",
                "opening_undistributed": f"{self.opening_undistributed:.2f}",
                "distributable": f"{self.distributable:.2f}", "distributed": f"{self.distributed:.2f}",
                "closing_undistributed": f"{self.closing_undistributed:.2f}"}


def build(year: int, sums: dict[str, Decimal], opening_undistributed: Decimal = ZERO) -> Statement:
    return Statement(year, {k: money(v) for k, v in sums.items()}, money(opening_undistributed))
