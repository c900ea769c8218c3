"""The escalation sweep (分级响应 on the clock): one function, called by ``grassroots sweep`` and by Celery beat.

``run_sweep(now=None)`` reads the breached cases through the partial index on ``Case.next_due`` (the deadline of
whatever clock runs now) and, for each, calls the same services people use:

* a suspended case whose review time has come → ``case_resume`` (the clocks run again with the time left);
* accepted / dispatched / in progress below the zone tier → ``case_escalate(by_sweep=True)``: the case goes to the
  next tier, open assignments end, the new tier's dispatch deadline starts, and it is flagged 督办;
* otherwise (accept or verify deadline passed, or the zone tier) → ``sweep_flag``: flagged 督办 and those
  concerned are notified.

Every service clears or moves ``next_due`` past ``now``, so a second run finds nothing (idempotent). The work is
done in chunks: one transaction per chunk, one savepoint per case (a case that someone moved meanwhile is skipped
and counted as a conflict).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from dataclasses import asdict, dataclass

from django.db import transaction

from grassroots.core import clock
from grassroots.core.errors import ApplicationError

from . import services
from .models import Case
from .states import RUNNING_STAGE, Status, Tier

log = logging.getLogger("grassroots.cases.sweep")
CHUNK = 500


@dataclass
class SweepResult:
    at: str = ""
    breached: int = 0
    escalated: int = 0
    flagged: int = 0
    resumed: int = 0
    skipped: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def breached(now: dt.datetime):
    """(id, status, tier) of every case whose running deadline has passed (index scan on next_due)."""
    return list(Case.objects.filter(next_due__lte=now).order_by("next_due", "id").values_list("pk", "status", "tier"))


def _one(pk: int, status: str, tier: str, result: SweepResult) -> None:
    if status == Status.SUSPENDED:
        services.case_resume(actor=None, case=pk, by_sweep=True)
        result.resumed += 1
    elif status in (Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS) and tier != Tier.ZONE:
        services.case_escalate(actor=None, case=pk, by_sweep=True, breached_stage=RUNNING_STAGE[status])
        result.escalated += 1
    elif status in RUNNING_STAGE:
        services.sweep_flag(case=pk, stage=RUNNING_STAGE[status])
        result.flagged += 1
    else:
        result.skipped += 1


def run_sweep(now: dt.datetime | None = None, *, chunk: int = CHUNK) -> SweepResult:
    """Escalate, flag and resume everything due at ``now`` (default: the clock's now)."""
    frozen = clock.frozen_at(now) if now is not None else contextlib.nullcontext()
    with frozen:
        at = clock.now()
        rows = breached(at)
        result = SweepResult(at=at.isoformat(), breached=len(rows))
        for start in range(0, len(rows), chunk):
            with transaction.atomic(), services.recipient_cache():
                for pk, status, tier in rows[start:start + chunk]:
                    try:
                        _one(pk, status, tier, result)
                    except ApplicationError as exc:  # moved by someone meanwhile, or no longer breached
                        log.info("sweep skipped case %s: %s", pk, exc.code)
                        result.skipped += 1
        if rows:
            log.info("sweep at %s: %s", result.at, result.as_dict())
        return result
