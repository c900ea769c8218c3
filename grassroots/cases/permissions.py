"""Who may do what to a case: plain ``can_<verb>(actor, case, ...)`` functions over the actor's scope.

Visibility (``can_see``) is checked first by the services and selectors (outside it a case is NotFound); these
functions answer the role question (NotPermitted when False). The state question is the transition table's.

Roles by tier (分级响应):

* dispatcher of a tier — grid/community: community staff or secretary of the case's community; subdistrict: a
  subdistrict officer of its subdistrict; zone: a zone-level dispatcher (hotline operator or zone leader);
* approver of extensions — the tier above the case's tier (grid → community staff, community → subdistrict officer,
  subdistrict and zone → zone leader);
* verifier — the grid worker who reported the case, and the community's staff (who verify when no reporting grid
  worker is at hand);
* unit handler — anyone holding an active post at the assigned organisation.
"""

from __future__ import annotations

from grassroots.core.scope import scope_for

from .states import AssignmentRole, Channel, Satisfaction, Status, Tier

COMMUNITY_ROLES = ("community_staff", "community_secretary")
ZONE_DISPATCHERS = ("hotline_operator", "zone_leader")
REGION_ROLES = ("grid_worker", "community_staff", "community_secretary", "subdistrict_officer", "hotline_operator",
                "zone_leader", "party_instructor")
DISPATCHER_ROLES = {
    Tier.GRID: COMMUNITY_ROLES,
    Tier.COMMUNITY: COMMUNITY_ROLES,
    Tier.SUBDISTRICT: ("subdistrict_officer",),
    Tier.ZONE: ZONE_DISPATCHERS,
}
APPROVER_ROLES = {
    Tier.GRID: COMMUNITY_ROLES,
    Tier.COMMUNITY: ("subdistrict_officer",),
    Tier.SUBDISTRICT: ("zone_leader",),
    Tier.ZONE: ("zone_leader",),
}
# Who may file through which channel (beyond residents, who may always report for themselves).
CHANNEL_ROLES = {
    Channel.GRID_PATROL: ("grid_worker",),
    Channel.HOTLINE: ("hotline_operator",),
    Channel.IMPORT_12345: ("hotline_operator",),
    Channel.IMPORT_PROVINCIAL: ("hotline_operator",),
    Channel.ENTERPRISE: ("enterprise_contact", "party_instructor"),
    Channel.DELIBERATION: COMMUNITY_ROLES,
    Channel.INSPECTION: ("subdistrict_officer", "zone_leader"),
    Channel.STAFF: (*COMMUNITY_ROLES, "subdistrict_officer", "hotline_operator", "zone_leader", "party_instructor"),
    Channel.RESIDENT: (),
}


def _covers(actor, case, roles) -> bool:
    return scope_for(actor).covers_path(case.region_path, *roles) if roles else False


def can_see(actor, case, assignments=None) -> bool:
    """Is the case in the actor's scope? (``assignments``: the case's assignments, when already loaded.)"""
    scope = scope_for(actor)
    if not scope.is_authenticated:
        return False
    if scope.covers_path(case.region_path, *REGION_ROLES):
        return True
    if case.reporter_id is not None and case.reporter_id == scope.user_id:
        return True
    if scope.person_id and case.reporter_person_id == scope.person_id:
        return True
    if case.enterprise_id and case.enterprise_id in scope.orgs_for("enterprise_contact"):
        return True
    if scope.org_ids:
        if assignments is not None:
            return any(a.organization_id in scope.org_ids for a in assignments)
        return case.assignments.filter(organization_id__in=sorted(scope.org_ids)).exists()
    return False


def can_report(actor, channel: str, region=None) -> bool:
    scope = scope_for(actor)
    if channel == Channel.RESIDENT:
        return True
    roles = CHANNEL_ROLES.get(channel, ())
    if not scope.has_role(*roles):
        return False
    if channel == Channel.ENTERPRISE:
        return True
    if region is None:
        return True
    return scope.covers_path(region.path, *roles)


def is_community_staff(actor, case) -> bool:
    return _covers(actor, case, COMMUNITY_ROLES)


def can_accept(actor, case) -> bool:
    return is_community_staff(actor, case)


def can_reject(actor, case) -> bool:
    return is_community_staff(actor, case)


can_mark_duplicate = can_reject


def can_resolve_on_site(actor, case) -> bool:
    return (case.channel == Channel.GRID_PATROL and case.reporter_id == scope_for(actor).user_id
            and case.category.on_site_allowed and _covers(actor, case, ("grid_worker",)))


def can_dispatch(actor, case, tier: str | None = None) -> bool:
    return _covers(actor, case, DISPATCHER_ROLES[tier or case.tier])


def can_escalate(actor, case) -> bool:
    return can_dispatch(actor, case)


def can_whistle(actor, case) -> bool:
    """吹哨: a subdistrict officer calls zone departments directly for a case at the subdistrict tier."""
    return case.tier == Tier.SUBDISTRICT and _covers(actor, case, ("subdistrict_officer",))


def unit_of(actor, assignments, *, role: str | None = None):
    """The actor's own active assignment among ``assignments`` (optionally of a role), or None."""
    orgs = scope_for(actor).org_ids
    for a in assignments:
        if a.active and a.organization_id in orgs and (role is None or a.role == role):
            return a
    return None


def can_acknowledge(actor, case, assignments) -> bool:
    return unit_of(actor, assignments) is not None


def can_return(actor, case, assignments) -> bool:
    return unit_of(actor, assignments, role=AssignmentRole.LEAD) is not None


def can_note(actor, case, assignments) -> bool:
    return unit_of(actor, assignments) is not None or can_dispatch(actor, case)


def can_part_done(actor, case, assignments) -> bool:
    return unit_of(actor, assignments, role=AssignmentRole.CO) is not None


def can_handle(actor, case, assignments) -> bool:
    return unit_of(actor, assignments, role=AssignmentRole.LEAD) is not None


def is_reporting_grid_worker(actor, case) -> bool:
    return (case.channel == Channel.GRID_PATROL and case.reporter_id is not None
            and case.reporter_id == scope_for(actor).user_id and _covers(actor, case, ("grid_worker",)))


def can_verify(actor, case) -> bool:
    """The reporting grid worker; for a case not found on patrol (a resident's report, a hotline call …) also the
    grid worker of the case's grid, who goes and looks (the closed-loop issue has the grid worker verify a resident's
    report); community staff always."""
    if is_reporting_grid_worker(actor, case) or is_community_staff(actor, case):
        return True
    return case.channel != Channel.GRID_PATROL and _covers(actor, case, ("grid_worker",))


def can_rate(actor, case) -> bool:
    """The reporter by account, or the hotline's callback (回访). Tracking-code rating has no account."""
    scope = scope_for(actor)
    if case.reporter_id is not None and case.reporter_id == scope.user_id:
        return True
    if scope.person_id and case.reporter_person_id == scope.person_id:
        return True
    return _covers(actor, case, ("hotline_operator",))


def is_callback(actor, case) -> bool:
    scope = scope_for(actor)
    return case.reporter_id != scope.user_id and _covers(actor, case, ("hotline_operator",))


def can_reopen(actor, case) -> bool:
    return is_community_staff(actor, case)


def is_unsatisfied(rating) -> bool:
    return rating is not None and (rating.satisfaction == Satisfaction.UNSATISFIED or not rating.resolved)


def can_request_extension(actor, case, assignments) -> bool:
    """The one responsible for the running clock: the lead unit (acknowledge, handle) or the tier's dispatcher."""
    if case.status in (Status.DISPATCHED, Status.IN_PROGRESS):
        return unit_of(actor, assignments, role=AssignmentRole.LEAD) is not None
    if case.status == Status.HANDLED:
        return can_verify(actor, case)
    if case.status == Status.REPORTED:
        return can_accept(actor, case)
    return can_dispatch(actor, case)


def can_approve_extension(actor, case) -> bool:
    return _covers(actor, case, APPROVER_ROLES[case.tier])


def can_suspend(actor, case) -> bool:
    return _covers(actor, case, ("subdistrict_officer",))


can_resume = can_suspend


def can_supervise(actor, case) -> bool:
    return _covers(actor, case, ("zone_leader", "subdistrict_officer"))
