"""The second tier (docs/rules/village.md § Second tier): what the collective receives as a unit member of a
cooperative (``cooperatives.selectors.unit_member_payouts``: the cash of each paid plan of the year) is split

1. the collective's retained share (公积公益金) = received × the collective's retained rate, half-up to the fen;
2. the 集体股 (if the collective has one) = the rest × its rate, half-up to the fen;
3. what is left goes over the households' member shares (成员股) in fen by largest remainder
   (``cooperatives.distribution.split``, ties to the lower household id).

The parts add up to what was received exactly. Also the per-villager increase, always labelled an estimate (测算).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from grassroots.cooperatives.distribution import money, split
from grassroots.cooperatives.selectors import unit_member_payouts

from .models import Category, Collective
from .selectors import household_shares, year_statement

ZERO = Decimal("0.00")


@dataclass
class Tier:
    year: int
    received: Decimal
    sources: list[dict]
    retained_rate: Decimal
    retained: Decimal
    collective_share_rate: Decimal
    collective_share: Decimal
    to_households: Decimal
    total_shares: int
    households: dict[int, dict] = field(default_factory=dict)

    @property
    def per_share(self) -> Decimal:
        return (self.to_households / self.total_shares).quantize(Decimal("0.0001")) if self.total_shares else ZERO


def work(received: Decimal, retained_rate: Decimal, collective_share_rate: Decimal, shares: dict[int, int]):
    """The split of ``received`` (no database): (retained, collective share, to households, {household: payout})."""
    received = money(received)
    retained = money(received * Decimal(retained_rate))
    collective_share = money((received - retained) * Decimal(collective_share_rate))
    rest = received - retained - collective_share
    keys = sorted(shares)
    parts = split(rest, [Decimal(shares[k]) for k in keys], keys)
    if not keys or sum(shares.values()) <= 0:  # nobody to pay: it stays with the collective
        return retained + rest, collective_share, ZERO, {}
    return retained, collective_share, rest, dict(zip(keys, parts, strict=True))


def second_tier(collective: Collective, year: int) -> Tier:
    payouts = unit_member_payouts(organization=collective.organization, year=year)
    received = money(sum((p["cash"] for p in payouts), ZERO))
    on = max((p["paid_on"] for p in payouts if p["paid_on"]), default=None)
    shares = household_shares(collective, on)
    retained, cshare, rest, parts = work(received, collective.retained_rate, collective.collective_share_rate, shares)
    households = {h: {"shares": shares[h], "payout": parts[h]} for h in parts}
    return Tier(year, received, [{"cooperative": p["cooperative"].name, "cash": p["cash"], "paid_on": p["paid_on"]}
                                 for p in payouts], collective.retained_rate, retained,
                collective.collective_share_rate, cshare, rest, sum(shares.values()) if parts else 0, households)


def per_villager_estimate(collective: Collective, year: int) -> dict:
    """村民人均增收（测算）: (the collective's 成员分配 of the year + the second tier paid to households) ÷ the
    villagers (the collective's registered count). An estimate from the collective's books, not the statistical
    农村居民人均可支配收入."""
    stmt = year_statement(collective, year)
    dist = stmt.lines.get(Category.MEMBER_DISTRIBUTION.value, ZERO)
    tier = second_tier(collective, year).to_households
    total = money(dist + tier)
    n = collective.villagers
    return {"year": year, "member_distribution": dist, "second_tier": tier, "total": total, "villagers": n,
            "per_villager": money(total / n) if n else None, "estimate": True,
            "as_of": dt.date(year, 12, 31)}
