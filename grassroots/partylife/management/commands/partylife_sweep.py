"""``grassroots partylife_sweep [--at "YYYY-MM-DD HH:MM"]``: raise the alerts of organisational life (rhythm
missed in the last closed period, members six months without organisational life or dues, terms ending) once each
and tell the organisations and the committees above them."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from grassroots.partylife.sweep import run_sweep


class Command(BaseCommand):
    help = "Raise organisational-life alerts: rhythm missed, members inactive for six months, terms ending."

    def add_arguments(self, parser):
        parser.add_argument("--at", help='run as of this local time, "YYYY-MM-DD HH:MM" (default: now)')

    def handle(self, *args, **options):
        at = None
        if options.get("at"):
            try:
                at = timezone.make_aware(dt.datetime.strptime(options["at"], "%Y-%m-%d %H:%M"))
            except ValueError:
                raise CommandError('--at expects "YYYY-MM-DD HH:MM"') from None
        self.stdout.write(json.dumps(run_sweep(at), ensure_ascii=False))
