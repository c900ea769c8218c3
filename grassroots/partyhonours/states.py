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
