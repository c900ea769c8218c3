"""The park's periodic work on Celery (beat: ``park-entry-alerts``); idempotent: an enterprise is alerted once."""

from celery import shared_task


@shared_task(name="grassroots.park.entry_alerts", acks_late=True)
def entry_alerts() -> int:
    from . import services

    return services.entry_alerts()
