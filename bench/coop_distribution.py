"""A cooperative's year-end distribution at scale: 5,000 members and a year of 500,000 transactions.

The database (a temporary SQLite file, or the PostgreSQL database named by ``--pg-url``, which is flushed first) is
migrated and the test world and the worked example's cooperative are built (``tests.support.cooperatives``); then
``--members`` members with a contribution, an opening reserve share and a subsidy share each, and ``--transactions``
member transactions in the year plus a share of non-member business, are bulk-inserted. Measured in the same run
(median of ``--repeat``):

- ``trial_service``: ``services.plan_trial`` as the page and the API call it — the year's figures read with one
  aggregate query per kind, the distribution worked in fen (``distribution.distribute``), the plan and its 5,000
  lines written, the audit row;
- ``figures_and_distribute``: the same without writing (the read and the arithmetic only);
- ``baseline_bare``: one aggregate SQL query returning every member's contribution, reserve share, subsidy share
  and transactions, and the same arithmetic written inline on integers (fen, largest remainder) — the figures are
  checked equal to the service's lines.

    .venv/bin/python bench/coop_distribution.py --db sqlite
    .venv/bin/python bench/coop_distribution.py --db postgres --pg-url postgres://postgres@127.0.0.1:5432/gr_coop
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases_common import setup_django  # noqa: E402

YEAR = 2025


def measure(fn, repeat: int) -> dict:
    from django.db import connection, reset_queries

    times, queries, value = [], 0, None
    for _ in range(repeat):
        reset_queries()
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
        queries = len(connection.queries)
    return {"median_s": round(statistics.median(times), 4), "min_s": round(min(times), 4), "queries": queries,
            "_value": value}


def insert(model, objs) -> None:
    """``core.bulk.insert_many`` (COPY on PostgreSQL) with the timestamps ``auto_now`` would set."""
    from django.utils import timezone

    from grassroots.core import bulk

    now = timezone.now()
    for o in objs:
        o.created_at = o.updated_at = now
    bulk.insert_many(model, objs)


def populate(members: int, transactions: int) -> dict:
    from django.core.management import call_command
    from django.db import connection, transaction

    from grassroots.cooperatives.models import (
        Contribution,
        CoopMember,
        ReserveShareEntry,
        Subsidy,
        SubsidyShare,
        Transaction,
    )
    from grassroots.core import clock
    from grassroots.people.models import Person
    from tests.support.cooperatives import build_coop_world
    from tests.support.world import build_world

    t0 = time.perf_counter()
    if connection.vendor == "postgresql":
        call_command("flush", verbosity=0, interactive=False)
    call_command("migrate", verbosity=0, interactive=False)
    from zoneinfo import ZoneInfo

    clock.freeze(dt.datetime(2026, 11, 25, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    w = build_coop_world(build_world())
    coop = w.coop
    extra = members - coop.members.count()
    joined = dt.date(YEAR, 1, 10)
    with transaction.atomic():
        people = [Person(name=f"社员{i:05d}", building=w.b1, region=w.g1, birth_date=dt.date(1970, 1, 1))
                  for i in range(extra)]
        Person.objects.bulk_create(people, batch_size=2000)
        people = list(Person.objects.filter(name__startswith="社员").order_by("pk"))
        start = coop.members.count() + 1
        insert(CoopMember, [CoopMember(cooperative=coop, number=start + i, kind="farmer", person=p,
                                                 joined_on=joined) for i, p in enumerate(people)])
        new = list(CoopMember.objects.filter(cooperative=coop, number__gte=start).order_by("number"))
        insert(Contribution, [Contribution(member=m, kind="cash", amount=1000 + (m.number * 37) % 50000,
                                                     shares=1000 + (m.number * 37) % 50000, contributed_on=joined)
                                        for m in new])
        insert(ReserveShareEntry, [ReserveShareEntry(member=m, kind="opening", year=YEAR - 1,
                                                               amount=(m.number * 13) % 3000) for m in new])
        subsidy = Subsidy.objects.create(cooperative=coop, name="补助", amount=len(new) * 20, received_on=joined)
        insert(SubsidyShare, [SubsidyShare(subsidy=subsidy, member=m, amount=20) for m in new])
        ids = [m.pk for m in new] + list(coop.members.filter(number__lt=start).values_list("pk", flat=True))
        rows, n = [], 0
        for i in range(transactions):
            member_id = ids[(i * 7919) % len(ids)] if i % 10 else None  # a tenth is non-member business
            rows.append(Transaction(cooperative_id=coop.pk, member_id=member_id,
                                    real_name="散户" if member_id is None else "成员",
                                    occurred_on=dt.date(YEAR, 1 + i % 12, 1 + i % 28), product="西红柿",
                                    amount=f"{10 + (i * 31) % 5000}.{i % 100:02d}"))
            if len(rows) == 50_000:
                insert(Transaction, rows)
                n += len(rows)
                rows = []
        if rows:
            insert(Transaction, rows)
            n += len(rows)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return {"w": w, "coop": coop, "populate_s": round(time.perf_counter() - t0, 1),
            "members": coop.members.count(), "transactions": n}


BARE_SQL = """
SELECT m.id, m.number,
  COALESCE((SELECT SUM(c.amount) FROM cooperatives_contribution c WHERE c.member_id = m.id
            AND c.contributed_on <= %(end)s), 0),
  COALESCE((SELECT SUM(r.amount) FROM cooperatives_reserveshareentry r WHERE r.member_id = m.id
            AND r.year <= %(year)s AND NOT (r.kind = 'quantified' AND r.year = %(year)s)), 0),
  COALESCE((SELECT SUM(s.amount) FROM cooperatives_subsidyshare s JOIN cooperatives_subsidy sb ON sb.id = s.subsidy_id
            WHERE s.member_id = m.id AND sb.received_on <= %(end)s), 0),
  COALESCE(t.total, 0)
FROM cooperatives_coopmember m
LEFT JOIN (SELECT member_id, SUM(amount) AS total FROM cooperatives_transaction
           WHERE cooperative_id = %(coop)s AND member_id IS NOT NULL
             AND occurred_on >= %(start)s AND occurred_on <= %(end)s GROUP BY member_id) t ON t.member_id = m.id
WHERE m.cooperative_id = %(coop)s AND m.joined_on <= %(end)s AND (m.left_on IS NULL OR m.left_on >= %(end)s)
ORDER BY m.number
"""


def bare(coop_id: int, surplus_fen: int, loss_fen: int):
    """One aggregate query, then the distribution in integer fen (largest remainder, ties by member number)."""
    from decimal import Decimal

    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(BARE_SQL, {"coop": coop_id, "year": YEAR, "start": dt.date(YEAR, 1, 1),
                               "end": dt.date(YEAR, 12, 31)})
        rows = cur.fetchall()

    def fen(v):
        return int(round(Decimal(v) * 100))

    numbers = [r[1] for r in rows]
    basis = [fen(r[2]) + fen(r[3]) + fen(r[4]) for r in rows]
    tx = [fen(r[5]) for r in rows]
    base = surplus_fen - loss_fen
    reserve = (base * 10 + 50) // 100  # 10%, half up
    distributable = base - reserve
    refund = (distributable * 60 + 50) // 100  # 60%, half up

    def split(pool, weights):
        total = sum(weights)
        floors = [pool * w // total for w in weights]
        rema = [pool * w % total for w in weights]
        left = pool - sum(floors)
        for i in sorted(range(len(weights)), key=lambda i: (-rema[i], numbers[i]))[:left]:
            floors[i] += 1
        return floors

    return split(refund, tx), split(distributable - refund, basis), split(reserve, tx)


def run(members: int, transactions: int, repeat: int) -> dict:
    from decimal import Decimal

    from django.conf import settings
    from django.db import connection

    from grassroots.cooperatives import distribution as D
    from grassroots.cooperatives import services as S

    settings.DEBUG = True  # count queries
    data = populate(members, transactions)
    w, coop = data["w"], data["coop"]
    surplus, loss = Decimal("3000000.00"), Decimal("20000.00")

    def trial():
        return S.plan_trial(actor=w.accountant, coop=coop, year=YEAR, surplus=surplus, loss_to_cover=loss)

    def compute():
        _, figures = S.figures_of_year(coop, YEAR)
        return D.distribute(D.Rules(Decimal("0.10"), Decimal("0.60")), surplus=surplus, loss_to_cover=loss,
                            members=figures)

    out = {"db": connection.vendor, "members": data["members"], "transactions": data["transactions"],
           "populate_s": data["populate_s"]}
    t = measure(trial, repeat)
    c = measure(compute, repeat)
    b = measure(lambda: bare(coop.pk, int(surplus * 100), int(loss * 100)), repeat)
    plan = t.pop("_value")
    result = c.pop("_value")
    refunds, rests, reserves = b.pop("_value")
    lines = list(plan.lines.order_by("member__number").values_list("refund", "by_basis", "reserve_share_added"))
    same = ([int(x[0] * 100) for x in lines] == refunds and [int(x[1] * 100) for x in lines] == rests
            and [int(x[2] * 100) for x in lines] == reserves)
    assert same, "the bare computation and the service disagree"
    assert sum(x.cash for x in result.lines) == result.distributable
    out.update(trial_service=t, figures_and_distribute=c, baseline_bare=b, same_figures=same,
               distributable=str(plan.distributable), lines=len(lines))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/gr_coop",
                        help="the PostgreSQL database to use (flushed first)")
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--transactions", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    tmp = None
    if args.db == "sqlite":
        tmp = tempfile.mkdtemp(prefix="coop-bench-")
        url = f"sqlite:///{tmp}/bench.sqlite3"
    else:
        url = args.pg_url
    try:
        setup_django(url)
        print(json.dumps(run(args.members, args.transactions, args.repeat), ensure_ascii=False, indent=2))
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    main()
