"""grassroots demo --size small|full --seed N [--reset [--yes]]: build the synthetic demo zone."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from grassroots.demo import generator
from grassroots.demo.generator.accounts import TOTP_SECRET
from grassroots.people.models import Role


class Command(BaseCommand):
    help = "Build the synthetic demo zone (territory, residents, organisations, party, accounts for every role)."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(generator.SIZES), default="full")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--reset", action="store_true",
                            help="empty the demo tables (and everything that refers to them) first")
        parser.add_argument("--yes", "--no-input", action="store_true", dest="yes",
                            help="do not ask before --reset deletes")
        parser.add_argument("--no-progress", action="store_true", help="no progress bars")

    def handle(self, *args, size, seed, reset, yes, no_progress, **options):
        if not generator.database_is_empty():
            if not reset:
                raise CommandError("数据库不是空的；加 --reset 先清空演示数据表（会说明删除哪些内容）。"
                                   " / The database is not empty; add --reset to empty the demo tables first.")
            self._explain_reset()
            if not yes and input("确认删除？输入 yes 继续 / Type yes to delete: ").strip().lower() != "yes":
                raise CommandError("已取消 / Cancelled")
            counts = generator.reset_database()
            self.stdout.write(f"已删除 {sum(counts.values())} 行 / deleted {sum(counts.values())} rows")
        started = time.perf_counter()
        progress = generator.progress_factory(enabled=False if no_progress else None)
        ctx = generator.build(size=size, seed=seed, stdout=self.stdout, progress=progress)
        elapsed = time.perf_counter() - started
        self._report(ctx, elapsed)

    def _explain_reset(self):
        tables = [m._meta for m in generator.reset_plan()]
        self.stdout.write("--reset 将删除以下数据表的全部行 / --reset deletes every row of these tables:")
        for meta in tables:
            self.stdout.write(f"  {meta.db_table:<36} {meta.verbose_name_plural}")
        self.stdout.write("保留：审计日志（只增不删）以及不引用上述数据的参考数据（分类、时限、节假日等）。"
                          " / Kept: the audit log (append-only) and reference data that refers to none of them.")

    def _report(self, ctx, elapsed: float):
        s = ctx.stats
        w = self.stdout.write
        w(self.style.SUCCESS(
            f"演示区已生成 / demo zone built ({ctx.size}, seed {ctx.seed}) in {elapsed:.1f}s: "
            f"{s.get('subdistricts')} 街道, {s.get('communities')} 社区, {s.get('villages')} 村, "
            f"{s.get('grids')} 网格, {s.get('buildings')} 楼栋, {s.get('residents')} 居民, "
            f"{s.get('organizations')} 组织, {s.get('party_orgs', 0)} 党组织, {s.get('report_ins', 0)} 报到党员"))
        w("")
        w(_("演示账号（所有账号密码相同）/ demo accounts (one password for all):"))
        rows = [(username, f"{role} {Role(role).label}", scope, ctx.password) for username, role, scope in ctx.accounts]
        first, last = ctx.grids[0], ctx.grids[-1]
        rows.append(("gw_<网格编码>", f"{Role.GRID_WORKER.value} {Role.GRID_WORKER.label}",
                     f"每个网格一个 one per grid: gw_{first.code}（{first.name}）… gw_{last.code}（{last.name}）",
                     ctx.password))
        w(f"  {'username':<20} {'role':<30} {'password':<11} scope")
        for username, role, scope, password in rows:
            w(f"  {username:<20} {role:<30} {password:<11} {scope}")
        w("区领导、街道干部、系统管理员、审计管理员已绑定二次验证（TOTP），演示密钥 / zone_leader, subdistrict_officer, "
          f"admin and auditor have a TOTP second factor enrolled, demo secret: {TOTP_SECRET}")
