"""The zone KPI ranking page over 100,000 and 1,000,000 cases, right after new moves (PostgreSQL).

    .venv/bin/python bench/cases_kpi.py [--sizes 100000 1000000] [--rounds 7] [--moves 10] [--pg URL]

Creates a temporary PostgreSQL database (dropped at the end), builds the small demo zone, writes the cases in bulk
(see ``cases_common.bulk_cases``; spread over two years, ids in time order), then for each size:

- ``cold_ms``: the first page load in a process (the live rollup is not built yet: the page is computed directly
  as of now and the rollup's build starts in the background);
- ``build_ms``: from that first request until the background build is done (the page loads below come after);
- ``page_ms_p50`` / ``page_ms_max``: the zone leader's ranking page (``/cases/kpi/?unit=community`` and
  ``?unit=department``), each load right after ``--moves`` new moves through the services (reports by grid
  workers and acknowledgements by a department), over ``--rounds`` rounds;
- ``direct_ms``: the same table computed directly (no rollup) for the current month, for comparison.

Targets: page under 300 ms at 1,000,000 cases and no slower than 2x its time at 100,000.
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


def moves(world, rng, k: int) -> int:
    from grassroots.cases import services
    from grassroots.cases.models import Assignment, Category
    from grassroots.core import clock
    from grassroots.core.errors import ApplicationError
    from grassroots.people.models import User

    done = 0
    category = Category.objects.filter(code="E0102").first()
    for _ in range(k // 2):
        gid, path, _community, lon, lat = rng.choice(world.grids)
        user_id = world.worker_of.get(path)
        if user_id is None:
            continue
        try:
            services.case_report(actor=User.objects.get(pk=user_id), channel="grid_patrol", category=category,
                                 title="基准测试上报", region=gid)
            done += 1
        except ApplicationError:
            pass
    handler = User.objects.get(username="dept_city")
    pending = list(Assignment.objects.filter(organization__name="城市管理局", status="dispatched", active=True,
                                             case__status="dispatched", acknowledge_due__gt=clock.now())
                   .values_list("case_id", flat=True)[:200])
    for case_id in rng.sample(pending, min(len(pending), k - k // 2)):
        try:
            services.case_acknowledge(actor=handler, case=case_id)
            done += 1
        except ApplicationError:
            pass
    return done


def measure(world, client, rounds: int, k: int, rng) -> dict:
    from grassroots.core import clock
    from grassroots.metrics import kpis, rollup, selectors
    from grassroots.people.models import User

    rollup.rollup_reset()
    t0 = time.perf_counter()
    response = client.get("/cases/kpi/", {"unit": "community"})
    cold_ms = (time.perf_counter() - t0) * 1000
    assert response.status_code == 200, response.status_code
    assert rollup.rollup_wait(timeout=600), "the rollup build did not finish"
    build_ms = (time.perf_counter() - t0) * 1000
    times, moved = [], 0
    for _ in range(rounds):
        for unit in ("community", "department"):
            moved += moves(world, rng, k)
            t0 = time.perf_counter()
            response = client.get("/cases/kpi/", {"unit": unit})
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
    table = response.context["table"] if response.context else None
    leader = User.objects.get(username="zone_leader")
    today = clock.today()
    t0 = time.perf_counter()
    selectors.kpi_table(actor=leader, unit_kind="community", period=kpis.Period.month(today.year, today.month),
                   as_of=clock.now())
    direct_ms = (time.perf_counter() - t0) * 1000
    return {"cold_ms": round(cold_ms, 1), "build_ms": round(build_ms, 1), "page_ms_p50": round(statistics.median(times), 1),
            "page_ms_max": round(max(times), 1), "moves": moved, "page_loads": len(times),
            "direct_ms": round(direct_ms, 1), "freshness": table.freshness if table else ""}


def main() -> None:
    import random

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[100_000, 1_000_000])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--moves", type=int, default=10)
    parser.add_argument("--pg", default=common.DEFAULT_PG)
    args = parser.parse_args()
    name = f"grassroots_bench_kpi_{os.getpid()}"
    url = common.create_database(args.pg, name)
    result: dict = {"bench": "cases_kpi", "database": "postgresql", "sizes": {}}
    try:
        common.setup_django(url)
        from django.test import Client

        from grassroots.core import clock
        from grassroots.people.models import User
        from tests.support.world import login_verified

        result.update(common.build_zone())
        world = common.World()
        client = Client()
        login_verified(client, User.objects.get(username="zone_leader"))
        rng = random.Random(11)
        written = 0
        for size in sorted(args.sizes):
            info = common.bulk_cases(size - written, now=clock.now(), seed=size)
            written = size
            info.pop("open_ids")
            figures = measure(world, client, args.rounds, args.moves, rng)
            figures["bulk"] = info
            result["sizes"][str(size)] = figures
        sizes = sorted(args.sizes)
        if len(sizes) >= 2:
            small, large = result["sizes"][str(sizes[0])], result["sizes"][str(sizes[-1])]
            result["ratio_large_vs_small"] = round(large["page_ms_p50"] / max(small["page_ms_p50"], 0.1), 2)
            result["target_ok"] = large["page_ms_p50"] < 300 and result["ratio_large_vs_small"] <= 2
    finally:
        if "grassroots.metrics.rollup" in sys.modules:  # no build thread may hold a connection to the dropped database
            sys.modules["grassroots.metrics.rollup"].rollup_wait(timeout=600)
        common.drop_database(args.pg, name)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
