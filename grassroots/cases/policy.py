"""Time limits and other case policy, read from the database (``TimeLimit`` rows; settings through ``core.policy``).

``due(category, tier, stage, start)`` is the one way services compute a deadline:

1. the limit is looked up category × tier × stage, falling back to (category, any tier), then the global rows
   (no category, tier), then (no category, any tier), then ``BUILT_IN`` below (so an empty database still works);
2. ``grassroots.core.workdays.deadline(start, amount, unit)`` turns it into a moment (``minutes``/``hours`` wall
   clock, ``working_days`` = 24:00 of the Nth working day after the start day).

Emergency categories (防汛, fire, public safety) always run on wall-clock minutes: a row in hours is converted to
minutes, a row in working days is not used for them (``EMERGENCY_BUILT_IN`` applies instead), and intake returns the
110/119/120 notice (``emergency_notice``).

The time limits and the categories are cached per process; saving or deleting a row clears this process's copy at
once (signals in ``apps.py``) and other processes re-read the tables when their fingerprint changes (checked at most
every few seconds). ``category(value)`` gives intake its category from this copy (no query per report). Other case
policy (``setting``) is a ``core.policy`` setting with the defaults of ``DEFAULT_SETTINGS``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max

from grassroots.core import policy as core_policy
from grassroots.core import workdays
from grassroots.core.fingerprint import FingerprintedCopy, detached_copy

from .states import Stage, TimeUnit

# Used when no policy row matches at all (documented defaults; administrators override them with rows).
BUILT_IN: dict[str, tuple[int, str]] = {
    Stage.ACCEPT: (2, TimeUnit.HOURS),
    Stage.DISPATCH: (4, TimeUnit.HOURS),
    Stage.ACKNOWLEDGE: (2, TimeUnit.HOURS),
    Stage.HANDLE: (5, TimeUnit.WORKING_DAYS),
    Stage.VERIFY: (1, TimeUnit.WORKING_DAYS),
}
# 有呼必应 (docs/rules/cases.md § Enterprise appeals): a question is answered within an hour (即接即办), an urgent
# appeal acknowledged within two hours, one needing investigation (a complaint, a report) handled within two working
# days. Keyed (appeal key, stage); rows with an ``appeal_type`` override them.
APPEAL_BUILT_IN: dict[tuple[str, str], tuple[int, str]] = {
    ("consult", Stage.ACCEPT): (1, TimeUnit.HOURS),
    ("consult", Stage.HANDLE): (1, TimeUnit.HOURS),
    ("urgent", Stage.ACCEPT): (1, TimeUnit.HOURS),
    ("urgent", Stage.ACKNOWLEDGE): (2, TimeUnit.HOURS),
    ("complaint", Stage.HANDLE): (2, TimeUnit.WORKING_DAYS),
    ("report", Stage.HANDLE): (2, TimeUnit.WORKING_DAYS),
}
EMERGENCY_BUILT_IN: dict[str, tuple[int, str]] = {
    Stage.ACCEPT: (10, TimeUnit.MINUTES),
    Stage.DISPATCH: (10, TimeUnit.MINUTES),
    Stage.ACKNOWLEDGE: (15, TimeUnit.MINUTES),
    Stage.HANDLE: (120, TimeUnit.MINUTES),
    Stage.VERIFY: (60, TimeUnit.MINUTES),
}

DEFAULT_SETTINGS = {
    "whistle_ack_minutes": 30,  # 吹哨报到: 30 minutes
    "reopen_window_days": 7,  # reopen after an unsatisfied rating within 7 days
    "callback_window_days": 30,  # 待回访 holds cases closed within the last 30 days (older ones drop out of the queue)
    "duplicate_radius_m": 50,
    "duplicate_hours": 72,
    "public_position_decimals": 3,  # about 100 m
    "case_photos_max": 9,  # files with one report or one handling result (what phones offer to pick)
    "case_upload_max_bytes": 40 * 1024 * 1024,  # all files of one report or handling result together
    "case_description_max_chars": 4000,  # the reporter's description, through every channel
}

EMERGENCY_NOTICES = {
    "110": ("情况紧急请立即拨打 110 报警电话；本平台不能代替报警。",
            "If this is an emergency, call 110 (police) now; this platform does not replace it."),
    "119": ("如遇火情请立即拨打 119 火警电话；本平台不能代替报警。",
            "In case of fire, call 119 now; this platform does not replace it."),
    "120": ("如需急救请立即拨打 120 急救电话；本平台不能代替急救。",
            "For a medical emergency, call 120 now; this platform does not replace it."),
    "": ("情况紧急请立即拨打 110 / 119 / 120；本平台不能代替报警和急救。",
         "In an emergency call 110 / 119 / 120 now; this platform does not replace them."),
}

RECHECK_SECONDS = 3.0


@dataclass
class _Cache:
    limits: dict  # (category_id | None, tier, appeal key) -> {stage: (amount, unit)}
    categories: dict  # id -> Category (active ones)
    category_codes: dict  # code -> id


def _signature() -> tuple:
    from .models import Category, TimeLimit

    a = TimeLimit.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    c = Category.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return a["n"], str(a["last"]), c["n"], str(c["last"])


def _load(signature: tuple) -> _Cache:
    from .models import Category, TimeLimit

    limits: dict = {}
    for category_id, tier, stage, appeal, amount, unit in TimeLimit.objects.values_list(
            "category_id", "tier", "stage", "appeal_type", "amount", "unit"):
        limits.setdefault((category_id, tier, appeal), {})[stage] = (amount, unit)
    categories = {c.pk: c for c in Category.objects.filter(active=True)}
    codes = {c.code: c.pk for c in categories.values()}
    return _Cache(limits, categories, codes)


_copy: FingerprintedCopy[_Cache] = FingerprintedCopy(_signature, _load, lambda: RECHECK_SECONDS)
_current = _copy.get


def invalidate(*args, **kwargs) -> None:
    """Drop this process's copies of the case policy: time limits and categories, and the policy settings
    (``core.policy``). A signal receiver for TimeLimit / Category writes; tests; bulk writes."""
    _copy.invalidate()
    core_policy.invalidate()


def category(value):
    """The active category with this id or code (a copy of the cached row), or None."""
    cache = _current()
    pk = getattr(value, "pk", value)
    if isinstance(pk, str):
        pk = cache.category_codes.get(pk) or (int(pk) if pk.isdigit() else None)  # a code first ("0102")
    row = cache.categories.get(pk)
    return None if row is None else detached_copy(row)


def require_category(value):
    """``category(value)``, or ``ValidationFailed`` on the field ``category`` when there is none."""
    from grassroots.core.errors import ValidationFailed

    found = category(value) if value not in (None, "") else None
    if found is None:
        raise ValidationFailed("请选择有效的事件类别", "Choose a valid category", field="category")
    return found


def setting(key: str, default=None):
    """A policy setting (``core.policy``); without a row, ``DEFAULT_SETTINGS``' value, else ``default``."""
    return core_policy.setting(key, DEFAULT_SETTINGS.get(key, default))


def limit(category, tier: str, stage: str, appeal: tuple[str, ...] = ()) -> tuple[int, str]:
    """(amount, unit) for category × tier × stage with the fallbacks described above. ``appeal``: an enterprise
    appeal's keys (``Case.appeal_keys``: "urgent" first, then its type); for each key the rows naming it are looked
    up in the same order, then ``APPEAL_BUILT_IN``, before the rows for any appeal. Emergencies ignore it."""
    limits = _current().limits
    category_id = getattr(category, "pk", category)
    emergency = bool(getattr(category, "emergency", False))
    if not emergency:
        for a in appeal:
            for key in ((category_id, tier, a), (category_id, "", a), (None, tier, a), (None, "", a)):
                row = limits.get(key, {}).get(stage)
                if row is not None:
                    return row
            if (a, stage) in APPEAL_BUILT_IN:
                return APPEAL_BUILT_IN[(a, stage)]
    for key in ((category_id, tier, ""), (category_id, "", ""), (None, tier, ""), (None, "", "")):
        row = limits.get(key, {}).get(stage)
        if row is None:
            continue
        amount, unit = row
        if not emergency or unit == TimeUnit.MINUTES:
            return amount, unit
        if unit == TimeUnit.HOURS:
            return amount * 60, TimeUnit.MINUTES
    return (EMERGENCY_BUILT_IN if emergency else BUILT_IN)[stage]


def due(category, tier: str, stage: str, start: dt.datetime, appeal: tuple[str, ...] = ()) -> dt.datetime:
    amount, unit = limit(category, tier, stage, appeal)
    return workdays.deadline(start, amount, unit)


def whistle_due(start: dt.datetime) -> dt.datetime:
    return workdays.deadline(start, int(setting("whistle_ack_minutes")), TimeUnit.MINUTES)


def emergency_notice(category) -> tuple[str, str] | None:
    """The 110/119/120 notice (Chinese, English) for an emergency category; None otherwise."""
    if not getattr(category, "emergency", False):
        return None
    return EMERGENCY_NOTICES.get(category.emergency_service or "", EMERGENCY_NOTICES[""])


def extended_due(current: dt.datetime, amount: int, unit: str) -> dt.datetime:
    """A deadline moved by an approved extension (counted from the current deadline)."""
    return workdays.deadline(current, amount, unit)
