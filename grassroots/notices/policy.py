"""Notice periods: policy rows (``core.policy``) with these defaults. A 5–7 day 公示 is usual practice; the platform
allows 1 to 30 working days and proposes 5. The workbench shows the publisher side the notices ending within 2 days
(when objections may still arrive and the next step is about to open)."""

from __future__ import annotations

from grassroots.core import policy

DEFAULTS = {"notices.default_working_days": 5, "notices.min_working_days": 1, "notices.max_working_days": 30,
            # the workbench counts a running notice as ending soon this many days before its period ends
            "notices.ending_soon_days": 2}


def value(key: str) -> int:
    return int(policy.setting(key, DEFAULTS[key]))


def default_working_days() -> int:
    return value("notices.default_working_days")
