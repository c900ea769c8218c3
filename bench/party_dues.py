"""Benchmark: monthly dues bills for 50,000 members, ``partydues.services.bills_issue`` against a bare-SQL baseline
doing the same writes (one bill per member with category, base, rate and amount; one event) in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/party_dues.py [--members 50000]

The fixture (an organisation committee with 200 branches, the members, their dues bases across the categories) is
written in bulk inside one transaction that is rolled back at the end: the database is left as it was. Prints JSON.
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

BASELINE_SQL = """
WITH latest AS (
    SELECT DISTINCT ON (b.person_id) b.person_id, b.category_id, b.base, b.flat_amount
    FROM partydues_duesbase b WHERE b.person_id = ANY(%(persons)s) AND b.valid_from <= %(month)s
    ORDER BY b.person_id, b.valid_from DESC, b.id DESC
), priced AS (
    SELECT m.person_id, m.org_id, l.category_id, l.base, c.brackets, c.flat_amount AS policy_flat, l.flat_amount,
           (SELECT (br->>'rate')::numeric FROM jsonb_array_elements(c.brackets::jsonb) WITH ORDINALITY AS t(br, i)
            WHERE br->>'upto' IS NULL OR l.base <= (br->>'upto')::numeric ORDER BY i LIMIT 1) AS rate
    FROM party_membership m JOIN latest l ON l.person_id = m.person_id
    JOIN partydues_duescategory c ON c.id = l.category_id
    WHERE m.active AND m.org_id = ANY(%(orgs)s) AND m.admission_date < %(end)s
      AND NOT EXISTS (SELECT 1 FROM partydues_duesbill x WHERE x.person_id = m.person_id AND x.month = %(month)s)
)
INSERT INTO partydues_duesbill (created_at, updated_at, person_id, org_id, month, category_id, base, rate, amount,
                                status, receipt_no)
SELECT now(), now(), person_id, org_id, %(month)s, category_id, base,
       CASE WHEN jsonb_array_length(brackets::jsonb) = 0 THEN NULL ELSE rate END,
       CASE WHEN jsonb_array_length(brackets::jsonb) = 0 THEN COALESCE(flat_amount, policy_flat)
            ELSE round(base * rate, 2) END,
       'open', ''
FROM priced
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--branches", type=int, default=200)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from grassroots.core import clock, events
    from grassroots.party.models import Membership, OrgKind, PartyOrg
    from grassroots.party.services import org_code, org_path
    from grassroots.partydues import services
    from grassroots.partydues.models import DuesBase, DuesBill, DuesCategory
    from grassroots.people.models import Person

    rng = random.Random(14)
    today = clock.today()
    m1 = services.add_months(today.replace(day=1), -2)
    m2 = services.add_months(m1, 1)
    out: dict = {"members": args.members, "branches": args.branches, "db": connection.vendor}
    with transaction.atomic():
        t0 = time.perf_counter()
        from tests.support.party import build_party
        from tests.support.world import build_world

        zone = build_party(build_world()).zone  # the small test zone: a 党工委 to hang the committee under
        serial = 900
        root = PartyOrg.objects.create(kind=OrgKind.ORG_COMMITTEE, name="基准测试党委", serial=serial, parent=zone,
                                       path=org_path(zone, serial), code=org_code(org_path(zone, serial)))
        branches = PartyOrg.objects.bulk_create([
            PartyOrg(kind=OrgKind.ORG_BRANCH, name=f"基准测试第{i + 1}党支部", parent=root, serial=i + 1,
                     path=org_path(root, i + 1), code=org_code(org_path(root, i + 1)))
            for i in range(args.branches)])
        persons = Person.objects.bulk_create([Person(name=f"基准党员{i}") for i in range(args.members)],
                                             batch_size=5000)
        Membership.objects.bulk_create([
            Membership(person=p, org=branches[i % len(branches)], status="full", admission_date=dt.date(2000, 7, 1),
                       full_member_date=dt.date(2001, 7, 1), start_date=dt.date(2001, 7, 1))
            for i, p in enumerate(persons)], batch_size=5000)
        cats = {c.code: c for c in DuesCategory.objects.all()}
        weights = [("salaried", 60), ("retired", 20), ("farmer", 8), ("self_employed", 5), ("annual_salary", 2),
                   ("student", 2), ("unemployed", 1), ("relief", 1), ("low_income", 1)]
        codes = [c for c, w in weights for _ in range(w)]
        bases = []
        for p in persons:
            cat = cats[rng.choice(codes)]
            base = None if cat.is_flat else Decimal(rng.randrange(150_000, 2_500_000)) / 100
            flat = Decimal(rng.choice(["0.20", "0.50", "1.00"])) if cat.code == "farmer" else None
            bases.append(DuesBase(person=p, category=cat, base=base, flat_amount=flat, valid_from=dt.date(2020, 1, 1)))
        DuesBase.objects.bulk_create(bases, batch_size=5000)
        out["fixture_seconds"] = round(time.perf_counter() - t0, 2)

        t0 = time.perf_counter()
        issued = services.bills_issue(actor=None, org=root, month=m1)
        out["service_seconds"] = round(time.perf_counter() - t0, 3)
        out["service_bills"] = issued

        person_ids = [p.pk for p in persons]
        org_ids = [b.pk for b in branches]
        end = services.add_months(m2, 1)
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(BASELINE_SQL, {"persons": person_ids, "orgs": org_ids, "month": m2, "end": end})
            baseline = cur.rowcount
        events.record(None, "dues_bill.issue", root, payload={"month": m2.isoformat(), "bills": baseline})
        out["baseline_seconds"] = round(time.perf_counter() - t0, 3)
        out["baseline_bills"] = baseline

        from django.db.models import Sum

        s1 = DuesBill.objects.filter(month=m1, org__in=org_ids).aggregate(s=Sum("amount"))["s"]
        s2 = DuesBill.objects.filter(month=m2, org__in=org_ids).aggregate(s=Sum("amount"))["s"]
        out["same_amounts"] = s1 == s2
        out["total_due"] = str(s1)
        out["ratio"] = round(out["service_seconds"] / out["baseline_seconds"], 2) if out["baseline_seconds"] else None
        transaction.set_rollback(True)
    out["uptime"] = os.popen("uptime").read().strip()
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
