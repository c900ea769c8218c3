"""The hotline's callback queue (待回访) over many cases: bounded by the callback window against unbounded.

    .venv/bin/python bench/callback_window.py [--size 300000] [--rounds 7] [--database NAME] [--pg URL]

Builds the small demo zone and ``--size`` cases in bulk (``cases_common.bulk_cases``: two years, most closed, few
rated) in the database NAME (created, and dropped at the end). For the hotline operator it times the queue's count
as the workbench reads it (``selectors._queue_q(scope, "to_callback")`` on the visible cases):

- ``window``: with the policy default (``callback_window_days`` 30): recently closed cases through the
  ``(status, closed_at)`` index;
- ``unbounded``: the same statement with a window of 100 years, i.e. every closed case anti-joined with its ratings
  (what the queue was before);
- ``*_bare_sql_ms_p50``: each statement compiled beforehand and sent through the driver as plain SQL, the baseline
  in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cases_common as common  # noqa: E402


def timed(fn, rounds: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(rounds):
        t0 = time.perf_counter()
        value = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(times), 1), value


def measure(user, rounds: int) -> dict:
    from django.db import connection

    from grassroots.cases import selectors
    from grassroots.cases.models import Case
    from grassroots.core.scope import scope_for

    scope = scope_for(user)

    def queryset():
        return Case.objects.filter(selectors.visible_q(user)).filter(selectors._queue_q(scope, "to_callback"))

    orm_ms, count = timed(lambda: queryset().count(), rounds)
    sql, params = queryset().values("pk").order_by().query.sql_with_params()
    statement = f"SELECT COUNT(*) FROM ({sql}) AS q"

    def bare():
        with connection.cursor() as cur:
            cur.execute(statement, params)
            return cur.fetchone()[0]

    bare_ms, bare_count = timed(bare, rounds)
    return {"count": count, "orm_ms_p50": orm_ms, "bare_sql_ms_p50": bare_ms, "baseline_agrees": count == bare_count}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=300_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--database", default=f"grassroots_bench_callback_{os.getpid()}")
    parser.add_argument("--pg", default=common.DEFAULT_PG)
    args = parser.parse_args()
    url = common.create_database(args.pg, args.database)
    result: dict = {"bench": "callback_window", "database": "postgresql", "size": args.size}
    try:
        common.setup_django(url)
        from grassroots.core import clock, policy
        from grassroots.core.models import PolicySetting
        from grassroots.people.models import Post

        result.update(common.build_zone())
        t0 = time.perf_counter()
        info = common.bulk_cases(args.size, now=clock.now(), seed=args.size)
        info.pop("open_ids", None)
        result["seed_s"] = round(time.perf_counter() - t0, 1)
        result["ratings"] = info.get("ratings")
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        hotline = Post.objects.filter(role="hotline_operator").order_by("id").first().user
        result["window"] = measure(hotline, args.rounds)
        PolicySetting.objects.create(key="callback_window_days", value=36500, note="bench: no window")
        policy.invalidate()
        result["unbounded"] = measure(hotline, args.rounds)
        result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        common.drop_database(args.pg, args.database)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
