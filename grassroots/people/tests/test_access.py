"""people.access: reading an account's posts into its scope."""

import pytest


@pytest.mark.django_db
def test_the_scope_query_reads_what_the_orm_query_would_on_each_day(world):
    """``scope_for`` runs one hand-written query; it must match the ORM's reading of active posts at the edges of
    a post's dates (starts today, ends today, ended yesterday, starts tomorrow) and for posts without a region."""
    import datetime as dt

    from grassroots.core import clock
    from grassroots.core.scope import active_posts_q
    from grassroots.people.access import active_posts
    from grassroots.people.models import Post

    today = clock.today()
    user = world.community_staff
    day = dt.timedelta(days=1)
    for role, region, org, start, end in [
        ("grid_worker", world.g3, None, today, None), ("party_instructor", world.e1, None, today - 9 * day, today),
        ("subdistrict_officer", world.s1, None, today - 9 * day, today - day),
        ("department_handler", None, world.dept_city, today + day, None),
    ]:
        Post.objects.create(user=user, role=role, region=region, organization=org, start_date=start, end_date=end)
    for on in (today - day, today, today + day):
        orm = Post.objects.filter(active_posts_q(on), user_id=user.pk).values_list(
            "role", "region__path", "organization_id", "party_org_path")
        assert sorted(active_posts(user.pk, on), key=str) == sorted(orm, key=str), on
    assert {r for r, *_ in active_posts(user.pk, today)} == {"community_staff", "grid_worker", "party_instructor"}
