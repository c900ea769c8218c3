"""``grassroots rectification_sweep [--at "YYYY-MM-DD HH:MM"]``: mark items past their deadline overdue and remind."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from grassroots.rectification.sweep import run_sweep


class Command(BaseCommand):
    help = "Mark rectification items past their deadline overdue and remind their owners and the level above."

    def add_arguments(self, parser):
        parser.add_argument("--at", help='run as of this local time, "YYYY-MM-DD HH:MM" (default: now)')

    def handle(self, *args, **options):
        at = None
        if options.get("at"):
            try:
                at = timezone.make_aware(dt.datetime.strptime(options["at"], "%Y-%m-%d %H:%M"))
            except ValueError:
                raise CommandError('--at expects "YYYY-MM-DD HH:MM"')
        self.stdout.write(json.dumps(run_sweep(at), ensure_ascii=False))
