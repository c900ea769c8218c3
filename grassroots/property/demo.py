"""Demo data for red property, shaped like the article: professional property service in every residential
compound (100%), every property firm covered by a party organisation or an instructor (100%), owners' committees
in about 61.63% of compounds, nine 红色物业示范小区, and quarterly 五位一体 joint meetings.
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from grassroots.core.roles import Role
from grassroots.party.models import PartyOrg
from grassroots.people.models import Organization

from .models import (
    CommitteeMember,
    DemonstrationCompound,
    FirmPartyCoverage,
    JointMeeting,
    OwnersCommittee,
    ServiceContract,
)

COMMITTEE_SHARE = 0.6163
# joint-meeting topics with what was said and decided: {compound}, {firm}, {n} and {days} come from the data
TOPICS = {
    "电动车集中充电桩建设": ("{compound}现有电动车约{n}辆，楼道充电、飞线充电隐患突出。物业企业提出在东侧空地建集中充电棚，"
                     "业委会转达部分低楼层业主对选址的顾虑。",
                     "由{firm}在{days}日内完成选址公示和报价，充电棚建成前每周两次夜间巡查楼道。"),
    "小区停车秩序整治": ("晚间车辆占用消防通道{n}处，居民多次投诉。各方核对车位台账，研究夜间临时停车和外来车辆管理办法。",
                 "{days}日内重新施划车位和消防通道标线，{firm}负责门岗登记，社区网格员每周抽查。"),
    "楼道堆物清理": ("{compound}楼道堆放杂物和废旧家具{n}处，存在消防隐患。楼栋长已逐户提醒，个别住户未清理。",
               "先由楼栋长和网格员再次上门劝导，{days}日后由{firm}统一清运，清理情况在公示栏公示。"),
    "老旧管网改造": ("{compound}供排水管网老化，今年以来发生渗漏{n}次。住建部门介绍老旧小区改造计划，业主关心施工期间停水安排。",
               "改造方案在小区公示{days}日征求意见，施工期间{firm}提前三天通知停水并安排临时供水点。"),
    "物业费收缴与公示": ("物业费收缴率偏低，部分业主反映服务内容不清楚。{firm}通报上年度收支情况，业委会提出逐项公示。",
                  "{firm}在{days}日内公示上年度物业费收支明细，社区组织一次物业服务满意度评议。"),
    "垃圾分类投放点调整": ("原投放点离{n}号楼过近，夏季异味明显。居民提出把投放点移至北侧绿化带旁。",
                   "投放点调整方案公示{days}日无异议后实施，{firm}每日定时清洗，社区志愿者开展桶前值守。"),
    "加装电梯意见征集": ("{compound}多层住宅老人较多，{n}个单元有加装电梯意愿。各方介绍政策补贴和业主表决要求。",
                  "社区协助意愿较强的单元在{days}日内完成业主意见征集，{firm}配合提供管线资料。"),
    "绿化补植": ("小区绿地黄土裸露约{n}平方米，雨天泥泞。业委会提出补植方案，物业企业测算养护费用。",
             "由{firm}按方案在{days}日内完成补植，所需费用从公共收益中列支并公示。"),
    "防汛排涝准备": ("汛期临近，{compound}地下车库和低洼处曾积水。各方检查排水泵、沙袋等物资，排查出问题{n}处。",
               "{firm}在{days}日内完成排水设施检修和物资补充，汛期实行24小时值班，社区建立楼栋联络群。"),
    "高空抛物治理": ("近期发生高空抛物{n}起，居民反映强烈。各方研究加装监控、入户宣传和文明公约。",
               "{firm}在{days}日内在重点楼栋加装高空监控，社区和业委会开展入户宣传并将文明公约纳入管理规约。"),
}


def build(ctx) -> None:
    rng = ctx.rng
    today = ctx.today
    compounds = [c for c in ctx.compounds if c.is_residential]
    firms = list(Organization.objects.filter(kind=Organization.Kind.PROPERTY_FIRM).order_by("name"))
    if not compounds or not firms:
        return
    contracts = []
    for c in compounds:
        # every compound has had professional property service since its first contract; a contract that ended
        # was followed the next day by a renewal or a newly hired firm, so one is in force today
        firm = rng.choice(firms)
        start = today - dt.timedelta(days=rng.randint(200, 2500))
        kind = ServiceContract.Kind.PRELIMINARY
        while True:
            end = start + relativedelta(years=rng.choice([3, 5])) - dt.timedelta(days=1)
            contracts.append(ServiceContract(compound=c, firm=firm, kind=kind, start_date=start, end_date=end,
                                             fee_per_m2=rng.choice(["0.60", "0.80", "1.00", "1.20", "1.50"]),
                                             service_level=rng.choice(["一级", "二级", "三级"])))
            if end >= today:
                break
            start = end + dt.timedelta(days=1)
            kind = ServiceContract.Kind.OWNERS_HIRED
            firm = firm if rng.random() < 0.7 else rng.choice(firms)
    ServiceContract.objects.bulk_create(contracts)

    # party coverage of every firm: own branch, joint branch, or an instructor
    top = PartyOrg.objects.filter(kind="zone_working_committee").first()
    instructors = ctx.users.get(Role.PARTY_INSTRUCTOR) or ctx.users.get(Role.COMMUNITY_SECRETARY) or []
    coverage = []
    for i, firm in enumerate(firms):
        mode = ["own", "joint", "instructor"][i % 3]
        org = None
        if mode in ("own", "joint") and top is not None:
            org = PartyOrg.objects.filter(organization=firm).first()
            if org is None:
                from grassroots.party.services import party_org_create

                org = party_org_create(actor=None, kind="org_branch" if mode == "own" else "joint_branch",
                                       name=f"{firm.name}党支部" if mode == "own" else f"物业企业联合党支部（{firm.name}）",
                                       parent=top, organization=firm, founded_on=today - dt.timedelta(days=700))
        if org is None and not instructors:
            continue
        coverage.append(FirmPartyCoverage(firm=firm, mode=mode if org is not None else "instructor", party_org=org,
                                          instructor=None if org is not None else instructors[0],
                                          start_date=today - dt.timedelta(days=rng.randint(100, 900))))
    FirmPartyCoverage.objects.bulk_create(coverage)

    # owners' committees in 61.63% of residential compounds (rounded), members from residents
    n_committees = round(len(compounds) * COMMITTEE_SHARE)
    chosen = rng.sample(compounds, n_committees)
    committees = []
    for c in chosen:
        formed = today - dt.timedelta(days=rng.randint(30, 1500))
        years = 5
        committees.append(OwnersCommittee(compound=c, kind="owners" if rng.random() < 0.9 else "management",
                                          formed_on=formed, term_years=years,
                                          term_end=formed + relativedelta(years=years) - dt.timedelta(days=1),
                                          filing_number=f"BA{formed:%Y}{rng.randint(1000, 9999)}"))
    OwnersCommittee.objects.bulk_create(committees)
    person_ids = [pid for ids in ctx.person_ids_by_grid.values() for pid in ids]
    members = []
    for committee in OwnersCommittee.objects.filter(compound__in=chosen):
        people = rng.sample(person_ids, k=min(len(person_ids), rng.choice([5, 7, 9])))
        for j, pid in enumerate(people):
            members.append(CommitteeMember(committee=committee, person_id=pid,
                                           role="chair" if j == 0 else ("vice_chair" if j == 1 else "member"),
                                           is_party_member=rng.random() < 0.4, start_date=committee.formed_on))
    CommitteeMember.objects.bulk_create(members, batch_size=2000)

    # nine demonstration compounds and quarterly joint meetings in them
    demos = rng.sample(compounds, min(9, len(compounds)))
    DemonstrationCompound.objects.bulk_create([DemonstrationCompound(compound=c, year=today.year - 1) for c in demos])
    recorder = ctx.user(Role.COMMUNITY_STAFF)
    meetings = []
    for c in demos:
        for q in range(4):
            held = today - dt.timedelta(days=90 * q + rng.randint(0, 30))
            topic = rng.choice(list(TOPICS))
            firm = next((ct.firm.name for ct in reversed(contracts) if ct.compound is c), "物业企业")  # in force
            said, decided = TOPICS[topic]
            fill = {"compound": c.name, "firm": firm, "n": rng.randint(3, 40), "days": rng.choice([7, 10, 15, 30])}
            meetings.append(JointMeeting(
                community=c.community, compound=c, held_on=held, topic=topic,
                minutes="社区党委牵头，居委会、环境和物业管理委员会、业委会、物业企业共同参加。" + said.format(**fill),
                decisions=decided.format(**fill), property_committee_attended=True,
                owners_committee_attended=rng.random() < 0.8, firm_attended=True, recorded_by=recorder))
    JointMeeting.objects.bulk_create(meetings)
    ctx.stats["owners_committees"] = n_committees
    ctx.log(f"红色物业：{len(contracts)} 份物业服务合同，{len(coverage)} 家物业企业党组织覆盖，"
            f"{n_committees} 个业委会（{n_committees / len(compounds):.2%}），{len(demos)} 个示范小区")
