"""The service finder's search, measured: our character scorer on the demo catalogue (206 items) and on a catalogue
25× larger, next to a jieba word-segmentation matcher on the same queries. Prints JSON.

    .venv/bin/python bench/finder.py [--postgres URL]

Figures: milliseconds per search through ``selectors.service_items`` (the pages' and the API's path: the scan and
scoring, then the ranked page of 20 with point counts), top-3 hits on the everyday queries of
``lifecircle/tests/test_search.py``, and for jieba (when installed: ``pip install .[bench]``) the time and memory its
dictionary takes in each process, and its top-3 hits when items are matched on shared words.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def catalogue(copies: int) -> int:
    from grassroots.lifecircle.demo import create_catalogue
    from grassroots.lifecircle.models import ServiceItem
    from grassroots.territory.models import Region

    ServiceItem.objects.all().delete()
    zone = Region(code="370571", name="开发区")
    create_catalogue(zone, random.Random(1))
    base = list(ServiceItem.objects.all())
    extra = []
    for n in range(1, copies):  # more items of the same shape (another zone's catalogue, other departments)
        for item in base:
            extra.append(ServiceItem(code=f"{item.code}-{n}", name=f"{item.name}（{n}）", aliases=item.aliases,
                                     keywords=item.keywords, item_type=item.item_type, level=item.level,
                                     competent_department=f"{item.competent_department}{n}",
                                     implementing_body=item.implementing_body))
    ServiceItem.objects.bulk_create(extra, batch_size=1000)
    return ServiceItem.objects.count()


def ours(queries) -> dict:
    from grassroots.lifecircle import selectors

    hits, times, missed = 0, [], []
    for q, expected in queries:
        started = time.perf_counter()
        names = [i.name for i in selectors.service_items(actor=None, q=q)[:20]]
        times.append((time.perf_counter() - started) * 1000)
        found = any(n.startswith(expected) for n in names[:3])
        hits += found
        if not found:
            missed.append(q)
    return {"top3_hits": hits, "queries": len(queries), "ms_median": round(statistics.median(times), 2),
            "ms_max": round(max(times), 2), "missed": missed}


def with_jieba(queries) -> dict | None:
    try:
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        import jieba

        jieba.setLogLevel(60)
        jieba.initialize()
    except ImportError:
        return None
    load_s = time.perf_counter() - started
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    from grassroots.lifecircle.models import ServiceItem

    items = [(i.name, set(jieba.lcut_for_search(" ".join([i.name, i.aliases, i.keywords]))) - {" ", "\n"})
             for i in ServiceItem.objects.all()]
    hits, times = 0, []
    for q, expected in queries:
        t0 = time.perf_counter()
        words = set(jieba.lcut_for_search(q))
        ranked = sorted(items, key=lambda it: (-len(words & it[1]), it[0]))
        times.append((time.perf_counter() - t0) * 1000)
        hits += any(name.startswith(expected) and words & ws for name, ws in ranked[:3])
    return {"load_s": round(load_s, 2), "rss_mb_added": round((rss1 - rss0) / 1024, 1), "top3_hits": hits,
            "queries": len(queries), "ms_median": round(statistics.median(times), 2),
            "segments": {q: jieba.lcut(q) for q, _ in queries[:4]},
            "missed": [q for q, expected in queries if not any(
                name.startswith(expected) for name, _ in sorted(
                    items, key=lambda it: (-len(set(jieba.lcut_for_search(q)) & it[1]), it[0]))[:3])]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="a PostgreSQL database URL to use instead of a temporary SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="grassroots-finder-") as tmp:
        setup(args.postgres or f"sqlite:///{Path(tmp) / 'finder.sqlite3'}")
        from django.db import connection

        sys.path.insert(0, str(ROOT))
        from grassroots.lifecircle.tests.test_search import EVERYDAY

        out = {"bench": "finder", "database": connection.vendor, "runs": []}
        for copies in (1, 25):
            n = catalogue(copies)
            ours(EVERYDAY)  # warm the connection and the templates of the queries
            out["runs"].append({"items": n, "ours": ours(EVERYDAY)})
        catalogue(1)
        out["jieba"] = with_jieba(EVERYDAY)
        from grassroots.lifecircle.models import ServiceItem

        # the catalogue names alone (no aliases or keywords): what each method gets from the characters and words
        ServiceItem.objects.update(aliases="", keywords="")
        out["names_only"] = {"ours": ours(EVERYDAY), "jieba": with_jieba(EVERYDAY)}
        ServiceItem.objects.all().delete()
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
