"""The rhythm and term alert sweep of organisational life over 5,000 party organisations, next to a bare-SQL
baseline doing the same writes in the same run (PostgreSQL).

    .venv/bin/python bench/party_alerts.py [--orgs 5000] [--members 8] [--db postgres://postgres@127.0.0.1:5432/gr_partylife]

Uses the given database (migrated, then the bench's rows are removed at the end). The tree: the zone's 党工委, 50
基层党委, and branches under them up to ``--orgs`` organisations, each branch with ``--members`` full members (so the
支委会 rhythm applies from seven), a secretary account on every branch and an officer on every committee. Last
quarter 60% of the branches held their 支部党员大会, last month 70% their 主题党日 and 70% their 支委会, last year
none of the yearly meetings; 20% of the terms end within six months. Then:

- ``sweep_s``: ``rhythm_sweep`` + ``term_sweep`` the first time (alerts, notifications to the secretary and the
  committees above, one event per batch);
- ``noop_s``: the same again, which finds every alert raised;
- ``sql_s``: the alerts and notifications deleted, then the same rows written by INSERT … SELECT statements (one per
  kind of meeting and one for the terms, one for the notifications), checked to be the same count.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/gr_partylife"


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ["NOTIFICATION_BACKEND"] = "grassroots.core.notifications.LoggingBackend"
    sys.path.insert(0, str(ROOT))
    import logging

    import django

    django.setup()
    logging.disable(logging.INFO)


def build(n_orgs: int, n_members: int, today: dt.date) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from grassroots.party.models import Membership, PartyOrg
    from grassroots.party.services import org_code, org_path
    from grassroots.partylife import periods
    from grassroots.partylife.models import Meeting, MeetingKind, Term
    from grassroots.partylife.policy import ensure_defaults
    from grassroots.people.models import Person, Post, User
    from grassroots.territory.models import Level, Region

    ensure_defaults()
    kinds = {k.code: k for k in MeetingKind.objects.all()}
    founded = dt.date(2015, 7, 1)
    with transaction.atomic():
        region = Region.objects.create(level=Level.ZONE, name="基准开发区", code="999901", path="/9901/", serial=9901)
        zone = PartyOrg.objects.create(kind="zone_working_committee", name="基准党工委", serial=9901, path="/9901/",
                                       code="B9901", region=region, founded_on=founded)
        committees = []
        for i in range(1, 51):
            path = zone.path + f"{i:04d}/"
            committees.append(PartyOrg(kind="org_committee", name=f"基准党委{i}", parent=zone, serial=i, path=path,
                                       code="B" + org_code(path), founded_on=founded))
        PartyOrg.objects.bulk_create(committees)
        per = (n_orgs - 51) // 50 + 1
        branches = []
        for c in committees:
            for j in range(1, per + 1):
                if 51 + len(branches) >= n_orgs:
                    break
                path = org_path(c, j)
                branches.append(PartyOrg(kind="org_branch", name=f"{c.name}第{j}支部", parent=c, serial=j, path=path,
                                         code="B" + org_code(path), founded_on=founded))
        PartyOrg.objects.bulk_create(branches, batch_size=2000)
        people = Person.objects.bulk_create([Person(name=f"基准党员{i}") for i in range(len(branches) * n_members)],
                                            batch_size=5000)
        Membership.objects.bulk_create([
            Membership(person=people[b * n_members + k], org=branch, status="full", admission_date=dt.date(2000, 7, 1),
                       full_member_date=dt.date(2001, 7, 1), start_date=dt.date(2010, 1, 1))
            for b, branch in enumerate(branches) for k in range(n_members)], batch_size=5000)
        password = make_password("x")
        users = User.objects.bulk_create([User(username=f"bench_pl_{i}", password=password, display_name="基准")
                                          for i in range(len(branches) + len(committees))], batch_size=5000)
        posts = [Post(user=users[i], role="party_branch_secretary", party_org_path=b.path, start_date=founded)
                 for i, b in enumerate(branches)]
        posts += [Post(user=users[len(branches) + i], role="party_committee_officer", party_org_path=c.path,
                       start_date=founded) for i, c in enumerate(committees)]
        Post.objects.bulk_create(posts, batch_size=5000)
        q_start, _ = periods.previous(today, "quarter")
        m_start, _ = periods.previous(today, "month")
        meetings = []
        for i, b in enumerate(branches):
            for code, start, share in (("branch_assembly", q_start, 6), ("theme_day", m_start, 7),
                                       ("committee", m_start, 7)):
                if i % 10 < share:
                    day = start + dt.timedelta(days=3)
                    meetings.append(Meeting(org=b, kind=kinds[code], title=kinds[code].name, status="archived",
                                            planned_at=dt.datetime(day.year, day.month, day.day, 6, tzinfo=dt.UTC),
                                            held_on=day))
        Meeting.objects.bulk_create(meetings, batch_size=5000)
        terms = []
        for i, o in enumerate([zone, *committees, *branches]):
            years = 5 if o.kind != "org_branch" else 3
            end = periods.add_months(today, (i % 5) + 1) if i % 5 == 0 else periods.add_months(today, 14 + i % 20)
            terms.append(Term(org=o, start=periods.add_months(end, -12 * years), years=years, end=end))
        Term.objects.bulk_create(terms, batch_size=5000)
    return {"orgs": 1 + len(committees) + len(branches), "members": len(people), "meetings_held": len(meetings),
            "accounts": len(users)}


SQL_RHYTHM = """
WITH counts AS (
  SELECT substr(o.path, 1, 5 * g + 1) AS prefix, COUNT(*) AS full_members
  FROM party_membership m JOIN party_partyorg o ON o.id = m.org_id
  CROSS JOIN generate_series(1, (length(o.path) - 1) / 5) g
  WHERE m.active AND m.status = 'full' GROUP BY 1)
INSERT INTO partylife_alert (created_at, updated_at, key, kind, org_id, org_path, meeting_kind_id, period_start,
                             period_end, message, raised_on, note)
SELECT now(), now(), 'rhythm:' || o.id || ':' || k.code || ':' || %(start)s::text, 'rhythm', o.id, o.path, k.id,
       %(start)s, %(end)s, left(o.name || %(label)s || '未召开' || k.name, 300), %(today)s, ''
FROM party_partyorg o JOIN partylife_meetingkind k ON k.id = %(kind)s
LEFT JOIN counts c ON c.prefix = o.path
WHERE o.active AND COALESCE(o.founded_on, o.created_at::date) <= %(start)s
  AND ((k.body = 'group' AND o.kind = ANY(%(groups)s))
       OR (k.body = 'branch' AND o.kind = ANY(%(branches)s))
       OR (k.body = 'committee' AND o.kind = ANY(%(branches)s) AND COALESCE(c.full_members, 0) >= %(committee)s))
  AND NOT EXISTS (SELECT 1 FROM partylife_meeting m WHERE m.org_id = o.id AND m.kind_id = k.id
                  AND m.status IN ('held', 'archived') AND m.held_on BETWEEN %(start)s AND %(end)s)
ON CONFLICT (key) DO NOTHING
RETURNING id
"""

SQL_TERMS = """
INSERT INTO partylife_alert (created_at, updated_at, key, kind, org_id, org_path, period_start, period_end, message,
                             raised_on, note)
SELECT now(), now(), 'term:' || t.id || ':' || due::text || ':' || stage, 'term', o.id, o.path, t.start, due,
       left(o.name || '本届任期' || CASE WHEN stage = 0 THEN '今日届满' ELSE '将于' || stage || '个月后届满' END
            || '（' || to_char(due, 'YYYY-MM-DD') || '），请做好换届准备', 300), %(today)s, ''
FROM (SELECT t.*, COALESCE(t.extended_to, t."end") AS due FROM partylife_term t WHERE t.closed_on IS NULL) t
JOIN party_partyorg o ON o.id = t.org_id AND o.active
CROSS JOIN LATERAL (SELECT min(s) AS stage FROM unnest(%(stages)s::int[]) s
                    WHERE (t.due - make_interval(months => s))::date <= %(today)s) st
WHERE st.stage IS NOT NULL AND t.due >= %(today)s
ON CONFLICT (key) DO NOTHING
RETURNING id
"""

SQL_NOTIFY = """
INSERT INTO core_notification (recipient_id, created_at, verb, title, body, url, object_type, object_id)
SELECT DISTINCT ON (a.id, u.user_id) u.user_id, now(), 'partylife.alert_' || a.kind, left(a.message, 200), '',
       CASE WHEN a.kind = 'term' THEN '/partylife/terms/' ELSE '/partylife/alerts/' END, '', ''
FROM unnest(%(ids)s::bigint[]) AS new(id)
JOIN partylife_alert a ON a.id = new.id
JOIN LATERAL (
  SELECT p.user_id FROM people_post p
  WHERE p.role IN ('party_branch_secretary', 'party_affairs_worker') AND p.party_org_path = a.org_path
    AND p.start_date <= %(today)s AND (p.end_date IS NULL OR p.end_date >= %(today)s)
  UNION ALL
  SELECT p.user_id FROM generate_series(1, (length(a.org_path) - 1) / 5 - 1) g
  JOIN people_post p ON p.party_org_path = substr(a.org_path, 1, 5 * g + 1)
  WHERE p.role = 'party_committee_officer'
    AND p.start_date <= %(today)s AND (p.end_date IS NULL OR p.end_date >= %(today)s)) u ON true
"""


def baseline(today: dt.date) -> dict:
    from django.db import connection, transaction

    from grassroots.partylife import periods, policy, rules
    from grassroots.partylife.models import MeetingKind

    ids: list[int] = []
    parts: dict = {}
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        for kind in MeetingKind.objects.filter(active=True).exclude(rhythm="none"):
            start, end = periods.previous(today, kind.rhythm)
            t1 = time.perf_counter()
            cur.execute(SQL_RHYTHM, {"start": start, "end": end, "label": periods.label(start, kind.rhythm),
                                     "today": today, "kind": kind.pk, "groups": rules.GROUP_KINDS,
                                     "branches": rules.BRANCH_BODY_KINDS,
                                     "committee": int(policy.get("partylife.committee_min_full_members"))})
            ids += [r[0] for r in cur.fetchall()]
            parts[kind.code] = round(time.perf_counter() - t1, 2)
        stages = sorted(int(m) for m in policy.get("partylife.term_reminder_months"))
        t1 = time.perf_counter()
        cur.execute(SQL_TERMS, {"today": today, "stages": stages})
        ids += [r[0] for r in cur.fetchall()]
        parts["terms"] = round(time.perf_counter() - t1, 2)
        t1 = time.perf_counter()
        cur.execute(SQL_NOTIFY, {"today": today, "ids": ids})
        notes = cur.rowcount
        parts["notifications"] = round(time.perf_counter() - t1, 2)
    return {"sql_s": round(time.perf_counter() - t0, 2), "sql_alerts": len(ids), "sql_notifications": notes,
            "sql_parts_s": parts}


def cleanup() -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM core_notification WHERE verb LIKE 'partylife.%%'")
        cur.execute("DELETE FROM partylife_alert WHERE org_path LIKE '/9901/%%'")
        cur.execute("DELETE FROM partylife_term WHERE org_id IN (SELECT id FROM party_partyorg WHERE path LIKE "
                    "'/9901/%%')")
        cur.execute("DELETE FROM partylife_meeting WHERE org_id IN (SELECT id FROM party_partyorg WHERE path LIKE "
                    "'/9901/%%')")
        cur.execute("DELETE FROM people_post WHERE party_org_path LIKE '/9901/%%'")
        cur.execute("DELETE FROM party_membership WHERE org_id IN (SELECT id FROM party_partyorg WHERE path LIKE "
                    "'/9901/%%')")
        cur.execute("DELETE FROM people_person WHERE name LIKE '基准党员%%'")
        cur.execute("DELETE FROM people_user WHERE username LIKE 'bench_pl_%%'")
        cur.execute("DELETE FROM party_partyorg WHERE path LIKE '/9901/_%%' AND kind = 'org_branch'")
        cur.execute("DELETE FROM party_partyorg WHERE path LIKE '/9901/_%%'")
        cur.execute("DELETE FROM party_partyorg WHERE path = '/9901/'")
        cur.execute("DELETE FROM territory_region WHERE path = '/9901/'")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=5000)
    parser.add_argument("--members", type=int, default=8)
    parser.add_argument("--db", default=DEFAULT_DB)
    args = parser.parse_args()
    setup(args.db)
    from django.core.management import call_command

    from grassroots.core import clock
    from grassroots.core.models import Notification
    from grassroots.partylife.models import Alert
    from grassroots.partylife.services import rhythm_sweep, term_sweep
    from grassroots.partylife.services.alerts import _Recipients

    call_command("migrate", verbosity=0, interactive=False)
    today = clock.today()
    result: dict = {"bench": "party_alerts", "database": "postgresql", "today": today.isoformat()}
    cleanup()
    try:
        t0 = time.perf_counter()
        result.update(build(args.orgs, args.members, today))
        result["build_s"] = round(time.perf_counter() - t0, 1)
        from django.db import connection

        with connection.cursor() as cur:  # fresh statistics for both runs after the bulk build
            cur.execute("ANALYZE")
        notes_before = Notification.objects.count()
        t0 = time.perf_counter()
        recipients = _Recipients()
        written = rhythm_sweep(on=today, recipients=recipients) + term_sweep(on=today, recipients=recipients)
        result["sweep_s"] = round(time.perf_counter() - t0, 2)
        result["alerts"] = written
        result["notifications"] = Notification.objects.count() - notes_before
        t0 = time.perf_counter()
        again = rhythm_sweep(on=today) + term_sweep(on=today)
        result["noop_s"] = round(time.perf_counter() - t0, 2)
        result["noop_alerts"] = again
        Notification.objects.filter(verb__startswith="partylife.").delete()
        Alert.objects.filter(org_path__startswith="/9901/").delete()
        result.update(baseline(today))
        result["same_writes"] = (result["sql_alerts"] == result["alerts"]
                                 and result["sql_notifications"] == result["notifications"])
        result["ratio"] = round(result["sweep_s"] / max(result["sql_s"], 0.001), 1)
    finally:
        cleanup()
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
