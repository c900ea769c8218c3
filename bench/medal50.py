"""The 光荣在党50年 list for a zone of 100,000 members: the selector (as the system and through a zone leader's scope)
next to a bare SQL query of the same rule, in the same run, on PostgreSQL.

A temporary database gets the small demo zone (``cases_common.build_zone``) and ``--members`` extra persons with
active memberships spread over the grid branches, full-member dates spread over 1950–2025 (some probationary, about
1% dead), written with ``bulk_create``. Each figure is the median of ``--rounds`` runs, in milliseconds; both sides
count the same rows (checked). The machine's load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cases_common as common  # noqa: E402

BARE = """
SELECT count(*) FROM party_membership m JOIN people_person p ON p.id = m.person_id
WHERE m.active AND m.status = 'full' AND m.full_member_date <= %s AND p.deceased_on IS NULL
  AND NOT EXISTS (SELECT 1 FROM partyhonours_medalaward a WHERE a.person_id = m.person_id
                  AND a.status <> 'withdrawn' AND a.year < %s)
"""


def timed(fn, rounds: int):
    samples, result = [], None
    for _ in range(rounds):
        t0 = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(samples), 1), result


def bulk_members(n: int, seed: int) -> dict:
    from grassroots.party.models import Membership, OrgKind, PartyOrg
    from grassroots.people.models import Person

    rng = random.Random(seed)
    branches = list(PartyOrg.objects.filter(kind=OrgKind.GRID_BRANCH).select_related("region"))
    taken = set(Membership.objects.filter(active=True).values_list("person_id", flat=True))
    persons, dead = [], 0
    for i in range(n):
        branch = branches[i % len(branches)]
        died = rng.random() < 0.01
        dead += died
        persons.append(Person(name=f"党员{i}", region=branch.region, birth_date=dt.date(rng.randint(1925, 2000), 1, 1),
                              deceased_on=dt.date(2025, 3, 1) if died else None))
    Person.objects.bulk_create(persons, batch_size=5000)
    rows = []
    for i, person in enumerate(persons):
        if person.pk in taken:
            continue
        full = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 75 * 365))
        probationary = rng.random() < 0.03
        rows.append(Membership(person=person, org=branches[i % len(branches)],
                               status="probationary" if probationary else "full",
                               admission_date=full - dt.timedelta(days=365),
                               full_member_date=None if probationary else full, start_date=dt.date(2020, 1, 1)))
    Membership.objects.bulk_create(rows, batch_size=5000)
    return {"members_added": len(rows), "dead": dead}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pg", default=common.DEFAULT_PG)
    args = parser.parse_args()
    name = f"grassroots_bench_medal50_{os.getpid()}"
    url = common.create_database(args.pg, name)
    result: dict = {"bench": "medal50", "database": "postgresql", "year": args.year}
    try:
        common.setup_django(url)
        from django.db import connection

        from grassroots.party.models import Membership
        from grassroots.partyhonours import rules, selectors
        from grassroots.people.models import User

        result.update(common.build_zone())
        t0 = time.perf_counter()
        result.update(bulk_members(args.members, seed=3))
        result["seed_s"] = round(time.perf_counter() - t0, 1)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        result["members_active"] = Membership.objects.filter(active=True).count()
        leader = User.objects.get(username="zone_leader")
        cutoff = rules.latest_full_member_date(args.year)

        def bare():
            with connection.cursor() as cursor:
                cursor.execute(BARE, [cutoff, args.year])
                return cursor.fetchone()[0]

        def listed(actor):
            return lambda: len(list(selectors.medal_list(actor=actor, year=args.year).values_list("pk", flat=True)))

        figures = {}
        figures["bare_sql_count_ms"], bare_n = timed(bare, args.rounds)
        figures["selector_system_ms"], system_n = timed(listed(None), args.rounds)
        figures["selector_zone_leader_ms"], leader_n = timed(listed(leader), args.rounds)
        figures["selector_count_ms"], count_n = timed(
            lambda: selectors.medal_list(actor=None, year=args.year).count(), args.rounds)
        result["listed"] = {"bare": bare_n, "system": system_n, "zone_leader": leader_n, "count": count_n}
        result["same_rows"] = bare_n == system_n == count_n
        result["figures"] = figures
        result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        common.drop_database(args.pg, name)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
