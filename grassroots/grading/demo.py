"""Demo data for grading: this year's party-building assessment of the state-owned enterprises, in the shape of a
SOE 《考核评价办法》 (docs/rules/grading.md): 经营绩效 40; 党建基础工作 30 (组织生活, 党费, 发展党员, "五好"党组织);
组织活力 30 (民主测评 20 + 上级评价 10); +1–3 per commendation (capped at 3); −3–5 per criticism (capped at 10); a veto
on safety or stability; bands 优秀 ≥ 90 / 达标 ≥ 76 / 不达标 below. Scored through the services by the zone leader.
"""

from __future__ import annotations

from grassroots.core.roles import Role
from grassroots.people.models import Organization

from . import services

BANDS = (("excellent", "优秀", 90), ("pass", "达标", 76), ("fail", "不达标", 0))


def build_scheme(*, actor, region, year: int, target_type: str = "organization", name: str = "国有企业党建工作考核"):
    """The SOE scheme (draft): groups, leaves of every method, bonus and deduction items, bands, veto grade; for
    the enterprises themselves (``organization``) or another target type of the same shape (the SOEs' party
    organisations: ``party_org_soe``, registered by party)."""
    s = services.scheme_create(actor=actor, name=name, year=year, target_type=target_type,
                               region=region, bonus_limit=3, deduction_limit=10,
                               note="经营绩效、党建基础工作、组织活力；表彰加分、通报扣分；安全稳定一票否决")
    add = services.indicator_add
    perf = add(actor=actor, scheme=s, code="1", name="经营绩效", method="group", max_score=40, order=1)
    add(actor=actor, scheme=s, code="1.1", name="年度经营目标完成", method="survey", max_score=40, parent=perf)
    base = add(actor=actor, scheme=s, code="2", name="党建基础工作", method="group", max_score=30, order=2)
    for code, name, score in (("2.1", "组织生活", 10), ("2.2", "党费收缴", 5), ("2.3", "发展党员", 5),
                              ('2.4', '"五好"党组织创建', 10)):
        add(actor=actor, scheme=s, code=code, name=name, method="checked", max_score=score, parent=base)
    vital = add(actor=actor, scheme=s, code="3", name="组织活力", method="group", max_score=30, order=3)
    add(actor=actor, scheme=s, code="3.1", name="民主测评", method="survey", max_score=20, parent=vital)
    add(actor=actor, scheme=s, code="3.2", name="上级评价", method="survey", max_score=10, parent=vital)
    add(actor=actor, scheme=s, code="B1", name="受到表彰（按最高级别）", method="count", max_score=3, unit_score=1,
        kind="bonus", order=4)
    add(actor=actor, scheme=s, code="D1", name="受到通报批评", method="count", max_score=10, unit_score=3,
        kind="deduction", order=5)
    add(actor=actor, scheme=s, code="V1", name="发生重大安全生产或稳定事件", method="veto", max_score=0, order=6)
    bands = {code: services.band_set(actor=actor, scheme=s, code=code, name=name, min_score=m)
             for code, name, m in BANDS}
    return services.scheme_limits_set(actor=actor, scheme=s, bonus_limit=3, deduction_limit=10,
                                      veto_grade=bands["fail"])


def build(ctx) -> None:
    if ctx.zone is None or not ctx.users.get(Role.ZONE_LEADER):
        return
    leader = ctx.user(Role.ZONE_LEADER)
    rng = ctx.rng
    soes = list(Organization.objects.filter(kind=Organization.Kind.STATE_OWNED_ENTERPRISE).order_by("name")[:12])
    scheme = build_scheme(actor=leader, region=ctx.zone, year=ctx.today.year)
    assessments = [services.assessment_add(actor=None, scheme=scheme, target_id=o.pk) for o in soes]
    services.scheme_open(actor=leader, scheme=scheme)
    leaves = {i.code: i for i in scheme.indicators.exclude(method="group")}
    for n, a in enumerate(assessments):
        values = {
            leaves["1.1"].pk: rng.randint(70, 100),
            **{leaves[c].pk: int(rng.random() < 0.85) for c in ("2.1", "2.2", "2.3", "2.4")},
            leaves["3.1"].pk: rng.randint(75, 100), leaves["3.2"].pk: rng.randint(70, 100),
            leaves["B1"].pk: rng.choice((0, 0, 1, 2, 3)), leaves["D1"].pk: rng.choice((0, 0, 0, 1)),
            leaves["V1"].pk: int(n == len(assessments) - 1 and len(assessments) > 3),
        }
        services.entries_record(actor=leader, assessment=a, values=values)
    ctx.stats["grading_assessments"] = len(assessments)
