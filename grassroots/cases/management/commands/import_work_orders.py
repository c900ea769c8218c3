"""``grassroots import_work_orders FILE.xlsx|FILE.csv --source 12345|provincial --as USERNAME [--dry-run]``.

Every row is checked first; bad rows are listed with their line numbers and nothing is imported while any row is
bad. Work orders imported before (same number, same source) are skipped and counted.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from grassroots.cases.workorders import intake
from grassroots.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Import 12345 / provincial-platform work orders as cases (validated as a whole; re-import is safe)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--source", choices=sorted(intake.SOURCES), required=True)
        parser.add_argument("--as", dest="username", required=True,
                            help="the hotline operator account the cases are filed by")
        parser.add_argument("--dry-run", action="store_true", help="check the file and count, write nothing")

    def handle(self, *args, **options):
        from grassroots.people.models import User

        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active account {options['username']!r}")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"file not found: {path}")
        try:
            report = intake.import_work_orders(actor=user, name=path.name, data=path.read_bytes(),
                                               source=options["source"], dry_run=options["dry_run"])
        except intake.WorkOrdersInvalid as exc:
            for line, reason in exc.report.errors:
                self.stderr.write(f"第 {line} 行 / line {line}: {reason}")
            raise CommandError(exc.en)
        except ApplicationError as exc:
            raise CommandError(exc.en)
        verb = "would create" if report.dry_run else "created"
        self.stdout.write(f"source={report.source} rows={report.rows} {verb}={report.created} "
                          f"skipped_existing={report.skipped_existing}")
