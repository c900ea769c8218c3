"""The migrations that moved ``PolicySetting`` (cases → core) and ``KpiWeight`` (cases → metrics) carry the rows
both ways, on a database filled by the demo (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from grassroots.core.models import PolicySetting
from grassroots.metrics.models import KpiWeight

BEFORE_THE_MOVE = [("core", "0003_event_append_only"), ("cases", "0002_case_indexes_for_intake"), ("metrics", None)]
FIELDS = {"PolicySetting": ["id", "created_at", "updated_at", "key", "value", "note"],
          "KpiWeight": ["id", "created_at", "updated_at", "unit_kind", "indicator", "weight", "active"]}


def _rows(apps, app_label: str, model: str) -> list[dict]:
    return list(apps.get_model(app_label, model).objects.order_by("id").values(*FIELDS[model]))


def _migrate(targets) -> object:
    """Migrate to ``targets`` and return the apps of the state reached."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.mark.django_db(transaction=True)
def test_policy_settings_and_kpi_weights_go_back_to_cases_and_return_with_the_demo_loaded():
    from grassroots.demo import generator
    from grassroots.territory.models import Region

    generator.build(size="small", seed=3, with_extensions=False)
    PolicySetting.objects.create(key="reopen_window_days", value=5, note="试点")
    PolicySetting.objects.create(key="kpi.rank_individuals", value=False)
    dropped = KpiWeight.objects.create(unit_kind="", indicator="response_rate", weight="0.2000")
    KpiWeight.objects.create(unit_kind="department", indicator="response_rate", weight="0.3000")
    KpiWeight.objects.create(unit_kind="department", indicator="satisfaction_rate", weight="0.7000", active=False)
    dropped.delete()  # ids with a gap: the ids are carried, not renumbered
    policy = list(PolicySetting.objects.order_by("id").values(*FIELDS["PolicySetting"]))
    weights = list(KpiWeight.objects.order_by("id").values(*FIELDS["KpiWeight"]))
    regions = Region.objects.count()
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = _migrate(BEFORE_THE_MOVE)
        assert _rows(old, "cases", "PolicySetting") == policy
        assert _rows(old, "cases", "KpiWeight") == weights
        assert old.get_model("territory", "Region").objects.count() == regions
    finally:
        new = _migrate(latest)
    assert _rows(new, "core", "PolicySetting") == policy
    assert _rows(new, "metrics", "KpiWeight") == weights
    assert Region.objects.count() == regions
    # the id sequences follow the carried rows (PostgreSQL): a new row takes the next id
    added = KpiWeight.objects.create(unit_kind="grid", indicator="response_rate", weight="0.1000")
    assert added.pk > max(w["id"] for w in weights)
    assert PolicySetting.objects.create(key="duplicate_hours", value=48).pk > max(p["id"] for p in policy)
