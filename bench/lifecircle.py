"""Benchmark: the 15-minute life circle analysis (results stored) against a bare scipy multi-source Dijkstra.

Network: a jittered 450×445 lattice (200,250 nodes, ~400k edges, as in the measurement of
docs/rules/lifecircle.md § Why scipy), 50,000
residential buildings on random nodes, 20 facility kinds with 150–600 facilities each. Runs in a fresh temporary
SQLite database (or PostgreSQL with --postgres URL). Prints JSON.

    .venv/bin/python bench/lifecircle.py [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--no-pandana]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_network(seed=42, nx=450, ny=445, spacing_m=60.0):
    import numpy as np

    from grassroots.lifecircle.network import Network

    rng = np.random.default_rng(seed)
    lat0, lon0 = 37.40, 118.55
    dlat = spacing_m / 111_195.0
    dlon = spacing_m / (111_195.0 * np.cos(np.radians(lat0 + ny * dlat / 2)))
    gx, gy = np.meshgrid(np.arange(nx), np.arange(ny))
    lon = lon0 + (gx + rng.uniform(-0.25, 0.25, gx.shape)) * dlon
    lat = lat0 + (gy + rng.uniform(-0.25, 0.25, gy.shape)) * dlat
    idx = np.arange(nx * ny).reshape(ny, nx)
    u = np.concatenate([idx[:, :-1].ravel(), idx[:-1, :].ravel()])
    v = np.concatenate([idx[:, 1:].ravel(), idx[1:, :].ravel()])
    keep = rng.random(u.shape[0]) > 0.03
    u, v = u[keep], v[keep]
    diag = rng.choice(idx[:-1, :-1].size, 12_000, replace=False)
    du, dv = idx[:-1, :-1].ravel()[diag], idx[1:, 1:].ravel()[diag]
    u, v = np.concatenate([u, du]), np.concatenate([v, dv])
    from grassroots.lifecircle.network import haversine_m

    lon, lat = lon.ravel(), lat.ravel()
    length = haversine_m(lon[u], lat[u], lon[v], lat[v]) * rng.uniform(1.0, 1.15, u.shape[0])
    return Network(lon, lat, u, v, length), (nx, ny)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="PostgreSQL URL of a server database to create a bench database in")
    parser.add_argument("--buildings", type=int, default=50_000)
    parser.add_argument("--kinds", type=int, default=20)
    parser.add_argument("--no-pandana", action="store_true")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="grassroots-bench-")
    if args.postgres:
        import psycopg

        base = args.postgres.rsplit("/", 1)[0]
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS grassroots_bench_lifecircle")
            conn.execute("CREATE DATABASE grassroots_bench_lifecircle")
        os.environ["DATABASE_URL"] = f"{base}/grassroots_bench_lifecircle"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    import numpy as np
    from django.core.management import call_command
    from scipy.sparse.csgraph import dijkstra

    call_command("migrate", verbosity=0)
    from grassroots.lifecircle import services
    from grassroots.lifecircle.models import AccessResult, Facility, FacilityKind
    from grassroots.territory.models import Level, Region
    from grassroots.territory.services import region_create

    services.load_requirements()
    net, (nx, ny) = make_network()
    rng = np.random.default_rng(7)
    zone = region_create(actor=None, level=Level.ZONE, name="基准区", code="370599", record_event=False)
    sub = region_create(actor=None, level=Level.SUBDISTRICT, name="基准街道", parent=zone, record_event=False)
    com = region_create(actor=None, level=Level.COMMUNITY, name="基准社区", parent=sub, record_event=False)
    grid = region_create(actor=None, level=Level.GRID, name="基准网格", parent=com, record_event=False)
    b_nodes = rng.choice(net.node_count, args.buildings, replace=False)
    Region.objects.bulk_create([
        Region(code=f"{grid.code}{i:06d}", name=f"楼{i}", level=Level.BUILDING, parent=grid,
               path=f"{grid.path}{i:06d}/", serial=i, lon=float(net.lon[n]), lat=float(net.lat[n]))
        for i, n in enumerate(b_nodes, start=1)], batch_size=5000)
    kinds = list(FacilityKind.objects.order_by("code")[: args.kinds])
    facility_nodes = {}
    rows = []
    for kind in kinds:
        nodes = rng.choice(net.node_count, int(rng.integers(150, 601)), replace=False)
        facility_nodes[kind.pk] = nodes
        rows.extend(Facility(name=f"{kind.name}{j}", kind=kind, region=grid, lon=float(net.lon[n]),
                             lat=float(net.lat[n])) for j, n in enumerate(nodes))
    Facility.objects.bulk_create(rows, batch_size=5000)
    services.network_save(actor=None, zone=zone, net=net, name="基准路网")
    services._network_cache.clear()
    cutoff = services.cutoff_m()

    # bare baseline: scipy, one multi-source search per kind, cut off at the largest circle, nothing stored
    net_base, _ = make_network()
    t0 = time.perf_counter()
    csr = net_base.csr
    baseline = {}
    for kind in kinds:
        d = dijkstra(csr, directed=True, indices=np.unique(facility_nodes[kind.pk]), min_only=True, limit=cutoff)
        baseline[kind.pk] = d[b_nodes]
    baseline_s = time.perf_counter() - t0

    # the platform: load the network and buildings from the database, snap, search, store
    rss_before = peak_rss_mb()
    t0 = time.perf_counter()
    run = services.run_analysis(actor=None, zone=zone, kinds=kinds)
    full_s = time.perf_counter() - t0
    rss_after = peak_rss_mb()

    # same results?
    order = np.argsort(Region.objects.filter(level=Level.BUILDING).order_by("id").values_list("id", flat=True))
    max_diff, mismatched_reach = 0.0, 0
    building_ids = np.array(Region.objects.filter(level=Level.BUILDING).order_by("id").values_list("id", flat=True))
    node_of_building = dict(zip(building_ids.tolist(), b_nodes.tolist(), strict=True)) if len(order) else {}
    pos = {n: i for i, n in enumerate(b_nodes.tolist())}
    for r in AccessResult.objects.filter(kind__in=kinds):
        ids = np.frombuffer(bytes(r.building_ids), dtype="<i8")
        dist = np.frombuffer(bytes(r.distances_m), dtype="<f4").astype(float)
        base = baseline[r.kind_id][[pos[node_of_building[i]] for i in ids.tolist()]]
        base = np.where(np.isfinite(base) & (base <= cutoff), base, np.nan)
        mismatched_reach += int((np.isnan(base) != np.isnan(dist)).sum())
        both = ~np.isnan(base) & ~np.isnan(dist)
        if both.any():
            max_diff = max(max_diff, float(np.abs(base[both] - dist[both]).max()))

    # one facility added: only its kind is recomputed (this is what facility_create runs)
    kind = kinds[0]
    Facility.objects.create(name="新增设施", kind=kind, region=grid, lon=float(net.lon[123]), lat=float(net.lat[123]))
    t0 = time.perf_counter()
    services.recompute_kind(zone=zone, kind=kind)
    one_kind_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    Facility.objects.create(name="再新增设施", kind=kind, region=grid, lon=float(net.lon[999]), lat=float(net.lat[999]))
    services.recompute_kind(zone=zone, kind=kind)
    one_kind_warm_s = time.perf_counter() - t0

    result = {
        "database": django.db.connection.vendor,
        "nodes": net.node_count, "edges": net.edge_count, "buildings": run.buildings, "kinds": run.kinds,
        "facilities": run.facilities, "cutoff_m": cutoff,
        "baseline_scipy_s": round(baseline_s, 3),
        "platform_full_analysis_stored_s": round(full_s, 3),
        "ratio_platform_to_baseline": round(full_s / baseline_s, 2),
        "recompute_one_kind_s": round(one_kind_s, 3),
        "recompute_one_kind_again_s": round(one_kind_warm_s, 3),
        "results_equal": mismatched_reach == 0 and max_diff < 0.01,
        "reachability_mismatches": mismatched_reach, "max_abs_diff_m": round(max_diff, 5),
        "peak_rss_mb": round(rss_after, 1), "peak_rss_before_analysis_mb": round(rss_before, 1),
    }

    # one search alone, for reference
    t0 = time.perf_counter()
    dijkstra(net.csr, directed=True, indices=np.unique(facility_nodes[kind.pk]), min_only=True, limit=cutoff)
    result["one_kind_bare_search_s"] = round(time.perf_counter() - t0, 3)

    if not args.no_pandana:
        try:
            import pandana
            import pandas as pd
        except ImportError:
            result["pandana"] = "not installed (pip install pandana)"
        else:
            cut_x, cut_y = 142, 141  # ≈ 20,000 nodes
            keep = np.zeros(net.node_count, dtype=bool)
            keep.reshape(ny, nx)[:cut_y, :cut_x] = True
            new_id = -np.ones(net.node_count, dtype=np.int64)
            new_id[keep] = np.arange(keep.sum())
            e = keep[net.u] & keep[net.v]
            nodes = pd.DataFrame({"x": net.lon[keep], "y": net.lat[keep]})
            edges = pd.DataFrame({"from": new_id[net.u[e]], "to": new_id[net.v[e]], "w": net.length[e]})
            t0 = time.perf_counter()
            pnet = pandana.Network(nodes["x"], nodes["y"], edges["from"], edges["to"], edges[["w"]], twoway=True)
            build_s = time.perf_counter() - t0
            sub_nodes = np.flatnonzero(keep)
            fac = rng.choice(sub_nodes.size, 300, replace=False)
            pnet.set_pois("k", cutoff, 1, nodes["x"].iloc[fac], nodes["y"].iloc[fac])
            t0 = time.perf_counter()
            pnet.nearest_pois(cutoff, "k", num_pois=1)
            query_s = time.perf_counter() - t0
            sub_csr = net.csr[keep][:, keep]
            t0 = time.perf_counter()
            dijkstra(sub_csr, directed=True, indices=fac, min_only=True, limit=cutoff)
            scipy_sub_s = time.perf_counter() - t0
            result["pandana_20k"] = {"nodes": int(keep.sum()), "ch_build_s": round(build_s, 3),
                                     "nearest_pois_one_kind_s": round(query_s, 4),
                                     "scipy_one_kind_s": round(scipy_sub_s, 4),
                                     "ratio_pandana_query_to_scipy": round(query_s / scipy_sub_s, 1)}
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.postgres:
        django.db.connections.close_all()
        import psycopg

        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS grassroots_bench_lifecircle")


if __name__ == "__main__":
    main()
