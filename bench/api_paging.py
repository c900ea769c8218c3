"""API list paging at 1,000,000 cases: the case list by page number (OFFSET) against the same pages by cursor.

A temporary PostgreSQL database gets the small demo zone and ``--size`` cases in bulk (``cases_common``). A zone
leader's bearer token reads ``GET /api/cases/`` through Django's test client (the whole request: authentication,
scope, selector, rows, JSON): the first page, a page 10,000 deep and the last page, each by number and by cursor
(the cursor of the deep page is the ``next`` of the page before it, taken from a walk by key). Median of
``--rounds`` runs each, in milliseconds; the machine's load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cases_common as common  # noqa: E402


def timed(fn, rounds: int) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(rounds):
        t0 = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(samples), 1), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--depth", type=int, default=10_000, help="the deep page's number")
    parser.add_argument("--page-size", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pg", default=common.DEFAULT_PG)
    args = parser.parse_args()
    name = f"grassroots_bench_paging_{os.getpid()}"
    url = common.create_database(args.pg, name)
    result: dict = {"bench": "api_paging", "database": "postgresql", "size": args.size, "page_size": args.page_size}
    try:
        common.setup_django(url)
        from django.test import Client

        from grassroots.cases.models import Case
        from grassroots.core import clock, keyset
        from grassroots.people.models import User
        from tests.support.world import issue_token

        result.update(common.build_zone())
        t0 = time.perf_counter()
        common.bulk_cases(args.size, now=clock.now(), seed=11)
        result["seed_s"] = round(time.perf_counter() - t0, 1)
        with __import__("django.db", fromlist=["connection"]).connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        leader = User.objects.get(username="zone_leader")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(leader, 'bench')}"}
        client = Client()
        size = args.page_size

        def get(params):
            response = client.get("/api/cases/", {"page_size": size, **params}, **headers)
            assert response.status_code == 200, response.content[:300]
            return response.json()

        total = Case.objects.count()
        last_page = (total + size - 1) // size
        # The cursor that opens the deep page: the key of the row just before it, as a walk by ``next`` reaches it.
        before = Case.objects.order_by("-reported_at", "-id").values_list("reported_at", "id")[
            (args.depth - 1) * size - 1]
        deep_cursor = keyset.encode(keyset.AFTER, tuple(before))
        figures = {}
        for label, params in (("first", {}), ("deep", {"page": args.depth}), ("last", {"page": last_page})):
            figures[f"{label}_by_number_ms"], by_number = timed(lambda p=params: get(p), args.rounds)
            figures.setdefault("rows", {})[label] = len(by_number["items"])
        figures["first_by_cursor_ms"], _ = timed(lambda: get({"cursor": keyset.encode(keyset.AFTER, None)}),
                                                 args.rounds)
        figures["deep_by_cursor_ms"], deep = timed(lambda: get({"cursor": deep_cursor}), args.rounds)
        figures["last_by_cursor_ms"], last = timed(lambda: get({"cursor": keyset.encode(keyset.LAST, None)}),
                                                   args.rounds)
        same_deep = [r["id"] for r in deep["items"]] == [r["id"] for r in get({"page": args.depth})["items"]]
        same_last = [r["id"] for r in last["items"]][-1] == [r["id"] for r in get({"page": last_page})["items"]][-1]
        figures["same_rows"] = {"deep": same_deep, "last": same_last}
        result["cases"] = total
        result["figures"] = figures
        result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        common.drop_database(args.pg, name)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
