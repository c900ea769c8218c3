"""The Celery app (``celery -A config worker`` / ``beat``). Like gunicorn's ``config.wsgi``, it defaults to the
production settings (``docs/operations.md``); embedded mode runs the same functions in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

app = Celery("grassroots")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
