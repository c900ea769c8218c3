"""The escalation sweep (分级响应 on the clock): one function, called by ``grassroots sweep`` and by Celery beat.

``run_sweep(now=None)`` reads the breached cases through the partial index on ``Case.next_due`` (the deadline of
whatever clock runs now) and, for each, calls the same services people use:

* a suspended case whose review time has come → ``case_resume`` (the clocks run again with the time left);
* accepted / dispatched / in progress below the zone tier → ``case_escalate(by_sweep=True)``: the case goes to the
  next tier, open assignments end, the new tier's dispatch deadline starts, and it is flagged 督办;
* otherwise (accept or verify deadline passed, or the zone tier) → ``sweep_flag``: flagged 督办 and those
  concerned are notified.

Every move clears ``next_due`` or sets it past ``now``, so a second run finds nothing (idempotent). The work goes
in chunks of 500: the chunk's cases are locked and moved in one transaction (``services.sweep_escalate_many`` /
``sweep_flag_many``: one compare-and-set UPDATE for the locked chunk, events and notifications in bulk);
a case someone moved meanwhile
is left alone and counted as skipped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import logging
from dataclasses import asdict, dataclass

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


def lag_seconds(now: dt.datetime | None = None) -> float:
    """How far behind the sweep is: seconds since the oldest deadline that has passed and is still waiting for it
    (0 when none waits). One index read; exported as ``grassroots_sweep_lag_seconds`` (docs/operations.md)."""
    now = now or clock.now()
    oldest = Case.objects.filter(next_due__lte=now).order_by("next_due").values_list("next_due", flat=True).first()
    return max(0.0, (now - oldest).total_seconds()) if oldest else 0.0


def run_sweep(now: dt.datetime | None = None, *, chunk: int = CHUNK) -> SweepResult:
    """Escalate, flag and resume everything due at ``now`` (default: the clock's now)."""
    frozen = clock.frozen_at(now) if now is not None else contextlib.nullcontext()
    # Objects alive before the sweep are moved out of the collector's sight while it runs: thousands of moves
    # allocate many short-lived objects, and full collections over a big long-lived heap would dominate the time.
    gc.freeze()
    try:
        with frozen:
            return _run(chunk)
    finally:
        gc.unfreeze()


def _run(chunk: int) -> SweepResult:
    at = clock.now()
    rows = breached(at)
    result = SweepResult(at=at.isoformat(), breached=len(rows))
    for start in range(0, len(rows), chunk):
        part = rows[start:start + chunk]
        escalate = {pk for pk, status, tier in part
                    if status in (Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS) and tier != Tier.ZONE}
        resume = [pk for pk, status, _ in part if status == Status.SUSPENDED]
        flag = [pk for pk, status, _ in part if pk not in escalate and status in RUNNING_STAGE]
        moved = 0
        if escalate:
            escalated = len(services.sweep_escalate_many(sorted(escalate)))
            result.escalated += escalated
            moved += escalated
        if flag:
            flagged = len(services.sweep_flag_many(flag))
            result.flagged += flagged
            moved += flagged
        for pk in resume:
            try:
                services.case_resume(actor=None, case=pk, by_sweep=True)
            except ApplicationError as exc:  # resumed by hand meanwhile
                log.info("sweep skipped case %s: %s", pk, exc.code)
                continue
            result.resumed += 1
            moved += 1
        result.skipped += len(part) - moved
    if rows:
        log.info("sweep at %s: %s", result.at, result.as_dict())
    return result
