"""Who may do what with people, organisations and posts.

Seeing a person is decided by ``selectors`` (the actor's region scope; a resident sees only themself). These
functions decide what an actor may *do* with an object they can already see.

Unmasking policy (PIPL: minimal, purposeful; every unmasked view is an audit event ``person.reveal``):

============================  =======================  =========================================================
post                          fields                   why
============================  =======================  =========================================================
community_secretary           ID number and phone      keeps the community's household register (人口台账);
                                                       the only post that may unmask a minor under 14
community_staff               ID number and phone      acts for residents who call or visit (代办), checks
                                                       identity; never for minors under 14
hotline_operator              phone only               calls back the caller (回访); never for minors under 14
everyone else                 none                     grid workers, officers, leaders, departments, admin and
                                                       auditor see masked values only
============================  =======================  =========================================================

A post unmasks only persons whose grid lies in that post's own region (a secretary of another community may
not). Exports follow the same rule row by row.
"""

from __future__ import annotations

from grassroots.core.scope import scope_for

from .models import Role

UNMASK_FIELDS = {
    Role.COMMUNITY_SECRETARY: {"id_number", "phone"},
    Role.COMMUNITY_STAFF: {"id_number", "phone"},
    Role.HOTLINE_OPERATOR: {"phone"},
}
# Roles allowed to unmask a minor under 14.
MINOR_UNMASK_ROLES = {Role.COMMUNITY_SECRETARY}
REVEALABLE_FIELDS = ("id_number", "phone")

# Posts that keep the register: create, edit, move persons in their region.
REGISTER_ROLES = (Role.GRID_WORKER, Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY)
IMPORT_ROLES = (Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY)
EXPORT_ROLES = (Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY, Role.SUBDISTRICT_OFFICER, Role.ZONE_LEADER)
ORGANIZATION_ROLES_IN_SCOPE = (Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY, Role.SUBDISTRICT_OFFICER)


def _person_path(person) -> str:
    region = person.region if person.region_id else None
    return region.path if region is not None else ""


def _covers(actor, path: str, roles) -> bool:
    return bool(path) and scope_for(actor).covers_path(path, *roles)


def can_unmask(actor, person, field: str = "id_number") -> bool:
    """May the actor see ``field`` ("id_number" or "phone") of this person unmasked? (policy above)."""
    if field not in REVEALABLE_FIELDS:
        return False
    path = _person_path(person)
    roles = [role for role, fields in UNMASK_FIELDS.items() if field in fields]
    if person.is_minor:
        roles = [r for r in roles if r in MINOR_UNMASK_ROLES]
    return any(_covers(actor, path, (role,)) for role in roles)


def can_unmask_any(actor) -> bool:
    """Does the actor hold a post that may unmask something at all? (for exports and buttons)."""
    return scope_for(actor).has_role(*UNMASK_FIELDS)


def can_register_in(actor, region) -> bool:
    """May the actor add or move persons into this region (a building or grid)?"""
    return region is not None and _covers(actor, region.path, REGISTER_ROLES)


def can_register_somewhere(actor) -> bool:
    return scope_for(actor).has_role(*REGISTER_ROLES)


def can_edit_person(actor, person) -> bool:
    if person.is_minor and not _covers(actor, _person_path(person), (Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY)):
        return False
    return _covers(actor, _person_path(person), REGISTER_ROLES)


def can_import_people(actor) -> bool:
    return scope_for(actor).has_role(*IMPORT_ROLES)


def can_import_into(actor, region) -> bool:
    return region is not None and _covers(actor, region.path, IMPORT_ROLES)


def can_export_people(actor) -> bool:
    return scope_for(actor).has_role(*EXPORT_ROLES)


def can_manage_organization(actor, organization=None, region=None) -> bool:
    """Admin keeps the reference list; community and subdistrict staff keep the organisations located with them."""
    scope = scope_for(actor)
    if scope.has_role(Role.ADMIN):
        return True
    target = region if region is not None else (organization.region if organization is not None else None)
    return target is not None and _covers(actor, target.path, ORGANIZATION_ROLES_IN_SCOPE)


def can_manage_posts(actor) -> bool:
    """Account management is the system administrator's job."""
    return scope_for(actor).has_role(Role.ADMIN)


def can_end_post(actor, post) -> bool:
    return can_manage_posts(actor)
