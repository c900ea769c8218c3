"""Probes, metrics, the request id in answers, log lines and tasks (docs/operations.md § Monitoring)."""

from __future__ import annotations

import json
import logging

from django.db import DatabaseError
from django.test import override_settings

from grassroots.core import context, observability
from grassroots.web import probes


def test_livez_answers_without_touching_the_database(client):
    response = client.get("/livez")  # no database fixture: any query would raise
    assert response.status_code == 200 and response.content == b"ok"


def test_readyz_is_ready_on_a_migrated_database(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"ready": True, "failures": []}


def test_readyz_answers_503_and_names_the_database_when_it_is_down(client, db, monkeypatch):
    def broken():
        raise DatabaseError("connection refused")

    class BrokenCursor:
        def __enter__(self):
            broken()

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(probes, "connection", type("Down", (), {"cursor": lambda self: BrokenCursor()})())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failures"] == ["database: DatabaseError"]


def test_readyz_names_pending_migrations(client, db, monkeypatch):
    monkeypatch.setattr(probes, "_migrated", False)

    class Executor:
        def __init__(self, connection):
            self.loader = type("L", (), {"graph": type("G", (), {"leaf_nodes": lambda self: []})()})()

        def migration_plan(self, targets):
            return [("core", "9999_next")]

    monkeypatch.setattr("django.db.migrations.executor.MigrationExecutor", Executor)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failures"] == ["migrations: 1 not applied"]


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_readyz_names_redis_when_the_broker_cannot_be_reached(client, db):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failures"] == ["redis: ConnectionError"]


def test_every_answer_carries_a_request_id_and_keeps_a_well_formed_one_from_the_proxy(client, db):
    made = client.get("/livez")["X-Request-ID"]
    assert len(made) == 32
    assert client.get("/livez", HTTP_X_REQUEST_ID="edge-4f1c2a9b")["X-Request-ID"] == "edge-4f1c2a9b"
    replaced = client.get("/livez", HTTP_X_REQUEST_ID="bad id\nwith newline")["X-Request-ID"]
    assert replaced != "bad id\nwith newline" and len(replaced) == 32


def test_log_lines_in_json_carry_the_request_id():
    record = logging.LogRecord("grassroots.test", logging.INFO, __file__, 1, "案件 %s 已派遣", ("2026-0001",), None)
    token = context.set_current(context.RequestContext(request_id="req-12345678"))
    try:
        observability.RequestIdFilter().filter(record)
    finally:
        context.reset(token)
    line = json.loads(observability.JsonFormatter().format(record))
    assert line["message"] == "案件 2026-0001 已派遣"
    assert line["request_id"] == "req-12345678"
    assert line["level"] == "INFO" and line["logger"] == "grassroots.test"


def test_a_task_published_in_a_request_runs_with_that_request_id():
    from celery import Celery

    app = Celery("probe-test", broker="memory://")
    app.conf.task_always_eager = False
    seen = {}

    @app.task(name="probe.record")
    def record():
        seen["request_id"] = observability.current_request_id()

    headers = {}
    token = context.set_current(context.RequestContext(request_id="req-abcdef12"))
    try:
        observability._before_publish(headers=headers)
    finally:
        context.reset(token)
    assert headers == {"request_id": "req-abcdef12"}
    # The worker side: the header arrives on the task's request; prerun installs it, postrun removes it.
    record.push_request(id="t-1", headers=headers)
    try:
        observability._task_prerun(task_id="t-1", task=record)
        record.run()
        observability._task_postrun(task_id="t-1", task=record, state="SUCCESS")
    finally:
        record.pop_request()
    assert seen["request_id"] == "req-abcdef12"
    assert observability.current_request_id() == ""


def test_metrics_are_refused_through_the_proxy_and_from_elsewhere(client, db):
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.8").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="10.0.0.8").status_code == 404


@override_settings(METRICS_TOKEN="s3cret-token")
def test_metrics_with_a_token_need_that_token(client, db):
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").status_code == 200


def test_metrics_report_latency_by_route_and_the_sweep_lag(client, world, frozen_now):
    from tests.support.world import login_verified

    login_verified(client, world.community_staff)
    client.get("/notifications/")
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert 'grassroots_request_seconds_count{method="GET",route="notifications/",status="200"}' in text
    assert "grassroots_sweep_lag_seconds 0.0" in text
    assert "/notifications/?" not in text  # routes, never paths with ids or queries
