"""The workbench (home page) of community staff and of the zone leader over 1,000,000 cases, right after new moves.

    .venv/bin/python bench/workbench.py [--sizes 1000000] [--rounds 7] [--moves 10] [--pg URL]

Creates a temporary PostgreSQL database (dropped at the end), builds the small demo zone and writes the cases in bulk
(``cases_common.bulk_cases``: two years, the last ten days open). For each size and each of the two users:

- ``page_ms_p50`` / ``page_ms_max`` and ``queries``: ``GET /`` signed in, each load right after ``--moves`` new moves
  through the services (grid workers' reports and a department's acknowledgements);
- ``bare_sql_ms_p50``: the baseline in the same run: the same counts (every queue with its overdue and due-soon
  numbers) as one hand-written SQL statement sent through the driver, no ORM, no template;
- the counts the page showed, and that the baseline found the same numbers.

Aim: under 150 ms at 1,000,000 cases.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cases_common as common  # noqa: E402
from cases_kpi import moves  # noqa: E402


def bare_counts(user, now, soon) -> tuple[dict, float]:
    """The baseline: the workbench's case counts (every queue with its overdue and due-soon numbers), each queue's
    statement compiled beforehand and sent through the driver as plain SQL: the database's share of the page,
    without the ORM, sessions, other apps' parts or the template."""
    from django.db import connection
    from django.db.models import Count, Q, Value

    from grassroots.cases import permissions, selectors
    from grassroots.cases.models import Case
    from grassroots.core.scope import scope_for

    scope = scope_for(user)
    statements = {}
    for queue in selectors.QUEUES:
        if not permissions.works_queue(user, queue):
            continue
        qs = (Case.objects.filter(selectors.visible_q(user)).filter(selectors._queue_q(scope, queue))
              .annotate(running_due=selectors.running_due_expression(), one=Value(1)).values("one")
              .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(running_due__lt=now)),
                        soon=Count("pk", filter=Q(running_due__gte=now, running_due__lt=soon)))
              .values_list("n", "overdue", "soon").order_by())
        statements[queue] = qs.query.sql_with_params()
    counts = {}
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        for queue, (sql, params) in statements.items():
            cur.execute(sql, params)
            counts[queue] = tuple(cur.fetchone() or (0, 0, 0))
    return counts, (time.perf_counter() - t0) * 1000


def measure(world, user, client, rounds: int, k: int, rng) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from grassroots.core import clock

    times, bare, queries = [], [], 0
    shown = {}
    for _ in range(rounds):
        moves(world, rng, k)
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get("/")
            times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
        queries = len(ctx.captured_queries)
        slow = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:3]
        shown = {t.key: (t.count, t.overdue, t.due_soon) for p in response.context["posts"] for t in p["tallies"]}
        now = clock.now()
        counts, ms = bare_counts(user, now, now + dt.timedelta(hours=24))
        bare.append(ms)
    same = all(shown.get(f"cases.{q}") == v for q, v in counts.items())
    return {"page_ms_p50": round(statistics.median(times), 1), "page_ms_max": round(max(times), 1),
            "queries": queries, "bare_sql_ms_p50": round(statistics.median(bare), 1),
            "counts": {k: list(v) for k, v in shown.items() if k.startswith("cases.")}, "baseline_agrees": same,
            "slowest_queries": [{"s": q["time"], "sql": q["sql"][:300]} for q in slow]}


def main() -> None:
    import random

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[1_000_000])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--moves", type=int, default=10)
    parser.add_argument("--pg", default=common.DEFAULT_PG)
    args = parser.parse_args()
    name = f"grassroots_bench_workbench_{os.getpid()}"
    url = common.create_database(args.pg, name)
    result: dict = {"bench": "workbench", "database": "postgresql", "sizes": {}}
    try:
        common.setup_django(url)
        from django.test import Client
        from django.test.utils import setup_test_environment

        setup_test_environment()  # the response carries its template context (the counts the page showed)

        from grassroots.core import clock
        from grassroots.people.models import Post, User
        from tests.support.world import login_verified

        result.update(common.build_zone())
        world = common.World()
        staff_user = Post.objects.filter(role="community_staff").order_by("id").first().user
        leader = User.objects.get(username="zone_leader")
        rng = random.Random(5)
        written = 0
        for size in sorted(args.sizes):
            t0 = time.perf_counter()
            info = common.bulk_cases(size - written, now=clock.now(), seed=size)
            written = size
            info.pop("open_ids")
            figures = {"seed_s": round(time.perf_counter() - t0, 1), "open": info.get("open")}
            for label, user in (("community_staff", staff_user), ("zone_leader", leader)):
                client = Client()
                login_verified(client, user)
                figures[label] = measure(world, user, client, args.rounds, args.moves, rng)
            result["sizes"][str(size)] = figures
        load = os.getloadavg()
        result["load_average"] = [round(x, 2) for x in load]
    finally:
        common.drop_database(args.pg, name)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
