import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots.core.errors import ValidationFailed
from grassroots.people import idnumbers

AREAS = ["370502", "370521", "110101", "440305", "650102"]


@st.composite
def valid_ids(draw):
    area = draw(st.sampled_from(AREAS))
    birth = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31)))
    seq = draw(st.integers(min_value=0, max_value=999))
    return idnumbers.with_check_character(f"{area}{birth:%Y%m%d}{seq:03d}")


def test_known_number_checksum_is_computed_with_the_gb11643_weights():
    # 11010519491231002X is the example number printed in GB 11643-1999.
    assert idnumbers.check_character("11010519491231002") == "X"
    parsed = idnumbers.parse_resident_id("11010519491231002x")
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.gender == "F"
    assert parsed.number.endswith("X")


@given(valid_ids())
def test_generated_valid_ids_pass(number):
    parsed = idnumbers.parse_resident_id(number, today=dt.date(2026, 1, 1))
    assert parsed.birth_date.strftime("%Y%m%d") == number[6:14]
    assert parsed.gender == ("M" if int(number[16]) % 2 else "F")


@given(valid_ids(), st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=10))
def test_any_single_character_change_fails(number, position, shift):
    alphabet = "0123456789X" if position == 17 else "0123456789"
    current = alphabet.index(number[position])
    changed = alphabet[(current + shift) % len(alphabet)]
    if changed == number[position]:
        changed = alphabet[(current + 1) % len(alphabet)]
    mutated = number[:position] + changed + number[position + 1:]
    assert not idnumbers.is_valid_resident_id(mutated, today=dt.date(2026, 1, 1))


@pytest.mark.parametrize("number, code", [
    ("37050219800101001", "id_number_format"),
    ("3705021980010100171", "id_number_format"),
    ("99050219800101001" + "0", "id_number_area"),
    ("370000198001010010", "id_number_area"),
])
def test_malformed_numbers_are_refused_with_a_reason(number, code):
    if code == "id_number_area":
        number = idnumbers.with_check_character(number[:17])
    with pytest.raises(ValidationFailed) as err:
        idnumbers.parse_resident_id(number)
    assert err.value.code == code


def test_impossible_and_future_birth_dates_are_refused():
    with pytest.raises(ValidationFailed) as err:
        idnumbers.parse_resident_id(idnumbers.with_check_character("37050219800230001"))
    assert err.value.code == "id_number_birth_date"
    with pytest.raises(ValidationFailed) as err:
        idnumbers.parse_resident_id(idnumbers.with_check_character("37050220300101001"), today=dt.date(2026, 1, 1))
    assert err.value.code == "id_number_birth_date"


def test_wrong_check_character_is_reported_as_a_typo():
    good = idnumbers.with_check_character("37050219800101001")
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationFailed) as err:
        idnumbers.validate("resident_id", bad)
    assert err.value.code == "id_number_checksum" and "校验位" in err.value.zh


@pytest.mark.parametrize("id_type, number", [
    ("hk_macao_permit", "H12345678"), ("hk_macao_permit", "m1234567890"), ("taiwan_permit", "12345678"),
    ("foreign_permanent", "USA370500000001"), ("passport", "E12345678"), ("other", "JZ-2020-001"),
])
def test_other_documents_pass_their_format_check(id_type, number):
    assert idnumbers.validate(id_type, f" {number} ") == number.upper()


@pytest.mark.parametrize("id_type, number", [
    ("hk_macao_permit", "A12345678"), ("taiwan_permit", "1234567"), ("foreign_permanent", "US370500000001"),
    ("passport", "E1"), ("other", "!"),
])
def test_other_documents_with_a_wrong_format_are_refused(id_type, number):
    with pytest.raises(ValidationFailed):
        idnumbers.validate(id_type, number)


def test_other_documents_carry_no_birth_date_or_gender():
    assert idnumbers.birth_and_gender("passport", "E12345678") == (None, None)


def test_numbers_typed_as_excel_numbers_are_normalized():
    assert idnumbers.normalize(13812345678.0) == "13812345678"
    assert idnumbers.validate_phone(13812345678) == "13812345678"


@pytest.mark.parametrize("phone", ["13812345678", "+86 138 1234 5678", "0546-8123456"])
def test_mobile_and_landline_numbers_are_accepted(phone):
    assert idnumbers.validate_phone(phone)


@pytest.mark.parametrize("phone", ["1381234567", "23812345678", "abc"])
def test_malformed_phones_are_refused(phone):
    with pytest.raises(ValidationFailed):
        idnumbers.validate_phone(phone)


def test_credit_code_check_character():
    code = "91370500" + "MA3C1234" + "5"
    full = code[:17] + idnumbers.credit_code_check_character(code[:17])
    assert idnumbers.validate_credit_code(full) == full
    wrong = full[:17] + ("0" if full[17] != "0" else "1")
    with pytest.raises(ValidationFailed):
        idnumbers.validate_credit_code(wrong)
