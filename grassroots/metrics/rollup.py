"""Live KPI figures: an incrementally maintained rollup of the aggregate counters (``aggregates``).

The default page (this month or whole months, all channels, as of now) is served from per-month sums kept in
this process. The sums are built from blocks of BLOCK consecutive case ids: each block's contribution (the same
aggregate SQL as the direct computation, grouped by block, unit and month; the month is computed in SQL as an integer
year * 12 + month - 1 at TIME_ZONE) is kept as numpy vectors, so when a case moves only its block is recomputed
and the difference is applied to the month sums. A refresh runs before every live read and finds the moved cases
from the event log (every service writes an event with the case id; the event id is the watermark) and from
running deadlines that have passed since the last refresh (``Case.next_due``, indexed), so "not yet due" items
become due on time. Its cost depends on how many cases moved (recent open cases lie in a few small blocks), not
on how many cases exist.

Freshness: the figures are as of the last refresh (the moment of the request); a co-handler's acknowledgement
deadline that passes without any event is picked up at the next full rebuild (every REBUILD_SECONDS) — only the
department 响应率 can lag that long.

Full builds (the first one in a process, the periodic rebuild, and after the log went back) run in a background
thread with its own database connection when ``settings.KPI_ROLLUP_BACKGROUND`` is on (the default): no request
waits for one. Until the first build is done a request gets the direct computation as of now (noted "汇总生成中");
during a periodic rebuild the previous rollup, refreshed incrementally, keeps serving and the new one replaces it
when done. With the setting off (tests on an in-memory database) the build runs inline in the request.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q
from django.utils.translation import gettext

from grassroots.cases.models import Assignment, Case, Rating
from grassroots.cases.states import Channel, Satisfaction
from grassroots.core import clock

from . import aggregates
from .kpis import COUNTERS, REGION_DEPTH, Period

BLOCK = 100
REBUILD_SECONDS = 6 * 3600
N_COUNTERS = len(COUNTERS)
COUNTER_INDEX = {c: i for i, c in enumerate(COUNTERS)}


def _month_expr(field_name: str):
    """The month of a timestamp at TIME_ZONE as the integer year * 12 + month - 1 (``_month_key``), in SQL."""
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from django.db.models import IntegerField
    from django.db.models.functions import Cast, ExtractMonth, ExtractYear

    tz = ZoneInfo(settings.TIME_ZONE)
    return Cast(ExtractYear(field_name, tzinfo=tz) * 12 + ExtractMonth(field_name, tzinfo=tz) - 1, IntegerField())


def _block_expr(field_name: str):
    from django.db.models import BigIntegerField, ExpressionWrapper

    return ExpressionWrapper(F(field_name) / BLOCK, output_field=BigIntegerField())


def _month_key(value) -> int:
    return value.year * 12 + value.month - 1


def _ranges(blocks, field_name: str) -> Q:
    """Primary-key ranges covering the blocks (runs of adjacent blocks make one range)."""
    q = Q(pk__in=[])
    runs: list[list[int]] = []
    for b in sorted(blocks):
        if runs and runs[-1][1] == b:
            runs[-1][1] = b + 1
        else:
            runs.append([b, b + 1])
    for first, end in runs:
        q |= Q(**{f"{field_name}__gte": first * BLOCK, f"{field_name}__lt": end * BLOCK})
    return q


def _latest_event_id() -> int:
    from grassroots.core.models import Event

    return Event.objects.order_by("-id").values_list("id", flat=True).first() or 0


class _Rollup:
    """One rollup: families ``cases`` (region path × channel), ``reporter`` (grid patrol reporter) and
    ``department`` (organisation) → month → dense counter array over the family's unit registry, plus each
    block's contribution as vectors (months, registry indexes, counters)."""

    FAMILIES = ("cases", "reporter", "department")

    def __init__(self):
        self.built = False
        self.watermark = 0
        self.refreshed_at: dt.datetime | None = None
        self.built_at: dt.datetime | None = None
        self.registry: dict[str, dict] = {f: {} for f in self.FAMILIES}
        self.keys: dict[str, list] = {f: [] for f in self.FAMILIES}
        self.months: dict[tuple[str, int], object] = {}
        self.blocks: dict[tuple[str, int], tuple] = {}
        self.last_dirty_blocks = 0

    # -- queries -------------------------------------------------------------------------------------------------
    def _compute(self, blocks: set[int] | None, as_of) -> dict[str, tuple]:
        """{family: (blocks, months, registry indexes, counters)} vectors sorted by block, for the blocks (None:
        every block). A (block, month, unit) may come in several rows (case and rating queries): ``_apply`` adds
        them all up."""
        parts: dict[str, list] = {f: [] for f in self.FAMILIES}
        # One query for the case counters and one for the ratings, grouped by block, month, region path, channel
        # and reporter; the ``cases`` family (region path × channel) and the ``reporter`` family (grid patrol
        # reporters) are both taken from the same rows.
        case_q = Q() if blocks is None else _ranges(blocks, "id")
        rating_q = Q() if blocks is None else _ranges(blocks, "case_id")
        keys = {"b": _block_expr("id"), "m": _month_expr("reported_at"), "path": F("region_path"),
                "ch": F("channel"), "who": F("reporter_id")}
        rkeys = {"b": _block_expr("case_id"), "m": _month_expr("case__reported_at"), "path": F("case__region_path"),
                 "ch": F("case__channel"), "who": F("case__reporter_id")}
        grouped = aggregates.case_counters(Case.objects.filter(case_q), keys, as_of, flat=True)
        # 响应率 counts the assignments of the blocks' cases (every round), keyed by their case
        assignment_q = Q() if blocks is None else _ranges(blocks, "case_id")
        grouped += aggregates.ack_counters(Assignment.objects.filter(assignment_q), rkeys, as_of, flat=True)
        if blocks is None:
            grouped += aggregates.rating_counters(Rating.objects.all(), rkeys, as_of, flat=True)
        else:
            # Driven from the cases (primary-key ranges), then the ratings by their case index: the cost follows
            # the blocks, not the size of the rating table.
            good = [Satisfaction.SATISFIED, Satisfaction.BASICALLY]
            grouped += aggregates.grouped(
                Case.objects.filter(case_q, ratings__round=F("rating_round"), ratings__rated_at__lte=as_of), keys,
                True, dict(rated=Count("id", distinct=True),
                           resolved=Count("id", distinct=True, filter=Q(ratings__resolved=True)),
                           satisfied=Count("id", distinct=True, filter=Q(ratings__satisfaction__in=good))))
        for names, rows in grouped:
            columns = self._columns(rows, 5, names)
            if columns is None:
                continue
            block, month, (paths, channels, reporters), vals = columns
            parts["cases"].append((block, month, self._indexes("cases", list(zip(paths, channels, strict=True))),
                                   vals))
            patrol = [i for i, (ch, who) in enumerate(zip(channels, reporters, strict=True))
                      if ch == Channel.GRID_PATROL and who is not None]
            if patrol:
                parts["reporter"].append((block[patrol], month[patrol],
                                          self._indexes("reporter", [reporters[i] for i in patrol]), vals[patrol]))
        # Department rows: assignments of the blocks' cases, by the month they were dispatched. The explicit range
        # on the assignment's case id lets the rating join use the index.
        window = (Q() if blocks is None else _ranges(blocks, "case_id")) & Q(dispatched_at__lte=as_of)
        rating_window = rating_q & Q(case__assignments__dispatched_at__lte=as_of)
        if blocks is not None:
            rating_window &= _ranges(blocks, "case__assignments__case_id")
        keys = {"b": _block_expr("case_id"), "m": _month_expr("dispatched_at"), "org": F("organization_id")}
        rkeys = {"rb": _block_expr("case_id"), "rm": _month_expr("case__assignments__dispatched_at"),
                 "rorg": F("case__assignments__organization_id")}
        for names, rows in aggregates.department_rows(window, rating_window, keys, rkeys, as_of, flat=True):
            columns = self._columns(rows, 3, names)
            if columns is not None:
                block, month, (orgs,), vals = columns
                parts["department"].append((block, month, self._indexes("department", list(orgs)), vals))
        return {family: self._concatenate(chunks) for family, chunks in parts.items() if chunks}

    @staticmethod
    def _columns(rows: list[tuple], n_keys: int, names: tuple) -> tuple | None:
        """Rows ``(block, month, *unit keys, *counters named by names)`` → (block vector, month vector, unit key
        columns, counter matrix over COUNTERS)."""
        import numpy as np

        rows = [r for r in rows if r[1] is not None] if any(r[1] is None for r in rows) else rows
        if not rows:
            return None
        columns = list(zip(*rows, strict=True))
        vals = np.zeros((len(rows), N_COUNTERS), dtype=np.int32)
        for j, name in enumerate(names):
            vals[:, COUNTER_INDEX[name]] = columns[n_keys + j]
        return (np.asarray(columns[0], dtype=np.int64), np.asarray(columns[1], dtype=np.int64),
                columns[2:n_keys], vals)

    def _indexes(self, family: str, keys: list):
        """Registry indexes of the unit keys (new keys are registered)."""
        import numpy as np

        registry, known = self.registry[family], self.keys[family]
        for key in dict.fromkeys(keys):
            if key not in registry:
                registry[key] = len(known)
                known.append(key)
        return np.fromiter(map(registry.__getitem__, keys), dtype=np.int64, count=len(keys))

    @staticmethod
    def _concatenate(chunks: list[tuple]) -> tuple:
        import numpy as np

        block, month, idx, vals = (np.concatenate(c) for c in zip(*chunks, strict=True))
        order = np.argsort(block, kind="stable")
        return block[order], month[order], idx[order], vals[order]

    # -- the sums ------------------------------------------------------------------------------------------------
    def _apply(self, family: str, months, idx, vals, sign: int) -> None:
        """Add (sign +1) or take away (-1) contributions to the month sums; rows may repeat a (month, unit)."""
        import numpy as np

        if not len(months):
            return
        size = len(self.keys[family])
        present, position = np.unique(months, return_inverse=True)
        slot = position * size + idx
        sums = np.empty((len(present) * size, N_COUNTERS), dtype=np.int64)
        for j in range(N_COUNTERS):  # float64 sums of counts are exact
            sums[:, j] = np.bincount(slot, weights=vals[:, j], minlength=len(present) * size)
        for k, month in enumerate(present.tolist()):
            arr = self.months.get((family, month))
            if arr is None or arr.shape[0] < size:
                grown = np.zeros((max(size, 16) * 2, N_COUNTERS), dtype=np.int64)
                if arr is not None:
                    grown[: arr.shape[0]] = arr
                arr = self.months[(family, month)] = grown
            chunk = sums[k * size:(k + 1) * size]
            if sign < 0:
                arr[:size] -= chunk
            else:
                arr[:size] += chunk

    def _store(self, computed: dict[str, tuple], blocks: set[int] | None) -> None:
        """Replace the contributions of the blocks (None: every block, on an empty rollup) by ``computed``."""
        import numpy as np

        for family in self.FAMILIES:
            if blocks is not None:
                old = [o for o in (self.blocks.pop((family, b), None) for b in blocks) if o is not None]
                if old:
                    self._apply(family, *(np.concatenate(c) for c in zip(*old, strict=True)), -1)
            data = computed.get(family)
            if data is None:
                continue
            block, month, idx, vals = data
            cuts = np.flatnonzero(np.diff(block)) + 1
            starts, ends = [0, *cuts.tolist()], [*cuts.tolist(), len(block)]
            for start, end in zip(starts, ends, strict=True):
                self.blocks[(family, int(block[start]))] = (month[start:end], idx[start:end], vals[start:end])
            self._apply(family, month, idx, vals, +1)

    # -- building and refreshing ---------------------------------------------------------------------------------
    def build(self, now: dt.datetime, latest: int) -> _Rollup:
        """Compute every block as of ``now``; ``latest`` is the last event id read before (the watermark)."""
        self._store(self._compute(None, now), None)
        self.built, self.watermark, self.refreshed_at, self.built_at = True, latest, now, now
        self.last_dirty_blocks = -1
        return self

    def valid(self, now: dt.datetime, latest: int) -> bool:
        """Whether the incremental refresh can follow: not when the clock went back or the event we stopped at is
        gone (a rolled back transaction: the log itself is append-only)."""
        from grassroots.core.models import Event

        return (self.built and not (self.refreshed_at is not None and now < self.refreshed_at)
                and latest >= self.watermark
                and not (self.watermark and not Event.objects.filter(id=self.watermark).exists()))

    def due_for_rebuild(self, now: dt.datetime) -> bool:
        return self.built_at is None or (now - self.built_at).total_seconds() > REBUILD_SECONDS

    def update(self, now: dt.datetime, latest: int) -> None:
        """Recompute the blocks of the cases moved (events after the watermark) or whose running deadline passed
        since the last refresh."""
        from grassroots.core.models import Event

        ids = {int(o) for o in Event.objects.filter(id__gt=self.watermark, id__lte=latest,
                                                    object_type="cases.case").values_list("object_id", flat=True)
               if o and o.isdigit()}
        ids.update(Case.objects.filter(next_due__gt=self.refreshed_at, next_due__lte=now)
                   .values_list("id", flat=True))
        blocks = {i // BLOCK for i in ids}
        if blocks:
            self._store(self._compute(blocks, now), blocks)
        self.watermark, self.refreshed_at, self.last_dirty_blocks = latest, now, len(blocks)

    # -- reading -------------------------------------------------------------------------------------------------
    def totals(self, family: str, months: list[int]):
        """(keys, array) — counters summed over the months, one row per registry key."""
        import numpy as np

        size = len(self.keys[family])
        total = np.zeros((size, N_COUNTERS), dtype=np.int64)
        for month in months:
            arr = self.months.get((family, month))
            if arr is not None:
                n = min(size, arr.shape[0])
                total[:n] += arr[:n]
        return list(self.keys[family]), total


class _Live:
    """The process's current rollup and its builder. ``lock`` guards ``current`` (refresh and reads)."""

    def __init__(self):
        import threading

        self.lock = threading.Lock()
        self.current: _Rollup | None = None
        self.generation = 0  # bumped by ``reset``: a build started before is dropped
        self.thread = None
        self.thread_generation = -1

    @staticmethod
    def background() -> bool:
        from django.conf import settings

        return bool(getattr(settings, "KPI_ROLLUP_BACKGROUND", True))

    def reset(self) -> None:
        with self.lock:
            self.generation += 1
            self.current = None

    def refreshed(self) -> tuple[_Rollup | None, dt.datetime]:
        """(the rollup brought up to now, now); the rollup is None when there is none yet and it is built in the
        background (the caller answers directly, then calls ``start_build``). Call with ``lock`` held."""
        latest = _latest_event_id()
        now = clock.now()  # after reading the watermark: every move up to it happened by now
        rollup = self.current
        if rollup is not None and not rollup.valid(now, latest):
            rollup = self.current = None
        if rollup is None or rollup.due_for_rebuild(now):
            if not self.background():
                rollup = self.current = _Rollup().build(now, latest)
                return rollup, now
            if rollup is None:
                return None, now
            self.start_build()
        rollup.update(now, latest)
        return rollup, now

    def start_build(self) -> None:
        """Start a full build in a background thread unless one is running. Call with ``lock`` held."""
        import threading

        if self.thread is not None and self.thread.is_alive() and self.thread_generation == self.generation:
            return
        self.thread_generation = self.generation
        self.thread = threading.Thread(target=self._build, args=(self.generation,), daemon=True,
                                       name="kpi-rollup-build")
        self.thread.start()

    def _build(self, generation: int) -> None:
        import logging

        from django.db import connection

        try:
            latest = _latest_event_id()
            rollup = _Rollup().build(clock.now(), latest)
            with self.lock:
                if generation == self.generation:
                    self.current = rollup
        except Exception:  # noqa: BLE001 - logged; the next live read starts another build
            logging.getLogger(__name__).exception("KPI rollup build failed")
        finally:
            connection.close()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a background build in progress; True when none is left running."""
        thread = self.thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True


_ROLLUP = _Live()


def rollup_reset() -> None:
    """Forget the live rollup (tests; after bulk writes that bypass the services, e.g. benchmark data)."""
    _ROLLUP.reset()


def rollup_wait(timeout: float | None = None) -> bool:
    """Wait for the background build of the live rollup, if one is running (tests, benchmarks)."""
    return _ROLLUP.wait(timeout)


def _whole_months(period: Period) -> list[int] | None:
    if period.start.day != 1:
        return None
    after = period.end + dt.timedelta(days=1)
    if after.day != 1:
        return None
    first, last = _month_key(period.start), _month_key(period.end)
    return list(range(first, last + 1))


def serves(period: Period) -> bool:
    """Whether the live rollup serves the period (whole months)."""
    return _whole_months(period) is not None


def live_counters(*, actor, unit_kind: str, period: Period, units: dict) -> tuple[dict, dt.datetime, str]:
    """Counters from the live rollup (whole months, all channels, as of now): ({unit: counters}, as_of, note).

    While the rollup's first build runs in the background, the counters are computed directly as of now."""
    months = _whole_months(period)
    if months is None:
        raise ValueError("the live rollup serves whole months")
    with _ROLLUP.lock:
        rollup, now = _ROLLUP.refreshed()
        if rollup is not None:
            dirty = rollup.last_dirty_blocks
            if unit_kind in REGION_DEPTH or unit_kind == "channel":
                keys, total = rollup.totals("cases", months)
            elif unit_kind == "grid_worker":
                keys, total = rollup.totals("reporter", months)
            else:
                keys, total = rollup.totals("department", months)
    if rollup is None:
        # Answer first, then start the build (it does not compete with this request for the database).
        result = aggregates.counters_for(actor=actor, unit_kind=unit_kind, period=period, as_of=now, channel="",
                                         units=units)
        with _ROLLUP.lock:
            if _ROLLUP.current is None:
                _ROLLUP.start_build()
        return result, now, "汇总生成中，按当前时点直接计算"
    import numpy as np

    sums: dict = {}
    if unit_kind in REGION_DEPTH:
        length = aggregates.path_length(unit_kind)
        for i, (path, _channel) in enumerate(keys):
            unit = path[:length] if length and len(path) >= length else None
            if unit in units:
                sums[unit] = sums[unit] + total[i] if unit in sums else total[i].copy()
    elif unit_kind == "channel":
        for i, (_path, channel) in enumerate(keys):
            if channel in units:
                sums[channel] = sums[channel] + total[i] if channel in sums else total[i].copy()
    else:
        for i, key in enumerate(keys):
            if key in units:
                sums[key] = total[i]
    zero = np.zeros(N_COUNTERS, dtype=np.int64)
    result = {unit: dict(zip(COUNTERS, (int(v) for v in sums.get(unit, zero)), strict=True)) for unit in units}
    how = gettext("完整重算") if dirty < 0 else gettext("增量更新 %(n)d 个数据块") % {"n": dirty}
    note = gettext("%(how)s；实时汇总") % {"how": how}
    return result, now, note
