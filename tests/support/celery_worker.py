"""The Celery app a test worker and beat run (``celery -A tests.support.celery_worker worker`` / ``beat``): the
project's own app (``config.celery``, every task autodiscovered, the production beat schedule) on the test settings,
plus one task that only the worker tests send.

``tests.sweep_then_wait`` runs the real rectification sweep, notes the attempt (process id and result) in a file,
and on its first attempt then waits, so that the test can kill the process mid-task: the task acknowledges late and
is rejected when its worker process is lost, so the broker delivers it again and the second attempt completes.
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

from config.celery import app  # noqa: E402

# A test's worker and beat use a queue of their own on a broker others may share; beat may run the project's own
# schedule faster (every entry every CELERY_TEST_BEAT_SECONDS seconds) so that a test sees it tick.
if os.environ.get("CELERY_TEST_QUEUE"):
    app.conf.task_default_queue = os.environ["CELERY_TEST_QUEUE"]
if os.environ.get("CELERY_TEST_BEAT_SECONDS"):
    from django.conf import settings

    every = float(os.environ["CELERY_TEST_BEAT_SECONDS"])
    app.conf.beat_schedule = {name: {**entry, "schedule": every} for name, entry in settings.CELERY_BEAT_SCHEDULE.items()}


@app.task(name="tests.sweep_then_wait", acks_late=True, reject_on_worker_lost=True)
def sweep_then_wait(marker: str) -> dict:
    from grassroots.rectification.tasks import sweep

    result = sweep()
    with open(marker, "a", encoding="utf-8") as f:
        f.write(f"{os.getpid()} {result['overdue']}\n")
    with open(marker, encoding="utf-8") as f:
        attempts = len(f.readlines())
    if attempts == 1:
        time.sleep(120)  # the test kills this process here
    return result
