"""Dues at every bracket edge for every category, to the fen; the whole base takes the bracket's rate."""

from decimal import Decimal

import pytest

from grassroots.core.errors import ValidationFailed
from grassroots.partydues import rules, services

SALARIED_EDGES = [
    ("0.00", "0.005", "0.00"), ("0.01", "0.005", "0.00"), ("1.00", "0.005", "0.01"),
    ("2999.99", "0.005", "15.00"), ("3000.00", "0.005", "15.00"), ("3000.01", "0.01", "30.00"),
    ("4999.99", "0.01", "50.00"), ("5000.00", "0.01", "50.00"), ("5000.01", "0.015", "75.00"),
    ("9999.99", "0.015", "150.00"), ("10000.00", "0.015", "150.00"), ("10000.01", "0.02", "200.00"),
    ("12345.67", "0.02", "246.91"),
]
RETIRED_EDGES = [
    ("0.00", "0.005", "0.00"), ("3000.01", "0.005", "15.00"), ("4999.99", "0.005", "25.00"),
    ("5000.00", "0.005", "25.00"), ("5000.01", "0.01", "50.00"), ("10000.01", "0.01", "100.00"),
]
RATED = ["salaried", "annual_salary", "self_employed", "postgraduate"]
FLAT = ["farmer", "student", "unemployed", "relief", "low_income"]


@pytest.mark.django_db
@pytest.mark.parametrize("code", RATED)
@pytest.mark.parametrize("base,rate,amount", SALARIED_EDGES)
def test_salaried_brackets_apply_to_the_whole_base(code, base, rate, amount):
    q = services.quote(category_code=code, base=base)
    assert q.rate == Decimal(rate) and q.amount == Decimal(amount)
    assert q.amount.as_tuple().exponent == -2


@pytest.mark.django_db
@pytest.mark.parametrize("base,rate,amount", RETIRED_EDGES)
def test_retired_brackets(base, rate, amount):
    q = services.quote(category_code="retired", base=base)
    assert (q.rate, q.amount) == (Decimal(rate), Decimal(amount))


@pytest.mark.django_db
@pytest.mark.parametrize("code", FLAT)
@pytest.mark.parametrize("base", ["0", "3000.01", "20000"])
def test_flat_categories_pay_twenty_fen_whatever_the_base(code, base):
    q = services.quote(category_code=code, base=base)
    assert q.rate is None and q.amount == Decimal("0.20")


def test_rounding_is_half_up_to_the_fen():
    from types import SimpleNamespace

    cat = SimpleNamespace(code="x", is_flat=False, brackets=[{"upto": None, "rate": "0.005"}])
    assert rules.monthly_amount(cat, Decimal("1.00")).amount == Decimal("0.01")  # 0.005 → 0.01
    assert rules.monthly_amount(cat, Decimal("0.99")).amount == Decimal("0.00")  # 0.00495 → 0.00


@pytest.mark.django_db
@pytest.mark.parametrize("amount,ok", [("0.19", False), ("0.20", True), ("0.55", True), ("1.00", True),
                                       ("1.01", False)])
def test_farmer_flat_amount_within_the_policy_range(amount, ok):
    from grassroots.partydues.models import DuesCategory

    farmer = DuesCategory.objects.get(code="farmer")
    if ok:
        rules.check_flat(farmer, Decimal(amount))
        assert rules.monthly_amount(farmer, None, Decimal(amount)).amount == Decimal(amount)
    else:
        with pytest.raises(ValidationFailed):
            rules.check_flat(farmer, Decimal(amount))


@pytest.mark.django_db
def test_brackets_are_policy_rows():
    from grassroots.partydues.models import DuesCategory

    DuesCategory.objects.filter(code="salaried").update(
        brackets=[{"upto": "4000.00", "rate": "0.005"}, {"upto": None, "rate": "0.01"}])
    assert services.quote(category_code="salaried", base="3500").amount == Decimal("17.50")


@pytest.mark.django_db
@pytest.mark.parametrize("base", ["", "abc", "-1", "3000.001", "NaN", "Infinity", "1e20"])
def test_bad_bases_are_refused(base):
    with pytest.raises(ValidationFailed):
        services.quote(category_code="salaried", base=base)


@pytest.mark.django_db
def test_unknown_category_is_refused():
    with pytest.raises(ValidationFailed) as e:
        services.quote(category_code="nobody", base="100")
    assert e.value.field == "category"
