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

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from grassroots.core import roles as R
from grassroots.core.roles import Role
from grassroots.core.scope import scope_for

from .states import (
    ASSIGNMENT_TRANSITIONS,
    AssignmentRole,
    AssignmentStatus,
    Channel,
    ExtensionStatus,
    Satisfaction,
    Status,
    Tier,
)

COMMUNITY_ROLES = R.COMMUNITY
ZONE_DISPATCHERS = R.ZONE_WIDE  # a zone-level dispatcher: hotline operator or zone leader
REGION_ROLES = R.REGION_POSTS  # posts whose region puts its cases in scope
DISPATCHER_ROLES = {
    Tier.GRID: COMMUNITY_ROLES,
    Tier.COMMUNITY: COMMUNITY_ROLES,
    Tier.SUBDISTRICT: (Role.SUBDISTRICT_OFFICER,),
    Tier.ZONE: ZONE_DISPATCHERS,
}
APPROVER_ROLES = {
    Tier.GRID: COMMUNITY_ROLES,
    Tier.COMMUNITY: (Role.SUBDISTRICT_OFFICER,),
    Tier.SUBDISTRICT: (Role.ZONE_LEADER,),
    Tier.ZONE: (Role.ZONE_LEADER,),
}
# Who may file through which channel (beyond residents, who may always report for themselves).
CHANNEL_ROLES = {
    Channel.GRID_PATROL: (Role.GRID_WORKER,),
    Channel.HOTLINE: (Role.HOTLINE_OPERATOR,),
    Channel.IMPORT_12345: (Role.HOTLINE_OPERATOR,),
    Channel.IMPORT_PROVINCIAL: (Role.HOTLINE_OPERATOR,),
    Channel.ENTERPRISE: (Role.ENTERPRISE_CONTACT, Role.PARTY_INSTRUCTOR),
    Channel.DELIBERATION: COMMUNITY_ROLES,
    Channel.INSPECTION: (Role.SUBDISTRICT_OFFICER, Role.ZONE_LEADER),
    Channel.STAFF: (*R.STAFF, Role.HOTLINE_OPERATOR, Role.PARTY_INSTRUCTOR),
    Channel.RESIDENT: (),
}
SUPERVISORS = (Role.ZONE_LEADER, Role.SUBDISTRICT_OFFICER)  # 督办 by hand
# 回访: the hotline calls back whoever brought the case and left a way to reach them: callers and work orders always
# (the number is on the order), residents and enterprises who reported under their name. Cases found by staff
# (patrol, inspection, staff entries) have no complainant to call; an anonymous resident rates by tracking code.
CALLBACK_CHANNELS = (Channel.HOTLINE, Channel.IMPORT_12345, Channel.IMPORT_PROVINCIAL)
NAMED_CALLBACK_CHANNELS = (Channel.RESIDENT, Channel.ENTERPRISE)
# Whose work each inbox queue is (``selectors.QUEUES``): the queue shows when the actor holds one of the roles.
QUEUE_ROLES = {
    "to_accept": COMMUNITY_ROLES,
    "to_dispatch": (*COMMUNITY_ROLES, Role.SUBDISTRICT_OFFICER, *ZONE_DISPATCHERS),
    "to_acknowledge": (Role.DEPARTMENT_HANDLER,),
    "to_handle": (Role.DEPARTMENT_HANDLER,),
    "to_verify": (Role.GRID_WORKER, *COMMUNITY_ROLES),
    "to_callback": (Role.HOTLINE_OPERATOR,),
    "to_reopen": COMMUNITY_ROLES,
    "to_approve_extension": (Role.SUBDISTRICT_OFFICER, Role.ZONE_LEADER, *COMMUNITY_ROLES),
    "suspended": (Role.SUBDISTRICT_OFFICER,),
}


def _covers(actor, case, roles) -> bool:
    return scope_for(actor).covers_path(case.region_path, *roles) if roles else False


def is_commissioner(actor, case) -> bool:
    """The enterprise's service commissioner (企业服务专员): an enterprise appeal of an enterprise assigned to their
    post, or located in the enterprise grid or park of their post (docs/rules/cases.md § Enterprise appeals)."""
    if case.channel != Channel.ENTERPRISE or not case.enterprise_id:
        return False
    scope = scope_for(actor)
    return (case.enterprise_id in scope.orgs_for(Role.SERVICE_COMMISSIONER)
            or scope.covers_path(case.region_path, Role.SERVICE_COMMISSIONER))


def can_answer(actor, case) -> bool:
    return case.channel == Channel.ENTERPRISE and (is_commissioner(actor, case) or is_community_staff(actor, case))


can_redispatch = can_answer


def can_see(actor, case, assignments=None) -> bool:
    """Is the case in the actor's scope? (``assignments``: the case's assignments, when already loaded.)"""
    scope = scope_for(actor)
    if not scope.is_authenticated:
        return False
    if scope.covers_path(case.region_path, *REGION_ROLES):
        return True
    if is_commissioner(actor, case):
        return True
    if case.reporter_id is not None and case.reporter_id == scope.user_id:
        return True
    if scope.person_id and case.reporter_person_id == scope.person_id:
        return True
    if case.enterprise_id and case.enterprise_id in scope.orgs_for(Role.ENTERPRISE_CONTACT):
        return True
    if scope.org_ids:
        if assignments is not None:
            return any(a.organization_id in scope.org_ids for a in assignments)
        return case.assignments.filter(organization_id__in=sorted(scope.org_ids)).exists()
    return False


def sees_internals(actor, case) -> bool:
    """Staff of the case's region or of a unit (not an enterprise contact): they see who acted in the timeline and
    the events' details; reporters see the moves only."""
    scope = scope_for(actor)
    return scope.covers_path(case.region_path, *REGION_ROLES) or bool(
        scope.org_ids - scope.orgs_for(Role.ENTERPRISE_CONTACT))


def works_queue(actor, queue: str) -> bool:
    return scope_for(actor).has_role(*QUEUE_ROLES.get(queue, ()))


def can_import_work_orders(actor, channel: str) -> bool:
    """Work orders of the 12345 hotline or the provincial platform: those who may file through that channel."""
    return scope_for(actor).has_role(*CHANNEL_ROLES[channel])


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


def is_reporting_grid_worker(actor, case) -> bool:
    return (case.channel == Channel.GRID_PATROL and case.reporter_id is not None
            and case.reporter_id == scope_for(actor).user_id and _covers(actor, case, (Role.GRID_WORKER,)))


def can_resolve_on_site(actor, case) -> bool:
    """小事不出网格: the grid worker who reported it, for a category that may be resolved on the spot."""
    return is_reporting_grid_worker(actor, case) and case.category.on_site_allowed


def can_dispatch(actor, case, tier: str | None = None) -> bool:
    return _covers(actor, case, DISPATCHER_ROLES[tier or case.tier])


def can_escalate(actor, case) -> bool:
    return can_dispatch(actor, case)


def can_whistle(actor, case) -> bool:
    """吹哨: a subdistrict officer calls zone departments directly for a case at the subdistrict tier."""
    return case.tier == Tier.SUBDISTRICT and _covers(actor, case, (Role.SUBDISTRICT_OFFICER,))


def unit_of(actor, assignments, *, role: str | None = None):
    """The actor's own active assignment among ``assignments`` (optionally of a role), or None."""
    orgs = scope_for(actor).org_ids
    for a in assignments:
        if a.active and a.organization_id in orgs and (role is None or a.role == role):
            return a
    return None


def assignment_ready(assignment, verb: str) -> bool:
    """Is the unit's own assignment in a state the verb moves it from (``states.ASSIGNMENT_TRANSITIONS``)?"""
    return assignment is not None and assignment.status in ASSIGNMENT_TRANSITIONS[verb].sources


def can_acknowledge(actor, case, assignments) -> bool:
    """A handler of any assigned unit (its own assignment then moves dispatched → acknowledged)."""
    return unit_of(actor, assignments) is not None


def can_return(actor, case, assignments) -> bool:
    return unit_of(actor, assignments, role=AssignmentRole.LEAD) is not None


def can_note(actor, case, assignments) -> bool:
    """An assigned unit or the tier's dispatcher; before the lead has acknowledged (dispatched) only a unit that has
    acknowledged itself (a co-handler working its part) or the dispatcher."""
    if can_dispatch(actor, case):
        return True
    mine = unit_of(actor, assignments)
    if case.status == Status.DISPATCHED:
        return mine is not None and mine.status != AssignmentStatus.DISPATCHED
    return mine is not None


def can_part_done(actor, case, assignments) -> bool:
    """A handler of a co-handling unit (协办)."""
    return unit_of(actor, assignments, role=AssignmentRole.CO) is not None


def can_handle(actor, case, assignments) -> bool:
    """A handler of the lead unit (主办)."""
    return unit_of(actor, assignments, role=AssignmentRole.LEAD) is not None


def can_verify(actor, case) -> bool:
    """The reporting grid worker; for a case not found on patrol (a resident's report, a hotline call …) also the
    grid worker of the case's grid, who goes and looks (the closed-loop issue has the grid worker verify a resident's
    report); community staff always."""
    if is_reporting_grid_worker(actor, case) or is_community_staff(actor, case):
        return True
    return case.channel != Channel.GRID_PATROL and _covers(actor, case, (Role.GRID_WORKER,))


def can_verify_pass(actor, case) -> bool:
    """The verifier (``can_verify``); a case resolved on site is verified by community staff, since the worker who
    fixed it does not verify their own fix."""
    if case.resolved_on_site:
        return is_community_staff(actor, case)
    return can_verify(actor, case)


can_verify_fail = can_verify_pass


def can_rate(actor, case) -> bool:
    """The reporter by account, or the hotline's callback (回访). Tracking-code rating has no account."""
    scope = scope_for(actor)
    if case.reporter_id is not None and case.reporter_id == scope.user_id:
        return True
    if scope.person_id and case.reporter_person_id == scope.person_id:
        return True
    return _covers(actor, case, (Role.HOTLINE_OPERATOR,))


def has_someone_to_call_back(*, channel: str, anonymous: bool, reporter_id, reporter_person_id) -> bool:
    """Does the closed case belong in the hotline's callback queue (``CALLBACK_CHANNELS``)? The same rule as
    ``selectors``' ``to_callback`` queue, for one case's fields."""
    if channel in CALLBACK_CHANNELS:
        return True
    return channel in NAMED_CALLBACK_CHANNELS and not anonymous and (reporter_id is not None
                                                                     or reporter_person_id is not None)


def is_callback(actor, case) -> bool:
    scope = scope_for(actor)
    return case.reporter_id != scope.user_id and _covers(actor, case, (Role.HOTLINE_OPERATOR,))


def can_reopen(actor, case) -> bool:
    return is_community_staff(actor, case)


can_decline_reopen = can_reopen


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


def can_approve_extension(actor, case, extension) -> bool:
    """The tier above the case's tier (``APPROVER_ROLES``), and never the one who asked."""
    return _covers(actor, case, APPROVER_ROLES[case.tier]) and extension.requested_by_id != scope_for(actor).user_id


can_decline_extension = can_approve_extension


def can_suspend(actor, case) -> bool:
    return _covers(actor, case, (Role.SUBDISTRICT_OFFICER,))


can_resume = can_suspend


def can_supervise(actor, case) -> bool:
    return _covers(actor, case, SUPERVISORS)


# ---------------------------------------------------------------------------------------------------------------
# Who acts next


@dataclass(frozen=True)
class NextStep:
    """One move the case waits for: the verb, who is expected to make it (posts over the case's region, or units by
    their assignment) and by when (None: no deadline runs)."""

    verb: str
    roles: tuple[str, ...] = ()
    units: tuple[str, ...] = ()  # unit names
    due: dt.datetime | None = None
    waiting_for: tuple[str, ...] = field(default=())  # units whose part comes first (co-handlers before the lead)

    @property
    def who(self) -> str:
        """Who, in words: the units by name, or the posts (e.g. "热线坐席或区领导")."""
        if self.units:
            return "、".join(self.units)
        return str(_("或")).join(str(Role(r).label) for r in self.roles)

    @property
    def label(self) -> str:
        return str(NEXT_VERB_LABELS.get(self.verb, self.verb))


NEXT_VERB_LABELS = {
    "accept": _("受理或不予立案"), "dispatch": _("派遣（或上报上级）"), "acknowledge": _("报到"),
    "part_done": _("完成协办事项"), "handle": _("办结"), "verify": _("核查"), "rate": _("评价或回访"),
    "reopen": _("确认是否重启"), "resume": _("恢复办理（复核日到期由系统自动恢复）"), "approve_extension": _("审批延期申请"),
}


def _verifier_roles(case) -> tuple[str, ...]:
    if case.resolved_on_site:
        return tuple(COMMUNITY_ROLES)
    return (Role.GRID_WORKER, *COMMUNITY_ROLES)


def next_steps(case, assignments, *, ratings=(), extensions=(), now=None) -> list[NextStep]:
    """Who is expected to act next on the case, and by when: the rule the case page and the case API both show.

    * reported — community staff accept (or reject) by the accept deadline;
    * accepted — the dispatcher of the case's tier (``DISPATCHER_ROLES``: at the zone tier a zone-level dispatcher,
      hotline operator or zone leader) dispatches by the dispatch deadline;
    * dispatched — each unit that has not acknowledged, by its acknowledgement deadline;
    * in progress — co-handlers that have not finished their part, then the lead unit handles, by the handle deadline;
    * handled — the verifier (``can_verify``) by the verify deadline;
    * closed — the reporter or the hotline's callback rates the round (while nobody has); an unsatisfied rating waits
      for community staff to confirm or decline a reopen within the window;
    * suspended — a subdistrict officer resumes, at the latest at the review date (the sweep resumes then);
    * a pending extension request also waits for the tier above (``APPROVER_ROLES``).
    Rejected cases, and closed ones rated and settled, wait for nobody."""
    from grassroots.core import clock

    from . import policy

    now = now or clock.now()
    active = [a for a in assignments if a.active]
    steps: list[NextStep] = []
    status = case.status
    if status == Status.REPORTED:
        steps.append(NextStep("accept", roles=tuple(COMMUNITY_ROLES), due=case.accept_due))
    elif status == Status.ACCEPTED:
        steps.append(NextStep("dispatch", roles=tuple(DISPATCHER_ROLES[case.tier]), due=case.dispatch_due))
    elif status == Status.DISPATCHED:
        pending = [a for a in active if a.status == AssignmentStatus.DISPATCHED]
        pending.sort(key=lambda a: a.role != AssignmentRole.LEAD)
        for a in pending:
            steps.append(NextStep("acknowledge", units=(a.organization.name,), due=a.acknowledge_due))
    elif status == Status.IN_PROGRESS:
        co = [a.organization.name for a in active
              if a.role == AssignmentRole.CO and a.status != AssignmentStatus.PART_DONE]
        if co:
            steps.append(NextStep("part_done", units=tuple(co), due=case.handle_due))
        lead = [a.organization.name for a in active if a.role == AssignmentRole.LEAD]
        steps.append(NextStep("handle", units=tuple(lead), due=case.handle_due, waiting_for=tuple(co)))
    elif status == Status.HANDLED:
        steps.append(NextStep("verify", roles=_verifier_roles(case), due=case.verify_due))
    elif status == Status.SUSPENDED:
        steps.append(NextStep("resume", roles=(Role.SUBDISTRICT_OFFICER,), due=case.resume_at))
    elif status == Status.CLOSED:
        rating = next((r for r in ratings if r.round == case.rating_round), None)
        if rating is None:
            if has_someone_to_call_back(channel=case.channel, anonymous=case.anonymous,
                                        reporter_id=case.reporter_id, reporter_person_id=case.reporter_person_id):
                steps.append(NextStep("rate", roles=(Role.HOTLINE_OPERATOR,)))
        elif is_unsatisfied(rating) and not rating.reopen_decision:
            window = dt.timedelta(days=int(policy.setting("reopen_window_days")))
            if now <= rating.rated_at + window:
                steps.append(NextStep("reopen", roles=tuple(COMMUNITY_ROLES), due=rating.rated_at + window))
    if any(e.status == ExtensionStatus.PENDING for e in extensions):
        steps.append(NextStep("approve_extension", roles=tuple(APPROVER_ROLES[case.tier])))
    return steps
