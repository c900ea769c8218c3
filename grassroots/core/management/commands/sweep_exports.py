"""``grassroots sweep_exports``: delete the files of expired export jobs (Celery beat does it hourly)."""

from django.core.management.base import BaseCommand

from grassroots.core.export_jobs import job_sweep


class Command(BaseCommand):
    help = "Delete the files of expired export jobs and mark them expired"

    def handle(self, *args, **options):
        result = job_sweep()
        self.stdout.write(f"expired {result['expired']}, failed {result['failed']}")
