"""Every URL pattern and API operation is named by some ``@scope_test(...)`` (docs/architecture.md § Conventions 2).

Two scans of every test module under ``grassroots/`` (and ``tests/``): a static one collecting the string literals
passed to ``scope_test(...)``, and an import of the module collecting the ``scope_names`` that ``scope_test`` puts
on test functions (so computed names, ``scope_test(*[f"cases_{v}" for v in VERBS])``, count too). A failure lists
each URL name / operation id that has no scope test yet.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(settings.BASE_DIR)

# Not scoped by nature: they show no one's data, or every signed-in person sees exactly their own account.
EXEMPT_NAMES = {
    "login",          # the sign-in form
    "logout",         # ends one's own session
    "otp_setup",      # one's own second factor
    "set_language",   # Django's language switch
    "healthz",        # load-balancer probe, answers "ok"
    "livez",          # liveness probe, answers "ok"
    "readyz",         # readiness probe: which dependency is down, no data
    "metrics",        # Prometheus: counts and latencies, no personal data; token or this machine only (test_probes)
    "javascript-catalog",
}
EXEMPT_NAMESPACES = {
    "admin",  # Django admin: superusers only, audited through AuditedModelAdmin
    "api",    # the API's URL patterns; its operations are checked one by one below
}
EXEMPT_PREFIXES = ("static", "media", "djdt")


def url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespaces: tuple[str, ...]):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespaces + ((p.namespace,) if p.namespace else ())
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                if namespaces and namespaces[0] in EXEMPT_NAMESPACES:
                    continue
                names.add(":".join((*namespaces, p.name)))

    walk(get_resolver().url_patterns, ())
    return {n for n in names if n not in EXEMPT_NAMES and not n.startswith(EXEMPT_PREFIXES)}


def api_operation_ids() -> set[str]:
    from config.api import api

    ids: set[str] = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for op in path_view.operations:
                ids.add(op.operation_id or op.view_func.__name__)
    return ids


def _imported_names(path: Path) -> set[str]:
    import importlib
    import inspect

    relative = path.relative_to(ROOT).with_suffix("")
    try:
        module = importlib.import_module(".".join(relative.parts))
    except Exception:  # noqa: BLE001 - a module that cannot be imported still has its literals scanned
        return set()
    names: set[str] = set()
    for _name, obj in vars(module).items():
        candidates = [obj]
        if inspect.isclass(obj):
            candidates = list(vars(obj).values())
        for candidate in candidates:
            value = getattr(candidate, "scope_names", None) if callable(candidate) else None
            if isinstance(value, tuple | list):
                names.update(v for v in value if isinstance(v, str))
    return names


def scope_test_names() -> set[str]:
    names: set[str] = set()
    files = list((ROOT / "grassroots").rglob("test*.py")) + list((ROOT / "tests").rglob("test*.py"))
    for path in files:
        if "tests" not in path.parts:
            continue
        if (path.parent / "__init__.py").exists():
            names.update(_imported_names(path))
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        except (SyntaxError, UnicodeDecodeError):
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if called != "scope_test":
                continue
            names.update(a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str))
    return names


def test_the_scan_sees_scope_tests_urls_and_operations():
    names = scope_test_names()
    assert {"core:audit", "notifications", "tokens", "core_me"} <= names
    assert "core:audit" in url_names() and "login" not in url_names()
    assert "core_me" in api_operation_ids()


def test_computed_scope_names_are_found_by_importing_the_module():
    names = _imported_names(Path(__file__).with_name("test_tokens.py"))
    assert {"tokens", "token_revoke"} <= names


def test_every_url_and_api_operation_has_a_scope_test():
    covered = scope_test_names()
    missing_urls = sorted(url_names() - covered)
    missing_ops = sorted(api_operation_ids() - covered)
    message = []
    if missing_urls:
        message.append("URL names without @scope_test:\n  " + "\n  ".join(missing_urls))
    if missing_ops:
        message.append("API operations without @scope_test:\n  " + "\n  ".join(missing_ops))
    assert not message, "\n".join(message)
