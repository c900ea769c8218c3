"""The layer rules, read from the code's own imports (those inside functions included).

core ← territory ← people ← shared mechanisms ← the domains ← the pages (web) and the demo generator. A module
may import an app of a lower layer; domains may use one another in one direction only (no loop, however long);
nothing imports upward. Tests and migrations are left out (a migration names the models it depends on, wherever they live). See
``docs/architecture.md`` (layers).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "grassroots"
LAYERS = {"core": 0, "territory": 1, "people": 2, "web": 4, "demo": 4}
# Shared mechanisms several domains use sit between people and the domains (docs/architecture.md § Layers).
LAYERS.update({"grading": 2.5, "rectification": 2.5, "links": 2.5, "rolls": 2.5, "notices": 2.5})
DOMAIN = 3


def _apps() -> set[str]:
    return {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}


def layer(app: str) -> float:
    return LAYERS.get(app, DOMAIN)


def imports_of(path: Path, package: list[str]):
    """(imported module, line) for every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            yield module, node.lineno
            for alias in node.names:
                yield f"{module}.{alias.name}", node.lineno


def app_edges() -> tuple[dict, list[str]]:
    apps = _apps()
    edges: dict[str, set[str]] = defaultdict(set)
    upward = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if "tests" in rel.parts or "migrations" in rel.parts:
            continue
        app = rel.parts[0]
        if app not in apps:
            continue
        package = ["grassroots", *rel.parts[:-1]]  # what a relative import of level 1 starts from
        for module, line in imports_of(path, package):
            parts = module.split(".")
            if len(parts) < 2 or parts[0] != "grassroots" or parts[1] == app or parts[1] not in apps:
                continue
            target = parts[1]
            edges[app].add(target)
            if layer(target) > layer(app):
                upward.append(f"grassroots/{rel}:{line} ({app}, layer {layer(app)}) imports {target} "
                              f"(layer {layer(target)})")
    return edges, sorted(set(upward))


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every loop between apps, found by depth-first search from each app."""
    found = []
    for start in sorted(edges):
        stack = [(start, [start])]
        while stack:
            node, trail = stack.pop()
            for nxt in sorted(edges.get(node, ())):
                if nxt == start:
                    loop = trail + [start]
                    if min(trail) == start:  # report each loop once, from its smallest app
                        found.append(loop)
                elif nxt not in trail:
                    stack.append((nxt, trail + [nxt]))
    return found


def test_no_module_imports_from_a_layer_above_its_own():
    _, upward = app_edges()
    assert upward == []


def test_no_two_apps_import_each_other_directly_or_around_a_loop():
    edges, _ = app_edges()
    assert cycles(edges) == []


def test_the_rule_reader_sees_imports_inside_functions_and_relative_ones(tmp_path):
    source = tmp_path / "mod.py"
    source.write_text("def f():\n    from grassroots.web import views\n    from ..people import models\n",
                      encoding="utf-8")
    found = {m for m, _ in imports_of(source, ["grassroots", "core"])}
    assert "grassroots.web" in found and "grassroots.people" in found


def test_the_loop_finder_finds_a_loop_of_three_and_none_in_a_chain():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": {"c"}}) == []
