"""One module decides what an actor may see (docs/architecture.md § Conventions 2).

``scope_for(actor)`` turns the actor's active posts into a ``Scope`` (posts are read by ``people.access``):
region path prefixes (territory),
organisation ids (a department sees what was dispatched to it; an enterprise contact its enterprise),
party-organisation path prefixes (a branch secretary, a party affairs worker, an upper committee's officer: the
party organisation and those under it, which for enterprise and agency branches lies outside the region tree) and
the actor's own person (a resident sees their own and what is public). Selectors build their filters from it with
``region_q`` / ``org_q`` / ``party_q``; outside the scope an object is simply not found.

The narrow posts (``core.roles.NARROW_POSTS``: party, cooperative and park posts) keep their targets by role only:
they do not widen ``region_paths`` / ``org_ids``, so a selector grants them something only when it names them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from grassroots.core import clock
from grassroots.core.roles import NARROW_POSTS, SYSTEM, Role

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
    # party posts by role → party-organisation paths (``/0001/0002/``), read with ``party_q`` / ``covers_party_path``
    party_paths_by_role: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_system(self) -> bool:
        return self.has_role(*SYSTEM)

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

    # The party-organisation dimension: a party post covers its organisation and every one under it.

    def party_paths_for(self, *roles: str) -> tuple[str, ...]:
        """Party-organisation paths of the actor's posts in ``roles`` (every party post when none is named)."""
        wanted = roles or tuple(self.party_paths_by_role)
        return tuple(_collapse(p for r in wanted for p in self.party_paths_by_role.get(r, ())))

    def party_q(self, field: str = "path", roles: tuple[str, ...] | None = None, *, below: bool = False) -> Q:
        """Q matching rows whose party-organisation path lies under one of the actor's party posts (range
        predicates, docs/architecture.md § Conventions 3; none: Q(pk__in=[])). ``below``: strictly under, the
        post's own organisation left out (a committee's officer assesses the organisations under the committee)."""
        return paths_q(field, self.party_paths_for(*(roles or ())), below=below)

    def covers_party_path(self, path: str, *roles: str) -> bool:
        return bool(path) and any(path.startswith(p) for p in self.party_paths_for(*roles))


ANONYMOUS = Scope()


def paths_q(field: str, paths, *, below: bool = False) -> Q:
    """Q matching rows whose ``field`` path lies under one of ``paths`` (range predicates on the path index);
    ``below`` leaves the paths themselves out. No paths: Q(pk__in=[])."""
    q = Q(pk__in=[])
    for prefix in _collapse(paths):
        q |= Q(**{f"{field}__gt" if below else f"{field}__gte": prefix, f"{field}__lt": prefix + PATH_END})
    return q


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


_resolver = None


def install(resolver) -> None:
    """Set the function that reads an account's posts into a ``Scope`` (``people.access.read_scope``).

    Posts are people's models, and core sits below people: people installs its reader when the app is ready, so
    every layer asks for a scope through this one function without importing the layer that stores posts."""
    global _resolver
    _resolver = resolver


def scope_for(actor) -> Scope:
    """The actor's scope today; cached on the actor object for the request."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(actor, "_grassroots_scope", None)
    if cached is not None and cached[0] == clock.today():
        return cached[1]
    if _resolver is None:
        raise RuntimeError("no scope reader installed (the people app is not ready)")
    scope = _resolver(actor, clock.today())
    actor._grassroots_scope = (clock.today(), scope)
    return scope


def build(*, user_id: int, person_id: int | None, posts) -> Scope:
    """A scope from an account's active posts, given as (role, region path, organisation id[, party path]) rows.

    A person behind the account is a resident too. System posts (admin, auditor) see no business data through
    selectors, so their regions and organisations do not widen the business scope; nor do the narrow posts
    (``NARROW_POSTS``), whose targets are kept by role only."""
    paths_by_role: dict[str, set[str]] = {}
    orgs_by_role: dict[str, set[int]] = {}
    party_by_role: dict[str, set[str]] = {}
    roles = set()
    for row in posts:
        role, path, org_id = row[0], row[1], row[2]
        party_path = row[3] if len(row) > 3 else ""
        roles.add(role)
        if path:
            paths_by_role.setdefault(role, set()).add(path)
        if org_id:
            orgs_by_role.setdefault(role, set()).add(org_id)
        if party_path:
            party_by_role.setdefault(role, set()).add(party_path)
    if person_id:
        roles.add(Role.RESIDENT)
    narrow = set(SYSTEM) | set(NARROW_POSTS)
    region_paths = tuple(_collapse(p for r, ps in paths_by_role.items() if r not in narrow for p in ps))
    org_ids = frozenset(i for r, ids in orgs_by_role.items() if r not in narrow for i in ids)
    return Scope(
        user_id=user_id,
        person_id=person_id,
        roles=frozenset(roles),
        region_paths=region_paths,
        org_ids=org_ids,
        paths_by_role={r: tuple(sorted(ps)) for r, ps in paths_by_role.items()},
        orgs_by_role={r: frozenset(ids) for r, ids in orgs_by_role.items()},
        party_paths_by_role={r: tuple(sorted(ps)) for r, ps in party_by_role.items()},
    )


def forget(actor) -> None:
    """Drop the cached scope (after posts change)."""
    if actor is not None and hasattr(actor, "_grassroots_scope"):
        del actor._grassroots_scope
