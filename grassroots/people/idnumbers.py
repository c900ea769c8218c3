"""Identity document numbers: GB 11643-1999 mainland resident ID numbers, and a light check for other documents.

A mainland citizen ID number (公民身份号码) has 18 characters: a 6-digit area code (地址码), the birth date
``YYYYMMDD`` (出生日期码), a 3-digit sequence (顺序码, odd for men, even for women) and a check character
computed with ISO 7064 MOD 11-2 (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, remainder mapped through
``10X98765432``). Other documents are accepted by type with a format check only; their numbers carry no
birth date or gender.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from grassroots.core import clock
from grassroots.core.errors import ValidationFailed

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_MAP = "10X98765432"
# First two digits of the area code: provinces, autonomous regions, municipalities; 71 Taiwan, 81/82 HK/Macao
# (residence permits for HK, Macao and Taiwan residents use 810000 / 820000 / 830000).
PROVINCE_CODES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82", "83",
})
_RESIDENT_ID = re.compile(r"^\d{17}[\dX]$")

# Document types (values of Person.IdType) → (pattern, Chinese description, English description).
OTHER_FORMATS = {
    # 港澳居民来往内地通行证: H (Hong Kong) or M (Macao) and 8 digits; older cards 10 digits.
    "hk_macao_permit": (re.compile(r"^[HM]\d{8}(\d{2})?$"), "H 或 M 开头加 8 位（旧证 10 位）数字",
                        "H or M followed by 8 (older cards: 10) digits"),
    # 台湾居民来往大陆通行证: 8 digits (since 2015); older booklets 10 digits, sometimes with a letter in brackets.
    "taiwan_permit": (re.compile(r"^\d{8}$|^\d{10}(\([A-Z]\))?$"), "8 位数字（旧证 10 位）",
                      "8 digits (older permits: 10)"),
    # 外国人永久居留身份证: 2017 card 3 letters (nationality) + 12 digits; 2023 card 18 characters starting with 9.
    "foreign_permanent": (re.compile(r"^[A-Z]{3}\d{12}$|^9\d{16}[\dX]$"), "3 位字母加 12 位数字，或以 9 开头的 18 位号码",
                          "3 letters and 12 digits, or 18 characters starting with 9"),
    "passport": (re.compile(r"^[A-Z0-9]{5,17}$"), "5–17 位字母或数字", "5 to 17 letters or digits"),
    "other": (re.compile(r"^[A-Z0-9][A-Z0-9\-()]{3,31}$"), "4–32 位字母、数字或连字符", "4 to 32 letters, digits or hyphens"),
}


@dataclass(frozen=True)
class ResidentId:
    number: str
    area_code: str
    birth_date: dt.date
    sequence: str
    gender: str  # "M" or "F"


def normalize(value) -> str:
    """Upper case, no spaces; Excel sometimes hands over numbers (int) for numeric IDs."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "".join(str(value).split()).upper().replace("（", "(").replace("）", ")")


def check_character(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("need 17 digits")
    total = 0
    for digit, weight in zip(first17, WEIGHTS, strict=True):
        total += (ord(digit) - 48) * weight
    return CHECK_MAP[total % 11]


def with_check_character(first17: str) -> str:
    """Complete 17 digits to an 18-character number (for generators and tests)."""
    return first17 + check_character(first17)


def parse_resident_id(value, *, today: dt.date | None = None) -> ResidentId:
    """Validate an 18-character mainland ID number; raise ValidationFailed with a reason the user can act on."""
    number = normalize(value)
    if not _RESIDENT_ID.match(number):
        raise ValidationFailed("居民身份证号码应为 18 位：17 位数字加 1 位数字或 X",
                               "A resident ID number has 18 characters: 17 digits and a digit or X",
                               code="id_number_format", field="id_number")
    area = number[:6]
    if area[:2] not in PROVINCE_CODES or area[2:] == "0000":
        raise ValidationFailed(f"身份证号码的地址码「{area}」不是有效的行政区划代码",
                               f"The area code {area} is not a valid administrative division code",
                               code="id_number_area", field="id_number")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        birth = None
    today = today or clock.today()
    if birth is None or birth.year < 1900 or birth > today:
        raise ValidationFailed(f"身份证号码中的出生日期「{number[6:14]}」无效",
                               f"The birth date {number[6:14]} in the ID number is not valid",
                               code="id_number_birth_date", field="id_number")
    if check_character(number[:17]) != number[17]:
        raise ValidationFailed("身份证号码校验位不正确，请核对是否录错",
                               "The check character of the ID number is wrong; please check for a typo",
                               code="id_number_checksum", field="id_number")
    sequence = number[14:17]
    return ResidentId(number=number, area_code=area, birth_date=birth, sequence=sequence,
                      gender="M" if int(sequence[-1]) % 2 else "F")


def is_valid_resident_id(value, *, today: dt.date | None = None) -> bool:
    try:
        parse_resident_id(value, today=today)
    except ValidationFailed:
        return False
    return True


def validate(id_type: str, value) -> str:
    """The normalized number, or ValidationFailed. Mainland IDs get the full GB 11643 check."""
    number = normalize(value)
    if not number:
        raise ValidationFailed("请填写证件号码", "The document number is required", code="id_number_required",
                               field="id_number")
    if id_type == "resident_id":
        return parse_resident_id(number).number
    fmt = OTHER_FORMATS.get(id_type)
    if fmt is None:
        raise ValidationFailed(f"未知的证件类型「{id_type}」", f"Unknown document type {id_type!r}",
                               code="id_type", field="id_type")
    pattern, zh, en = fmt
    if not pattern.match(number):
        raise ValidationFailed(f"证件号码格式不正确，应为{zh}", f"The document number is malformed: expected {en}",
                               code="id_number_format", field="id_number")
    return number


def birth_and_gender(id_type: str, number: str) -> tuple[dt.date | None, str | None]:
    """Birth date and gender from a validated number (only mainland IDs carry them)."""
    if id_type != "resident_id" or not number:
        return None, None
    parsed = parse_resident_id(number)
    return parsed.birth_date, parsed.gender


# Mainland mobile numbers (11 digits starting 13–19), or a landline with area code.
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def normalize_phone(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = "".join(str(value).split())
    if text.startswith("+86"):
        text = text[3:]
    return text


def validate_phone(value) -> str:
    phone = normalize_phone(value)
    if not phone:
        return ""
    if not (_MOBILE.match(phone) or _LANDLINE.match(phone)):
        raise ValidationFailed("手机号格式不正确：应为 11 位手机号，或带区号的固定电话",
                               "The phone number is malformed: 11-digit mobile number or landline with area code",
                               code="phone_format", field="phone")
    return phone


# 统一社会信用代码 (GB 32100-2015): 18 characters from this alphabet, the last a check character.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_character(first17: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value) -> str:
    code = normalize(value)
    if not code:
        return ""
    if len(code) != 18 or any(c not in CREDIT_CODE_ALPHABET for c in code) \
            or credit_code_check_character(code[:17]) != code[17]:
        raise ValidationFailed("统一社会信用代码不正确（18 位，末位为校验码）",
                               "The unified social credit code is not valid (18 characters with a check character)",
                               code="credit_code", field="credit_code")
    return code
