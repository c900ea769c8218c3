"""Probes and metrics for operators (docs/operations.md § Monitoring): ``/livez`` (the process answers),
``/readyz`` (it can serve: database reachable and migrated, Redis reachable where configured), ``/healthz``
(the database answers, kept for existing load balancers) and ``/metrics`` (Prometheus text format)."""

from __future__ import annotations

import hmac
import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from grassroots.core import observability

log = logging.getLogger("grassroots.probes")
_LOOPBACK = {"127.0.0.1", "::1"}
_migrated = False  # once the schema is current it stays so for this process (new code means a new process)


def _database() -> str | None:
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
    except DatabaseError as exc:
        return f"database: {exc.__class__.__name__}"
    return None


def _migrations() -> str | None:
    global _migrated
    if _migrated:
        return None
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return f"migrations: {exc.__class__.__name__}"
    if pending:
        return f"migrations: {len(pending)} not applied"
    _migrated = True
    return None


def _redis() -> str | None:
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return None
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        return f"redis: {exc.__class__.__name__}"
    return None


@never_cache
@require_GET
def livez(request):
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_GET
def readyz(request):
    database = _database()
    failures = [f for f in (database, None if database else _migrations(), _redis()) if f]
    if failures:
        log.warning("not ready: %s", "; ".join(failures))
        return JsonResponse({"ready": False, "failures": failures}, status=503)
    return JsonResponse({"ready": True, "failures": []})


def _may_scrape(request) -> bool:
    """With ``METRICS_TOKEN`` set, a bearer token equal to it; without, only a direct request from this machine (a
    request that came through the reverse proxy carries X-Real-IP and is refused)."""
    token = settings.METRICS_TOKEN
    if token:
        given = request.META.get("HTTP_AUTHORIZATION", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    proxied = "HTTP_X_REAL_IP" in request.META or "HTTP_X_FORWARDED_FOR" in request.META
    return request.META.get("REMOTE_ADDR") in _LOOPBACK and not proxied


@never_cache
@require_GET
def metrics(request):
    if not _may_scrape(request):
        raise Http404
    return HttpResponse(observability.render_metrics(), content_type="text/plain; version=0.0.4; charset=utf-8")
