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
TOPICS = ["电动车集中充电桩建设", "小区停车秩序整治", "楼道堆物清理", "老旧管网改造", "物业费收缴与公示",
          "垃圾分类投放点调整", "加装电梯意见征集", "绿化补植", "防汛排涝准备", "高空抛物治理"]


def build(ctx) -> None:
    rng = ctx.rng
    today = ctx.today
    compounds = [c for c in ctx.compounds if c.is_residential]
    firms = list(Organization.objects.filter(kind=Organization.Kind.PROPERTY_FIRM).order_by("name"))
    if not compounds or not firms:
        return
    contracts = []
    for c in compounds:
        start = today - dt.timedelta(days=rng.randint(200, 2500))
        kind = ServiceContract.Kind.OWNERS_HIRED if rng.random() < 0.55 else ServiceContract.Kind.PRELIMINARY
        contracts.append(ServiceContract(compound=c, firm=rng.choice(firms), kind=kind, start_date=start,
                                         end_date=start + relativedelta(years=rng.choice([3, 5])) + relativedelta(years=3),
                                         fee_per_m2=rng.choice(["0.60", "0.80", "1.00", "1.20", "1.50"]),
                                         service_level=rng.choice(["一级", "二级", "三级"])))
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
            meetings.append(JointMeeting(
                community=c.community, compound=c, held_on=held, topic=rng.choice(TOPICS),
                minutes="社区党委牵头，居委会、环境和物业管理委员会、业委会、物业企业共同研究，形成处置意见。",
                decisions="明确责任分工和完成时限，结果在小区公示栏公示。", property_committee_attended=True,
                owners_committee_attended=rng.random() < 0.8, firm_attended=True, recorded_by=recorder))
    JointMeeting.objects.bulk_create(meetings)
    ctx.stats["owners_committees"] = n_committees
    ctx.log(f"红色物业：{len(contracts)} 份物业服务合同，{len(coverage)} 家物业企业党组织覆盖，"
            f"{n_committees} 个业委会（{n_committees / len(compounds):.2%}），{len(demos)} 个示范小区")
