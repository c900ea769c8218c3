"""Demo data for micro-projects and community funds: the negative list, one fund per urban community with about
180,000 yuan of donations from organisations and persons (some anonymous), 128 micro-projects across the zone in
every lifecycle state (full size), tranche payments to approved projects, red partners, volunteers and about 100
talents with service hours.

The ledger is written in bulk but keeps the fund's rules: entries in time order, balance_after = running sum ≥ 0,
fund balance / totals / entry_count and the monthly rollups equal to the entries, disbursements only to approved
projects and never above their approved amount (``fund.reconcile`` agrees, see the demo test).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from grassroots.core.roles import Role
from grassroots.deliberation.models import Resolution
from grassroots.notices.models import Notice
from grassroots.people.models import Organization

from .models import (
    BudgetLine,
    CommunityFund,
    Contribution,
    LedgerEntry,
    LedgerMonthTotal,
    MicroProject,
    Milestone,
    Partner,
    ProhibitedUse,
    Review,
    ServiceHours,
    Volunteer,
)
from .states import ProjectStatus as S

NEGATIVE_LIST = [
    ("private_welfare", "个人福利和现金发放", ["发放现金", "慰问金", "红包", "购物卡"]),
    ("banquet_gifts", "宴请及礼品", ["宴请", "聚餐", "礼品"]),
    ("staff_pay", "工作人员工资补贴", ["工资", "加班费", "补贴发放"]),
    ("for_profit", "营利性经营", ["经营性", "营利"]),
    ("government_duty", "应由政府或其他主体承担的职责", ["市政道路", "行政办公"]),
]
# project titles with a background written for them ({community}, {n}, {year} come from the data)
BACKGROUNDS = {
    "楼道微更新": "{community}多栋楼建于{year}年前后，楼道墙面脱落、扶手松动、照明不足。居民议事会走访{n}户，"
             "多数希望自己动手、共同出资改善楼道环境。",
    "口袋公园": "{community}缺少就近休憩的场所，一处闲置边角地长期堆放杂物。居民提议改造成口袋公园，"
             "议事会征集意见{n}条，同意率较高。",
    "老年助餐点": "{community}60岁以上老人约{n}人，其中独居和高龄老人做饭困难。议事会提出在党群服务中心附近设助餐点。",
    "儿童四点半课堂": "{community}双职工家庭多，孩子放学后无人照看。家长提议利用社区活动室开设四点半课堂，"
               "已有{n}名家长报名志愿值守。",
    "电动车充电棚": "{community}电动车约{n}辆，飞线充电、楼道充电屡禁不止。议事会提议建设集中充电棚，消除消防隐患。",
    "垃圾分类积分": "{community}垃圾分类投放准确率不高。议事会提出设立积分兑换，鼓励居民正确分类，预计覆盖{n}户。",
    "邻里互助站": "{community}有一批热心居民和能人愿意为邻居提供维修、理发等服务。议事会提议设立邻里互助站，"
             "已登记志愿者{n}人。",
    "屋顶绿化": "{community}部分平顶楼夏季顶层闷热、漏水。居民提议开展屋顶绿化，既隔热又美化环境，涉及住户约{n}户。",
    "社区书屋": "{community}青少年和老人有阅读需求，附近没有公共阅览场所。议事会提议利用闲置用房建社区书屋，"
            "已募集图书{n}册。",
    "健身角改造": "{community}现有健身器材使用超过十年，部分损坏。居民议事会提出更新器材、铺设防滑地面，"
             "受益居民约{n}人。",
    "宠物便民站": "{community}养宠家庭约{n}户，宠物粪便清理不及时引发邻里矛盾。议事会提议设置宠物便民站，配备拾便袋。",
    "楼栋议事角": "{community}居民有事找不到地方商量。议事会提议在楼栋单元门厅设置议事角，方便{n}户居民就近议事。",
    "红色物业驿站": "{community}物业服务和居民诉求衔接不畅。议事会提议设立红色物业驿站，由党员志愿者和物业人员"
              "共同值守，服务{n}户居民。",
    "停车线重划": "{community}停车线多年未重划，车辆乱停、消防通道被占。议事会提出重新规划停车位约{n}个。",
    "防汛沙袋储备点": "{community}地势低洼，汛期地下室和低层住户易进水。议事会提议设防汛沙袋储备点，覆盖{n}户。",
    "便民修理铺": "{community}老年人小家电、自行车维修不便。议事会提议由居民能人开设便民修理铺，每周定时服务，"
             "预计每月服务{n}人次。",
}
TITLES = list(BACKGROUNDS)
STATES = [S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.APPROVAL_NOTICE, S.IN_PROGRESS, S.IN_PROGRESS, S.ACCEPTED,
          S.CLOSING_NOTICE, S.CLOSED, S.CLOSED, S.REJECTED, S.WITHDRAWN]
SKILLS = ["水电维修", "理发", "法律咨询", "心理疏导", "书法", "摄影", "医疗护理", "家电维修", "文艺演出", "编程", "育儿",
          "烹饪"]
DONATION_TARGET = Decimal("180000")
FUNDED = (S.IN_PROGRESS, S.ACCEPTED, S.CLOSING_NOTICE, S.CLOSED)


def build(ctx) -> None:
    rng = ctx.rng
    now = ctx.now
    staff = ctx.extra.get("deliberation_staff") or (ctx.users.get(Role.COMMUNITY_STAFF) or
                                                    ctx.users.get(Role.ZONE_LEADER) or [None])[0]
    if staff is None or not ctx.communities:
        return
    ProhibitedUse.objects.bulk_create([ProhibitedUse(code=c, name=n, keywords=k, source="社区基金负面清单")
                                       for c, n, k in NEGATIVE_LIST], ignore_conflicts=True)
    applicants = [u for u in ctx.users.get(Role.RESIDENT, []) if u.person_id] or [staff]
    areas = list(ctx.communities) + list(ctx.villages)
    funds = {c.pk: CommunityFund.objects.create(region=c, name=f"{c.name}社区基金", custodian="开发区慈善总会专项基金")
             for c in ctx.communities}

    # projects
    total_projects = 128 if ctx.size == "full" else max(24, len(areas) * 2)
    projects, lines, reviews, milestones = [], [], [], []
    for i in range(total_projects):
        community = ctx.communities[i % len(ctx.communities)] if i % 5 else areas[i % len(areas)]
        status = STATES[i % len(STATES)]
        if community.pk not in funds and status in FUNDED:
            community = ctx.communities[i % len(ctx.communities)]
        # a project that closed went through 45 days of review, work and notices: old enough to have done so
        created = now - dt.timedelta(days=rng.randint(60, 360))
        budget = Decimal(rng.randrange(2000, 12000, 500))
        approved = budget if status in (S.APPROVAL_NOTICE, S.IN_PROGRESS, S.ACCEPTED, S.CLOSING_NOTICE, S.CLOSED) \
            else Decimal(0)
        progress = {S.IN_PROGRESS: rng.choice([20, 40, 60]), S.ACCEPTED: 100, S.CLOSING_NOTICE: 100, S.CLOSED: 100}.get(status, 0)
        p = MicroProject(community=community, title=f"{TITLES[i % len(TITLES)]}（{community.name}）",
                         background=BACKGROUNDS[TITLES[i % len(TITLES)]].format(
                             community=community.name, n=rng.randint(12, 300), year=rng.choice([1995, 1998, 2002, 2005])),
                         goals="改善居住环境，促进邻里参与",
                         activities="方案征集、居民共建、成果展示", beneficiaries=f"{community.name}居民",
                         beneficiary_count=rng.randint(50, 800), applicant=rng.choice(applicants), status=status,
                         budget_total=budget, approved_amount=approved, progress=progress,
                         submitted_at=None if status in (S.DRAFT,) else created + dt.timedelta(days=2),
                         approved_at=created + dt.timedelta(days=20) if approved else None,
                         accepted_at=created + dt.timedelta(days=35) if progress == 100 else None,
                         closed_at=created + dt.timedelta(days=45) if status == S.CLOSED else None,
                         decision_note="需求不够迫切" if status == S.REJECTED else "", created_at=created,
                         updated_at=created, acceptance_note="按方案完成" if progress == 100 else "")
        projects.append(p)
    MicroProject.objects.bulk_create(projects, batch_size=500)
    reviewers = (ctx.users.get(Role.COMMUNITY_SECRETARY) or []) + (ctx.users.get(Role.COMMUNITY_STAFF) or []) + [staff]
    for p in projects:
        lines.append(BudgetLine(project=p, item="材料费", category="物资", amount=p.budget_total * Decimal("0.6")))
        lines.append(BudgetLine(project=p, item="活动组织", category="服务", amount=p.budget_total * Decimal("0.4")))
        if p.status in (S.DRAFT, S.SUBMITTED, S.WITHDRAWN):
            continue
        for r in {u.pk: u for u in reviewers[:3]}.values():
            score = {k: rng.randint(6, 10) for k in ("need_fit", "locality", "participation", "feasibility",
                                                     "innovation", "sustainability", "budget")}
            reviews.append(Review(project=p, reviewer=r, scores=score,
                                  total=(Decimal(sum(score.values())) * 100 / 70).quantize(Decimal("0.01"))))
        if p.progress:
            milestones.append(Milestone(project=p, title="启动居民共建",
                                        happened_on=(p.approved_at + dt.timedelta(days=12)).date(),
                                        progress=min(p.progress, 40), recorded_by=staff))
            if p.progress > 40:
                milestones.append(Milestone(project=p, title="完工", progress=p.progress, recorded_by=staff,
                                            happened_on=(p.approved_at + dt.timedelta(days=14)).date()))
    BudgetLine.objects.bulk_create(lines, batch_size=1000)
    Review.objects.bulk_create(reviews, batch_size=1000)
    Milestone.objects.bulk_create(milestones, batch_size=1000)
    notices = []
    project_type = ContentType.objects.get_for_model(MicroProject)  # the subject of a project's public notices
    for p in projects:
        if p.approved_at:
            notices.append(Notice(kind="project_approval", region=p.community, owner_name=p.community.name,
                                  title=f"微项目立项公示：{p.title}",
                                  body=f"项目名称：{p.title}\n拟资助：{p.approved_amount} 元", published_by=staff,
                                  starts_at=p.approved_at, ends_at=p.approved_at + dt.timedelta(days=7),
                                  working_days=5, subject_type=project_type, subject_id=p.pk))
        if p.status in (S.CLOSING_NOTICE, S.CLOSED):
            start = p.accepted_at + dt.timedelta(days=1) if p.status == S.CLOSED else now - dt.timedelta(days=1)
            notices.append(Notice(kind="project_closing", region=p.community, owner_name=p.community.name,
                                  title=f"微项目结项公示：{p.title}",
                                  body=f"项目名称：{p.title}\n验收意见：{p.acceptance_note}", published_by=staff,
                                  starts_at=start, ends_at=start + dt.timedelta(days=7), working_days=5,
                                  subject_type=project_type, subject_id=p.pk))
    Notice.objects.bulk_create(notices, batch_size=500)

    # follow-up projects for resolutions being carried out
    taken = MicroProject.objects.filter(resolution__isnull=False).values("resolution_id")
    open_resolutions = list(Resolution.objects.filter(status__in=["in_progress", "done"]).exclude(pk__in=taken)
                            .select_related("meeting")[:200])
    by_community: dict[int, list[MicroProject]] = {}
    for p in projects:
        if p.status in FUNDED:
            by_community.setdefault(p.community_id, []).append(p)
    linked = []
    for r in open_resolutions:
        candidates = by_community.get(r.meeting.community_id)
        if candidates:
            p = candidates.pop()
            p.resolution_id, p.topic_id = r.pk, r.topic_id
            linked.append(p)
    MicroProject.objects.bulk_update(linked, ["resolution", "topic"], batch_size=500)

    # the ledger: donations across the year, then tranches to funded projects, in time order per fund
    orgs = [o for o in Organization.objects.filter(kind__in=["enterprise", "state_owned_enterprise", "social_organization"])
            .order_by("pk")[:40]] or list(Organization.objects.order_by("pk")[:10])
    per_fund = (DONATION_TARGET / len(funds)).quantize(Decimal("1"))
    entries: list[LedgerEntry] = []
    rollups: dict[tuple, list] = {}
    for community_id, fund in funds.items():
        events = []
        remaining = per_fund
        while remaining > 0:
            amount = min(remaining, Decimal(rng.choice([200, 500, 1000, 2000, 5000, 10000])))
            remaining -= amount
            at = now - dt.timedelta(days=rng.randint(60, 360), minutes=rng.randint(0, 600))
            if rng.random() < 0.5 and orgs:
                org = rng.choice(orgs)
                events.append((at, "donation", amount, {"donor_kind": "organization", "donor_organization": org,
                                                        "donor_anonymous": rng.random() < 0.15,
                                                        "purpose": "捐赠：社区基金"}))
            else:
                events.append((at, "donation", amount, {"donor_kind": "person", "donor_name": ctx.faker.name(),
                                                        "donor_anonymous": rng.random() < 0.3,
                                                        "purpose": "捐赠：社区基金"}))
        for p in [p for p in projects if p.community_id == community_id and p.status in FUNDED]:
            first = (p.approved_amount * Decimal("0.5")).quantize(Decimal("0.01"))
            tranches = [first] + ([p.approved_amount - first] if p.progress == 100 else [])
            for k, amount in enumerate(tranches):
                at = p.approved_at + dt.timedelta(days=8 + 20 * k, minutes=rng.randint(0, 600))
                events.append((min(at, now - dt.timedelta(minutes=5)), "disbursement", -amount,
                               {"project": p, "purpose": f"{p.title}第{k + 1}笔拨付"}))
        events.sort(key=lambda e: e[0])
        balance = Decimal(0)
        count = 0
        donated = disbursed = Decimal(0)
        for at, kind, amount, extra in events:
            if kind == "disbursement" and balance + amount < 0:
                continue  # not enough money yet: the tranche waits (skipped in the demo)
            balance += amount
            count += 1
            project = extra.get("project")
            if kind == "donation":
                donated += amount
            else:
                disbursed -= amount
                project.disbursed_total += -amount
            entries.append(LedgerEntry(fund=fund, kind=kind, amount=amount, balance_after=balance,
                                       receipt_no=f"{fund.region.code}-{count:06d}", recorded_at=at, recorded_by=staff,
                                       donor_kind=extra.get("donor_kind", ""), donor_name=extra.get("donor_name", ""),
                                       donor_organization=extra.get("donor_organization"),
                                       donor_anonymous=extra.get("donor_anonymous", False), project=project,
                                       purpose=extra["purpose"]))
            local = timezone.localtime(at)
            key = (fund.pk, dt.date(local.year, local.month, 1), kind, extra.get("donor_kind", ""))
            slot = rollups.setdefault(key, [Decimal(0), 0])
            slot[0] += amount
            slot[1] += 1
        fund.balance, fund.entry_count, fund.donations_total, fund.disbursed_total = balance, count, donated, disbursed
    LedgerEntry.objects.bulk_create(entries, batch_size=2000)
    LedgerMonthTotal.objects.bulk_create([LedgerMonthTotal(fund_id=k[0], month=k[1], kind=k[2], donor_kind=k[3],
                                                           amount=v[0], count=v[1]) for k, v in rollups.items()])
    CommunityFund.objects.bulk_update(list(funds.values()), ["balance", "entry_count", "donations_total",
                                                             "disbursed_total"])
    MicroProject.objects.bulk_update([p for p in projects if p.disbursed_total], ["disbursed_total"], batch_size=500)

    # partners, volunteers and talents
    partners = []
    for i, org in enumerate(orgs[: len(ctx.communities) * 2]):
        partners.append(Partner(organization=org, community=ctx.communities[i % len(ctx.communities)],
                                agreement_no=f"HH-{i + 1:03d}", signed_on=(now - dt.timedelta(days=300)).date(),
                                commitments="结对共建：每季度开展一次志愿服务，支持社区微项目"))
    Partner.objects.bulk_create(partners, ignore_conflicts=True)
    partners = list(Partner.objects.all())
    Contribution.objects.bulk_create([
        Contribution(partner=p, kind=rng.choice(["in_kind", "service"]), value=Decimal(rng.randrange(500, 5000, 100)),
                     description=rng.choice(["捐赠防汛物资", "义诊服务", "文艺演出", "法律讲座"]),
                     given_on=(now - dt.timedelta(days=rng.randint(10, 280))).date()) for p in partners for _ in range(2)])
    person_pool = []
    for c in areas:
        for g in ctx.grids_by_area.get(c.pk, []):
            for pid in ctx.person_ids_by_grid.get(g.pk, [])[:30]:
                person_pool.append((pid, c))
    rng.shuffle(person_pool)
    count = 300 if ctx.size == "full" else 120
    volunteers = []
    for k, (pid, c) in enumerate(person_pool[:count]):
        talent = k < 100
        volunteers.append(Volunteer(person_id=pid, community=c, skills=rng.sample(SKILLS, 2), is_talent=talent,
                                    talent_title=f"{rng.choice(SKILLS)}能人" if talent else ""))
    Volunteer.objects.bulk_create(volunteers, batch_size=1000)
    hours = []
    for v in volunteers:
        total = Decimal(0)
        for _ in range(rng.randint(1, 5)):
            h = Decimal(rng.choice([1, 1.5, 2, 3, 4]))
            total += h
            hours.append(ServiceHours(volunteer=v, activity=rng.choice(["楼道清理", "助老送餐", "文明劝导", "防汛值守"]),
                                      served_on=(now - dt.timedelta(days=rng.randint(1, 300))).date(), hours=h,
                                      verified_by=staff))
        v.hours_total = total
    ServiceHours.objects.bulk_create(hours, batch_size=2000)
    Volunteer.objects.bulk_update(volunteers, ["hours_total"], batch_size=1000)
    ctx.stats["微项目"] = len(projects)
    ctx.stats["社区基金台账"] = len(entries)
    ctx.stats["志愿者"] = len(volunteers)
    ctx.log(f"微项目与社区基金：{len(projects)} 个微项目，{len(funds)} 个社区基金，{len(entries)} 笔台账，"
            f"{len(volunteers)} 名志愿者（100 名能人）")
