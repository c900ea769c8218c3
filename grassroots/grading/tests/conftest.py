import pytest

from grassroots.grading import services
from grassroots.people.models import Organization


@pytest.fixture
def grading_world(world):
    """A zone scheme for organisations: two committees (安泰 in C1, 银河 in C3), indicators of every method, bands
    优秀 ≥ 90 / 良好 ≥ 80 / 一般 ≥ 60 / 较差 ≥ 0, a bonus capped at 3 and a deduction capped at 5."""
    w = world
    kind = Organization.Kind.RESIDENTS_COMMITTEE
    w.org_c1 = Organization.objects.create(name="安泰社区居委会", kind=kind, region=w.c1)
    w.org_c3 = Organization.objects.create(name="银河社区居委会", kind=kind, region=w.c3)
    leader = w.zone_leader
    s = services.scheme_create(actor=leader, name="社区工作考核", year=2026, target_type="organization", region=w.zone,
                               bonus_limit="3", deduction_limit="5")
    add = services.indicator_add
    w.basic = add(actor=leader, scheme=s, code="1", name="基础工作", method="group", max_score="60")
    w.meetings = add(actor=leader, scheme=s, code="1.1", name="三会一课", method="checked", max_score="30",
                     parent=w.basic)
    w.visits = add(actor=leader, scheme=s, code="1.2", name="走访", method="count", max_score="40", unit_score="2",
                   parent=w.basic)
    w.survey = add(actor=leader, scheme=s, code="2", name="群众满意度", method="survey", max_score="40")
    w.safety = add(actor=leader, scheme=s, code="3", name="安全稳定", method="veto", max_score="0")
    w.praise = add(actor=leader, scheme=s, code="B1", name="表彰", method="count", max_score="10", unit_score="2",
                   kind="bonus")
    w.criticism = add(actor=leader, scheme=s, code="D1", name="通报批评", method="count", max_score="20",
                      unit_score="3", kind="deduction")
    w.bands = {code: services.band_set(actor=leader, scheme=s, code=code, name=name, min_score=m)
               for code, name, m in (("excellent", "优秀", "90"), ("good", "良好", "80"), ("fair", "一般", "60"),
                                     ("poor", "较差", "0"))}
    w.a1 = services.assessment_add(actor=leader, scheme=s, target_id=w.org_c1.pk)
    w.a3 = services.assessment_add(actor=leader, scheme=s, target_id=w.org_c3.pk)
    w.scheme = services.scheme_open(actor=leader, scheme=s)
    return w
