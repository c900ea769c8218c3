from django.db import connection

from grassroots.territory.models import Region, subtree_q


def test_a_subtree_query_uses_the_index_on_path(world):
    qs = Region.objects.filter(subtree_q(world.c1.path)).values_list("id", flat=True)
    assert set(qs) == {world.c1.pk, world.g1.pk, world.g2.pk, world.b1.pk, world.b2.pk}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = qs.explain()
        assert "Index" in plan and "path" in plan, plan
    else:
        plan = qs.explain()
        assert "SEARCH" in plan and "USING" in plan and "INDEX" in plan, plan
        assert "SCAN territory_region" not in plan.replace("USING INDEX", ""), plan


def test_the_subtree_predicate_is_a_range_not_a_like():
    sql = str(Region.objects.filter(subtree_q("/370571/001/")).query)
    assert "LIKE" not in sql.upper() and ">=" in sql and "<" in sql
