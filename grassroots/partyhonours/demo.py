"""Demo data for honours: this year's 光荣在党50年 list read from the demo register, with the branches' confirmations,
the committees' approvals and the medals already handed over (about 1 July, the day the medal is presented).
Through the services, as the system."""

from __future__ import annotations

import datetime as dt

from . import selectors, services


def build(ctx) -> None:
    year = ctx.today.year
    rng = ctx.rng
    due = list(selectors.medal_list(actor=None, year=year).select_related("org", "person")[:400])
    confirmed = issued = 0
    # In list order: issued, approved, confirmed, still waiting for the branch — a quarter each.
    for i, membership in enumerate(due):
        step = i % 4
        if step == 3:
            continue
        award = services.medal_confirm(actor=None, membership=membership, year=year,
                                       remark=rng.choice(("入党五十余年，初心不改", "长期参加社区志愿服务",
                                                          "坚持参加组织生活", "")))
        confirmed += 1
        if step == 2:
            continue
        award = services.medal_approve(actor=None, award=award)
        if step == 1:
            continue
        presented = min(ctx.today, dt.date(year, 7, 1))
        services.medal_issue(actor=None, award=award, on=max(presented, award.confirmed_at.date()))
        issued += 1
    ctx.stats["medal50_due"] = len(due)
    ctx.stats["medal50_issued"] = issued
    ctx.stats["medal50_confirmed"] = confirmed
    build_assessments(ctx)
    build_campaign(ctx)


def build_assessments(ctx) -> None:
    """This year's party-building assessments on the grading mechanism: the SOEs' party organisations on the SOE
    scheme's shape (the default of docs/rules/honours.md § Assessments), and the branch secretaries' 述职评议
    (一述一评: the written report checked, then the democratic appraisal and the committee's evaluation), with the
    grades 好 / 较好 / 一般 / 差. Scored through the services by the zone leader."""
    from grassroots.core.roles import Role
    from grassroots.grading import demo as grading_demo
    from grassroots.grading import services as grading
    from grassroots.party.models import PartyOrg

    if getattr(ctx, "zone", None) is None or not getattr(ctx, "users", {}).get(Role.ZONE_LEADER):
        return  # a partial context (the app's own tests) has no zone leader to run the assessments
    leader, rng, year = ctx.user(Role.ZONE_LEADER), ctx.rng, ctx.today.year
    soe_orgs = list(PartyOrg.objects.filter(active=True, organization__kind="state_owned_enterprise")
                    .order_by("path")[:12])
    scheme = grading_demo.build_scheme(actor=leader, region=ctx.zone, year=year, target_type="party_org_soe",
                                       name="国有企业党组织党建工作考核")
    rows = [grading.assessment_add(actor=leader, scheme=scheme, target_id=o.pk) for o in soe_orgs]
    grading.scheme_open(actor=leader, scheme=scheme)
    leaves = {i.code: i for i in scheme.indicators.exclude(method="group")}
    for a in rows:
        grading.entries_record(actor=leader, assessment=a, values={
            leaves["1.1"].pk: rng.randint(72, 100),
            **{leaves[c].pk: int(rng.random() < 0.85) for c in ("2.1", "2.2", "2.3", "2.4")},
            leaves["3.1"].pk: rng.randint(75, 100), leaves["3.2"].pk: rng.randint(70, 100),
            leaves["B1"].pk: rng.choice((0, 0, 1, 2)), leaves["D1"].pk: rng.choice((0, 0, 0, 1)),
            leaves["V1"].pk: 0})
    # the secretaries' 述职评议 of the organisations under the zone's committee that have a secretary
    secretaries = list(PartyOrg.objects.filter(active=True, secretary__isnull=False)
                       .exclude(kind="building_group").order_by("path")[:30])
    review = grading.scheme_create(actor=leader, name="书记抓基层党建述职评议", year=year,
                                   target_type="party_secretary", region=ctx.zone,
                                   note="一述一评：书面述职，现场测评，上级评价")
    add = grading.indicator_add
    report = add(actor=leader, scheme=review, code="1", name="书面述职报告", method="checked", max_score=20, order=1)
    appraisal = add(actor=leader, scheme=review, code="2", name="民主测评", method="survey", max_score=50, order=2)
    superior = add(actor=leader, scheme=review, code="3", name="上级党组织评价", method="survey", max_score=30,
                   order=3)
    for code, name, floor in (("good", "好", 90), ("fair", "较好", 80), ("average", "一般", 60), ("poor", "差", 0)):
        grading.band_set(actor=leader, scheme=review, code=code, name=name, min_score=floor)
    reviewed = [grading.assessment_add(actor=leader, scheme=review, target_id=o.pk) for o in secretaries]
    grading.scheme_open(actor=leader, scheme=review)
    for a in reviewed:
        grading.entries_record(actor=leader, assessment=a, values={
            report.pk: int(rng.random() < 0.95), appraisal.pk: rng.randint(70, 100), superior.pk: rng.randint(70, 100)})
    ctx.stats.update(party_assessments_soe=len(rows), party_assessments_secretaries=len(reviewed))


def build_campaign(ctx) -> None:
    """The year's 两优一先 around 七一 (the last one that has passed): the zone's 党工委 hands quotas to the
    subdistrict committees, which nominate members graded 优秀 in 民主评议, party workers and branches; the zone
    reviews, publishes the notice (one objection, answered) and awards them. Run through the services at the dates
    they happened."""
    from grassroots.core import clock
    from grassroots.core.roles import Role
    from grassroots.notices import services as notices
    from grassroots.party.models import Membership, OrgKind, PartyOrg
    from grassroots.partylife.models import MemberReview

    from .services.campaigns import NOTICE_KIND

    today = ctx.today
    year = today.year if today >= dt.date(today.year, 7, 1) else today.year - 1
    zone = PartyOrg.objects.filter(kind=OrgKind.ZONE_WORKING_COMMITTEE, active=True).first()
    subs = list(PartyOrg.objects.filter(kind=OrgKind.SUBDISTRICT_WORKING_COMMITTEE, active=True).order_by("path"))
    users = getattr(ctx, "users", {})
    if zone is None or not subs or not users.get(Role.ZONE_LEADER):
        return
    leader = users[Role.ZONE_LEADER][0]  # the zone's party staff act for its 党工委

    def at(month, day):
        return clock.frozen_at(dt.datetime(year, month, day, 2, 0, tzinfo=dt.UTC))

    with at(6, 1):
        campaign = services.campaign_create(actor=None, org=zone, year=year, name=f"{year}年“两优一先”表彰",
                                            nominate_until=dt.date(year, 6, 12),
                                            quotas={"outstanding_member": 3 * len(subs), "outstanding_worker": len(subs),
                                                    "advanced_org": len(subs)})
        for sub in subs:
            for title, n in (("outstanding_member", 3), ("outstanding_worker", 1), ("advanced_org", 1)):
                services.quota_set(actor=None, campaign=campaign, org=sub, title=title, quota=n)
    nominations = []
    with at(6, 8):
        for sub in subs:
            excellent = (MemberReview.objects.filter(grade="excellent", year__in=[year, year - 1],
                                                     org__path__startswith=sub.path)
                         .values_list("person_id", flat=True).order_by("person_id"))
            members = list(Membership.objects.filter(active=True, status="full", person_id__in=list(excellent[:20]))
                           .select_related("person").order_by("person_id")[:3])
            for m in members:
                nominations.append(services.nomination_create(
                    actor=None, campaign=campaign, title="outstanding_member", org=sub, person=m.person,
                    reasons="坚持参加组织生活，带头开展志愿服务，民主评议为优秀"))
            branch = PartyOrg.objects.filter(path__startswith=sub.path, kind=OrgKind.GRID_BRANCH, active=True,
                                             founded_on__lte=dt.date(year - 1, 1, 1)).order_by("path").first()
            if branch is not None:
                nominations.append(services.nomination_create(
                    actor=None, campaign=campaign, title="advanced_org", org=sub, nominee_org=branch,
                    reasons="网格党建引领基层治理，三会一课规范，群众满意度高"))
    if not nominations:
        return
    with at(6, 10):
        for n in nominations[1:]:
            services.nomination_review(actor=leader, nomination=n, approve=True)
        services.nomination_review(actor=leader, nomination=nominations[0], approve=False,
                                   note="事迹材料不够具体，请补充后明年再推荐")
    with at(6, 11):
        for n in nominations[1:]:
            services.nomination_notice(actor=leader, nomination=n)
    resident = (users.get(Role.RESIDENT) or [None])[0]
    if resident is not None:
        with at(6, 12):
            objection = notices.objection_submit(actor=resident, notice=notices.latest_about(nominations[1], NOTICE_KIND),
                                                 text="建议核实其服务时长")
        with at(6, 15):
            notices.objection_answer(actor=leader, objection=objection, answer="经核实，服务时长记录属实")
    awarded = 0
    with at(6, 28):
        for n in nominations[1:]:
            services.nomination_award(actor=leader, nomination=n, on=dt.date(year, 6, 28))
            awarded += 1
    with at(6, 30):
        services.campaign_close(actor=leader, campaign=campaign)
    ctx.stats.update(honours_nominations=len(nominations), honours_awarded=awarded)
