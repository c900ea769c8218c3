"""A real Celery worker on PostgreSQL and Redis (issue 19): tasks published to the broker run in a worker process
against the same database; a task whose worker process is killed mid-task is delivered again and completes, and
its effect happens once (the sweep is idempotent: compare-and-set, one event per move).

Runs where the database is shared between processes (PostgreSQL) and Redis answers: CI's PostgreSQL run sets
``CELERY_WORKER_TESTS=1``, which turns a missing Redis into a failure instead of a skip.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("CELERY_WORKER_TEST_BROKER", "redis://127.0.0.1:6379/13")
ROOT = Path(__file__).resolve().parent.parent


def _redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except Exception:  # noqa: BLE001 - any failure means there is no broker to test against
        return False


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker):
    """One worker process (one pool child) consuming a queue of its own, on the test database."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs a shared database (PostgreSQL), not in-memory SQLite")
    if not _redis_answers():
        if os.environ.get("CELERY_WORKER_TESTS") == "1":
            pytest.fail(f"no Redis at {REDIS_URL}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    s = connection.settings_dict
    queue = f"test-worker-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "REDIS_URL": REDIS_URL,
           "CELERY_TEST_QUEUE": queue,
           "DATABASE_URL": f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"}
    log = open(ROOT / "var" / f"{queue}.log", "w") if (ROOT / "var").is_dir() else subprocess.DEVNULL
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tests.support.celery_worker", "worker", "-Q", queue, "-c", "1",
         "-P", "prefork", "--without-mingle", "--without-gossip", "--without-heartbeat", "-l", "info"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    from celery import Celery

    producer = Celery("tests-producer", broker=REDIS_URL)
    try:
        yield producer, queue, proc, env
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        with producer.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)


def wait_for(check, timeout: float = 90.0, what: str = ""):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def overdue_item(world):
    from grassroots.rectification import services
    from grassroots.rectification.models import Item

    item = services.item_create(actor=world.zone_leader, title="消防通道堵塞", source="inspection",
                                owner=world.dept_city, deadline=dt.date.today() + dt.timedelta(days=30))
    today = dt.date.today()
    Item.objects.filter(pk=item.pk).update(raised_on=today - dt.timedelta(days=10), deadline=today - dt.timedelta(days=1))
    # The worker addresses notifications from its copy of the post table, re-read when the table changes but checked
    # at most every RECHECK_SECONDS: the test world is rebuilt from scratch for each test, so give it that time.
    from grassroots.people.directory import RECHECK_SECONDS

    time.sleep(RECHECK_SECONDS + 0.5)
    return item


def test_the_sweep_task_runs_in_a_worker_process_on_the_shared_database(worker, world):
    from grassroots.rectification.models import Item

    producer, queue, proc, _env = worker
    item = overdue_item(world)
    producer.send_task("grassroots.rectification.sweep", queue=queue)
    wait_for(lambda: Item.objects.get(pk=item.pk).status == "overdue", what="the worker's sweep")
    assert proc.poll() is None


def test_a_task_whose_worker_process_is_killed_is_delivered_again_and_its_effect_happens_once(worker, world,
                                                                                             tmp_path):
    from grassroots.core.models import Event
    from grassroots.rectification.models import Item

    producer, queue, proc, _env = worker
    item = overdue_item(world)
    marker = tmp_path / "attempts.txt"
    producer.send_task("tests.sweep_then_wait", args=[str(marker)], queue=queue)

    def lines():
        return marker.read_text(encoding="utf-8").split() if marker.exists() else []

    first = wait_for(lambda: lines()[:2] if len(lines()) >= 2 else None, what="the first attempt")
    assert Item.objects.get(pk=item.pk).status == "overdue"  # the first attempt did the work, then was killed
    os.kill(int(first[0]), signal.SIGKILL)
    both = wait_for(lambda: lines() if len(lines()) >= 4 else None, what="the attempt after the kill")
    assert both[2] != both[0]  # another pool process ran it again …
    assert both[3] == "0"  # … and found nothing left to do
    assert Event.objects.filter(verb="item.mark_overdue", object_id=str(item.pk)).count() == 1
    assert proc.poll() is None  # the worker itself lives on


def test_beat_sends_the_project_schedule_and_the_worker_runs_it(worker, world, tmp_path):
    """Beat on the production schedule (``CELERY_BEAT_SCHEDULE``), every entry made to fire each second: the
    rectification sweep it sends reaches the worker and marks the item overdue."""
    from django.conf import settings

    from grassroots.rectification.models import Item

    _producer, _queue, proc, env = worker
    assert {"grassroots.cases.sweep", "grassroots.rectification.sweep", "grassroots.core.sweep_exports",
            "grassroots.partylife.sweep", "grassroots.village.remind_rents", "grassroots.park.entry_alerts"} == {
        e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    item = overdue_item(world)
    beat = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tests.support.celery_worker", "beat", "-s",
         str(tmp_path / "beat-schedule"), "--pidfile=", "-l", "info"],
        cwd=ROOT, env={**env, "CELERY_TEST_BEAT_SECONDS": "1"}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for(lambda: Item.objects.get(pk=item.pk).status == "overdue", what="the sweep sent by beat")
    finally:
        beat.terminate()
        beat.wait(timeout=20)
    assert proc.poll() is None
