"""``grassroots village_rent_reminders``: remind the village's staff once of every unpaid rent falling due within the
policy's days (``village_rent_reminder_days``, default 30)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from grassroots.village.services import remind_due


class Command(BaseCommand):
    help = "Remind village staff of rents falling due within the policy's days."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps({"reminded": remind_due()}))
