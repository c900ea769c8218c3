"""Import a people roster (.xlsx) as a given account: every row is checked first; nothing is written on any error.

    grassroots import_people roster.xlsx --as staff1 [--dry-run]
    grassroots import_people --template > 人员名单模板.xlsx
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from grassroots.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Import persons from an .xlsx roster (姓名, 证件类型, 证件号码, 手机号, 楼栋编码, 房号, 与户主关系, 标签)"

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?")
        parser.add_argument("--as", dest="username", help="account whose scope and permissions apply")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--template", action="store_true", help="write an empty template to stdout")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        from grassroots.people import imports, services
        from grassroots.people.models import User

        if options["template"]:
            sys.stdout.buffer.write(imports.template())
            return
        if not options["file"]:
            raise CommandError("请指定 .xlsx 文件 / give an .xlsx file")
        if not options["username"]:
            raise CommandError("请用 --as 指定导入账号 / name the importing account with --as")
        actor = User.objects.filter(username=options["username"], is_active=True).first()
        if actor is None:
            raise CommandError(f"账号不存在：{options['username']}")
        try:
            with open(options["file"], "rb") as fh:
                report = services.person_import(actor=actor, file=fh, dry_run=options["dry_run"],
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
            self.stdout.write(self.style.SUCCESS(f"已导入 {report.written} 人 / imported {report.written}"))
