"""Honours' vocabulary: the 光荣在党50年 medal's lifecycle and its transition table (docs/rules/honours.md).

confirmed (the branch confirms a member on the year's list, with its remark) → approved (the upper committee) →
issued (who handed it over, when). A confirmed or approved award may be withdrawn with a reason (a mistake in the
register, the member's death before issuing); an issued medal stays issued.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.transitions import Transition


class MedalStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("支部已确认")
    APPROVED = "approved", _("上级已审批")
    ISSUED = "issued", _("已颁发")
    WITHDRAWN = "withdrawn", _("已撤回")


M = MedalStatus
TRANSITIONS: dict[str, Transition] = {t.verb: t for t in [
    Transition("medal.confirm", (), M.CONFIRMED, "支部确认"),
    Transition("medal.approve", (M.CONFIRMED,), M.APPROVED, "上级审批"),
    Transition("medal.issue", (M.APPROVED,), M.ISSUED, "颁发"),
    Transition("medal.withdraw", (M.CONFIRMED, M.APPROVED), M.WITHDRAWN, "撤回"),
]}
LABELS = dict(MedalStatus.choices)


# --- 两优一先 -------------------------------------------------------------------------------------------------------
class HonourTitle(models.TextChoices):
    OUTSTANDING_MEMBER = "outstanding_member", _("优秀共产党员")
    OUTSTANDING_WORKER = "outstanding_worker", _("优秀党务工作者")
    ADVANCED_ORG = "advanced_org", _("先进基层党组织")


PERSON_TITLES = (HonourTitle.OUTSTANDING_MEMBER, HonourTitle.OUTSTANDING_WORKER)


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("推荐中")
    CLOSED = "closed", _("已结束")


class NominationStatus(models.TextChoices):
    NOMINATED = "nominated", _("已推荐")
    APPROVED = "approved", _("上级已审核")
    REJECTED = "rejected", _("未通过审核")
    NOTICED = "noticed", _("公示中")
    AWARDED = "awarded", _("已表彰")
    WITHDRAWN = "withdrawn", _("已撤回")


N = NominationStatus
NOMINATION_TRANSITIONS: dict[str, Transition] = {t.verb: t for t in [
    Transition("nomination.create", (), N.NOMINATED, "推荐"),
    Transition("nomination.approve", (N.NOMINATED,), N.APPROVED, "审核通过"),
    Transition("nomination.reject", (N.NOMINATED,), N.REJECTED, "审核不通过"),
    Transition("nomination.notice", (N.APPROVED,), N.NOTICED, "公示"),
    Transition("nomination.award", (N.NOTICED,), N.AWARDED, "表彰"),
    Transition("nomination.withdraw", (N.NOMINATED, N.APPROVED, N.NOTICED), N.WITHDRAWN, "撤回"),
]}
NOMINATION_LABELS = dict(NominationStatus.choices)
LIVE_NOMINATIONS = (N.NOMINATED, N.APPROVED, N.NOTICED, N.AWARDED)
