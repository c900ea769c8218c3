"""Who holds which post: a per-process copy of the post table for addressing notifications.

Services that notify "the community's staff" or "the department's handlers" on every move ask this directory
instead of querying posts each time. The copy holds every post with its dates, so "active today" is decided at the
moment of asking. Saving or deleting a post clears this process's copy at once (signals in ``apps.py``); other
processes re-read the table when its fingerprint (row count, latest change) changes, checked at most every
``RECHECK_SECONDS``. Access control never reads this copy: ``core.scope`` reads the posts of the request's user.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max

from grassroots.core import clock
from grassroots.core.fingerprint import FingerprintedCopy
from grassroots.territory.models import ancestor_paths

RECHECK_SECONDS = 3.0


@dataclass
class _Directory:
    # path → [(role, user_id, start, end)]; organisation id → [(role, user_id, start, end)]
    by_path: dict[str, list] = field(default_factory=dict)
    by_org: dict[int, list] = field(default_factory=dict)


def _signature() -> tuple:
    from .models import Post

    row = Post.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return row["n"], str(row["last"])


def _load(signature: tuple) -> _Directory:
    from .models import Post

    directory = _Directory()
    for role, user_id, path, org_id, start, end in Post.objects.values_list(
            "role", "user_id", "region__path", "organization_id", "start_date", "end_date"):
        entry = (role, user_id, start, end)
        if path:
            directory.by_path.setdefault(path, []).append(entry)
        if org_id:
            directory.by_org.setdefault(org_id, []).append(entry)
    return directory


_copy: FingerprintedCopy[_Directory] = FingerprintedCopy(_signature, _load, lambda: RECHECK_SECONDS)
_current = _copy.get
invalidate = _copy.invalidate  # signal receiver for post writes; tests


def _active(entries, roles, day: dt.date) -> list[int]:
    return [user_id for role, user_id, start, end in entries
            if (roles is None or role in roles) and start <= day and (end is None or end >= day)]


def region_holders(path: str, roles) -> list[int]:
    """Users holding, today, a post of one of ``roles`` over ``path`` or any region above it (in order of the
    tree, nearest last; no duplicates)."""
    directory, day, roles = _current(), clock.today(), set(roles)
    return list(dict.fromkeys(user_id for p in ancestor_paths(path)
                              for user_id in _active(directory.by_path.get(p, ()), roles, day)))


def org_holders(org_ids, roles=None) -> list[int]:
    """Users holding, today, a post (of ``roles``, default any) in one of the organisations."""
    directory, day = _current(), clock.today()
    roles = set(roles) if roles is not None else None
    return list(dict.fromkeys(user_id for org_id in sorted({o for o in org_ids if o})
                              for user_id in _active(directory.by_org.get(org_id, ()), roles, day)))


def mobile_phones(user_ids) -> dict[int, str]:
    """{user id: mobile number} of accounts whose person has a mobile phone (installed into
    ``core.notifications`` for the phone delivery adapters)."""
    from .models import User

    rows = User.objects.filter(pk__in=list(user_ids), person__isnull=False).values_list("pk", "person__phone")
    # The phone is encrypted: values_list gives the column's Python value (decrypted by the field).
    return {pk: phone for pk, phone in rows if phone and phone.startswith("1") and len(phone) == 11}
