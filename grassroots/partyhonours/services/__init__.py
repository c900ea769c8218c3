"""Honours' writers, by entity: the 光荣在党50年 medal (``medal50``) and 两优一先 campaigns (``campaigns``); one
public namespace ``grassroots.partyhonours.services``."""

from .campaigns import (
    campaign_close,
    campaign_create,
    nomination_award,
    nomination_create,
    nomination_notice,
    nomination_review,
    nomination_withdraw,
    quota_set,
)
from .medal50 import _year, medal_approve, medal_confirm, medal_issue, medal_withdraw

__all__ = [
    "_year", "campaign_close", "campaign_create", "medal_approve", "medal_confirm", "medal_issue", "medal_withdraw",
    "nomination_award", "nomination_create", "nomination_notice", "nomination_review", "nomination_withdraw",
    "quota_set",
]
