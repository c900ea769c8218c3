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
