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

from grassroots.core import roles as R
from grassroots.core.scope import scope_for

from .models import Organization, Role

UNMASK_FIELDS = {
    Role.COMMUNITY_SECRETARY: {"id_number", "phone"},
    Role.COMMUNITY_STAFF: {"id_number", "phone"},
    Role.HOTLINE_OPERATOR: {"phone"},
}
# Roles allowed to unmask a minor under 14.
MINOR_UNMASK_ROLES = {Role.COMMUNITY_SECRETARY}
REVEALABLE_FIELDS = ("id_number", "phone")

# Posts that keep the register: create, edit, move persons in their region.
REGISTER_ROLES = (Role.GRID_WORKER, *R.COMMUNITY)
# Rosters are imported by the community's own office; the people list is exported by staff (community and above).
IMPORT_ROLES = R.COMMUNITY
EXPORT_ROLES = R.STAFF
# Posts that keep organisations located in their own area (community office and subdistrict).
ORGANIZATION_ROLES_IN_SCOPE = (*R.COMMUNITY, Role.SUBDISTRICT_OFFICER)
# Posts that keep every organisation of the zone (the reference list; the zone's departments and agencies).
ORGANIZATION_WIDE_ROLES = (Role.ADMIN, Role.ZONE_LEADER)
# The enterprises a service commissioner (服务专员) serves: assigned one by one, or located in an assigned grid.
COMMISSIONER_KINDS = frozenset({Organization.Kind.ENTERPRISE, Organization.Kind.STATE_OWNED_ENTERPRISE})
_ZONE_BODIES = {Organization.Kind.DEPARTMENT, Organization.Kind.AGENCY}
# Kinds a post in ORGANIZATION_ROLES_IN_SCOPE may keep within its area.
ORGANIZATION_KINDS_BY_ROLE = {
    Role.SUBDISTRICT_OFFICER: frozenset(set(Organization.Kind.values) - _ZONE_BODIES),
    Role.COMMUNITY_STAFF: frozenset(set(Organization.Kind.values) - _ZONE_BODIES - {Organization.Kind.SUBDISTRICT_OFFICE}),
    Role.COMMUNITY_SECRETARY: frozenset(set(Organization.Kind.values) - _ZONE_BODIES
                                        - {Organization.Kind.SUBDISTRICT_OFFICE}),
}


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
    if person.is_minor and not _covers(actor, _person_path(person), R.COMMUNITY):
        return False
    return _covers(actor, _person_path(person), REGISTER_ROLES)


def can_import_people(actor) -> bool:
    return scope_for(actor).has_role(*IMPORT_ROLES)


def can_import_into(actor, region) -> bool:
    return region is not None and _covers(actor, region.path, IMPORT_ROLES)


def can_export_people(actor) -> bool:
    return scope_for(actor).has_role(*EXPORT_ROLES)


def can_manage_organizations(actor) -> bool:
    """Does the actor keep organisations anywhere? (the "new organisation" page and link; 403 otherwise)."""
    return scope_for(actor).has_role(*ORGANIZATION_WIDE_ROLES, *ORGANIZATION_ROLES_IN_SCOPE)


def organization_kinds_for(actor) -> list[str]:
    """The kinds of organisation the actor may register somewhere (in ``Organization.Kind`` order)."""
    scope = scope_for(actor)
    if scope.has_role(*ORGANIZATION_WIDE_ROLES):
        return list(Organization.Kind.values)
    allowed = {k for role in ORGANIZATION_ROLES_IN_SCOPE if scope.has_role(role) for k in ORGANIZATION_KINDS_BY_ROLE[role]}
    return [k for k in Organization.Kind.values if k in allowed]


def can_manage_organization(actor, organization=None, region=None, kind: str | None = None) -> bool:
    """Admin and the zone leader keep every organisation; subdistrict officers and community staff keep those located
    in their area, of the kinds their level deals with (zone departments and agencies stay with the zone)."""
    scope = scope_for(actor)
    if scope.has_role(*ORGANIZATION_WIDE_ROLES):
        return True
    target = region if region is not None else (organization.region if organization is not None else None)
    kind = kind or (organization.kind if organization is not None else None)
    if target is None:
        return False
    return any(_covers(actor, target.path, (role,)) and (kind is None or kind in ORGANIZATION_KINDS_BY_ROLE[role])
               for role in ORGANIZATION_ROLES_IN_SCOPE)


def can_manage_posts(actor) -> bool:
    """Account management is the system administrator's job."""
    return scope_for(actor).has_role(Role.ADMIN)


def can_end_post(actor, post) -> bool:
    return can_manage_posts(actor)


# Accounts for residents ----------------------------------------------------------------------------------------
# Who invites a person on the roster to open an account: the register keepers of the person's grid.
INVITE_ROLES = REGISTER_ROLES
# Who confirms or rejects a self-registration of their community: the community's own office.
CLAIM_ROLES = R.COMMUNITY


def can_invite(actor, person) -> bool:
    return _covers(actor, _person_path(person), INVITE_ROLES)


def can_decide_claim(actor, claim) -> bool:
    return _covers(actor, claim.community.path, CLAIM_ROLES)
