"""Shared set-up for the case benchmarks (``bench/cases_intake.py``, ``cases_sweep.py``, ``cases_kpi.py``).

A temporary PostgreSQL database is created (and dropped at the end) on the server of ``--pg`` (default
``postgres://postgres@127.0.0.1:5432``); ``migrate`` runs, the small demo zone (territory, organisations, accounts)
is built and the category seed is loaded. Cases are then written in bulk with ``COPY`` — rows consistent with what
the services write (status with its timestamps and deadlines, ``next_due`` = the running clock, a lead assignment
for every dispatched case, ratings on closed ones) — so that the measured code paths see realistic tables.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432"


def create_database(pg: str, name: str) -> str:
    import psycopg

    with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{pg}/{name}"


def drop_database(pg: str, name: str) -> None:
    import psycopg

    try:
        from django.db import connections

        connections.close_all()
    except Exception:  # noqa: BLE001 - Django may not be set up yet
        pass
    with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django(url: str, settings: str = "config.settings.dev") -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ.setdefault("NOTIFICATION_BACKEND", "grassroots.core.notifications.LoggingBackend")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build_zone() -> dict:
    from django.core.management import call_command

    from grassroots.cases.data import catalog
    from grassroots.demo import generator

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    generator.build(size="small", with_extensions=False)
    catalog.load(actor=None, doc=catalog.read())
    return {"zone_build_s": round(time.perf_counter() - t0, 1)}


class World:
    """What the bulk writer needs: grids with paths and communities, categories, departments, grid workers."""

    def __init__(self):
        from grassroots.cases.models import Category
        from grassroots.people.models import Organization, Post
        from grassroots.territory.models import AREA_LEVELS, Region

        grids = list(Region.objects.filter(level="grid", active=True, geometry__isnull=False).values_list(
            "id", "path", "geometry"))
        areas = dict(Region.objects.filter(level__in=list(AREA_LEVELS)).values_list("path", "id"))
        self.grids = []
        for gid, path, geometry in grids:
            community = next((areas[p] for p in areas if path.startswith(p)), None)
            ring = (geometry or {}).get("coordinates", [[[118.6, 37.4]]])[0]
            xs, ys = [p[0] for p in ring], [p[1] for p in ring]
            self.grids.append((gid, path, community, (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2))
        self.categories = list(Category.objects.filter(parent__isnull=False, emergency=False).values_list(
            "id", "code", "default_tier", "public_allowed"))
        self.departments = list(Organization.objects.filter(kind="department").values_list("id", flat=True))
        workers = Post.objects.filter(role="grid_worker").values_list("region__path", "user_id")
        self.worker_of = {}
        for path, user_id in workers:
            self.worker_of.setdefault(path, user_id)


CHANNELS = ["grid_patrol"] * 5 + ["resident"] * 2 + ["hotline", "import_12345", "staff"]


def bulk_cases(n: int, *, now: dt.datetime, span_days: int = 730, open_days: int = 10, breached: int = 0,
               seed: int = 7) -> dict:
    """Write ``n`` cases reported over ``span_days`` up to ``now`` (ids in time order).

    Cases older than ``open_days`` are final (90% closed, 5% rejected, 5% closed on site); younger ones are spread
    over the open states with their running deadline in the future. ``breached`` of the open ones (accepted at the
    community tier, or dispatched) get a running deadline one minute in the past: what the sweep will find.
    """
    from django.db import connection

    from grassroots.cases.models import Assignment, Case, Rating

    rng = random.Random(seed)
    w = World()
    case_cols = [f.column for f in Case._meta.concrete_fields]
    asg_cols = [f.column for f in Assignment._meta.concrete_fields]
    rat_cols = [f.column for f in Rating._meta.concrete_fields]
    with connection.cursor() as cur:
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM cases_case")
        first_id = cur.fetchone()[0] + 1
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM cases_assignment")
        asg_id = cur.fetchone()[0] + 1
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM cases_rating")
        rat_id = cur.fetchone()[0] + 1
    step = dt.timedelta(days=span_days) / max(n, 1)
    start = now - dt.timedelta(days=span_days)
    h = dt.timedelta(hours=1)
    open_cut = now - dt.timedelta(days=open_days)
    open_ids: list[int] = []
    counts = {"cases": 0, "assignments": 0, "ratings": 0, "open": 0, "breached": 0}
    t0 = time.perf_counter()

    def copy(table, cols, rows):
        with connection.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as cp:
            for row in rows:
                cp.write_row(row)

    batch_c, batch_a, batch_r = [], [], []
    breach_left = breached
    for k in range(n):
        cid = first_id + k
        reported = start + step * k
        gid, path, community, lon, lat = rng.choice(w.grids)
        cat_id, _code, tier, public = rng.choice(w.categories)
        channel = rng.choice(CHANNELS)
        reporter = w.worker_of.get(path) if channel == "grid_patrol" else None
        v = {c: None for c in case_cols}
        v.update(id=cid, created_at=reported, updated_at=reported, reference=f"B{reported:%Y}-{cid:09d}",
                 channel=channel, category_id=cat_id, title="批量数据", description="", public_summary="",
                 address="", lon=lon, lat=lat, public_lon=round(lon, 3), public_lat=round(lat, 3), region_id=gid,
                 region_path=path, community_id=community, tier=tier, reached_above_community=tier in (
                     "subdistrict", "zone"), is_public=public and channel != "enterprise", reporter_id=reporter,
                 reporter_name="", reporter_contact="", anonymous=False, privacy_requested=False,
                 hide_identity_from_staff=False, tracking_code=f"T{cid:011d}", external_id="", rejection_reason="",
                 resolved_on_site=False, supervision=False, supervision_reason="", rework_count=0, reopen_count=0,
                 escalation_count=0, extensions_approved=0, dispatch_round=0, rating_round=1,
                 suspended_from="", reported_at=reported, accept_due=reported + 24 * h)
        lead = None
        if reported < open_cut:
            roll = rng.random()
            if roll < 0.05:
                v.update(status="rejected", rejected_at=reported + h, rejection_reason="重复")
            elif roll < 0.10 and channel == "grid_patrol":
                v.update(status="closed", resolved_on_site=True, first_handled_at=reported, handled_at=reported,
                         verify_due=reported + 24 * h, verified_at=reported + 3 * h, closed_at=reported + 3 * h)
            else:
                late = rng.random() < 0.1
                ack = reported + (30 if late else 3) * h
                handled = ack + rng.randint(5, 100) * h
                rework = 1 if rng.random() < 0.05 else 0
                v.update(status="closed", accepted_at=reported + h, dispatch_due=reported + 25 * h,
                         dispatched_at=reported + 2 * h, acknowledge_due=reported + 26 * h, acknowledged_at=ack,
                         handle_due=ack + 120 * h, first_handled_at=handled - rework * 24 * h, handled_at=handled,
                         verify_due=handled + 48 * h, verified_at=handled + 5 * h, closed_at=handled + 5 * h,
                         dispatch_round=1, rework_count=rework)
                lead = "handled"
        else:
            stage = rng.choice(["reported", "accepted", "dispatched", "in_progress", "handled", "closed"])
            due = now + dt.timedelta(hours=rng.randint(2, 240))
            breach = breach_left > 0 and stage in ("accepted", "dispatched") and tier in ("community",
                                                                                          "subdistrict")
            if breach:
                due = now - dt.timedelta(minutes=1)
                breach_left -= 1
                counts["breached"] += 1
            v.update(status=stage)
            if stage == "reported":
                v.update(accept_due=due, next_due=due)
            else:
                v.update(accepted_at=reported + h, dispatch_due=reported + 25 * h)
            if stage == "accepted":
                v.update(dispatch_due=due, next_due=due)
            if stage in ("dispatched", "in_progress", "handled", "closed"):
                v.update(dispatched_at=reported + 2 * h, dispatch_round=1, acknowledge_due=reported + 26 * h)
                lead = "dispatched"
            if stage == "dispatched":
                v.update(acknowledge_due=due, next_due=due)
            if stage in ("in_progress", "handled", "closed"):
                v.update(acknowledged_at=reported + 3 * h, handle_due=reported + 123 * h)
                lead = "acknowledged"
            if stage == "in_progress":
                v.update(handle_due=due, next_due=due)
            if stage in ("handled", "closed"):
                v.update(first_handled_at=reported + 6 * h, handled_at=reported + 6 * h, verify_due=due)
                lead = "handled"
            if stage == "handled":
                v.update(next_due=due)
            if stage == "closed":
                v.update(verified_at=reported + 7 * h, closed_at=reported + 7 * h, verify_due=reported + 30 * h)
            if stage not in ("closed",):
                counts["open"] += 1
                open_ids.append(cid)
        if lead:
            a = {c: None for c in asg_cols}
            final = v["status"] == "closed"
            a.update(id=asg_id, created_at=v["dispatched_at"], updated_at=v["dispatched_at"], case_id=cid,
                     organization_id=rng.choice(w.departments), role="lead", round=1, tier=v["tier"],
                     status=lead, active=not final, whistle=False, instructions="",
                     dispatched_at=v["dispatched_at"], acknowledge_due=v["acknowledge_due"],
                     acknowledged_at=v["acknowledged_at"], handled_at=v["handled_at"] if lead == "handled" else None,
                     ended_at=v["closed_at"] if final else None, end_reason="closed" if final else "")
            batch_a.append(tuple(a[c] for c in asg_cols))
            asg_id += 1
        if v["status"] == "closed" and rng.random() < 0.6:
            sat = rng.choices(["satisfied", "basically", "unsatisfied"], [70, 20, 10])[0]
            r = {c: None for c in rat_cols}
            r.update(id=rat_id, created_at=v["closed_at"], updated_at=v["closed_at"], case_id=cid, round=1,
                     resolved=sat != "unsatisfied", satisfaction=sat, comment="", source="reporter",
                     rated_at=v["closed_at"] + h, reopen_decision="", reopen_reason="")
            batch_r.append(tuple(r[c] for c in rat_cols))
            rat_id += 1
        batch_c.append(tuple(v[c] for c in case_cols))
        if len(batch_c) >= 20000:
            copy("cases_case", case_cols, batch_c)
            copy("cases_assignment", asg_cols, batch_a)
            copy("cases_rating", rat_cols, batch_r)
            counts["cases"] += len(batch_c)
            counts["assignments"] += len(batch_a)
            counts["ratings"] += len(batch_r)
            batch_c, batch_a, batch_r = [], [], []
    copy("cases_case", case_cols, batch_c)
    copy("cases_assignment", asg_cols, batch_a)
    copy("cases_rating", rat_cols, batch_r)
    counts["cases"] += len(batch_c)
    counts["assignments"] += len(batch_a)
    counts["ratings"] += len(batch_r)
    with connection.cursor() as cur:
        for table in ("cases_case", "cases_assignment", "cases_rating"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
        cur.execute("SELECT setval(pg_get_serial_sequence('cases_case', 'id'), (SELECT MAX(id) FROM cases_case))")
        cur.execute("ANALYZE cases_case; ANALYZE cases_assignment; ANALYZE cases_rating")
    counts["write_s"] = round(time.perf_counter() - t0, 1)
    counts["open_ids"] = open_ids
    return counts
