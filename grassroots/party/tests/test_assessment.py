import pytest

from grassroots.core.errors import NotFound, NotPermitted
from grassroots.grading import selectors, services
from grassroots.party.services import party_org_create

pytestmark = pytest.mark.django_db


def test_party_organisations_are_graded_by_the_party_staff_of_their_region(world):
    w = world
    top = party_org_create(actor=w.zone_leader, kind="zone_working_committee", name="开发区党工委", region=w.zone)
    sub = party_org_create(actor=w.zone_leader, kind="subdistrict_working_committee", name="东城街道党工委",
                           region=w.s1, parent=top)
    c1 = party_org_create(actor=w.zone_leader, kind="community_party_committee", name="安泰社区党委", region=w.c1, parent=sub)
    sub2 = party_org_create(actor=w.zone_leader, kind="subdistrict_working_committee", name="胜园街道党工委",
                            region=w.s2, parent=top)
    c3 = party_org_create(actor=w.zone_leader, kind="community_party_committee", name="银河社区党委", region=w.c3,
                          parent=sub2)
    s = services.scheme_create(actor=w.zone_leader, name="基层党建考核", year=2026, target_type="party_org",
                               region=w.zone)
    item = services.indicator_add(actor=w.zone_leader, scheme=s, code="1", name="组织生活", method="checked",
                                  max_score=100)
    services.band_set(actor=w.zone_leader, scheme=s, code="ok", name="达标", min_score=76)
    a1 = services.assessment_add(actor=w.zone_leader, scheme=s, target_id=c1.pk)
    a3 = services.assessment_add(actor=w.zone_leader, scheme=s, target_id=c3.pk)
    services.scheme_open(actor=w.zone_leader, scheme=s)
    services.entries_record(actor=w.community_secretary, assessment=a1, values={item.pk: 1})
    a1.refresh_from_db()
    assert a1.target_label == "安泰社区党委" and a1.total_score == 100 and a1.grade.name == "达标"
    with pytest.raises(NotPermitted):
        services.entries_record(actor=w.other_staff, assessment=a1, values={item.pk: 1})
    with pytest.raises(NotFound):
        selectors.assessment_get(actor=w.community_secretary, pk=a3.pk)
    assert [a.pk for a in selectors.results(actor=w.other_staff, scheme=s)] == [a3.pk]
