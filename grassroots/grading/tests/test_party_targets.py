"""Party grading targets along the party-organisation tree (``party.assessment``): an upper committee's officer sees
and assesses the organisations under the committee — an enterprise branch outside the region tree included — and
not the committee itself; a secretary of a sibling branch finds the other branch's assessment missing."""

import pytest

from grassroots.core.errors import NotFound, NotPermitted
from grassroots.core.roles import Role
from grassroots.core.scope import forget
from grassroots.grading import selectors, services
from grassroots.party import assessment
from grassroots.party.posts import party_post_create
from tests.support.party import build_party
from tests.support.world import make_user

pytestmark = pytest.mark.django_db


def appoint(world, org, role, username):
    user = make_user(username)
    party_post_create(actor=world.admin, user=user, role=role, org=org)
    forget(user)
    return user


def test_an_upper_committee_officer_assesses_its_subtree_by_path_and_a_sibling_secretary_finds_nothing(world):
    w = world
    p = build_party(w)
    officer = appoint(w, p.c1, Role.PARTY_COMMITTEE_OFFICER, "c1_officer")
    zone_officer = appoint(w, p.zone, Role.PARTY_COMMITTEE_OFFICER, "zone_officer")
    secretary = appoint(w, p.g1, Role.PARTY_BRANCH_SECRETARY, "g1_secretary")
    sibling = appoint(w, p.g2, Role.PARTY_BRANCH_SECRETARY, "g2_secretary")
    assert set(assessment.assessable(officer)) == {p.g1, p.g2, p.b1, p.b2}  # under 安泰社区党委, not itself
    assert p.enterprise_branch in set(assessment.assessable(zone_officer))  # outside the region tree, by path
    assert p.zone not in set(assessment.assessable(zone_officer))
    assert set(assessment.assessable(secretary)) == set()  # a branch is assessed; it assesses nobody
    assert set(assessment.assessable(w.community_staff)) >= {p.c1, p.g1, p.b2}  # region party staff, by anchor
    assert p.c2 not in set(assessment.assessable(w.community_staff))

    s = services.scheme_create(actor=w.zone_leader, name="支部建设考核", year=2026, target_type="party_org",
                               region=w.zone)
    item = services.indicator_add(actor=w.zone_leader, scheme=s, code="1", name="三会一课", method="checked",
                                  max_score=100)
    services.band_set(actor=w.zone_leader, scheme=s, code="ok", name="达标", min_score=76)
    a_g1 = services.assessment_add(actor=w.zone_leader, scheme=s, target_id=p.g1.pk)
    a_g2 = services.assessment_add(actor=w.zone_leader, scheme=s, target_id=p.g2.pk)
    a_ent = services.assessment_add(actor=w.zone_leader, scheme=s, target_id=p.enterprise_branch.pk)
    services.scheme_open(actor=w.zone_leader, scheme=s)
    services.entries_record(actor=officer, assessment=a_g1, values={item.pk: 1})
    services.entries_record(actor=zone_officer, assessment=a_ent, values={item.pk: 1})
    with pytest.raises(NotPermitted):
        services.entries_record(actor=secretary, assessment=a_g1, values={item.pk: 1})
    assert selectors.assessment_get(actor=secretary, pk=a_g1.pk) == a_g1  # their own branch's result
    with pytest.raises(NotFound):
        selectors.assessment_get(actor=sibling, pk=a_g1.pk)
    with pytest.raises(NotFound):
        selectors.assessment_get(actor=secretary, pk=a_g2.pk)
    assert {a.pk for a in selectors.assessments(actor=officer, scheme=s)} == {a_g1.pk, a_g2.pk}


def test_schemes_per_target_type_take_only_their_kind_of_organisation(world):
    """SOE organisations, agencies' organisations, branches and secretaries' 述职评议: each scheme's target type
    narrows the party organisations it takes, with the same sight and scoring rules."""
    from grassroots.party.models import OrgKind
    from grassroots.party.services import party_org_create
    from grassroots.people.models import Organization, Person

    w = world
    p = build_party(w)
    soe = Organization.objects.create(name="城市发展投资集团", kind=Organization.Kind.STATE_OWNED_ENTERPRISE)
    agency = Organization.objects.create(name="审批服务部", kind=Organization.Kind.AGENCY)
    soe_branch = party_org_create(actor=None, kind=OrgKind.ORG_BRANCH, name="城投集团党支部", parent=p.zone,
                                  organization=soe)
    agency_branch = party_org_create(actor=None, kind=OrgKind.ORG_BRANCH, name="审批服务部党支部", parent=p.zone,
                                     organization=agency)
    p.g1.secretary = Person.objects.create(name="王书记")
    p.g1.save(update_fields=["secretary"])
    officer = appoint(w, p.zone, Role.PARTY_COMMITTEE_OFFICER, "zone_officer")
    from grassroots.grading import targets

    kinds = {key: set(targets.get(key).assessable(officer))
             for key in ("party_org_soe", "party_org_agency", "party_branch", "party_secretary")}
    assert kinds["party_org_soe"] == {soe_branch}
    assert kinds["party_org_agency"] == {agency_branch}
    assert {p.g1, p.g2, p.g3, p.g4, p.enterprise_branch, soe_branch, agency_branch} == kinds["party_branch"]
    assert kinds["party_secretary"] == {p.g1}
    for key, inside, outside in (("party_org_soe", soe_branch, p.g1), ("party_branch", p.g1, p.c1),
                                 ("party_secretary", p.g1, p.g2)):
        s = services.scheme_create(actor=w.zone_leader, name=f"{key}考核", year=2026, target_type=key,
                                   region=w.zone)
        assert services.assessment_add(actor=w.zone_leader, scheme=s, target_id=inside.pk).target_label == inside.name
        with pytest.raises(NotFound):
            services.assessment_add(actor=w.zone_leader, scheme=s, target_id=outside.pk)
