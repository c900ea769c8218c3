"""Notice periods: policy rows (``core.policy``) with these defaults. A 5–7 day 公示 is usual practice; the platform
allows 1 to 30 working days and proposes 5."""

from __future__ import annotations

from grassroots.core import policy

DEFAULTS = {"notices.default_working_days": 5, "notices.min_working_days": 1, "notices.max_working_days": 30}


def value(key: str) -> int:
    return int(policy.setting(key, DEFAULTS[key]))


def default_working_days() -> int:
    return value("notices.default_working_days")
