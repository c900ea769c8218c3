"""Who may do what in deliberation: residents act in their own community; staff run meetings and notices."""

from __future__ import annotations

from grassroots.core import roles as R
from grassroots.core.scope import scope_for

STAFF_ROLES = R.STAFF  # run meetings, notices, follow-up
READ_ROLES = R.STAFF_AND_FIELD  # read meetings of their scope; raise topics there


def is_staff_for(actor, region) -> bool:
    return scope_for(actor).covers_path(region.path, *STAFF_ROLES)


def can_convene(actor) -> bool:
    """Whether the actor holds a staff post anywhere (the meeting list offers 新建; the form needs it)."""
    return scope_for(actor).has_role(*STAFF_ROLES)


def home_community_path(actor) -> str | None:
    person = getattr(actor, "person", None) if getattr(actor, "is_authenticated", False) else None
    if person is None or person.region_id is None:
        return None
    return person.region.path


def lives_in(actor, region) -> bool:
    path = home_community_path(actor)
    return path is not None and path.startswith(region.path)


def can_raise_topic(actor, scope_region) -> bool:
    """Residents raise topics where they live; grid workers and staff in their scope."""
    return lives_in(actor, scope_region) or scope_for(actor).covers_path(scope_region.path, *READ_ROLES) or \
        _grid_worker_near(actor, scope_region)


def _grid_worker_near(actor, scope_region) -> bool:
    # a grid worker may raise a topic for their community (scope wider than their grid)
    scope = scope_for(actor)
    return any(p.startswith(scope_region.path) for p in scope.paths_for(R.Role.GRID_WORKER))
