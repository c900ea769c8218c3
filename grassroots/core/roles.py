"""The roles a post can carry, and the groups of roles the rules speak of — declared once, here.

Every layer reads these names: core's own pages (the audit log is the auditor's, holidays the admin's), the scope,
people's posts and every domain's permissions. A rule that needs a new combination adds a named group below
instead of spelling role strings where it is used. See ``docs/architecture.md`` (roles and scope).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    GRID_WORKER = "grid_worker", _("网格员")
    COMMUNITY_STAFF = "community_staff", _("社区工作者")
    COMMUNITY_SECRETARY = "community_secretary", _("社区书记")
    SUBDISTRICT_OFFICER = "subdistrict_officer", _("街道干部")
    DEPARTMENT_HANDLER = "department_handler", _("部门办理人")
    HOTLINE_OPERATOR = "hotline_operator", _("热线坐席")
    ZONE_LEADER = "zone_leader", _("区领导")
    PARTY_INSTRUCTOR = "party_instructor", _("党建指导员")
    ENTERPRISE_CONTACT = "enterprise_contact", _("企业联系人")
    RESIDENT = "resident", _("居民")
    ADMIN = "admin", _("系统管理员")
    AUDITOR = "auditor", _("审计管理员")
    # Posts on a party organisation (scope: the organisation and those under it, by party-organisation path).
    PARTY_BRANCH_SECRETARY = "party_branch_secretary", _("党支部书记")
    PARTY_AFFAIRS_WORKER = "party_affairs_worker", _("党务工作者")
    PARTY_COMMITTEE_OFFICER = "party_committee_officer", _("党（工）委干部")
    # Posts on a cooperative (an Organization of kind cooperative).
    COOPERATIVE_ACCOUNTANT = "cooperative_accountant", _("合作社会计")
    COOPERATIVE_BOARD_MEMBER = "cooperative_board_member", _("合作社理事")
    COOPERATIVE_SUPERVISOR = "cooperative_supervisor", _("合作社监事")
    # The park's post on enterprises: assigned enterprises, or the enterprises of assigned enterprise grids.
    SERVICE_COMMISSIONER = "service_commissioner", _("企业服务专员")


# System accounts: they manage the platform and read the audit log, and see no business data through selectors.
SYSTEM = (Role.ADMIN, Role.AUDITOR)
# Posts whose holders must pass a second factor (TOTP) on every credential. Upper-committee officers need it too
# when their committee sits at subdistrict or zone level (``SECOND_FACTOR_PARTY_DEPTH``; people.security).
SECOND_FACTOR = (Role.ADMIN, Role.AUDITOR, Role.ZONE_LEADER, Role.SUBDISTRICT_OFFICER)
# A party-committee officer whose organisation is at most this deep in the party tree (the zone's 工委 is 1, a
# 街道党工委 or a committee directly under the zone 2) must pass the second factor; a 社区党委's officers (3) need not.
SECOND_FACTOR_PARTY_DEPTH = 2

# Which kind of scope a post carries: a region of the tree, or an organisation.
REGION_POSTS = (Role.GRID_WORKER, Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY, Role.SUBDISTRICT_OFFICER,
                Role.HOTLINE_OPERATOR, Role.ZONE_LEADER, Role.PARTY_INSTRUCTOR)
ORGANIZATION_POSTS = (Role.DEPARTMENT_HANDLER, Role.ENTERPRISE_CONTACT)
# Posts on a party organisation: their scope is a party-organisation path (core.scope's party dimension).
PARTY_ORG_POSTS = (Role.PARTY_BRANCH_SECRETARY, Role.PARTY_AFFAIRS_WORKER, Role.PARTY_COMMITTEE_OFFICER)
# Posts on a cooperative (an organisation of kind cooperative).
COOPERATIVE_POSTS = (Role.COOPERATIVE_ACCOUNTANT, Role.COOPERATIVE_BOARD_MEMBER, Role.COOPERATIVE_SUPERVISOR)
# Posts whose target widens no general scope: their region, organisation or party organisation is kept by role
# only (``Scope.paths_for`` / ``orgs_for`` / ``party_paths_for``), so a selector grants them nothing unless it
# names the role. A branch secretary does not read the grid's cases; an accountant does not read what was
# dispatched to the cooperative.
NARROW_POSTS = (*PARTY_ORG_POSTS, *COOPERATIVE_POSTS, Role.SERVICE_COMMISSIONER)
# Posts whose region is the whole zone.
ZONE_WIDE = (Role.ZONE_LEADER, Role.HOTLINE_OPERATOR)

# The community's own office (社区工作者, 社区书记).
COMMUNITY = (Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY)
# Staff who run the community's business and those above them: they edit registers, meetings, projects, plans.
STAFF = (Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY, Role.SUBDISTRICT_OFFICER, Role.ZONE_LEADER)
# Staff and the field posts that read the same registers (grid workers on patrol, hotline operators on a call).
STAFF_AND_FIELD = (*STAFF, Role.GRID_WORKER, Role.HOTLINE_OPERATOR)
# Every post that carries a region: the readers of territory-wide registers.
REGION_READERS = (*STAFF_AND_FIELD, Role.PARTY_INSTRUCTOR)
# Every business post of the closed loop and the registers (neither a resident's self-service nor a system
# account; the narrow posts above are not among them).
BUSINESS = (Role.GRID_WORKER, Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY, Role.SUBDISTRICT_OFFICER,
            Role.DEPARTMENT_HANDLER, Role.HOTLINE_OPERATOR, Role.ZONE_LEADER, Role.PARTY_INSTRUCTOR,
            Role.ENTERPRISE_CONTACT)
