"""``grassroots medal50 --year YYYY [--out FILE] [--user NAME]``: the year's 光荣在党50年 list as Excel.

Scoped like every reader: with ``--user`` the list is what that account sees; without it, the whole register (the
system). A progress bar runs on standard error while rows are written.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from grassroots.core import exports
from grassroots.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Write the year's 光荣在党50年 medal list to an Excel file"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--out", default="", help="file to write (default medal50-YYYY.xlsx)")
        parser.add_argument("--user", default="", help="the account whose scope the list follows")

    def handle(self, *args, **opts):
        from grassroots.people.models import User

        actor = None
        if opts["user"]:
            actor = User.objects.filter(username=opts["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"no active account {opts['user']!r}")
        try:
            request = exports.prepare("partyhonours.medal50", actor=actor, filters={"year": opts["year"]})
        except ApplicationError as exc:
            raise CommandError(exc.en) from exc
        total = request.kind.count(request)
        out = opts["out"] or f"medal50-{opts['year']}.xlsx"
        with tqdm(total=total, desc="光荣在党50年", unit="人", disable=opts["verbosity"] == 0) as bar:
            done = [0]

            def progress(n):
                bar.update(n - done[0])
                done[0] = n

            rows = exports.write_file(request, out, progress=progress)
            bar.update(rows - done[0])
        exports.record_export(request, rows, file=out)
        self.stdout.write(f"{rows} rows → {out}")
