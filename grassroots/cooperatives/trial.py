"""The trial (试算) from a JSON file: every value checked, every error reported with its path in the file, then the
same :func:`distribution.distribute` the pages use. No database.

File shape (amounts in yuan, as strings or numbers)::

    {"charter": {"reserve_rate": "0.10", "refund_by_transactions_rate": "0.60",
                 "reserve_quantified_by": "transactions"},           # or contributions, or both (+ share)
     "year": {"surplus": 500000, "loss_to_cover": 20000},
     "subsidies": [{"amount": 100000, "quantified": "equally"}],     # or "contributions"
     "members": {"M1": {"kind": "unit", "contribution": 500000, "reserve_share": 0, "transactions": 0}, …}}
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from . import distribution as D

KINDS = ("farmer", "citizen", "unit")
QUANTIFIED_BY = ("transactions", "contributions", "both")
SUBSIDY_WAYS = ("equally", "contributions")


@dataclass(frozen=True)
class TrialError:
    path: str
    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.path}: {self.zh}"


class TrialInvalid(ValueError):
    def __init__(self, errors: list[TrialError]):
        super().__init__("; ".join(f"{e.path}: {e.en}" for e in errors))
        self.errors = errors


class _Reader:
    def __init__(self):
        self.errors: list[TrialError] = []

    def fail(self, path, zh, en):
        self.errors.append(TrialError(path, zh, en))

    def obj(self, value, path, *, required=True) -> dict:
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            self.fail(path, "缺少或不是对象" if value is None else "不是对象",
                      "missing or not an object" if value is None else "not an object")
            return {}
        return value

    def amount(self, d: dict, key: str, path: str, *, default=None) -> Decimal | None:
        full = f"{path}.{key}" if path else key
        if key not in d or d[key] is None:
            if default is not None:
                return default
            self.fail(full, "缺少金额", "missing amount")
            return None
        value = d[key]
        if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
            self.fail(full, "不是金额", "not an amount")
            return None
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            self.fail(full, "不是金额", "not an amount")
            return None
        if not number.is_finite():
            self.fail(full, "不是金额", "not an amount")
            return None
        if number < 0:
            self.fail(full, "金额不能为负数", "the amount cannot be negative")
            return None
        if number != number.quantize(D.FEN):
            self.fail(full, "金额最多两位小数（到分）", "at most two decimals (fen)")
            return None
        return number.quantize(D.FEN)

    def rate(self, d: dict, key: str, path: str, *, minimum=Decimal("0"), default=None) -> Decimal | None:
        full = f"{path}.{key}"
        if key not in d or d[key] is None:
            if default is not None:
                return default
            self.fail(full, "缺少比例", "missing rate")
            return None
        value = d[key]
        try:
            if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
                raise InvalidOperation
            number = Decimal(str(value).strip())
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self.fail(full, "不是比例（0到1之间的小数）", "not a rate (a decimal from 0 to 1)")
            return None
        if not minimum <= number <= 1:
            if minimum > 0:
                self.fail(full, f"不得低于{minimum:.0%}，不得高于100%", f"must be from {minimum:.0%} to 100%")
            else:
                self.fail(full, "须在0到1之间", "must be from 0 to 1")
            return None
        return number


def _number(code: str, position: int) -> int:
    m = re.fullmatch(r"[A-Za-z]*0*(\d+)", code)
    return int(m.group(1)) if m else 1_000_000 + position


@dataclass
class Trial:
    rules: D.Rules
    surplus: Decimal
    loss_to_cover: Decimal
    members: list[D.MemberFigures]

    def run(self) -> D.Result:
        return D.distribute(self.rules, surplus=self.surplus, loss_to_cover=self.loss_to_cover, members=self.members)


def parse(data) -> Trial:
    """The trial a decoded file describes; :class:`TrialInvalid` with every error and its path."""
    r = _Reader()
    root = r.obj(data, "$")
    charter = r.obj(root.get("charter"), "charter")
    year = r.obj(root.get("year"), "year")
    reserve_rate = r.rate(charter, "reserve_rate", "charter")
    refund_rate = r.rate(charter, "refund_by_transactions_rate", "charter", minimum=D.MIN_REFUND_RATE)
    how = charter.get("reserve_quantified_by", "transactions")
    if how not in QUANTIFIED_BY:
        r.fail("charter.reserve_quantified_by", "须为 transactions、contributions 或 both",
               "must be transactions, contributions or both")
    share = r.rate(charter, "reserve_by_transactions_share", "charter",
                   default=Decimal("1") if how != "both" else None)
    surplus = r.amount(year, "surplus", "year")
    loss = r.amount(year, "loss_to_cover", "year", default=Decimal("0.00"))
    raw_members = root.get("members")
    members = r.obj(raw_members, "members")
    if isinstance(raw_members, dict) and not raw_members:
        r.fail("members", "没有成员", "no members")
    figures: list[D.MemberFigures | None] = []
    for position, (code, raw) in enumerate(members.items()):
        path = f"members.{code}"
        m = r.obj(raw, path)
        if not m:
            figures.append(None)
            continue
        if m.get("kind", "farmer") not in KINDS:
            r.fail(f"{path}.kind", "须为 farmer、citizen 或 unit", "must be farmer, citizen or unit")
        values = [r.amount(m, k, path, default=Decimal("0.00") if k == "reserve_share" else None)
                  for k in ("contribution", "reserve_share", "transactions")]
        if any(v is None for v in values):
            figures.append(None)
            continue
        figures.append(D.MemberFigures(str(code), _number(str(code), position), *values))
    raw_subsidies = root.get("subsidies", [])
    if not isinstance(raw_subsidies, list):
        r.fail("subsidies", "不是列表", "not a list")
        raw_subsidies = []
    subsidies = []
    for i, raw in enumerate(raw_subsidies):
        s = r.obj(raw, f"subsidies[{i}]")
        if not s:
            continue
        amount = r.amount(s, "amount", f"subsidies[{i}]")
        way = s.get("quantified", "equally")
        if way not in SUBSIDY_WAYS:
            r.fail(f"subsidies[{i}].quantified", "须为 equally 或 contributions", "must be equally or contributions")
        elif amount is not None:
            subsidies.append((amount, way))
    if r.errors:
        raise TrialInvalid(r.errors)
    members_ok = [f for f in figures if f is not None]
    shares = [Decimal("0.00")] * len(members_ok)
    for amount, way in subsidies:
        shares = [a + b for a, b in zip(shares, D.quantify(amount, members_ok, way), strict=True)]
    members_ok = [D.MemberFigures(m.code, m.number, m.contribution, m.reserve_share, m.transactions, s)
                  for m, s in zip(members_ok, shares, strict=True)]
    rules = D.Rules(reserve_rate, refund_rate, how, share)
    return Trial(rules, surplus, loss, members_ok)


def loads(text: str) -> Trial:
    try:
        data = json.loads(text, parse_float=Decimal, parse_int=Decimal)
    except (ValueError, RecursionError) as exc:
        raise TrialInvalid([TrialError("$", f"不是有效的 JSON：{exc}", f"not valid JSON: {exc}")]) from None
    return parse(data)
