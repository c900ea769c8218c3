"""The 15-minute life circle analysis on arrays: multi-source Dijkstra per facility kind, cut off at the largest
circle. Pure functions (no database) so they are tested on hand-made networks and benchmarked directly.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from .network import Network


def nearest_distance(net: Network, source_nodes: np.ndarray, target_nodes: np.ndarray, cutoff_m: float, *,
                     source_offsets: np.ndarray | None = None, target_offsets: np.ndarray | None = None) -> np.ndarray:
    """Walking distance from each target to the nearest source, NaN where none lies within ``cutoff_m``.

    Offsets are the straight-line snap distances of sources and targets to their nodes, added to the walk.
    """
    targets = np.asarray(target_nodes, dtype=np.int64)
    result = np.full(targets.shape[0], np.nan, dtype=np.float64)
    sources = np.asarray(source_nodes, dtype=np.int64)
    if sources.size == 0 or targets.size == 0:
        return result
    t_off = np.zeros(targets.shape[0]) if target_offsets is None else np.asarray(target_offsets, dtype=np.float64)
    if source_offsets is None or not np.any(np.asarray(source_offsets) > 0.01):
        dist = dijkstra(net.csr, directed=True, indices=np.unique(sources), min_only=True, limit=cutoff_m)
    else:
        dist = _with_super_source(net, sources, np.asarray(source_offsets, dtype=np.float64), cutoff_m)
    d = dist[targets] + t_off
    ok = np.isfinite(d) & (d <= cutoff_m)
    result[ok] = d[ok]
    return result


def _with_super_source(net: Network, sources: np.ndarray, offsets: np.ndarray, cutoff_m: float) -> np.ndarray:
    """One extra node joined to every source by its snap distance; one search from it."""
    n = net.node_count
    base = net.csr
    # the smallest offset per source node
    order = np.lexsort((offsets, sources))
    s, o = sources[order], offsets[order]
    first = np.ones(s.shape[0], dtype=bool)
    first[1:] = s[1:] != s[:-1]
    s, o = s[first], np.maximum(o[first], 1e-3)
    indptr = np.concatenate([base.indptr, [base.indptr[-1] + s.shape[0]]])
    indices = np.concatenate([base.indices, s.astype(base.indices.dtype)])
    data = np.concatenate([base.data, o])
    augmented = csr_matrix((data, indices, indptr), shape=(n + 1, n + 1))
    return dijkstra(augmented, directed=True, indices=n, limit=cutoff_m)[:n]


def distances_from_point(net: Network, node: int, offset_m: float, cutoff_m: float) -> np.ndarray:
    """Walking distance from one point (snapped to ``node``) to every node, inf beyond the cutoff."""
    return dijkstra(net.csr, directed=True, indices=int(node), limit=max(cutoff_m - offset_m, 0)) + offset_m
