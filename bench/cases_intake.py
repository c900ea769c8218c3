"""Case intake through the HTTP API next to a bare-INSERT baseline, on a live server (PostgreSQL).

    .venv/bin/python bench/cases_intake.py [--requests 2000] [--concurrency 4] [--workers 2] [--rounds 4]
                                           [--background 50000]

Creates a temporary PostgreSQL database (dropped at the end), builds the small demo zone, writes ``--background``
cases in bulk so the tables are not empty, and starts gunicorn on 127.0.0.1 with the benchmark settings
(``cases_intake_settings``: the project's URLs plus ``/bench/insert``, a baseline endpoint with the same middleware,
the same API-token authentication and the same JSON body, doing one bare INSERT). Grid workers' API tokens post
``--requests`` patrol reports (``POST /api/cases/``, each inside the worker's grid) from ``--concurrency`` client
threads with keep-alive connections, and the same number of baseline requests, in ``--rounds`` alternating
rounds (baseline then intake, intake then baseline, …).

Prints requests/s, p50 and p99 latency for both, and ``ratio`` = intake requests/s ÷ baseline requests/s (aim ≥ 0.5).
For reference it also measures ``GET /api/cases/nearby`` (the possible-duplicates check a form makes before
filing) at the same positions, once the intake phase has filled them.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import cases_common as common  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port: int, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/open311/v2/discovery.json")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not start")


def load(port: int, path: str, bodies: list[tuple[str, dict]], concurrency: int, method: str = "POST") -> dict:
    """POST every (token, body) from ``concurrency`` keep-alive clients (or GET with the body as the query string);
    latencies and throughput."""
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    chunks = [bodies[i::concurrency] for i in range(concurrency)]

    def client(chunk):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, bad = [], []
        for token, body in chunk:
            data = json.dumps(body, ensure_ascii=False).encode() if method == "POST" else None
            target = path if method == "POST" else f"{path}?{urllib.parse.urlencode(body)}"
            t0 = time.perf_counter()
            conn.request(method, target, body=data, headers={
                "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - t0)
            if response.status not in (200, 201):
                bad.append(response.status)
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    threads = [threading.Thread(target=client, args=(c,)) for c in chunks]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    return summary(latencies, errors, elapsed)


def summary(latencies: list[float], errors: list[int], elapsed: float) -> dict:
    latencies = sorted(latencies)
    return {"requests": len(latencies), "errors": len(errors), "error_statuses": sorted(set(errors))[:5],
            "requests_per_s": round(len(latencies) / elapsed, 1), "_latencies": latencies, "_errors": errors,
            "_elapsed": elapsed,
            "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1)}


def public(figures: dict) -> dict:
    return {k: v for k, v in figures.items() if not k.startswith("_")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=4, help="alternating baseline/intake rounds")
    parser.add_argument("--background", type=int, default=50_000)
    parser.add_argument("--pg", default=common.DEFAULT_PG)
    args = parser.parse_args()
    name = f"grassroots_bench_intake_{os.getpid()}"
    url = common.create_database(args.pg, name)
    result: dict = {"bench": "cases_intake", "database": "postgresql", "requests": args.requests,
                    "concurrency": args.concurrency, "gunicorn_workers": args.workers}
    server = None
    try:
        common.setup_django(url, settings="cases_intake_settings")
        from django.db import connection

        from grassroots.core import clock
        from grassroots.people.models import User
        from grassroots.people.tokens import token_create
        from grassroots.territory.locate import NOT_FOUND, locate_many

        result.update(common.build_zone())
        if args.background:
            info = common.bulk_cases(args.background, now=clock.now())
            info.pop("open_ids")
            result["background"] = info
        with connection.cursor() as cur:
            cur.execute("CREATE TABLE bench_insert (id bigserial PRIMARY KEY, title text NOT NULL, "
                        "user_id bigint NOT NULL, created timestamptz NOT NULL DEFAULT now())")
        world = common.World()
        import numpy as np

        grids = [g for g in world.grids if g[1] in world.worker_of]
        found = locate_many(np.array([g[3] for g in grids]), np.array([g[4] for g in grids]))
        senders = []
        for grid, gid in zip(grids, found.tolist(), strict=True):
            if gid == grid[0] and gid != NOT_FOUND:
                user = User.objects.get(pk=world.worker_of[grid[1]])
                senders.append((token_create(actor=user, name="bench")[1], grid[3], grid[4]))
            if len(senders) >= 40:
                break
        result["senders"] = len(senders)
        bodies = [(token, {"channel": "grid_patrol", "category": "E0102", "title": f"巡查发现暴露垃圾 {i}",
                           "description": "基准测试", "lon": lon, "lat": lat})
                  for i in range(args.requests) for token, lon, lat in [senders[i % len(senders)]]]
        connection.close()

        port = free_port()
        env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="cases_intake_settings", LOG_LEVEL="WARNING",
                   PYTHONPATH=os.pathsep.join([str(common.ROOT), str(BENCH)]))
        server = subprocess.Popen(
            [str(common.ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application", "-b", f"127.0.0.1:{port}",
             "-w", str(args.workers), "--log-level", "warning", "--timeout", "120"],
            cwd=str(common.ROOT), env=env, start_new_session=True)
        wait_ready(port)
        warm = bodies[: min(50, len(bodies))]
        load(port, "/bench/insert", warm, args.concurrency)
        load(port, "/api/cases/", [(t, {**b, "title": b["title"] + " warm"}) for t, b in warm], args.concurrency)
        # Rounds alternate the order (baseline then intake, intake then baseline, …) so that a machine whose speed
        # drifts during the run weighs on both alike; each endpoint's figures cover all its rounds.
        runs: dict[str, list[dict]] = {"baseline": [], "intake": []}
        chunk = -(-len(bodies) // args.rounds)
        for k in range(args.rounds):
            part = bodies[k * chunk:(k + 1) * chunk]
            order = [("baseline", "/bench/insert"), ("intake", "/api/cases/")]
            for key, path in order if k % 2 == 0 else order[::-1]:
                runs[key].append(load(port, path, part, args.concurrency))
        checks = [(t, {"category": b["category"], "lon": b["lon"], "lat": b["lat"]}) for t, b in bodies]
        result["nearby_check"] = public(load(port, "/api/cases/nearby", checks, args.concurrency, method="GET"))
        for key, parts in runs.items():
            whole = summary([x for p in parts for x in p["_latencies"]], [x for p in parts for x in p["_errors"]],
                            sum(p["_elapsed"] for p in parts))
            result[key] = dict(public(whole), rounds_requests_per_s=[p["requests_per_s"] for p in parts])
        baseline_rps, intake_rps = result["baseline"]["requests_per_s"], result["intake"]["requests_per_s"]
        result["ratio"] = round(intake_rps / baseline_rps, 2) if baseline_rps else None
        result["rounds_ratio"] = [round(i["requests_per_s"] / b["requests_per_s"], 2)
                                  for b, i in zip(runs["baseline"], runs["intake"], strict=True)]
        result["target_ok"] = bool(result["ratio"] and result["ratio"] >= 0.5 and not result["intake"]["errors"])
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        common.drop_database(args.pg, name)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
