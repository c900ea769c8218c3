"""The agencies' problem list of the article: "梳理问题清单79项" — this year's 79 items raised against the
agencies' and departments' organisations (inspections, self-checks, the masses' opinions, audits), most rectified,
submitted and closed (销号) by the zone's staff, the rest in rectification, waiting for verification, or overdue.
Written through the ledger's services; the overdue ones are marked by the ledger's own sweep."""

from __future__ import annotations

import datetime as dt

from grassroots.people.models import Organization

from . import services
from .sweep import run_sweep

ARTICLE_ITEMS = 79
PROBLEMS = (
    ("inspection", "办事指南更新不及时，部分材料清单与实际要求不一致", "一周内核对并更新全部办事指南"),
    ("inspection", "窗口高峰时段排队时间较长", "优化窗口设置，推行预约和错峰办理"),
    ("mass_opinion", "群众反映政策咨询电话经常无人接听", "落实专人值守和回拨制度"),
    ("mass_opinion", "企业反映审批事项跑动次数多", "梳理可网办事项，推行帮办代办"),
    ("self_check", "组织生活会批评与自我批评不够深入", "重新召开专题组织生活会并形成整改清单"),
    ("self_check", "党员学习记录不完整", "补齐学习台账，建立月度检查机制"),
    ("self_check", "“三会一课”记录不规范", "按规范补录会议记录，支部书记审核"),
    ("audit", "专项资金拨付进度滞后", "制定拨付计划，按月通报进度"),
    ("audit", "部分合同未按规定备案", "全面清理合同并补办备案"),
    ("inspection", "为民服务事项公示内容不全", "完善公示栏和网上公示"),
    ("mass_opinion", "群众反映执法过程解释说明不够", "开展规范执法和文明服务培训"),
    ("self_check", "联系服务群众制度落实不到位", "落实领导干部包片联系和定期走访"),
    ("inspection", "“两个走进心里”工作机制台账不健全", "建立走访台账，按季度汇总分析"),
)


def build(ctx) -> None:
    owners = list(Organization.objects.filter(kind__in=[Organization.Kind.AGENCY, Organization.Kind.DEPARTMENT],
                                              active=True).order_by("name"))
    if not owners or ctx.zone is None:
        return
    rng, today = ctx.rng, ctx.today
    start = dt.date(today.year, 1, 10)
    span = max(1, (today - start).days - 30)
    items = []
    for n in range(ARTICLE_ITEMS):
        source, title, requirement = PROBLEMS[n % len(PROBLEMS)]
        owner = owners[n % len(owners)]
        raised = start + dt.timedelta(days=rng.randrange(span))
        deadline = raised + dt.timedelta(days=rng.choice((30, 45, 60, 90)))
        items.append(services.item_create(
            actor=None, title=title, source=source, owner=owner, region=owner.region or ctx.zone,
            deadline=deadline, requirement=requirement, raised_on=raised))
    closed = submitted = 0
    for n, item in enumerate(items):
        share = n / ARTICLE_ITEMS
        if share < 0.86 or item.deadline < today - dt.timedelta(days=20) and share < 0.93:
            services.item_move(actor=None, item=item, verb="start")
            services.item_move(actor=None, item=item, verb="submit", measures=item.requirement or "已整改")
            services.item_move(actor=None, item=item, verb="verify")
            closed += 1
        elif share < 0.93:
            services.item_move(actor=None, item=item, verb="start")
            services.item_move(actor=None, item=item, verb="submit", measures="已完成整改，待验收")
            submitted += 1
        elif item.deadline >= today:
            services.item_move(actor=None, item=item, verb="start")
    overdue = run_sweep()["overdue"]
    ctx.stats.update(rectification_items=len(items), rectification_closed=closed,
                     rectification_submitted=submitted, rectification_overdue=overdue)
