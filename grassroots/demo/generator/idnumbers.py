"""Synthetic identifiers that pass format checks: GB 11643 citizen ID numbers and mobile numbers."""

from __future__ import annotations

import datetime as dt
import random

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
# Area codes of the synthetic zone and of nearby places (the first six digits).
AREA_CODES = ("370571", "370571", "370571", "370502", "370503", "370505", "370522", "370523", "370681", "371402")
MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
                   "156", "157", "158", "159", "166", "176", "177", "178", "180", "181", "182", "183", "185",
                   "186", "187", "188", "189", "191", "198", "199")


def check_digit(first17: str) -> str:
    return CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def id_number(rng: random.Random, birth: dt.date, male: bool) -> str:
    seq = rng.randrange(0, 500) * 2 + (1 if male else 0)  # the 17th digit is odd for men, even for women
    body = f"{rng.choice(AREA_CODES)}{birth:%Y%m%d}{seq:03d}"
    return body + check_digit(body)


def is_valid_id_number(value: str) -> bool:
    if len(value) != 18 or not value[:17].isdigit():
        return False
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return check_digit(value[:17]) == value[17].upper()


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}"
