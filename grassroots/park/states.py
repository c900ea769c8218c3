"""The enterprise park's vocabulary (docs/rules/park.md § Enterprise service): what is entered into an enterprise
grid, its party organisation status, the three 同步 steps."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntityKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    PROJECT = "project", _("在建项目")
    SITE = "site", _("建设工地")


class PartyStatus(models.TextChoices):
    OWN_BRANCH = "own_branch", _("单独建立党组织")
    JOINT_BRANCH = "joint_branch", _("联合建立党组织")
    INSTRUCTOR_ONLY = "instructor_only", _("选派党建指导员")
    NONE = "none", _("尚未覆盖")


# 同步筹建党组织、同步开展活动、同步发挥作用: the field of the day each step was done.
SYNC_STEPS = (("org", "sync_org_on", _("同步筹建党组织")), ("activity", "sync_activity_on", _("同步开展活动")),
              ("role", "sync_role_on", _("同步发挥作用")))
