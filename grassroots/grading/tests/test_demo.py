from decimal import Decimal as D

import pytest

from grassroots.grading import services
from grassroots.grading.demo import build_scheme
from grassroots.grading.models import Assessment
from grassroots.people.models import Organization

pytestmark = pytest.mark.django_db


def test_the_demo_soe_scheme_has_the_reference_shape_and_grades_at_its_boundaries(world):
    w = world
    s = build_scheme(actor=w.zone_leader, region=w.zone, year=2026)
    tops = {i.code: i.max_score for i in s.indicators.filter(parent__isnull=True, method="group")}
    assert tops == {"1": D(40), "2": D(30), "3": D(30)}
    assert [(b.name, b.min_score) for b in s.bands.all()] == [("优秀", D(90)), ("达标", D(76)), ("不达标", D(0))]
    assert s.veto_grade.name == "不达标" and s.bonus_limit == D(3)
    soe2 = Organization.objects.create(name="东营港务集团", kind=Organization.Kind.STATE_OWNED_ENTERPRISE, region=w.zone)
    a = services.assessment_add(actor=w.zone_leader, scheme=s, target_id=w.other_enterprise.pk)
    b = services.assessment_add(actor=w.zone_leader, scheme=s, target_id=soe2.pk)
    services.scheme_open(actor=w.zone_leader, scheme=s)
    leaf = {i.code: i.pk for i in s.indicators.all()}
    full = {leaf["1.1"]: 100, leaf["2.1"]: 1, leaf["2.2"]: 1, leaf["2.3"]: 1, leaf["2.4"]: 1, leaf["3.1"]: 100,
            leaf["3.2"]: 100}
    # 87 + 3 bonus (5 commendations, capped at 3) = 90: 优秀 at the boundary
    services.entries_record(actor=w.zone_leader, assessment=a, values={**full, leaf["1.1"]: "67.5", leaf["B1"]: 5})
    # full marks but the veto applies: capped at 不达标
    services.entries_record(actor=w.zone_leader, assessment=b, values={**full, leaf["V1"]: 1})
    a, b = Assessment.objects.get(pk=a.pk), Assessment.objects.get(pk=b.pk)
    assert (a.total_score, a.grade.name, a.rank) == (D(90), "优秀", 1)
    assert (b.total_score, b.vetoed, b.grade.name, b.rank) == (D(100), True, "不达标", 2)
    services.entries_record(actor=w.zone_leader, assessment=a, values={leaf["D1"]: 1})  # one criticism: −3
    assert Assessment.objects.get(pk=a.pk).grade.name == "达标"


@pytest.fixture(scope="module")
def demo_grading(django_db_setup, django_db_blocker):
    from django.db import transaction

    from grassroots.demo import generator
    from grassroots.grading import demo as grading_demo

    with django_db_blocker.unblock(), transaction.atomic():
        ctx = generator.build(size="small", seed=5, with_extensions=False)
        grading_demo.build(ctx)
        yield ctx
        transaction.set_rollback(True)


def test_the_demo_scores_every_state_owned_enterprise_and_ranks_them(demo_grading):
    from grassroots.grading.models import Scheme

    scheme = Scheme.objects.get(name="国有企业党建工作考核")
    results = list(scheme.assessments.order_by("rank"))
    soes = Organization.objects.filter(kind=Organization.Kind.STATE_OWNED_ENTERPRISE).count()
    assert scheme.status == "open" and len(results) == min(soes, 12) == demo_grading.stats["grading_assessments"] > 0
    assert all(r.grade_id is not None and r.computed_at is not None for r in results)
    assert results[0].rank == 1 and [r.rank for r in results] == sorted(r.rank for r in results)
    if len(results) > 3:
        assert results[-1].vetoed and results[-1].grade.name == "不达标"
