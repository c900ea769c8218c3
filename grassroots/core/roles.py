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


# System accounts: they manage the platform and read the audit log, and see no business data through selectors.
SYSTEM = (Role.ADMIN, Role.AUDITOR)
# Posts whose holders must pass a second factor (TOTP) on every credential.
SECOND_FACTOR = (Role.ADMIN, Role.AUDITOR, Role.ZONE_LEADER, Role.SUBDISTRICT_OFFICER)

# Which kind of scope a post carries: a region of the tree, or an organisation.
REGION_POSTS = (Role.GRID_WORKER, Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY, Role.SUBDISTRICT_OFFICER,
                Role.HOTLINE_OPERATOR, Role.ZONE_LEADER, Role.PARTY_INSTRUCTOR)
ORGANIZATION_POSTS = (Role.DEPARTMENT_HANDLER, Role.ENTERPRISE_CONTACT)
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
# Every business post (neither a resident's self-service nor a system account).
BUSINESS = (Role.GRID_WORKER, Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY, Role.SUBDISTRICT_OFFICER,
            Role.DEPARTMENT_HANDLER, Role.HOTLINE_OPERATOR, Role.ZONE_LEADER, Role.PARTY_INSTRUCTOR,
            Role.ENTERPRISE_CONTACT)
