"""Who does what with key projects (docs/rules/park.md § Key projects · who).

- The staff of the project's park or zone (community staff and secretaries posted on the park, subdistrict officers
  and zone leaders above) keep the projects: register and edit them, their lists, team, plans and key nodes, and
  raise problems; they also report.
- The project's commissioner (专员 of "1+4") reads the project and reports on it: investment, progress with photos,
  key nodes done.
- Nobody else sees a project (404). ``actor=None`` is the system (the demo).
"""

from __future__ import annotations

from grassroots.core import roles as R
from grassroots.core.scope import scope_for


def can_keep(actor, project) -> bool:
    return actor is None or scope_for(actor).covers_path(project.region_path, *R.STAFF)


def can_register(actor, region) -> bool:
    return actor is None or scope_for(actor).covers_path(region.path, *R.STAFF)


def can_report(actor, project) -> bool:
    return can_keep(actor, project) or (getattr(actor, "pk", None) is not None
                                        and project.commissioner_id == actor.pk)
