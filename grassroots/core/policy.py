"""Policy settings every app reads: ``PolicySetting`` rows (key → JSON value) that an administrator edits.

``setting(key, default)`` gives the row's value, or ``default`` when there is no row (each app keeps the defaults
of its own keys beside the code that reads them, e.g. ``cases.policy.DEFAULT_SETTINGS``). The rows are cached per
process: saving or deleting a row clears this process's copy at once (the signal receivers below), and other
processes re-read the table when its fingerprint (row count, latest ``updated_at``) changes, checked at most every
``RECHECK_SECONDS``. Bulk writes that send no signals call ``invalidate()``.
"""

from __future__ import annotations

from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save

from .fingerprint import FingerprintedCopy

RECHECK_SECONDS = 3.0
MODEL = "core.PolicySetting"


def _signature() -> tuple:
    from .models import PolicySetting

    found = PolicySetting.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return found["n"], str(found["last"])


def _load(signature: tuple) -> dict:
    from .models import PolicySetting

    return dict(PolicySetting.objects.values_list("key", "value"))


_copy: FingerprintedCopy[dict] = FingerprintedCopy(_signature, _load, lambda: RECHECK_SECONDS)
invalidate = _copy.invalidate  # signal receiver for PolicySetting writes; tests; bulk writes


def setting(key: str, default=None):
    """The value of the policy row ``key``, or ``default`` when there is none."""
    values = _copy.get()
    return values[key] if key in values else default


post_save.connect(invalidate, sender=MODEL, dispatch_uid="core-policy-save")
post_delete.connect(invalidate, sender=MODEL, dispatch_uid="core-policy-delete")
