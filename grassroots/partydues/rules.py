"""The dues rule as pure arithmetic (中组发〔2008〕3号, docs/rules/party-dues.md).

The bracket's rate applies to the WHOLE base, not marginally: 3,000.00 at 0.5% is 15.00, 3,000.01 at 1% is 30.00.
Amounts are Decimal, rounded to the fen half up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from grassroots.core.errors import ValidationFailed

FEN = Decimal("0.01")
MAX_BASE = Decimal("9999999999.99")


@dataclass(frozen=True)
class Quote:
    category: str
    rate: Decimal | None
    amount: Decimal


def parse_amount(raw, *, field: str = "base") -> Decimal:
    """A non-negative amount of yuan with at most two decimals, or ValidationFailed."""
    if isinstance(raw, Decimal):
        value = raw
    else:
        text = str(raw if raw is not None else "").strip()
        if not text:
            raise ValidationFailed("请填写金额", "The amount is required", field=field)
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValidationFailed("金额应为数字，如 3000.00", "The amount must be a number such as 3000.00",
                                   field=field) from None
    if not value.is_finite():
        raise ValidationFailed("金额应为数字，如 3000.00", "The amount must be a number such as 3000.00", field=field)
    if value < 0:
        raise ValidationFailed("金额不能为负数", "The amount cannot be negative", field=field)
    if value > MAX_BASE:
        raise ValidationFailed("金额过大", "The amount is too large", field=field)
    if value != value.quantize(FEN):
        raise ValidationFailed("金额最多两位小数（到分）", "The amount has at most two decimals (fen)", field=field)
    return value.quantize(FEN)


def rate_for(brackets: list[dict], base: Decimal) -> Decimal:
    """The rate of the first bracket whose upper bound (inclusive) is at or above ``base``."""
    for bracket in brackets:
        upto = bracket.get("upto")
        if upto is None or base <= Decimal(str(upto)):
            return Decimal(str(bracket["rate"]))
    return Decimal(str(brackets[-1]["rate"]))


def monthly_amount(category, base: Decimal | None, flat_amount: Decimal | None = None) -> Quote:
    """What a member of ``category`` pays a month on ``base`` (a flat category: the branch's ``flat_amount`` if it
    set one, else the policy's)."""
    if category.is_flat:
        amount = flat_amount if flat_amount is not None else category.flat_amount
        if amount is None:
            amount = category.flat_min or Decimal("0")
        return Quote(category.code, None, Decimal(amount).quantize(FEN, ROUND_HALF_UP))
    if base is None:
        raise ValidationFailed("该类别需要填写计算基数", "This category needs a base", field="base")
    rate = rate_for(category.brackets, base)
    return Quote(category.code, rate, (base * rate).quantize(FEN, ROUND_HALF_UP))


def check_flat(category, flat_amount: Decimal | None) -> None:
    """A branch-set flat amount lies within the category's range (farmers 0.20–1.00 a month)."""
    if flat_amount is None:
        return
    if not category.is_flat:
        raise ValidationFailed("按比例交纳的类别不设定额", "A category paid by rate has no flat amount",
                               field="flat_amount")
    low, high = category.flat_min, category.flat_max
    if low is None or high is None:
        if flat_amount != category.flat_amount:
            raise ValidationFailed(f"该类别定额为 {category.flat_amount} 元", f"This category pays {category.flat_amount}",
                                   field="flat_amount")
        return
    if not (low <= flat_amount <= high):
        raise ValidationFailed(f"定额应在 {low}–{high} 元之间", f"The flat amount must be between {low} and {high}",
                               field="flat_amount")
