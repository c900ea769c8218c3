"""grassroots import_boundaries FILE.geojson [--dry-run] [--user USERNAME]"""

from __future__ import annotations

import json
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from grassroots.core.errors import ApplicationError
from grassroots.territory.services import boundaries_import


class Command(BaseCommand):
    help = "导入区域边界（GeoJSON FeatureCollection）：全部成功或全部不导入；--dry-run 只检查"

    def add_arguments(self, parser):
        parser.add_argument("file", help="GeoJSON 文件（- 表示标准输入）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--user", help="以该账号的身份导入（记入审计日志）；缺省为系统")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出报告")

    def handle(self, *args, **options):
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"账号「{options['user']}」不存在")
        try:
            if options["file"] == "-":
                data = sys.stdin.buffer.read()
            else:
                with open(options["file"], "rb") as fh:
                    data = fh.read()
        except OSError as exc:
            raise CommandError(f"无法读取文件：{exc}") from None
        progress = options["verbosity"] >= 1 and not options["json"]
        try:
            report = boundaries_import(actor=actor, data=data, dry_run=options["dry_run"], progress=progress)
        except ApplicationError as err:
            body = err.details or {"errors": [{"index": None, "name": "", "message": err.zh,
                                               "message_en": err.en}], "warnings": []}
            if options["json"]:
                self.stdout.write(json.dumps({"ok": False, "message": err.zh, **body}, ensure_ascii=False, indent=2))
            else:
                self._print(body)
            raise CommandError(err.zh) from None
        if options["json"]:
            self.stdout.write(json.dumps({"ok": True, **report.as_dict()}, ensure_ascii=False, indent=2))
            return
        self._print(report.as_dict())
        verb = "检查通过（未写入）" if report.dry_run else "导入完成"
        self.stdout.write(self.style.SUCCESS(
            f"{verb}：{report.features} 个要素，新设 {len(report.created)}，调整 {len(report.updated)}，"
            f"警告 {len(report.warnings)}"))

    def _print(self, body: dict) -> None:
        for e in body.get("errors", []):
            where = "—" if e["index"] is None else f"#{e['index']}"
            self.stderr.write(self.style.ERROR(f"错误 {where} {e['name']}：{e['message']}"))
        for w in body.get("warnings", []):
            where = "—" if w["index"] is None else f"#{w['index']}"
            self.stdout.write(self.style.WARNING(f"警告 {where} {w['name']}：{w['message']}"))
