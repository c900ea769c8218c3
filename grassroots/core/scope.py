"""One module decides what an actor may see (DESIGN convention 2).

``scope_for(actor)`` turns the actor's active posts into a ``Scope``: region path prefixes (territory),
organisation ids (a department sees what was dispatched to it; an enterprise contact its enterprise) and the
actor's own person (a resident sees their own and what is public). Selectors build their filters from it with
``region_q`` / ``org_q``; outside the scope an object is simply not found.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q

from grassroots.core import clock

PATH_END = "\uffff"


@dataclass(frozen=True)
class Scope:
    user_id: int | None = None
    person_id: int | None = None
    roles: frozenset[str] = frozenset()
    region_paths: tuple[str, ...] = ()
    org_ids: frozenset[int] = frozenset()
    # posts by role → region paths / organisation ids, for role-specific rules (who may dispatch at which tier …)
    paths_by_role: dict = field(default_factory=dict, hash=False, compare=False)
    orgs_by_role: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_system(self) -> bool:
        return self.has_role("admin", "auditor")

    def region_q(self, field: str = "region__path", roles: tuple[str, ...] | None = None) -> Q:
        """Q matching rows whose region path lies under one of the actor's region prefixes (or none: Q(pk__in=[]))."""
        paths = self.paths_for(*roles) if roles else self.region_paths
        q = Q(pk__in=[])
        for prefix in _collapse(paths):
            q |= Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + PATH_END})
        return q

    def org_q(self, field: str = "organization_id", roles: tuple[str, ...] | None = None) -> Q:
        ids = self.orgs_for(*roles) if roles else self.org_ids
        return Q(**{f"{field}__in": sorted(ids)}) if ids else Q(pk__in=[])

    def paths_for(self, *roles: str) -> tuple[str, ...]:
        return tuple(sorted({p for r in roles for p in self.paths_by_role.get(r, ())}))

    def orgs_for(self, *roles: str) -> frozenset[int]:
        return frozenset(i for r in roles for i in self.orgs_by_role.get(r, ()))

    def covers_path(self, path: str, *roles: str) -> bool:
        paths = self.paths_for(*roles) if roles else self.region_paths
        return any(path.startswith(p) for p in paths)


ANONYMOUS = Scope()


def _collapse(paths) -> list[str]:
    """Drop prefixes already covered by a shorter one."""
    result: list[str] = []
    for p in sorted(set(paths)):
        if not result or not p.startswith(result[-1]):
            result.append(p)
    return result


def active_posts_q(on=None) -> Q:
    day = on or clock.today()
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


@functools.cache
def _posts_sql(vendor: str) -> str:
    """The query behind every scope: (role, region path, organisation) of a user's posts active on a day.

    Written once from the models' names instead of built by the ORM on each request: every page and API call
    asks it, and composing the same ORM query each time costs more than running it (it is the same query as
    ``Post.objects.filter(active_posts_q(day), user_id=…).values_list("role", "region__path", "organization_id")``,
    checked by ``core/tests/test_scope.py``)."""
    from grassroots.people.models import Post
    from grassroots.territory.models import Region

    qn = connection.ops.quote_name

    def col(model, name):
        return qn(model._meta.get_field(name).column)

    return (f"SELECT p.{col(Post, 'role')}, r.{col(Region, 'path')}, p.{col(Post, 'organization')} "
            f"FROM {qn(Post._meta.db_table)} p LEFT JOIN {qn(Region._meta.db_table)} r "
            f"ON r.{col(Region, 'id')} = p.{col(Post, 'region')} "
            f"WHERE p.{col(Post, 'user')} = %s AND p.{col(Post, 'start_date')} <= %s "
            f"AND (p.{col(Post, 'end_date')} IS NULL OR p.{col(Post, 'end_date')} >= %s)")


def _active_posts(user_id: int, day) -> list[tuple]:
    value = connection.ops.adapt_datefield_value(day)
    with connection.cursor() as cursor:
        cursor.execute(_posts_sql(connection.vendor), [user_id, value, value])
        return cursor.fetchall()


def scope_for(actor) -> Scope:
    """The actor's scope today; cached on the actor object for the request."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(actor, "_grassroots_scope", None)
    if cached is not None and cached[0] == clock.today():
        return cached[1]
    posts = _active_posts(actor.pk, clock.today())
    paths_by_role: dict[str, set[str]] = {}
    orgs_by_role: dict[str, set[int]] = {}
    for role, path, org_id in posts:
        if path:
            paths_by_role.setdefault(role, set()).add(path)
        if org_id:
            orgs_by_role.setdefault(role, set()).add(org_id)
    roles = {role for role, _, _ in posts}
    person_id = getattr(actor, "person_id", None)
    if person_id:
        roles.add("resident")
    # Business roles see regions; system roles (admin, auditor) see no business data through selectors.
    region_paths = tuple(_collapse(p for r, ps in paths_by_role.items() if r not in {"admin", "auditor"} for p in ps))
    org_ids = frozenset(i for r, ids in orgs_by_role.items() if r not in {"admin", "auditor"} for i in ids)
    scope = Scope(
        user_id=actor.pk,
        person_id=person_id,
        roles=frozenset(roles),
        region_paths=region_paths,
        org_ids=org_ids,
        paths_by_role={r: tuple(sorted(ps)) for r, ps in paths_by_role.items()},
        orgs_by_role={r: frozenset(ids) for r, ids in orgs_by_role.items()},
    )
    actor._grassroots_scope = (clock.today(), scope)
    return scope


def forget(actor) -> None:
    """Drop the cached scope (after posts change)."""
    if actor is not None and hasattr(actor, "_grassroots_scope"):
        del actor._grassroots_scope
