"""Benchmark: the monthly lights (亮灯) of 2,000 key projects with five years of monthly investment reports,
``keyprojects.selectors.lights_for`` against a bare-SQL computation of the same lights in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/keyproject_lights.py [--projects 2000]

The fixture (projects in the test park with plans for five years and a report for every month from January five
years back to October of this year; starts, late starts and statistics entries spread so that every light occurs)
is written in bulk inside one transaction rolled back at the end: the database is left as it was. Measured, each
the best of three: one month's lights of every project by the rule set of three dimensions (开工, 进度, 入库), the
same by the bare SQL (one statement), the twelve months of a year, and the two other rule sets. The two computations
must agree project by project. Prints JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The rule set "yinchuan" with its default thresholds, one statement: year-to-date per project, the three dimensions
# as severities (0 green, 1 yellow, 2 red, NULL not applicable), the worst of them.
BASELINE_SQL = """
WITH ytd AS (
    SELECT project_id, SUM(completed_wan) AS done FROM keyprojects_investmentreport
    WHERE ym BETWEEN %(first)s AND %(last)s AND project_id = ANY(%(ids)s) GROUP BY project_id
), f AS (
    SELECT p.id, p.planned_start, p.actual_start,
           CASE WHEN p.in_fai_stats THEN p.in_stats_date END AS stats, pl.planned_wan AS plan,
           COALESCE(ytd.done, 0) AS done,
           (EXTRACT(YEAR FROM p.planned_start) * 12 + EXTRACT(MONTH FROM p.planned_start) - 1) AS planned_mi,
           (EXTRACT(YEAR FROM p.actual_start) * 12 + EXTRACT(MONTH FROM p.actual_start) - 1) AS start_mi
    FROM keyprojects_project p
    LEFT JOIN keyprojects_annualplan pl ON pl.project_id = p.id AND pl.year = %(year)s
    LEFT JOIN ytd ON ytd.project_id = p.id
    WHERE p.id = ANY(%(ids)s)
), d AS (
    SELECT id,
        CASE WHEN actual_start IS NOT NULL AND actual_start <= %(end)s THEN 0
             WHEN planned_start IS NULL THEN NULL
             WHEN %(mi)s - planned_mi < 0 THEN 0
             WHEN %(mi)s - planned_mi >= 3 THEN 2 ELSE 1 END AS s_start,
        CASE WHEN plan IS NULL OR plan = 0 THEN NULL
             ELSE round(%(month)s * 100.0 / 12, 1) - round(done * 100 / plan, 1) END AS gap,
        CASE WHEN actual_start IS NULL OR actual_start > %(end)s THEN NULL
             WHEN stats IS NOT NULL AND stats <= %(end)s THEN 0
             WHEN %(mi)s - start_mi > 2 THEN 2
             WHEN %(mi)s - start_mi >= 1 THEN 1 ELSE 0 END AS s_stats
    FROM f
)
SELECT id, GREATEST(s_start, CASE WHEN gap IS NULL THEN NULL WHEN gap > 30 THEN 2 WHEN gap >= 10 THEN 1 ELSE 0 END,
                    s_stats)
FROM d
"""


def best(fn, n=3):
    times, result = [], None
    for _ in range(n):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return round(min(times), 3), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from grassroots.core import clock
    from grassroots.keyprojects import selectors
    from grassroots.keyprojects.models import AnnualPlan, InvestmentReport, Project
    from grassroots.keyprojects.states import SEVERITY

    rng = random.Random(17)
    today = clock.today()
    year, month = today.year, 10  # October: its report was due on 5 November, so no month is pending
    first_year = year - args.years + 1
    out: dict = {"projects": args.projects, "years": args.years, "db": connection.vendor,
                 "month": f"{year}-{month:02d}", "loadavg_before": os.getloadavg()}
    with transaction.atomic():
        t0 = time.perf_counter()
        from tests.support.world import build_world

        w = build_world()
        now = clock.now()
        projects = []
        for i in range(args.projects):
            planned = dt.date(rng.randint(first_year - 1, year), rng.randint(1, 12), 1)
            kind = rng.random()
            actual = None if kind < 0.1 else planned + dt.timedelta(days=rng.randint(0, 120))
            if actual and actual > today:
                actual = None
            stats = actual + dt.timedelta(days=rng.randint(5, 120)) if actual and kind > 0.2 else None
            if stats and stats > today:
                stats = None
            projects.append(Project(
                region=w.p1, region_path=w.p1.path, name=f"基准项目{i}", level="municipal", phase="continuing",
                track_class="assessed", industry="新材料", owner_unit=w.other_enterprise, soe_led=True,
                total_investment_wan=Decimal(rng.randrange(5000, 200000)), patron_leader="基准", planned_start=planned,
                actual_start=actual, in_fai_stats=stats is not None, in_stats_date=stats, created_at=now,
                updated_at=now))
        projects = Project.objects.bulk_create(projects, batch_size=2000)
        plans, reports = [], []
        for p in projects:
            pace = rng.choice((1.0, 1.0, 0.9, 0.8, 0.6, 0.3))
            for y in range(first_year, year + 1):
                plan = Decimal(rng.randrange(1200, 60000))
                plans.append(AnnualPlan(project=p, year=y, planned_wan=plan, created_at=now, updated_at=now))
                for m in range(1, 13):
                    if (y, m) > (year, month):
                        break
                    done = (plan / 12 * Decimal(pace * rng.uniform(0.8, 1.2))).quantize(Decimal("0.01"))
                    reports.append(InvestmentReport(project=p, year=y, month=m, xun=0, ym=y * 100 + m,
                                                    planned_wan=(plan / 12).quantize(Decimal("0.01")),
                                                    completed_wan=done, created_at=now, updated_at=now))
        AnnualPlan.objects.bulk_create(plans, batch_size=5000)
        InvestmentReport.objects.bulk_create(reports, batch_size=5000)
        out["reports"] = len(reports)
        out["fixture_seconds"] = round(time.perf_counter() - t0, 2)
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE keyprojects_project, keyprojects_annualplan, keyprojects_investmentreport")
        ids = [p.pk for p in projects]

        yinchuan = selectors.rule_set("yinchuan")
        out["service_month_seconds"], verdicts = best(lambda: selectors.lights_for(ids, year, month, rules=yinchuan))

        def baseline():
            with connection.cursor() as cur:
                cur.execute(BASELINE_SQL, {
                    "ids": ids, "year": year, "month": month, "first": year * 100 + 1, "last": year * 100 + month,
                    "end": dt.date(year, month, 31), "mi": year * 12 + month - 1})
                return dict(cur.fetchall())

        out["baseline_month_seconds"], bare = best(baseline)
        mine = {pid: (SEVERITY[v.light] if v.light else None) for pid, v in verdicts.items()}
        out["same_lights"] = mine == bare
        out["lights"] = {k: sum(1 for v in verdicts.values() if v.light == k) for k in ("green", "yellow", "red")}
        out["ratio"] = round(out["service_month_seconds"] / out["baseline_month_seconds"], 2)
        out["service_year_seconds"], _ = best(
            lambda: [selectors.lights_for(ids, year, m, rules=yinchuan) for m in range(1, month + 1)], n=1)
        for code in ("sanya", "jinxiang"):
            rules = selectors.rule_set(code)
            out[f"service_month_seconds_{code}"], _ = best(lambda rules=rules: selectors.lights_for(
                ids, year, month, rules=rules))
        t0 = time.perf_counter()
        d = selectors.dispatch(actor=None, year=year, month=month, rules=yinchuan)
        out["dispatch_seconds"] = round(time.perf_counter() - t0, 3)
        out["dispatch_rows"] = len(d["rows"])
        transaction.set_rollback(True)
    out["loadavg_after"] = os.getloadavg()
    out["cpus"] = os.cpu_count()
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
