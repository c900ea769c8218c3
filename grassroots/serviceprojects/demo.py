"""The agencies' 我为群众办实事 of the article: "精准化为民服务128次" — 128 practical-service projects of the
agencies' and departments' party organisations this year, from grid visits, 双报到 pledges, cases and topics, most
done and rated by residents through the printed notice (满意 / 基本满意 / 不满意), a few still running; some tagged
"两个走进心里". Written through the services."""

from __future__ import annotations

import datetime as dt

from . import services

ARTICLE_PROJECTS = 128
TEMPLATES = (
    ("grid_visit", "为独居老人安装燃气报警器"), ("grid_visit", "老旧小区楼道照明维修"),
    ("pledge", "爱心义诊进社区"), ("pledge", "政策宣讲进企业"), ("case", "背街小巷路面坑洼修补"),
    ("case", "小区周边占道经营整治"), ("topic", "社区停车位规划增设"), ("topic", "口袋公园休闲座椅增设"),
    ("grid_visit", "困难家庭子女课后托管"), ("pledge", "帮办代办企业开办手续"), ("case", "雨水井盖破损更换"),
    ("other", "便民服务热线回访提升"),
)
OWNERS = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周杰", "吴婷")


def build(ctx) -> None:
    from grassroots.party.models import PartyOrg

    orgs = list(PartyOrg.objects.filter(active=True, organization__kind__in=["agency", "department"])
                .exclude(kind="building_group").order_by("path"))
    if not orgs:
        return
    rng, today = ctx.rng, ctx.today
    start0 = dt.date(today.year, 1, 15)
    span = max(1, (today - start0).days - 20)
    done = rated = 0
    for n in range(ARTICLE_PROJECTS):
        source, title = TEMPLATES[n % len(TEMPLATES)]
        start = start0 + dt.timedelta(days=rng.randrange(span))
        due = start + dt.timedelta(days=rng.choice((15, 30, 45, 60)))
        project = services.project_create(
            actor=None, org=orgs[n % len(orgs)], title=title, source=source, owner=rng.choice(OWNERS), start=start,
            due=due, source_ref=str(1000 + n) if source == "case" else "", hearts=rng.random() < 0.3,
            description="围绕群众急难愁盼，明确责任人和时限，办结后请群众评价。")
        milestone = services.milestone_add(actor=None, project=project, title="摸排需求、制定方案",
                                           due_on=start + dt.timedelta(days=5))
        if due < today and rng.random() < 0.95 or rng.random() < 0.5:
            services.milestone_done(actor=None, milestone=milestone, done_on=min(today, start + dt.timedelta(days=4)))
            services.project_progress(actor=None, project=project, progress=60, note="已完成主体工作")
            finished = min(today, due - dt.timedelta(days=rng.randint(0, 5)))
            services.project_finish(actor=None, project=project, result="已按期办结，群众反映良好",
                                    done_on=max(finished, start))
            done += 1
            for v in range(rng.randint(2, 6)):
                rating = rng.choices(("satisfied", "basically", "unsatisfied"), weights=(80, 17, 3))[0]
                services.rating_submit(project=project, rating=rating,
                                       voter_key=services.voter_key_for_phone(f"demo-{n}-{v}"))
                rated += 1
        elif start <= today:
            services.project_progress(actor=None, project=project, progress=rng.randint(10, 80), note="推进中")
    ctx.stats.update(service_projects=ARTICLE_PROJECTS, service_projects_done=done, service_ratings=rated)
