"""Reading an account's posts into its scope (``core.scope`` holds the ``Scope`` value; this module fills it).

Installed into ``core.scope`` when the people app is ready, so every layer asks ``core.scope.scope_for(actor)``.
"""

from __future__ import annotations

import functools

from django.db import connection

from grassroots.core import scope as core_scope
from grassroots.territory.models import Region

from .models import Post


@functools.cache
def _posts_sql(vendor: str) -> str:
    """The query behind every scope: (role, region path, organisation) of a user's posts active on a day.

    Written once from the models' names instead of built by the ORM on each request: every page and API call
    asks it, and composing the same ORM query each time costs more than running it (it is the same query as
    ``Post.objects.filter(active_posts_q(day), user_id=…).values_list("role", "region__path", "organization_id",
    "party_org_path")``,
    checked by ``people/tests/test_access.py``)."""
    qn = connection.ops.quote_name

    def col(model, name):
        return qn(model._meta.get_field(name).column)

    return (f"SELECT p.{col(Post, 'role')}, r.{col(Region, 'path')}, p.{col(Post, 'organization')}, "
            f"p.{col(Post, 'party_org_path')} "
            f"FROM {qn(Post._meta.db_table)} p LEFT JOIN {qn(Region._meta.db_table)} r "
            f"ON r.{col(Region, 'id')} = p.{col(Post, 'region')} "
            f"WHERE p.{col(Post, 'user')} = %s AND p.{col(Post, 'start_date')} <= %s "
            f"AND (p.{col(Post, 'end_date')} IS NULL OR p.{col(Post, 'end_date')} >= %s)")


def active_posts(user_id: int, day) -> list[tuple]:
    """(role, region path, organisation id, party-organisation path) of the user's posts active on ``day``."""
    value = connection.ops.adapt_datefield_value(day)
    with connection.cursor() as cursor:
        cursor.execute(_posts_sql(connection.vendor), [user_id, value, value])
        return cursor.fetchall()


def read_scope(actor, day) -> core_scope.Scope:
    return core_scope.build(user_id=actor.pk, person_id=getattr(actor, "person_id", None),
                            posts=active_posts(actor.pk, day))
