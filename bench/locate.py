"""Locate positions in grids: one at a time, in batches, and a bare shapely STRtree on the same polygons.

    .venv/bin/python bench/locate.py [--size small|full] [--points 100000] [--seed N] [--db PATH]

Builds the synthetic demo zone (``grassroots.demo.generator.build``) in a temporary SQLite database after
``migrate`` — or reuses the database at ``--db`` if it already holds grids — then draws random points inside the
bounding box of the zone's grids and prints JSON figures:

- ``locate_us``: ``locate()`` per call (index lookup plus the region row), on a sample of the points;
- ``locate_id_us``: the index lookup alone, per call, on all points;
- ``batch_points_per_s``: ``locate_many`` over all points (CRS handling, projection, bulk query, nearest for gaps);
- ``bare_points_per_s``: ``shapely.STRtree.query(points, predicate="intersects")`` on the same polygons;
- ``batch_vs_bare``: the ratio of the two (aim ≥ 0.8).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(db_path: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_zone(size: str, seed: int) -> dict:
    from django.core.management import call_command

    from grassroots.territory.models import Level, Region

    call_command("migrate", verbosity=0, interactive=False)
    if Region.objects.filter(level=Level.GRID, active=True, geometry__isnull=False).exists():
        return {"built": False}
    from grassroots.demo import generator

    started = time.perf_counter()
    generator.build(size=size, seed=seed)
    return {"built": True, "build_s": round(time.perf_counter() - started, 2)}


def measure(n_points: int, seed: int, sample: int, rounds: int = 5) -> dict:
    import numpy as np
    import shapely

    from grassroots.core import geo
    from grassroots.core.errors import ValidationFailed
    from grassroots.territory import locate
    from grassroots.territory.models import Level, Region

    rows = list(Region.objects.filter(level=Level.GRID, active=True, geometry__isnull=False)
                .order_by("id").values_list("id", "geometry"))
    polygons = np.array([shapely.geometry.shape(g) for _, g in rows], dtype=object)
    xmin, ymin, xmax, ymax = shapely.total_bounds(polygons)
    rng = np.random.default_rng(seed)
    lons = rng.uniform(xmin, xmax, n_points)
    lats = rng.uniform(ymin, ymax, n_points)

    t0 = time.perf_counter()
    locate.grid_index()
    index_build_ms = (time.perf_counter() - t0) * 1000

    # One at a time: the index lookup alone, then locate() with its region row.
    outside = 0
    t0 = time.perf_counter()
    for lon, lat in zip(lons.tolist(), lats.tolist(), strict=True):
        try:
            locate.locate_id(lon, lat)
        except ValidationFailed:
            outside += 1
    locate_id_us = (time.perf_counter() - t0) / n_points * 1e6
    t0 = time.perf_counter()
    for lon, lat in zip(lons[:sample].tolist(), lats[:sample].tolist(), strict=True):
        try:
            locate.locate(lon, lat)
        except ValidationFailed:
            pass
    locate_us = (time.perf_counter() - t0) / sample * 1e6

    # Batches, interleaved so that a busy machine slows both alike; best of several runs each.
    tree = shapely.STRtree(polygons)
    gcj_lons, gcj_lats = geo.wgs84_to_gcj02_np(lons, lats)
    runs = {
        "batch": lambda: locate.locate_many(lons, lats),
        "bare": lambda: tree.query(shapely.points(lons, lats), predicate="intersects"),
        "batch_gcj": lambda: locate.locate_many(gcj_lons, gcj_lats, crs="GCJ02"),
    }
    best, results = {k: float("inf") for k in runs}, {}
    for _ in range(rounds):
        for name, fn in runs.items():
            t = time.perf_counter()
            results[name] = fn()
            best[name] = min(best[name], time.perf_counter() - t)
    batch_s, bare_s, batch_gcj_s = best["batch"], best["bare"], best["batch_gcj"]
    ids, pairs, ids_gcj = results["batch"], results["bare"], results["batch_gcj"]

    inside_bare = np.unique(pairs[0]).size
    batch_pps = n_points / batch_s
    bare_pps = n_points / bare_s
    return {
        "grids": len(rows),
        "points": n_points,
        "bbox": [round(v, 5) for v in (xmin, ymin, xmax, ymax)],
        "index_build_ms": round(index_build_ms, 1),
        "locate_id_us": round(locate_id_us, 1),
        "locate_us": round(locate_us, 1),
        "locate_sample": sample,
        "outside_share": round(outside / n_points, 4),
        "inside_bare": int(inside_bare),
        "located_batch": int((ids >= 0).sum()),
        "rounds": rounds,
        "batch_s": round(batch_s, 4),
        "batch_points_per_s": round(batch_pps),
        "batch_gcj02_points_per_s": round(n_points / batch_gcj_s),
        "batch_gcj02_agrees": round(float((ids_gcj == ids).mean()), 5),
        "bare_s": round(bare_s, 4),
        "bare_points_per_s": round(bare_pps),
        "batch_vs_bare": round(batch_pps / bare_pps, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["small", "full"], default="full")
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=10_000, help="points for locate() with its region row")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rounds", type=int, default=5, help="interleaved batch/bare runs (best is kept)")
    parser.add_argument("--db", type=Path, help="SQLite file to build into or reuse (default: a temporary file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="grassroots-locate-") as tmp:
        db_path = args.db or Path(tmp) / "demo.sqlite3"
        setup(db_path)
        zone = ensure_zone(args.size, args.seed)
        figures = measure(args.points, args.seed, min(args.sample, args.points), args.rounds)
        from django.db import connection

        figures.update(zone, size=args.size, seed=args.seed, vendor=connection.vendor)
        connection.close()
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
