"""``grassroots sweep [--at "YYYY-MM-DD HH:MM"]``: escalate breached cases, flag 督办, resume suspended cases."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from grassroots.cases.sweep import run_sweep


class Command(BaseCommand):
    help = "Escalate cases past their deadlines, flag 督办, and resume suspended cases at their review date."

    def add_arguments(self, parser):
        parser.add_argument("--at", help='run as of this local time, "YYYY-MM-DD HH:MM" (default: now)')

    def handle(self, *args, **options):
        at = None
        if options.get("at"):
            try:
                at = timezone.make_aware(dt.datetime.strptime(options["at"], "%Y-%m-%d %H:%M"))
            except ValueError:
                raise CommandError('--at expects "YYYY-MM-DD HH:MM"')
        result = run_sweep(at)
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
