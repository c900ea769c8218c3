"""Emptying a database for a new demo build (``grassroots demo --reset``).

Deletes the rows of the core demo tables (regions, compounds, organisations, persons, households, accounts, posts)
and of every table that refers to them, directly or through another such table (cases, memberships, meetings …,
sessions and sign-in records of the accounts), plus the models an app's demo module lists in ``RESET_MODELS``. The
fund ledger is append-only too but refers to these tables, so it is emptied with them. Kept: the audit log
(append-only; the build adds a ``demo.build`` row), and reference data that refers to none of them (categories,
time limits, holidays, …).
"""

from __future__ import annotations

from django.apps import apps
from django.db import connection, transaction

CORE = ("territory.Region", "territory.Compound", "territory.RegionChange", "people.Organization",
        "people.Household", "people.Person", "people.User", "people.Post", "people.ApiToken")
KEEP = {"core.event"}
DATA_MODELS = ("territory.Region", "people.Person", "people.Organization", "people.User")


def database_is_empty() -> bool:
    return not any(apps.get_model(label).objects.exists() for label in DATA_MODELS)


def _refers_to(model, targets: set) -> bool:
    for field in model._meta.get_fields(include_hidden=True):
        if field.is_relation and field.concrete and field.related_model is not None:
            if field.related_model._meta.label_lower in targets and (
                    getattr(field, "db_constraint", True) or field.many_to_many):
                return True
    return False


def _extension_models() -> list[str]:
    """Extra models an app's demo module declares in ``RESET_MODELS`` (demo rows that refer to no core table)."""
    from . import extensions

    return [label for _app, module in extensions() for label in getattr(module, "RESET_MODELS", ())]


def reset_plan() -> list:
    """Models whose rows a reset deletes, in an order that respects foreign keys (referrers first)."""
    chosen = {apps.get_model(label)._meta.label_lower for label in (*CORE, *_extension_models())}
    every = [m for m in apps.get_models(include_auto_created=True) if not m._meta.proxy and m._meta.managed]
    changed = True
    while changed:
        changed = False
        for model in every:
            label = model._meta.label_lower
            if label not in chosen and label not in KEEP and _refers_to(model, chosen):
                chosen.add(label)
                changed = True
    # Sessions hold signed-in accounts without a foreign key.
    if apps.is_installed("django.contrib.sessions"):
        chosen.add("sessions.session")
    models = [m for m in every if m._meta.label_lower in chosen]
    # referrers first: repeatedly emit a model no remaining model refers to
    ordered, remaining = [], list(models)
    while remaining:
        for m in remaining:
            others = {o._meta.label_lower for o in remaining if o is not m}
            if not any(_refers_to(o, {m._meta.label_lower}) for o in remaining if o._meta.label_lower in others):
                ordered.append(m)
                remaining.remove(m)
                break
        else:  # a cycle (self references): foreign keys are checked at commit, so any order works now
            ordered.extend(remaining)
            break
    return ordered


def reset_database() -> dict[str, int]:
    """Delete the rows of ``reset_plan()`` in one transaction; returns rows deleted per table.

    Append-only tables in the plan (the fund ledger) refuse row deletes; ``unlock_for_wipe`` lets these whole-table
    deletes through (the audit log is not in the plan)."""
    from grassroots.core import audit_guard

    counts: dict[str, int] = {}
    with transaction.atomic(), audit_guard.unlock_for_wipe(connection), connection.cursor() as cursor:
        for model in reset_plan():
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - table names come from the model registry
            counts[model._meta.db_table] = max(cursor.rowcount, 0)
    return counts
