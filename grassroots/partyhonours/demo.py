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
