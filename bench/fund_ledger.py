"""Community fund: the public ledger page and the fund balance over a large ledger, right after new entries.

A fresh database (a temporary SQLite file, or a PostgreSQL database created on ``--pg`` and dropped at the end) is
migrated, the test world is built (``core.testing.build_world``) and one community fund is opened. ``--entries``
ledger rows are bulk-inserted consistently with the service (entries in time order, ``balance_after`` = running
sum ≥ 0, the fund's balance, totals and ``entry_count`` equal to the entries, the monthly rollups equal to the
entries by month, kind and donor kind). Then new entries are added through ``fund.donation_record`` and
``fund.disbursement_record``, and the public ledger page (no sign-in) and the balance read are measured: time
(median of ``--repeat`` runs) and query count, for the first page, the page at depth 10,000 (its cursor made from
the key of the row there) and the last page, each next to the OFFSET query the page used before keyed paging (the
baseline, same rows, same run). Prints JSON.

    .venv/bin/python bench/fund_ledger.py --db sqlite --entries 1000000
    .venv/bin/python bench/fund_ledger.py --db postgres --entries 1000000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases_common import DEFAULT_PG, create_database, drop_database, setup_django  # noqa: E402


def bulk_ledger(fund, n: int) -> dict:
    """Generate the rows in SQL (a recursive CTE on SQLite, generate_series on PostgreSQL): donations of 100 yuan,
    so balance_after is 100 × i; 70% persons, 20% of them anonymous. Rollups are computed for the same rows."""
    import bisect
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from grassroots.projects.models import CommunityFund, LedgerMonthTotal

    t0 = time.perf_counter()
    end = timezone.now() - dt.timedelta(days=1)
    span = 5 * 365 * 86400
    step = max(1, span // max(n, 1))
    start = end - dt.timedelta(seconds=step * n)
    code = fund.region.code
    cols = ("fund_id, kind, amount, balance_after, receipt_no, recorded_at, recorded_by_id, donor_kind, "
            "donor_organization_id, donor_name, donor_anonymous, intended_use, project_id, use_category, purpose, "
            "corrects_id")
    if connection.vendor == "sqlite":
        sql = (f"WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < %s) "
               f"INSERT INTO projects_ledgerentry ({cols}) SELECT %s, 'donation', 100, 100 * i, "
               f"'B' || %s || '-' || printf('%%08d', i), "
               f"strftime('%%Y-%%m-%%d %%H:%%M:%%S', %s, '+' || (i * %s) || ' seconds'), NULL, "
               f"CASE WHEN i %% 10 < 7 THEN 'person' ELSE 'organization' END, NULL, '捐赠人' || (i %% 997), "
               f"(i %% 10 < 7 AND i %% 5 = 0), '', NULL, '', '捐赠：社区基金', NULL FROM seq")
        params = [n, fund.pk, code, start.strftime("%Y-%m-%d %H:%M:%S"), step]
    else:
        sql = (f"INSERT INTO projects_ledgerentry ({cols}) SELECT %s, 'donation', 100, 100 * i, "
               f"'B' || %s || '-' || lpad(i::text, 8, '0'), %s::timestamptz + make_interval(secs => i * %s), NULL, "
               f"CASE WHEN i %% 10 < 7 THEN 'person' ELSE 'organization' END, NULL, '捐赠人' || (i %% 997), "
               f"(i %% 10 < 7 AND i %% 5 = 0), '', NULL, '', '捐赠：社区基金', NULL "
               f"FROM generate_series(1, %s) AS i")
        params = [fund.pk, code, start, step, n]
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("PRAGMA recursive_triggers = OFF")
        cur.execute(sql, params)
    with connection.cursor() as cur:  # what autovacuum would do after a bulk load
        cur.execute("ANALYZE projects_ledgerentry" if connection.vendor == "postgresql" else "ANALYZE")
    insert_s = time.perf_counter() - t0
    # rollups for the same rows: month boundaries in local time, counted per donor kind
    tz = ZoneInfo(settings.TIME_ZONE)
    local = start.astimezone(tz)
    month = dt.datetime(local.year, local.month, 1, tzinfo=tz)
    bounds, months = [], []
    while month <= end.astimezone(tz) + dt.timedelta(days=32):
        bounds.append(month.timestamp())
        months.append(month.date())
        month = (month + dt.timedelta(days=32)).replace(day=1)
    base = start.timestamp()
    counts: dict[tuple, int] = {}
    for i in range(1, n + 1):
        m = months[bisect.bisect_right(bounds, base + i * step) - 1]
        key = (m, "person" if i % 10 < 7 else "organization")
        counts[key] = counts.get(key, 0) + 1
    with transaction.atomic():
        LedgerMonthTotal.objects.bulk_create([LedgerMonthTotal(fund_id=fund.pk, month=m, kind="donation", donor_kind=k,
                                                               amount=Decimal(100 * c), count=c)
                                              for (m, k), c in counts.items()])
        CommunityFund.objects.filter(pk=fund.pk).update(balance=Decimal(100 * n), donations_total=Decimal(100 * n),
                                                        entry_count=n)
    return {"bulk_insert_s": round(insert_s, 1), "rollups_s": round(time.perf_counter() - t0 - insert_s, 1),
            "rollup_rows": len(counts)}


def measure(fn, repeat: int) -> dict:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = None
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
        queries = len(ctx.captured_queries)
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1), "queries": queries}


def run(entries: int, repeat: int) -> dict:
    from django.core.management import call_command
    from django.test import Client

    from grassroots.core import clock
    from grassroots.projects import fund as fundsvc
    from grassroots.projects import selectors, services
    from grassroots.projects.models import CommunityFund, MicroProject
    from tests.support.world import build_world

    call_command("migrate", verbosity=0, interactive=False)
    w = build_world()
    fund = fundsvc.fund_open(actor=w.community_secretary, region=w.c1)
    out = {"entries": entries}
    out.update(bulk_ledger(fund, entries))

    # new entries through the services, then measure straight away
    project = services.project_create(actor=w.community_staff, community=w.c1, title="楼道微更新", background="b",
                                      goals="g", activities="a", beneficiaries="居民",
                                      budget_lines=[("材料", "物资", "5000")])
    MicroProject.objects.filter(pk=project.pk).update(status="in_progress", approved_amount=Decimal("5000"))
    project.refresh_from_db()
    t0 = time.perf_counter()
    for i in range(10):
        fundsvc.donation_record(actor=w.community_staff, fund=fund, amount="100", donor_kind="person",
                                donor_name=f"新捐赠人{i}", anonymous=bool(i % 2))
    fundsvc.disbursement_record(actor=w.community_staff, fund=fund, project=project, amount="1000", purpose="材料费")
    out["service_writes_11_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    fund.refresh_from_db()
    assert fund.entry_count == entries + 11

    client = Client()
    url = f"/projects/funds/{w.c1.code}/public/"

    def page(cursor, check_new=False):
        def go():
            r = client.get(url, {"cursor": cursor} if cursor else {})
            assert r.status_code == 200, r.status_code
            assert "新捐赠人" in r.content.decode() or not check_new
        return go

    from grassroots.core import keyset

    qs = selectors.ledger_entries(actor=None, fund=fund)
    deep = qs.order_by(*selectors.LEDGER_ORDER)[10_000 * 30 - 1]
    deep_cursor = keyset.encode(keyset.AFTER, (deep.recorded_at, deep.pk))
    last_cursor = keyset.encode(keyset.LAST, None)

    def offset_page(offset):
        return lambda: list(qs.order_by(*selectors.LEDGER_ORDER)[offset:offset + 30])

    out["public_page_first"] = measure(page(None, check_new=True), repeat)
    out["public_page_10000"] = measure(page(deep_cursor), repeat)
    out["public_page_last"] = measure(page(last_cursor), repeat)
    out["baseline_offset_page_10000_query"] = measure(offset_page(10_000 * 30), repeat)
    out["baseline_offset_last_page_query"] = measure(offset_page(max(0, fund.entry_count - 30)), repeat)
    out["keyset_page_10000_query"] = measure(lambda: list(selectors.ledger_page(actor=None, fund=fund,
                                                                                 cursor=deep_cursor)), repeat)
    out["keyset_last_page_query"] = measure(lambda: list(selectors.ledger_page(actor=None, fund=fund,
                                                                                cursor=last_cursor)), repeat)
    out["public_api_last_page"] = measure(lambda: client.get(f"/api/projects/funds/{w.c1.code}/entries",
                                                             {"cursor": last_cursor}), repeat)
    out["balance_read"] = measure(lambda: selectors.fund_public(actor=None, community_code=w.c1.code).balance, repeat)
    out["public_api_summary"] = measure(lambda: client.get(f"/api/projects/funds/{w.c1.code}"), repeat)
    out["balance"] = str(CommunityFund.objects.get(pk=fund.pk).balance)
    clock.reset()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--pg", default=DEFAULT_PG)
    parser.add_argument("--reconcile", action="store_true", help="also time fund.reconcile (full scan)")
    args = parser.parse_args()
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    name = f"bench_fund_{os.getpid()}"
    tmp = None
    if args.db == "sqlite":
        tmp = tempfile.mkdtemp(prefix="fund-bench-")
        url = f"sqlite:///{tmp}/bench.sqlite3"
    else:
        url = create_database(args.pg, name)
    try:
        setup_django(url)
        result = {"db": args.db, **run(args.entries, args.repeat)}
        if args.reconcile:
            from grassroots.projects.fund import reconcile
            from grassroots.projects.models import CommunityFund

            t0 = time.perf_counter()
            problems = reconcile(CommunityFund.objects.get())["problems"]
            result["reconcile_s"] = round(time.perf_counter() - t0, 2)
            result["reconcile_problems"] = problems
        print(json.dumps(result, ensure_ascii=False, indent=2))
    finally:
        if args.db == "postgres":
            drop_database(args.pg, name)
        elif tmp:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
