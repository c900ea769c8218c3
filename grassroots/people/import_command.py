"""The shape every roster import command shares: check all rows first, report every bad row, write nothing on error.

Subclasses set ``help``, ``noun`` (what a written row is called) and ``actor_required``, and implement
``template()`` (an empty .xlsx) and ``run(actor, file, dry_run, progress)`` (returning a ``core.imports`` report).
It lives in people because the importing account (``--as``) is one of people's accounts; people's and party's
roster commands build on it.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from grassroots.core.errors import ApplicationError

from .models import User


class RosterImportCommand(BaseCommand):
    noun = ("行", "rows")
    actor_required = True

    def template(self) -> bytes:  # pragma: no cover - each subclass provides it
        raise NotImplementedError

    def run(self, *, actor, file, dry_run: bool, progress: bool):  # pragma: no cover - each subclass provides it
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?")
        parser.add_argument("--as", dest="username", help="account whose scope and permissions apply")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--template", action="store_true", help="write an empty template to stdout")
        parser.add_argument("--no-progress", action="store_true")

    def _actor(self, username):
        if not username:
            if self.actor_required:
                raise CommandError("请用 --as 指定导入账号 / name the importing account with --as")
            return None  # the system: every person and organisation
        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"账号不存在：{username}")
        return actor

    def handle(self, *args, **options):
        if options["template"]:
            sys.stdout.buffer.write(self.template())
            return
        if not options["file"]:
            raise CommandError("请指定 .xlsx 文件 / give an .xlsx file")
        actor = self._actor(options["username"])
        try:
            with open(options["file"], "rb") as fh:
                report = self.run(actor=actor, file=fh, dry_run=options["dry_run"],
                                  progress=not options["no_progress"])
        except OSError as exc:
            raise CommandError(str(exc))
        except ApplicationError as exc:
            raise CommandError(exc.message)
        for error in report.errors:
            self.stdout.write(str(error))
        if report.errors:
            raise CommandError(f"{len(report.errors)} 处错误，未写入任何数据 / {len(report.errors)} errors, nothing written")
        if report.dry_run:
            self.stdout.write(self.style.SUCCESS(f"检查通过：{report.total} 行（未写入）/ {report.total} rows OK (dry run)"))
        else:
            zh, en = self.noun
            self.stdout.write(self.style.SUCCESS(f"已导入 {report.written} {zh} / imported {report.written} {en}"))
