"""Key projects of the park (the article: "1+4" — one task force, and per project one office, one commissioner, one
plan — with 13 provincial and 28 city key projects led by state-owned enterprises this year). Writes, through the
services: the park's task force, a park staff account (``park_staff``) who keeps the projects and a commissioner per
project, 37 SOE-led projects (13 on this year's provincial list, 28 on the city list, four on both) and 12 others on
the zone list, their annual plans, monthly investment since January last year (some behind plan, a few not started
or not yet in the statistics, so every light shows), progress notes, key nodes and, for the projects in red, a problem
on the rectification ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from . import selectors, services

PROVINCIAL, CITY, BOTH = 13, 28, 4
OTHERS = 12
STEMS = ("高端陶瓷粉体", "电子级化学品", "新能源电池材料", "氢能装备", "特种纤维", "高性能树脂", "光伏封装材料", "石墨烯",
         "稀土功能材料", "半导体靶材", "生物基材料", "精细化工中间体", "碳纤维复合材料", "智能仓储物流", "热电联产",
         "工业互联网平台", "先进陶瓷", "锂电隔膜", "海水淡化装备", "催化剂")
KINDS = ("项目", "一期项目", "二期项目", "扩建项目", "产业园项目")
INDUSTRIES = ("新材料", "新能源", "高端化工", "装备制造", "现代物流", "数字经济")
LEADERS = ("王建国", "李卫东", "张志强", "刘红梅", "陈明", "赵永刚")
PROGRESS = ("主体结构施工中，完成形象进度约六成。", "设备基础施工完成，钢结构吊装推进中。", "厂房封顶，进入设备安装阶段。")
NODES = (("完成立项备案", 0), ("取得施工许可", 60), ("主体结构封顶", 180), ("设备安装调试", 300), ("竣工验收", 420))


def _staff(ctx):
    from grassroots.core.roles import Role
    from grassroots.people.models import Post, User

    user = User.objects.filter(username="park_staff").first()
    if user is None:
        user = User.objects.create_user(username="park_staff", password=ctx.password, display_name="园区项目办工作人员")
        Post.objects.create(user=user, role=Role.COMMUNITY_STAFF, region=ctx.park, title="经济发展部",
                            start_date=dt.date(ctx.today.year - 3, 1, 1))
        ctx.users.setdefault(Role.COMMUNITY_STAFF, []).append(user)
        ctx.accounts.append(("park_staff", Role.COMMUNITY_STAFF, ctx.park.name))
    return user


def _month_add(year: int, month: int, n: int) -> tuple[int, int]:
    k = year * 12 + month - 1 + n
    return k // 12, k % 12 + 1


def build(ctx) -> None:
    from grassroots.keyprojects.models import InvestmentReport
    from grassroots.people.models import Organization

    if ctx.park is None:
        return
    rng, today = ctx.rng, ctx.today
    staff = _staff(ctx)
    soes = list(Organization.objects.filter(kind="state_owned_enterprise").order_by("name"))
    firms = [o for o in ctx.enterprises if o.kind == "enterprise"] or soes
    offices = list(ctx.departments.values())[:6] or soes
    commissioners = [u for u in selectors.commissioner_choices(region=ctx.park)[:40] if u.pk != staff.pk] or [staff]
    force = services.task_force_create(actor=None, region=ctx.park, name="重点项目推进专班", leader="园区管委会主任")
    year, last = today.year, _month_add(today.year, today.month, -1)
    stems = list(STEMS)
    rng.shuffle(stems)
    total = PROVINCIAL + CITY - BOTH + OTHERS
    reports, counts = [], {"provincial": 0, "municipal": 0}
    for n in range(total):
        soe = n < PROVINCIAL + CITY - BOTH
        kinds = (["provincial"] if n < PROVINCIAL - BOTH else ["provincial", "municipal"] if n < PROVINCIAL
                 else ["municipal"] if soe else ["zone"])
        for k in kinds:
            if k in counts:
                counts[k] += 1
        owner = soes[n % len(soes)] if soe else firms[n % len(firms)]
        profile = rng.choices(("on_track", "behind", "far_behind", "not_started", "no_stats"),
                              weights=(55, 20, 8, 9, 8))[0]
        total_wan = Decimal(rng.randrange(8_000, 260_000, 500))
        planned_start = dt.date(year - 1, rng.randint(1, 12), 1)
        if profile == "not_started":
            planned_start = dt.date(*_month_add(today.year, today.month, -rng.randint(1, 5)), 1)
        started = None if profile == "not_started" else planned_start + dt.timedelta(days=rng.randint(0, 25))
        if started and started > today:
            started = None
        in_stats = started is not None and profile != "no_stats"
        stats_date = started + dt.timedelta(days=rng.randint(10, 40)) if in_stats else None
        if stats_date and stats_date > today:
            stats_date = today
        project = services.project_create(
            actor=None, region=ctx.park,
            name=f"{stems[n % len(stems)]}{KINDS[n // len(stems) % len(KINDS)]}",
            level="provincial" if "provincial" in kinds else "municipal" if soe else "zone",
            phase="preparatory" if started is None else "new_start" if started.year == year else "continuing",
            track_class="assessed" if n % 5 else "service", industry=INDUSTRIES[n % len(INDUSTRIES)],
            owner_unit=owner, soe_led=soe, total_investment_wan=total_wan,
            completed_before_wan=Decimal("0"), patron_leader=LEADERS[n % len(LEADERS)], task_force=force,
            office=offices[n % len(offices)], commissioner=commissioners[n % len(commissioners)],
            plan_summary="倒排工期、挂图作战：专班每月调度，专员每周到现场，问题即时交办、限时销号。",
            planned_start=planned_start, actual_start=started,
            planned_end=planned_start + dt.timedelta(days=rng.choice((540, 720, 900))),
            in_fai_stats=in_stats, in_stats_date=stats_date)
        services.listing_set(actor=None, project=project, year=year, kinds=kinds)
        services.listing_set(actor=None, project=project, year=year - 1, kinds=kinds[:1])
        share = {"on_track": 1.0, "behind": 0.78, "far_behind": 0.45, "not_started": 0.0, "no_stats": 0.95}[profile]
        for y in (year - 1, year):
            plan = (total_wan * Decimal(rng.uniform(0.25, 0.4))).quantize(Decimal("1"))
            services.plan_set(actor=None, project=project, year=y, planned_wan=plan,
                              image_target="主体工程完工" if y == year else "完成土建施工")
            if started is None:
                continue
            ym = (started.year, started.month) if (started.year, started.month) > (y, 1) else (y, 1)
            while ym <= last and ym[0] == y:
                monthly = plan / 12
                done = monthly * Decimal(share * rng.uniform(0.85, 1.15))
                reports.append(InvestmentReport(
                    project=project, year=ym[0], month=ym[1], xun=0, ym=ym[0] * 100 + ym[1],
                    planned_wan=monthly.quantize(Decimal("0.01")), completed_wan=done.quantize(Decimal("0.01")),
                    funds_in_place_wan=(done * Decimal("0.9")).quantize(Decimal("0.01")), reported_by=staff,
                    created_at=ctx.now, updated_at=ctx.now))
                ym = _month_add(*ym, 1)
        if started is not None:
            for m in range(3):
                y, mm = _month_add(*last, -m)
                services.progress_submit(actor=None, project=project, year=y, month=mm,
                                         text=rng.choice(PROGRESS))
        for name, days in NODES[:3]:
            due = planned_start + dt.timedelta(days=days)
            node = services.node_add(actor=None, project=project, name=name, due=due, responsible=owner.name,
                                     arrangement="专员跟踪，专班周调度")
            if started and due < today - dt.timedelta(days=10) and profile != "far_behind":
                services.node_done(actor=None, node=node, done_on=due, note="按期完成")
        if profile in ("far_behind", "not_started"):
            services.problem_raise(actor=None, project=project, title="施工进度滞后，需协调要素保障",
                                   owner=owner, deadline=today + dt.timedelta(days=30),
                                   description="用地、用能指标待落实，业主单位整改，责任部室牵头协调。")
    InvestmentReport.objects.bulk_create(reports, batch_size=1000)
    ctx.stats.update(key_projects=total, key_projects_provincial=counts["provincial"],
                     key_projects_city=counts["municipal"], key_project_reports=len(reports))
