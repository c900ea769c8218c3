from django.db import connection

from grassroots.party.models import PartyOrg
from grassroots.territory.models import subtree_q


def test_an_org_subtree_query_uses_the_index_on_path(world, party):
    qs = PartyOrg.objects.filter(subtree_q(party.c1.path)).values_list("id", flat=True)
    assert set(qs) == {party.c1.pk, party.g1.pk, party.g2.pk, party.b1.pk, party.b2.pk}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = qs.explain()
        assert "Index" in plan and "path" in plan, plan
    else:
        plan = qs.explain()
        assert "SEARCH" in plan and "INDEX" in plan, plan
        assert "SCAN party_partyorg" not in plan.replace("USING INDEX", ""), plan


def test_the_org_subtree_predicate_is_a_range_not_a_like(world, party):
    sql = str(PartyOrg.objects.filter(subtree_q(party.c1.path)).query)
    assert "LIKE" not in sql.upper() and ">=" in sql and "<" in sql


def test_the_party_post_scope_is_a_range_on_the_path_index(world, party):
    from grassroots.core.roles import Role
    from grassroots.core.scope import scope_for
    from grassroots.party.posts import party_post_create
    from tests.support.world import make_user

    officer = make_user("c1_officer")
    party_post_create(actor=world.admin, user=officer, role=Role.PARTY_COMMITTEE_OFFICER, org=party.c1)
    qs = PartyOrg.objects.filter(scope_for(officer).party_q("path")).values_list("id", flat=True)
    assert set(qs) == {party.c1.pk, party.g1.pk, party.g2.pk, party.b1.pk, party.b2.pk}
    assert "LIKE" not in str(qs.query).upper()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = qs.explain()
        assert "Index" in plan and "path" in plan, plan
    else:
        plan = qs.explain()
        assert "SEARCH" in plan and "INDEX" in plan, plan
