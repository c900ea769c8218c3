"""The big exports through the one exporter (``core.exports``) against a bare openpyxl write-only loop (PostgreSQL).

    .venv/bin/python bench/exports.py [--cases 500000] [--pg URL] [--db NAME] [--seed N]

Creates a temporary PostgreSQL database (dropped at the end), builds the full demo zone (``generator.build``,
size ``full``: about 40,000 residents, the party tree, the life circle analysis, the demo's cases), then measures
at that size and again after cases are added in bulk up to ``--cases`` (``cases_common.bulk_cases``):

- for each big export (``cases.case``, ``people.person``, ``party.membership``, ``lifecircle.gap``), as the zone
  leader (who sees the whole zone): ``exporter_s`` — ``exports.prepare`` + ``exports.write_file`` + the audit
  event, i.e. what a background job does, to an .xlsx file; ``bare_s`` — a bare openpyxl write-only loop over the
  same rows from one query (``values_list`` of the same selector; for the gaps, the selector's list), the same run;
- each measurement runs in a child process of its own; ``peak_rss_mb`` is that child's peak resident memory
  (``ru_maxrss``), ``base_rss_mb`` its resident memory just before the export, so ``grown_mb`` is what the export
  itself added.

Aim: ``exporter_s`` at most 2× ``bare_s``, and ``grown_mb`` not growing with rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cases_common as common  # noqa: E402

KINDS = ("cases.case", "people.person", "party.membership", "lifecircle.gap")


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def leader():
    from grassroots.people.models import Post

    return Post.objects.filter(role="zone_leader").select_related("user").order_by("id").first().user


def naive(row):
    return [v.replace(tzinfo=None) if isinstance(v, dt.datetime) else v for v in row]


def bare_rows(kind: str, actor):
    """The same rows as the export, from one query of the same selector, as the database gives them."""
    if kind == "cases.case":
        from grassroots.cases import selectors

        qs = selectors.case_list(actor=actor).values_list(
            "reference", "reported_at", "channel", "category__name", "title", "region__name", "tier", "status",
            "running_due", "supervision", "rework_count", "closed_at")
        return (naive(r) for r in qs.iterator(chunk_size=2000))
    if kind == "people.person":
        from grassroots.people import selectors

        qs = selectors.person_list(actor=actor).values_list(
            "name", "gender", "birth_date", "id_type", "id_number", "phone", "region__name", "building__code",
            "household__room", "relation_to_head", "active")
        return qs.iterator(chunk_size=2000)
    if kind == "party.membership":
        from grassroots.party import selectors

        qs = selectors.member_list(actor=actor).values_list(
            "person__name", "person__id_number", "org__code", "org__name", "status", "admission_date",
            "full_member_date", "in_service", "employer__name", "start_date")
        return qs.iterator(chunk_size=2000)
    from grassroots.lifecircle import selectors

    profile = selectors.profile_or_default(actor=actor, code=None)
    return ([g.building.code, g.building.name, g.building.parent.name, g.building.parent.parent.name, g.kind.name,
             g.circle.name, g.circle.max_distance_m, None if g.distance_m is None else round(g.distance_m)]
            for g in selectors.gaps(actor=actor, profile=profile))


def measure(kind: str, mode: str) -> dict:
    from openpyxl import Workbook

    from grassroots.core import exports

    actor = leader()
    exports.kind_for(kind)
    handle, path = tempfile.mkstemp(suffix=".xlsx", prefix="bench-export-")
    os.close(handle)
    base = rss_mb()
    t0 = time.perf_counter()
    if mode == "exporter":
        request = exports.prepare(kind, actor=actor)
        rows = exports.write_file(request, path)
        exports.record_export(request, rows)
    else:
        book = Workbook(write_only=True)
        ws = book.create_sheet("bare")
        rows = 0
        for row in bare_rows(kind, actor):
            ws.append(row)
            rows += 1
        book.save(path)
    seconds = time.perf_counter() - t0
    size = os.path.getsize(path)
    os.unlink(path)
    return {"rows": rows, "seconds": round(seconds, 2), "base_rss_mb": round(base, 1),
            "peak_rss_mb": round(peak_mb(), 1), "grown_mb": round(peak_mb() - base, 1),
            "file_mb": round(size / 2**20, 1)}


def child(args) -> None:
    common.setup_django(args.url)
    if args.child == "build":
        from django.core.management import call_command

        from grassroots.demo import generator

        t0 = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        generator.build(size="full", seed=args.seed)
        result = {"build_s": round(time.perf_counter() - t0, 1)}
    elif args.child == "grow":
        from grassroots.cases.models import Case
        from grassroots.core import clock

        have = Case.objects.count()
        written = common.bulk_cases(max(args.cases - have, 0), now=clock.now())
        written.pop("open_ids", None)
        result = {"before": have, **written}
        result["after"] = Case.objects.count()
    else:
        result = measure(args.kind, args.child)
    print(json.dumps(result, ensure_ascii=False))


def run_child(url: str, what: str, **kw) -> dict:
    argv = [sys.executable, __file__, "--child", what, "--url", url]
    for key, value in kw.items():
        argv += [f"--{key}", str(value)]
    proc = subprocess.run(argv, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{what} {kw} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def stage(url: str) -> dict:
    out = {}
    for kind in KINDS:
        exporter = run_child(url, "exporter", kind=kind)
        bare = run_child(url, "bare", kind=kind)
        out[kind] = {"rows": exporter["rows"], "exporter": exporter, "bare": bare,
                     "ratio": round(exporter["seconds"] / max(bare["seconds"], 0.01), 2)}
        print(json.dumps({kind: out[kind]}, ensure_ascii=False), file=sys.stderr)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child")
    parser.add_argument("--url")
    parser.add_argument("--kind")
    parser.add_argument("--cases", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--pg", default=common.DEFAULT_PG)
    parser.add_argument("--db", default="export_bench")
    parser.add_argument("--skip-large", action="store_true", help="measure at the demo size only")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    url = common.create_database(args.pg, args.db)
    try:
        report = {"database": "postgresql", "load_before": os.getloadavg(), "cpus": os.cpu_count()}
        report["build"] = run_child(url, "build", seed=args.seed)
        report["demo"] = stage(url)
        if not args.skip_large:
            report["grow"] = run_child(url, "grow", cases=args.cases)
            report[f"cases_{args.cases}"] = stage(url)
        report["load_after"] = os.getloadavg()
        print(json.dumps(report, ensure_ascii=False, indent=1))
    finally:
        common.drop_database(args.pg, args.db)


if __name__ == "__main__":
    main()
