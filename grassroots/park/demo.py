"""The park of the article: its enterprise grids (19 in the full demo) each with veteran party members as 党建指导员
serving the grid's key enterprises (at most three each) and a year of their visits; every enterprise entered into its
grid with its party organisation status and the 同步 steps, a named service commissioner and a printed contact card
(two cards wait for a reprint after a change of secretary; one new project is late for its grid); two industry-chain
party committees with a joint meeting; and the enterprise appeals of the closed loop's year typed (咨询, 求助, 投诉,
举报, 建议; some urgent), tagged and closed resolved, explained or planned."""

from __future__ import annotations

import datetime as dt

from . import services

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("建国", "卫东", "志强", "秀兰", "国庆", "玉华", "立新", "红梅", "德明", "桂英")
CHAINS = (("新材料产业链党委", "新材料"), ("高端化工产业链党委", "高端化工"))


def _user(ctx, username: str, role: str, grids, display: str, title: str):
    from grassroots.people.models import Post, User

    user = User.objects.create_user(username=username, password=ctx.password, display_name=display)
    for grid in grids:
        Post.objects.create(user=user, role=role, region=grid, title=title,
                            start_date=dt.date(ctx.today.year - 2, 1, 1))
    ctx.users.setdefault(role, []).append(user)
    return user


def build(ctx) -> None:
    from grassroots.cases.models import Case
    from grassroots.cases.states import AppealType, ClosureKind, Topic
    from grassroots.park.models import Visit

    if ctx.park is None:
        return
    rng, today = ctx.rng, ctx.today
    grids = [g for g in ctx.grids_by_area.get(ctx.park.id, []) if g.grid_kind == "enterprise"]
    if not grids:
        return
    # instructors: the demo account takes the first grid; veteran party members take the others, one or two each
    instructors = []
    first = ctx.users.get("party_instructor", [None])[0]
    chunks = [grids[:1]] + [grids[i:i + 2] for i in range(1, len(grids), 2)]
    for n, chunk in enumerate(chunks):
        name = SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)]
        user = first if n == 0 and first is not None else _user(ctx, f"instructor{n + 1}", "party_instructor", chunk,
                                                                name, "党建指导员")
        ins = services.instructor_create(actor=None, park=ctx.park, user=user, name=user.display_name or name,
                                         phone=f"1390546{n:04d}", background="退休老党员，原企业党委书记")
        for g in chunk:
            services.assign(actor=None, instructor=ins, grid=g, start=dt.date(today.year - 1, 3, 1))
        instructors.append((ins, chunk))
    # commissioners: the demo account serves the first grid's enterprises, others every four grids
    commissioners = {}
    demo_sc = ctx.users.get("service_commissioner", [None])[0]
    for k in range(0, len(grids), 4):
        user = demo_sc if k == 0 and demo_sc is not None else _user(
            ctx, f"commissioner{k // 4 + 1}", "service_commissioner", grids[k:k + 4],
            f"企业服务专员{k // 4 + 1}", "企业服务专员")
        for g in grids[k:k + 4]:
            commissioners[g.pk] = user
    if demo_sc is not None:
        for g in grids[:4]:
            commissioners[g.pk] = demo_sc
    committees = [services.committee_create(actor=None, park=ctx.park, name=n, chain=c, secretary="园区党工委委员")
                  for n, c in CHAINS]
    by_grid: dict[int, list] = {}
    for org in ctx.enterprises:
        by_grid.setdefault(org.region_id, []).append(org)
    profiles = []
    statuses = ("own_branch", "own_branch", "joint_branch", "instructor_only", "none")
    for g in grids:
        for j, org in enumerate(by_grid.get(g.pk, [])):
            registered = today - dt.timedelta(days=rng.randint(400, 3000))
            status = statuses[rng.randrange(len(statuses))]
            p = services.profile_create(
                actor=None, organization=org, park=ctx.park, registered_on=registered, kind="enterprise")
            p = services.profile_update(
                actor=None, profile=p, grid=g, is_key=j == 0, party_status=status,
                party_org_name=f"{org.short_name or org.name[:6]}党支部" if status in ("own_branch", "joint_branch")
                else "", secretary_name=SURNAMES[rng.randrange(20)] + GIVEN[rng.randrange(10)],
                secretary_phone=f"1375460{rng.randrange(10000):04d}", commissioner=commissioners.get(g.pk),
                contact_name=SURNAMES[rng.randrange(20)] + "经理", contact_phone=f"1585460{rng.randrange(10000):04d}",
                chain=committees[j % 2])
            for step in ("org", "activity", "role"):
                services.sync_step(actor=None, profile=p, step=step,
                                   on=registered + dt.timedelta(days=rng.randint(5, 60)))
            services.card_issue(actor=None, profile=p)
            profiles.append(p)
    # two secretaries changed since their cards were printed (the reprint list); a new project late for its grid
    for p in profiles[:2]:
        services.profile_update(actor=None, profile=p, secretary_name="新任" + p.secretary_name[:1] + "书记")
    from grassroots.people.models import Organization

    late = Organization.objects.create(name="东营新材料二期扩建项目部", kind=Organization.Kind.ENTERPRISE,
                                       region=ctx.park)
    services.profile_create(actor=None, organization=late, park=ctx.park, kind="project",
                            registered_on=today - dt.timedelta(days=45))
    services.entry_alerts(today=today)
    # a year of visits: ten to twelve days a month on site, spread over the grid's enterprises
    by_grid_profiles: dict[int, list] = {}
    for p in profiles:
        by_grid_profiles.setdefault(p.grid_id, []).append(p)
    visits = []
    start = dt.date(today.year - 1, today.month, 1)
    for ins, chunk in instructors:
        mine = [p for g in chunk for p in by_grid_profiles.get(g.pk, [])]
        if not mine:
            continue
        day = start
        while day < today:
            y, m = day.year, day.month
            days = sorted(rng.sample(range(1, 28), rng.randint(9, 12)))
            for d in days:
                on = dt.date(y, m, d)
                if on >= today:
                    break
                visits.append(Visit(instructor=ins, profile=rng.choice(mine), visited_on=on,
                                    asked=rng.choice(("用工招聘困难", "申报高新技术企业", "用电增容", "党组织组建", "融资对接")),
                                    done=rng.choice(("对接人社部门专场招聘", "讲解申报政策并帮助准备材料", "协调供电公司上门",
                                                     "指导召开党员大会", "联系银行上门对接")),
                                    follow_up="两周后回访", created_at=ctx.now, updated_at=ctx.now))
            day = dt.date(y + (m == 12), m % 12 + 1, 1)
    Visit.objects.bulk_create(visits, batch_size=2000)
    # type, tag and close the year's enterprise appeals of the closed loop
    types = [AppealType.CONSULT] * 30 + [AppealType.HELP] * 35 + [AppealType.COMPLAINT] * 15 + \
        [AppealType.REPORT] * 5 + [AppealType.SUGGESTION] * 15
    topics = Topic.values
    rows = list(Case.objects.filter(channel="enterprise").only("pk", "status"))
    for c in rows:
        c.appeal_type = rng.choice(types)
        c.urgent = rng.random() < 0.08
        c.appeal_topics = sorted(set(rng.sample(topics, rng.randint(1, 2))))
        c.closure_kind = (rng.choices(ClosureKind.values, weights=(80, 15, 5))[0] if c.status == "closed" else "")
    Case.objects.bulk_update(rows, ["appeal_type", "urgent", "appeal_topics", "closure_kind"], batch_size=2000)
    ctx.stats.update(park_grids=len(grids), park_instructors=len(instructors), park_enterprises=len(profiles),
                     park_visits=len(visits), park_appeals=len(rows))
