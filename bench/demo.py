"""Build the demo zone in fresh databases and print JSON figures: wall time and peak memory per size.

    .venv/bin/python bench/demo.py [--size small|full|both] [--seed N] [--postgres [URL]] [--core-only]

Each build runs in a child process (migrate, then ``generator.build``); the parent reads the child's peak resident
memory from ``os.wait4``. SQLite databases are temporary files (WAL, as in the embedded demo); with ``--postgres``
a temporary database is created on the server and dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"


def child(size: str, seed: int, core_only: bool) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from grassroots.demo import generator

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    t1 = time.perf_counter()
    ctx = generator.build(size=size, seed=seed, with_extensions=not core_only)
    t2 = time.perf_counter()
    timings = ctx.stats.pop("timings")
    print(json.dumps({"vendor": connection.vendor, "migrate_s": round(t1 - t0, 2), "build_s": round(t2 - t1, 2),
                      "steps_s": timings, "counts": ctx.stats}, ensure_ascii=False))


def run(size: str, seed: int, database_url: str, core_only: bool = False) -> dict:
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="config.settings.dev")
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--child", "--size", size, "--seed", str(seed)]
                            + (["--core-only"] if core_only else []),
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # read before waiting so a full pipe cannot block the child
    out, err = proc.stdout.read(), proc.stderr.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{size} build failed:\n{err[-4000:]}")
    figures = json.loads(out.strip().splitlines()[-1])
    figures.update(size=size, seed=seed, core_only=core_only, wall_s=round(wall, 2), peak_rss_mb=round(usage.ru_maxrss / 1024, 1))
    return figures


def sqlite_run(size: str, seed: int, core_only: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="grassroots-bench-") as tmp:
        path = Path(tmp) / "demo.sqlite3"
        figures = run(size, seed, f"sqlite:///{path}", core_only)
        figures["db_file_mb"] = round(sum(p.stat().st_size for p in Path(tmp).iterdir()) / 2 ** 20, 1)
        return figures


def postgres_run(size: str, seed: int, server_url: str, core_only: bool) -> dict:
    import psycopg

    name = f"grassroots_bench_{os.getpid()}_{size}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        base = server_url.rsplit("/", 1)[0]
        return run(size, seed, f"{base}/{name}", core_only)
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["small", "full", "both"], default="both")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--postgres", nargs="?", const=DEFAULT_PG, default=None,
                        help=f"also build on PostgreSQL (server URL, default {DEFAULT_PG})")
    parser.add_argument("--core-only", action="store_true",
                        help="the core zone only, without the apps' demo modules")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.size, args.seed, args.core_only)
        return
    sizes = ["small", "full"] if args.size == "both" else [args.size]
    results = []
    for size in sizes:
        results.append({"database": "sqlite", **sqlite_run(size, args.seed, args.core_only)})
        if args.postgres:
            results.append({"database": "postgresql", **postgres_run(size, args.seed, args.postgres, args.core_only)})
    print(json.dumps({"bench": "demo", "python": platform.python_version(), "cpus": os.cpu_count(),
                      "results": results}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
