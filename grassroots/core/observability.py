"""What operators watch: a request id on every log line and task, Prometheus metrics, and gauges apps register.

- **Request id.** ``RequestContextMiddleware`` takes a well-formed ``X-Request-ID`` from the proxy or makes one,
  answers with it, and keeps it in ``core.context``; ``RequestIdFilter`` puts it on every log record, and the Celery
  signals below carry it in the task's headers into the worker, so one id follows a request into its tasks.
- **Metrics** (prometheus_client): request latency by route, method and status; task latency and failures; and
  gauges read at scrape time from the database or the broker, which apps register with ``register_gauge`` in
  ``AppConfig.ready()`` (core knows no domain: cases registers the sweep's lag). With several gunicorn workers set
  ``PROMETHEUS_MULTIPROC_DIR`` (docs/operations.md): each process writes its samples there and ``/metrics`` sums them.
- **JSON logs.** ``JsonFormatter`` (python-json-logger) writes one JSON object per line with the request id;
  ``LOG_FORMAT=json`` chooses it.
"""

from __future__ import annotations

import logging
import os
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter

from . import context

log = logging.getLogger("grassroots.observability")

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")


def new_request_id() -> str:
    return uuid.uuid4().hex


def accept_request_id(raw: str | None) -> str:
    """The proxy's id when it is one a log line can carry safely (8–64 of letters, digits, ``._:-``), else a new one."""
    if raw and _REQUEST_ID.match(raw):
        return raw
    return new_request_id()


def current_request_id() -> str:
    return context.current().request_id


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (empty outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id()
        return True


class JsonFormatter(_BaseJsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s")
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        super().__init__(*args, **kwargs)


# -- metrics ------------------------------------------------------------------------------------------------------
# Latency buckets from 5 ms to 10 s: pages answer in tens of milliseconds, exports and analyses run as tasks.
_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_TASK_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0, 1800.0)

REQUEST_LATENCY = Histogram(
    "grassroots_request_seconds", "Time to answer a request, by route", ("route", "method", "status"), buckets=_BUCKETS
)
TASK_LATENCY = Histogram("grassroots_task_seconds", "Time a background task ran", ("task", "outcome"),
                         buckets=_TASK_BUCKETS)
TASK_FAILURES = Counter("grassroots_task_failures", "Background tasks that raised", ("task",))


def route_of(request) -> str:
    """The URL pattern that answered (``cases/<int:pk>/``), never the path itself: ids would make every case its own
    time series. Requests no pattern matched count as ``unmatched``."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.route or match.view_name or "unmatched"


def observe_request(request, status: int, seconds: float) -> None:
    REQUEST_LATENCY.labels(route=route_of(request), method=request.method, status=str(status)).observe(seconds)


@dataclass(frozen=True)
class Gauge:
    name: str
    help: str
    read: Callable[[], float | None]


_gauges: dict[str, Gauge] = {}


def register_gauge(name: str, help: str, read: Callable[[], float | None]) -> None:
    """A figure read when Prometheus scrapes (``grassroots_<name>``): ``read()`` returns a number, or None when there
    is nothing to report. Registering the same name again replaces it (``ready()`` may run twice in tests)."""
    _gauges[name] = Gauge(name, help, read)


def registered_gauges() -> dict[str, Gauge]:
    return dict(_gauges)


class _GaugeCollector:
    def collect(self):
        for gauge in list(_gauges.values()):
            try:
                value = gauge.read()
            except Exception:  # a failing reading must not hide every other metric
                log.exception("gauge %s could not be read", gauge.name)
                continue
            if value is None:
                continue
            family = GaugeMetricFamily(f"grassroots_{gauge.name}", gauge.help)
            family.add_metric([], float(value))
            yield family


def render_metrics() -> bytes:
    """The text exposition: this process's samples (or, in multiprocess mode, every process's), plus the gauges."""
    registry = CollectorRegistry()
    multiproc_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if multiproc_dir:
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry, path=multiproc_dir)
    else:
        for collector in (REQUEST_LATENCY, TASK_LATENCY, TASK_FAILURES):
            registry.register(collector)
    registry.register(_GaugeCollector())
    return generate_latest(registry)


# -- Celery: the request id travels with the task; latency and failures are counted ------------------------------
_task_started: dict[str, float] = {}


def _before_publish(headers=None, **_):
    if headers is not None and "request_id" not in headers:
        rid = current_request_id()
        if rid:
            headers["request_id"] = rid


def _task_prerun(task_id=None, task=None, **_):
    request = getattr(task, "request", None)
    rid = getattr(request, "request_id", None) or (getattr(request, "headers", None) or {}).get("request_id")
    token = context.set_current(context.RequestContext(request_id=accept_request_id(rid)))
    _task_started[task_id] = time.monotonic()
    task._grassroots_context_token = token


def _task_postrun(task_id=None, task=None, state=None, **_):
    started = _task_started.pop(task_id, None)
    if started is not None:
        TASK_LATENCY.labels(task=task.name, outcome=(state or "unknown").lower()).observe(time.monotonic() - started)
    token = getattr(task, "_grassroots_context_token", None)
    if token is not None:
        try:
            context.reset(token)
        except ValueError:  # reset from another context (eager tasks nested in a request): nothing to undo
            pass
        task._grassroots_context_token = None


def _task_failure(sender=None, **_):
    TASK_FAILURES.labels(task=getattr(sender, "name", "unknown")).inc()


def connect_celery_signals() -> None:
    from celery import signals

    signals.before_task_publish.connect(_before_publish, weak=False, dispatch_uid="grassroots.request_id.publish")
    signals.task_prerun.connect(_task_prerun, weak=False, dispatch_uid="grassroots.request_id.prerun")
    signals.task_postrun.connect(_task_postrun, weak=False, dispatch_uid="grassroots.request_id.postrun")
    signals.task_failure.connect(_task_failure, weak=False, dispatch_uid="grassroots.task_failure")
