"""``grassroots coop_trial FILE.json [--xlsx OUT]``: the trial distribution (试算) of a year's surplus from a file,
printed as JSON (amounts as strings with two decimals); the same function as the pages. A bad file: every error with
its path in the file, on stderr, and a non-zero exit."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from grassroots.cooperatives import trial as T
from grassroots.cooperatives.distribution import DistributionError


class Command(BaseCommand):
    help = "Work the trial distribution of a cooperative's surplus from a JSON file and print it as JSON."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the trial file (JSON)")
        parser.add_argument("--xlsx", help="also write the trial to this Excel file")

    def handle(self, *args, **options):
        try:
            with open(options["file"], encoding="utf-8") as fh:
                text = fh.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{options['file']}: {exc}") from None
        try:
            result = T.loads(text).run()
        except T.TrialInvalid as exc:
            for error in exc.errors:
                self.stderr.write(f"{error.path}: {error.zh} ({error.en})")
            raise CommandError(f"{len(exc.errors)} error(s) in {options['file']}", returncode=2) from None
        except DistributionError as exc:
            raise CommandError(f"$: {exc.zh} ({exc.en})", returncode=2) from None
        if options.get("xlsx"):
            from grassroots.cooperatives.services import trial_workbook

            with open(options["xlsx"], "wb") as fh:
                fh.write(trial_workbook(result))
        self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
