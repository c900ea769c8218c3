"""``grassroots load_categories [FILE]``: upsert case categories and their time limits from the seed file.

The whole file is validated first; every bad entry is listed and nothing is written if any is bad. Running it
again changes nothing (idempotent). Departments are matched by organisation name; missing ones are warnings.
"""

from django.core.management.base import BaseCommand, CommandError

from grassroots.cases.data import catalog


class Command(BaseCommand):
    help = "Load case categories (CJ/T 214 部件/事件 + 社会治理) and time limits from a JSON seed file (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help=f"Seed file (default: {catalog.DEFAULT_FILE})")

    def handle(self, *args, **options):
        try:
            doc = catalog.read(options["file"])
            report = catalog.load(actor=None, doc=doc)
        except catalog.CatalogInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(exc.en)
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write(
            f"categories created={report.created} updated={report.updated} unchanged={report.unchanged} "
            f"time_limits created={report.limits_created} updated={report.limits_updated} "
            f"warnings={len(report.warnings)}"
        )
