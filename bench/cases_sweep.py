"""The escalation sweep over 1,000,000 cases: with 10,000 newly breached, and with nothing to do (PostgreSQL).

    .venv/bin/python bench/cases_sweep.py [--cases 1000000] [--breached 10000] [--pg URL]

Creates a temporary PostgreSQL database (dropped at the end), builds the small demo zone and writes the cases in
bulk (``cases_common.bulk_cases``): two years of history, the last 45 days still open with their running deadline
in the future, except ``--breached`` accepted or dispatched cases at the community or subdistrict tier whose
deadline passed a minute ago. Then it times ``cases.sweep.run_sweep`` twice:

- ``breach_s``: the first run (escalations through the services, their events and notifications);
- ``noop_s``: the second run, which must find nothing.

Targets: breach run under 10 s including events; no-op run under 0.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cases_common as common  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--breached", type=int, default=10_000)
    parser.add_argument("--pg", default=common.DEFAULT_PG)
    args = parser.parse_args()
    name = f"grassroots_bench_sweep_{os.getpid()}"
    url = common.create_database(args.pg, name)
    result: dict = {"bench": "cases_sweep", "database": "postgresql", "cases": args.cases}
    try:
        common.setup_django(url)
        from grassroots.cases.sweep import run_sweep
        from grassroots.core import clock
        from grassroots.core.models import Event, Notification

        result.update(common.build_zone())
        now = clock.now()
        info = common.bulk_cases(args.cases, now=now, open_days=45, breached=args.breached)
        info.pop("open_ids")
        result["bulk"] = info
        events_before = Event.objects.count()
        notes_before = Notification.objects.count()
        t0 = time.perf_counter()
        first = run_sweep(now=clock.now())
        result["breach_s"] = round(time.perf_counter() - t0, 2)
        result["breach_run"] = first.as_dict()
        result["events_written"] = Event.objects.count() - events_before
        result["notifications_written"] = Notification.objects.count() - notes_before
        t0 = time.perf_counter()
        second = run_sweep(now=clock.now())
        result["noop_s"] = round(time.perf_counter() - t0, 3)
        result["noop_run"] = second.as_dict()
        result["target_ok"] = result["breach_s"] < 10 and result["noop_s"] < 0.5 and second.breached == 0
    finally:
        common.drop_database(args.pg, name)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
