"""Party organisation mirroring the territory (党工委 → 街道党工委 → 社区党委 → 网格(小区)党支部 → 楼栋党小组), unit
branches of agencies, state-owned enterprises, schools and enterprises, the two industry-chain committees,
memberships, 双报到 of in-service members (with assigned grids and claimed service posts), organisation report-ins
with needs and pledges, and the three-level liaisons. Written in bulk, keeping the invariants of party.services
(paths with ``org_path``, codes with ``org_code``, serials 1, 2, … under each parent, one active membership and
one active report-in per person). Some branches deliberately have fewer than three full members (flagged)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from grassroots.party.models import (
    Liaison,
    Membership,
    MembershipStatus,
    OrgKind,
    OrgReportIn,
    PartyOrg,
    ReportIn,
    ServicePost,
    ServicePostClaim,
    ServiceRecord,
)
from grassroots.party.services import org_code, org_path
from grassroots.people.models import Organization
from grassroots.territory.models import Level

from . import accounts, fastinsert
from .context import DemoContext

K = Organization.Kind
SERVICE_POSTS = ("政策宣传岗", "环境整治岗", "矛盾调解岗", "文明劝导岗", "关爱帮扶岗", "防汛值守岗", "志愿服务岗",
                 "平安巡逻岗")
NEEDS = ("老旧小区楼道照明改造", "小区停车秩序整治", "独居老人定期探访", "爱心假日学校志愿授课", "社区便民食堂帮厨",
         "防汛物资储备", "垃圾分类宣传", "健康义诊进社区", "就业指导讲座", "四邻议事会场地")
PLEDGES = ("志愿者队伍 20 人次/季度", "法律咨询服务", "党员先锋岗值守", "会议室开放共享", "义诊服务", "技能培训课程",
           "节日慰问物资", "车辆支援防汛", "图书捐赠", "专业维修服务")
RECORD_TEXTS = ("参与小区环境整治", "入户走访独居老人", "疫情防控值守", "防汛巡查", "文明劝导", "政策宣传入户",
                "协助调解邻里纠纷", "爱心假日学校授课")


class _Tree:
    """PartyOrg rows planned in memory, serials given per parent, written level by level."""

    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rows: list[PartyOrg] = []
        self.serials: dict[int, int] = {}

    def add(self, kind: str, name: str, parent: PartyOrg | None, region=None, organization=None) -> PartyOrg:
        key = id(parent)
        serial = self.serials.get(key, 0) + 1
        self.serials[key] = serial
        path = org_path(parent, serial)
        founded = self.ctx.today - dt.timedelta(days=self.ctx.rng.randint(400, 6000))
        org = PartyOrg(code=org_code(path), name=name, kind=kind, parent=parent, serial=serial, path=path,
                       region=region or (organization.region if organization else None), organization=organization,
                       founded_on=founded, term_end=_term_end(self.ctx, founded))
        self.rows.append(org)
        return org

    def save(self) -> None:
        for depth in sorted({o.path.count("/") for o in self.rows}):
            level = [o for o in self.rows if o.path.count("/") == depth]
            for o in level:
                o.parent_id = o.parent.pk if o.parent else None
            PartyOrg.objects.bulk_create(level, batch_size=1000)


def _term_end(ctx: DemoContext, founded: dt.date) -> dt.date:
    """End of the current three-year term, counted from the founding year (terms end on 30 June)."""
    end = dt.date(founded.year + 3, 6, 30)
    while end <= ctx.today:
        end = dt.date(end.year + 3, 6, 30)
    return end


def _age(ctx: DemoContext, birth: dt.date) -> int:
    t = ctx.today
    return t.year - birth.year - ((t.month, t.day) < (birth.month, birth.day))


def _dates(ctx: DemoContext, age: int, probationary: bool) -> tuple[dt.date, dt.date | None]:
    """入党日期 and 转正日期 (one year later; none while probationary)."""
    rng, today = ctx.rng, ctx.today
    if probationary:
        admitted = today - dt.timedelta(days=rng.randint(30, 330))
        return admitted, None
    join_age = rng.randint(19, min(40, max(19, age - 2)))
    admitted = today - dt.timedelta(days=(age - join_age) * 365 + rng.randint(0, 300))
    full = admitted + dt.timedelta(days=365 + rng.choice((0, 0, 0, 0, 180)))  # some with an extended probation
    if full > today:
        full = today - dt.timedelta(days=1)
        admitted = min(admitted, full - dt.timedelta(days=365))
    return admitted, full


def build(ctx: DemoContext) -> None:
    rng, spec, today = ctx.rng, ctx.spec, ctx.today
    persons = ctx.extra["persons"]
    tree = _Tree(ctx)

    # --- territorial tree
    root = tree.add(OrgKind.ZONE_WORKING_COMMITTEE, f"{ctx.zone.name}党工委", None, region=ctx.zone)
    by_region: dict[int, PartyOrg] = {ctx.zone.id: root}
    for sd in ctx.subdistricts:
        by_region[sd.id] = tree.add(OrgKind.SUBDISTRICT_WORKING_COMMITTEE, f"{sd.name}党工委", root, region=sd)
    areas = sorted(ctx.communities + ctx.villages + [ctx.park], key=lambda r: r.path)
    for area in areas:
        name = {Level.COMMUNITY: f"{area.name}党委", Level.VILLAGE: f"{area.name}党支部",
                Level.PARK: f"{area.name}党委"}[area.level]
        by_region[area.id] = tree.add(OrgKind.COMMUNITY_PARTY_COMMITTEE, name, by_region[area.parent_id],
                                      region=area)
    for grid in ctx.grids:
        by_region[grid.id] = tree.add(OrgKind.GRID_BRANCH, f"{grid.name}党支部", by_region[grid.parent_id],
                                      region=grid)

    # --- who lives where, by age
    adults_by_grid: dict[int, list] = {}
    working_age: list = []
    for p in persons:
        age = _age(ctx, p.birth_date)
        p.demo_age = age
        if age >= 18:
            adults_by_grid.setdefault(p.region_id, []).append(p)
            if 23 <= age <= 59:
                working_age.append(p)
    taken: set[int] = set()
    memberships: list[Membership] = []
    members_of: dict[int, list[Membership]] = {}

    def join(person, org: PartyOrg, *, status: str = MembershipStatus.FULL, employer=None) -> Membership:
        taken.add(person.pk)
        admitted, full = _dates(ctx, person.demo_age, status == MembershipStatus.PROBATIONARY)
        m = Membership(person=person, org=org, status=status, admission_date=admitted, full_member_date=full,
                       active=True, start_date=max(admitted, today - dt.timedelta(days=rng.randint(30, 3650))),
                       in_service=employer is not None, employer=employer)
        memberships.append(m)
        members_of.setdefault(id(org), []).append(m)
        return m

    # --- residents' memberships in grid branches; building groups where three or more live in one building
    residential = [g for g in ctx.grids if g.parent_id != ctx.park.id]
    small_branches = set(rng.sample(range(len(residential)), max(1, len(residential) // 20)))
    building_groups = 0
    for k, grid in enumerate(residential):
        branch = by_region[grid.id]
        elders = [p for p in adults_by_grid.get(grid.id, []) if p.demo_age >= 50 or rng.random() < 0.15]
        if k in small_branches:  # deliberately below three full members: flagged by the party selectors
            chosen = rng.sample(elders, min(len(elders), rng.randint(1, 2)))
            plan = [(p, MembershipStatus.FULL) for p in chosen]
            extra = [p for p in elders if p not in chosen][:1]
            plan += [(p, MembershipStatus.PROBATIONARY) for p in extra]
        else:
            n = min(len(elders), rng.randint(6, 14) if spec.name == "full" else rng.randint(4, 8))
            chosen = rng.sample(elders, n)
            plan = [(p, MembershipStatus.PROBATIONARY if rng.random() < 0.05 else MembershipStatus.FULL)
                    for p in chosen]
        by_building: dict[int, list] = {}
        for p, _status in plan:
            by_building.setdefault(p.building_id, []).append(p)
        groups = {}
        if k not in small_branches:
            for building in ctx.buildings_by_grid.get(grid.id, []):
                if len(by_building.get(building.id, [])) >= 3:
                    groups[building.id] = tree.add(OrgKind.BUILDING_GROUP, f"{building.name}党小组", branch,
                                                   region=building)
                    building_groups += 1
        for p, status in plan:
            join(p, groups.get(p.building_id, branch), status=status)
        if plan:
            branch.secretary = plan[0][0]

    # --- unit branches (size decides branch / general branch / committee), industry chains, park enterprises
    park_committee = by_region[ctx.park.id]
    units: list[tuple[Organization, PartyOrg, int]] = []
    unit_orgs = [o for o in ctx.organizations.values()
                 if o.kind in {K.DEPARTMENT, K.AGENCY, K.STATE_OWNED_ENTERPRISE, K.SCHOOL}]
    unit_orgs += ctx.extra.get("internet_firms", [])
    weights = {K.DEPARTMENT: 6, K.AGENCY: 4, K.STATE_OWNED_ENTERPRISE: 8, K.SCHOOL: 3, K.ENTERPRISE: 2}
    all_units = unit_orgs + ctx.enterprises
    total_w = sum(weights.get(o.kind, 2) for o in all_units)
    flagged_units = {id(o) for o in rng.sample(ctx.enterprises, min(2, len(ctx.enterprises)))}
    for org in all_units:
        if id(org) in flagged_units:
            size = 2
        else:
            size = max(3, round(spec.party_members_reporting * weights.get(org.kind, 2) / total_w))
        kind = OrgKind.ORG_BRANCH if size < 50 else OrgKind.GENERAL_BRANCH if size < 100 else OrgKind.ORG_COMMITTEE
        suffix = {OrgKind.ORG_BRANCH: "党支部", OrgKind.GENERAL_BRANCH: "党总支", OrgKind.ORG_COMMITTEE: "党委"}[kind]
        parent = park_committee if org.region and org.region.parent_id == ctx.park.id else root
        units.append((org, tree.add(kind, f"{org.short_name or org.name}{suffix}" if org.kind == K.ENTERPRISE
                                    and org.short_name else f"{org.name}{suffix}", parent, organization=org), size))
    chain_rare = tree.add(OrgKind.INDUSTRY_CHAIN_COMMITTEE, "稀土汽车催化产业链党委", root,
                          organization=ctx.enterprises[0])
    chain_net = tree.add(OrgKind.INDUSTRY_CHAIN_COMMITTEE, "互联网产业链党委", root,
                         organization=(ctx.extra.get("internet_firms") or ctx.enterprises)[0])
    tree.save()
    chain_rare.linked_organizations.set([o for o in ctx.enterprises if getattr(o, "field", "") in
                                         {"稀土催化材料", "功能陶瓷材料"}] or ctx.enterprises[:1])
    chain_net.linked_organizations.set(ctx.extra.get("internet_firms") or ctx.enterprises[:1])

    # --- in-service members: employed by the unit, living in the zone; most report in (双报到)
    rng.shuffle(working_age)
    pool = (p for p in working_age if p.pk not in taken)
    in_service: list[Membership] = []
    # Park grid branches: members working for the grid's enterprises (党员专职对接服务网格内重点企业).
    firms_by_grid: dict[int, list] = {}
    for firm in ctx.enterprises:
        firms_by_grid.setdefault(firm.region_id, []).append(firm)
    for grid in ctx.grids_by_area[ctx.park.id]:
        branch = by_region[grid.id]
        firms = firms_by_grid.get(grid.id) or ctx.enterprises[:1]
        for j in range(rng.randint(3, 6)):
            person = next(pool, None)
            if person is None:
                break
            in_service.append(join(person, branch, employer=firms[j % len(firms)]))
            branch.secretary = branch.secretary or person
    for org, branch, size in units:
        first = None
        for j in range(size):
            person = next(pool, None)
            if person is None:
                break
            status = MembershipStatus.FULL if (size <= 2 or j < 3 or rng.random() > 0.04) else \
                MembershipStatus.PROBATIONARY
            if size <= 2 and j == 1:
                status = MembershipStatus.PROBATIONARY if rng.random() < 0.5 else MembershipStatus.FULL
            m = join(person, branch, status=status, employer=org)
            in_service.append(m)
            first = first or person
        if first is not None:
            branch.secretary = first
    with transaction.atomic():
        fastinsert.insert(Membership, memberships, now=ctx.now)
        secretaries = [o for o in tree.rows if o.secretary is not None]
        PartyOrg.objects.bulk_update(secretaries, ["secretary"], batch_size=1000)

    # --- service posts, report-ins, claims, service records
    communities = [a for a in areas if a.level in {Level.COMMUNITY, Level.VILLAGE}]
    posts: list[ServicePost] = []
    posts_of: dict[int, list[ServicePost]] = {}
    for c in communities:
        for name in rng.sample(SERVICE_POSTS, 5 if spec.name == "full" else 3):
            post = ServicePost(community=c, name=name, description=f"{c.name}{name}：在职党员认领，每季度反馈",
                               capacity=rng.choice((20, 30, 50, 80)))
            posts.append(post)
            posts_of.setdefault(c.id, []).append(post)
    ServicePost.objects.bulk_create(posts, batch_size=1000)
    grid_of = {g.id: g for g in ctx.grids}
    siblings = {a.id: [g for g in ctx.grids_by_area.get(a.id, [])] for a in communities}
    community_ids = {c.id for c in communities}
    report_ins: list[ReportIn] = []
    target = spec.party_members_reporting
    for m in in_service:
        if len(report_ins) >= target:
            break
        home = grid_of.get(m.person.region_id)
        if home is None or home.parent_id not in community_ids:
            continue
        grid = home if rng.random() < 0.85 else rng.choice(siblings[home.parent_id])
        report_ins.append(ReportIn(person=m.person, membership=m, employer=m.employer, community_id=home.parent_id,
                                   grid=grid, reported_on=today - dt.timedelta(days=rng.randint(1, 900))))
    claims: list[ServicePostClaim] = []
    records: list[ServiceRecord] = []
    with transaction.atomic():
        ReportIn.objects.bulk_create(report_ins, batch_size=2000)
        used: dict[int, int] = {}
        for r in report_ins:
            if rng.random() < 0.6:
                for post in rng.sample(posts_of[r.community_id], rng.randint(1, 2)):
                    if used.get(id(post), 0) < post.capacity:
                        used[id(post)] = used.get(id(post), 0) + 1
                        claims.append(ServicePostClaim(post=post, report_in=r, claimed_on=r.reported_on))
                        if rng.random() < 0.5:
                            records.append(ServiceRecord(
                                person=r.person, report_in=r, post=post,
                                date=min(today, r.reported_on + dt.timedelta(days=rng.randint(1, 120))),
                                hours=Decimal(rng.choice(("1.0", "1.5", "2.0", "3.0", "4.0"))),
                                description=rng.choice(RECORD_TEXTS)))
        ServicePostClaim.objects.bulk_create(claims, batch_size=2000)
        ServiceRecord.objects.bulk_create(records, batch_size=2000)

        # --- organisation report-ins (90%+ of agency / SOE / department organisations) with needs and pledges
        org_report_ins = []
        for org, branch, _size in units:
            if org.kind in {K.DEPARTMENT, K.AGENCY, K.STATE_OWNED_ENTERPRISE, K.SCHOOL} and rng.random() < 0.93:
                org_report_ins.append(OrgReportIn(
                    party_org=branch, organization=org, community=rng.choice(communities),
                    reported_on=today - dt.timedelta(days=rng.randint(30, 900)),
                    needs=rng.sample(NEEDS, 2), pledges=rng.sample(PLEDGES, 2)))
        OrgReportIn.objects.bulk_create(org_report_ins, batch_size=1000)

        # --- three-level liaisons
        liaisons: list[Liaison] = []
        start = today - dt.timedelta(days=365)
        leader = (ctx.users.get("zone_leader") or [None])[0]
        dept_members = [m for m in in_service if m.employer and m.employer.kind in {K.DEPARTMENT, K.AGENCY}]
        for k, c in enumerate(communities):
            if k == 0 and leader is not None:
                liaisons.append(Liaison(kind=Liaison.Kind.LEADER_COMMUNITY, user=leader, region=c, start_date=start))
            elif dept_members:
                m = dept_members[k % len(dept_members)]
                liaisons.append(Liaison(kind=Liaison.Kind.LEADER_COMMUNITY, person=m.person,
                                        organization=m.employer, region=c, start_date=start))
        for k, compound in enumerate(ctx.compounds):
            if dept_members and rng.random() < 0.6:
                m = dept_members[(k * 7) % len(dept_members)]
                liaisons.append(Liaison(kind=Liaison.Kind.HEAD_COMPOUND, person=m.person, organization=m.employer,
                                        compound=compound, start_date=start))
        for r in report_ins:
            if rng.random() < 0.3:
                liaisons.append(Liaison(kind=Liaison.Kind.MEMBER_GRID, person=r.person, organization=r.employer,
                                        region=r.grid, start_date=r.reported_on))
        Liaison.objects.bulk_create(liaisons, batch_size=2000)

    ctx.extra["party_orgs"] = tree.rows
    antai = ctx.community("安泰社区")
    first_grid = ctx.grids_by_area[antai.id][0]
    accounts.party_post_accounts(ctx, branch=by_region[first_grid.id], committee=by_region[antai.id],
                                 upper=by_region[antai.parent_id])
    ctx.stats.update(party_orgs=len(tree.rows), building_groups=building_groups, party_members=len(memberships),
                     in_service_members=len(in_service), report_ins=len(report_ins), service_posts=len(posts),
                     post_claims=len(claims), service_records=len(records), org_report_ins=len(org_report_ins),
                     liaisons=len(liaisons))
