from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from grassroots.core.models import Event
from grassroots.grading import selectors, services
from grassroots.grading.models import Assessment, Entry, Scheme

pytestmark = pytest.mark.django_db


def values(w, **by_code):
    ind = {"meetings": w.meetings, "visits": w.visits, "survey": w.survey, "safety": w.safety, "praise": w.praise,
           "criticism": w.criticism}
    return {ind[k].pk: v for k, v in by_code.items()}


def test_entries_compute_the_result_grade_and_rank(grading_world):
    w = grading_world
    services.entries_record(actor=w.zone_leader, assessment=w.a1,
                            values=values(w, meetings=1, visits=20, survey=90, praise=1, criticism=1))
    services.entries_record(actor=w.zone_leader, assessment=w.a3, values=values(w, meetings=1, visits=5, survey=50))
    a1, a3 = Assessment.objects.get(pk=w.a1.pk), Assessment.objects.get(pk=w.a3.pk)
    # a1: group min(30 + 40, 60) = 60, survey 36 → 96; bonus 2; deduction 3 → 95 优秀
    assert (a1.base_score, a1.bonus_score, a1.deduction_score, a1.total_score) == (D(96), D(2), D(3), D(95))
    assert a1.grade.name == "优秀" and a1.rank == 1
    # a3: 30 + 10 + 20 = 60 一般
    assert a3.total_score == D(60) and a3.grade.name == "一般" and a3.rank == 2
    assert Event.objects.filter(verb="entry.create").count() == 8


def test_a_veto_caps_the_grade_at_the_schemes_veto_grade_and_ranks_last(grading_world):
    w = grading_world
    services.entries_record(actor=w.zone_leader, assessment=w.a1, values=values(w, meetings=1, visits=20, survey=100,
                                                                                safety=1))
    services.entries_record(actor=w.zone_leader, assessment=w.a3, values=values(w, meetings=1))
    a1 = Assessment.objects.get(pk=w.a1.pk)
    assert a1.vetoed and a1.total_score == D(100)
    assert a1.grade.name == "较差"  # no veto grade set: the lowest band
    assert a1.rank == 2 and Assessment.objects.get(pk=w.a3.pk).rank == 1


def test_changing_a_band_while_open_regrades_every_result(grading_world):
    w = grading_world
    services.entries_record(actor=w.zone_leader, assessment=w.a3, values=values(w, meetings=1, visits=20, survey=50))
    assert Assessment.objects.get(pk=w.a3.pk).grade.name == "良好"  # 80
    services.band_set(actor=w.zone_leader, scheme=w.scheme, code="good", name="良好", min_score="80.01")
    assert Assessment.objects.get(pk=w.a3.pk).grade.name == "一般"


def test_bad_values_are_refused_and_nothing_is_written(grading_world):
    w = grading_world
    for bad in ({w.meetings.pk: 2}, {w.survey.pk: "100.5"}, {w.visits.pk: "1.5"}, {w.safety.pk: -1},
                {w.survey.pk: "abc"}, {w.basic.pk: 1}, {999999: 1}):
        with pytest.raises(ValidationFailed):
            services.entries_record(actor=w.zone_leader, assessment=w.a1, values={w.meetings.pk: 1, **bad})
    assert not Entry.objects.exists()
    assert Assessment.objects.get(pk=w.a1.pk).total_score == 0


def test_community_staff_score_their_own_communitys_target_and_no_other(grading_world):
    w = grading_world
    services.entries_record(actor=w.community_staff, assessment=w.a1, values=values(w, meetings=1))
    with pytest.raises(NotPermitted):
        services.entries_record(actor=w.other_staff, assessment=w.a1, values=values(w, meetings=1))
    with pytest.raises(NotFound):  # the other community's target is not even visible to them
        selectors.assessment_get(actor=w.community_staff, pk=w.a3.pk)


def test_several_assessors_values_are_averaged_and_each_sees_only_their_own_entries(grading_world):
    w = grading_world
    services.entries_record(actor=w.community_staff, assessment=w.a1, values=values(w, survey=80))
    services.entries_record(actor=w.community_secretary, assessment=w.a1, values=values(w, survey=100))
    assert Assessment.objects.get(pk=w.a1.pk).base_score == D(36)  # 40 × 90 %
    mine = selectors.entries(actor=w.community_staff, assessment=w.a1)
    assert [e.value for e in mine] == [D(80)]
    assert selectors.entries(actor=w.zone_leader, assessment=w.a1).count() == 2


def test_only_the_region_above_manages_schemes(grading_world):
    w = grading_world
    with pytest.raises(NotPermitted):
        services.scheme_create(actor=w.community_staff, name="x", year=2026, target_type="organization", region=w.zone)
    with pytest.raises(NotPermitted):
        services.band_set(actor=w.community_secretary, scheme=w.scheme, code="x", name="x", min_score=1)
    with pytest.raises(ValidationFailed):
        services.scheme_create(actor=w.zone_leader, name="x", year=2026, target_type="nonsense", region=w.zone)


def test_the_structure_is_frozen_once_open_and_entries_need_an_open_scheme(grading_world):
    w = grading_world
    with pytest.raises(Conflict):
        services.indicator_add(actor=w.zone_leader, scheme=w.scheme, code="9", name="新增", method="checked",
                               max_score=5)
    services.scheme_close(actor=w.zone_leader, scheme=w.scheme)
    with pytest.raises(NotPermitted):
        services.entries_record(actor=w.zone_leader, assessment=w.a1, values=values(w, meetings=1))
    with pytest.raises(Conflict):
        services.scheme_close(actor=w.zone_leader, scheme=Scheme.objects.get(pk=w.scheme.pk))
    services.scheme_reopen(actor=w.zone_leader, scheme=Scheme.objects.get(pk=w.scheme.pk))
    services.entries_record(actor=w.zone_leader, assessment=w.a1, values=values(w, meetings=1))


def test_a_scheme_opens_only_with_indicators_and_bands(world):
    s = services.scheme_create(actor=world.zone_leader, name="空方案", year=2026, target_type="person",
                               region=world.zone)
    with pytest.raises(ValidationFailed):
        services.scheme_open(actor=world.zone_leader, scheme=s)


def test_indicator_tree_rules(grading_world, world):
    w = grading_world
    s = services.scheme_create(actor=w.zone_leader, name="树", year=2026, target_type="organization", region=w.zone)
    leaf = services.indicator_add(actor=w.zone_leader, scheme=s, code="1", name="叶", method="checked", max_score=5)
    with pytest.raises(ValidationFailed):  # the parent must be a group
        services.indicator_add(actor=w.zone_leader, scheme=s, code="1.1", name="子", method="checked", max_score=5,
                               parent=leaf)
    with pytest.raises(ValidationFailed):  # of this scheme
        services.indicator_add(actor=w.zone_leader, scheme=s, code="1.2", name="子", method="checked", max_score=5,
                               parent=w.basic)
    with pytest.raises(ValidationFailed):  # a count needs its points per unit
        services.indicator_add(actor=w.zone_leader, scheme=s, code="2", name="计数", method="count", max_score=5)
    with pytest.raises(ValidationFailed):  # codes are unique in a scheme
        services.indicator_add(actor=w.zone_leader, scheme=s, code="1", name="重复", method="checked", max_score=5)


def test_targets_outside_the_managers_view_cannot_be_added_and_none_twice(grading_world):
    w = grading_world
    with pytest.raises(ValidationFailed):
        services.assessment_add(actor=w.zone_leader, scheme=w.scheme, target_id=w.org_c1.pk)
    with pytest.raises(NotFound):
        services.assessment_add(actor=w.zone_leader, scheme=w.scheme, target_id=987654)


def test_evidence_is_attached_by_the_assessor_and_opens_for_those_who_see_the_entry(grading_world):
    from grassroots.core.attachments import attachment_get, attachments_for

    w = grading_world
    [entry] = services.entries_record(actor=w.community_staff, assessment=w.a1, values=values(w, meetings=1))
    upload = SimpleUploadedFile("会议记录.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    with pytest.raises(NotPermitted):
        services.evidence_add(actor=w.zone_leader, entry=entry, upload=upload)
    attachment = services.evidence_add(actor=w.community_staff, entry=entry, upload=upload)
    assert list(attachments_for(actor=w.community_staff, obj=entry)) == [attachment]
    assert attachment_get(actor=w.zone_leader, pk=attachment.pk) == attachment
    with pytest.raises(NotFound):
        attachment_get(actor=w.other_staff, pk=attachment.pk)


def test_results_export_lists_the_targets_the_actor_sees_with_their_rank(grading_world):
    import io

    from openpyxl import load_workbook

    w = grading_world
    services.entries_record(actor=w.zone_leader, assessment=w.a3, values=values(w, meetings=1))
    rows = list(load_workbook(io.BytesIO(services.results_export(actor=w.zone_leader, scheme=w.scheme))).active
                .iter_rows(values_only=True))
    assert rows[0][:2] == ("排名", "考核对象") and rows[1][:2] == (1, "银河社区居委会") and len(rows) == 3
    staff_rows = list(load_workbook(io.BytesIO(services.results_export(actor=w.community_staff, scheme=w.scheme)))
                      .active.iter_rows(values_only=True))
    assert [r[1] for r in staff_rows[1:]] == ["安泰社区居委会"]


def test_overlong_codes_are_refused_and_any_scheme_name_exports(grading_world):
    w = grading_world
    s = services.scheme_create(actor=w.zone_leader, name="考核/评价[第一轮]:*?", year=2026, target_type="organization",
                               region=w.zone)
    with pytest.raises(ValidationFailed):
        services.indicator_add(actor=w.zone_leader, scheme=s, code="A" * 17, name="x", method="checked", max_score=1)
    with pytest.raises(ValidationFailed):
        services.band_set(actor=w.zone_leader, scheme=s, code="x" * 33, name="x", min_score=1)
    assert services.results_export(actor=w.zone_leader, scheme=s).startswith(b"PK")
