"""The lifecycle of a self-registered account's match to the roster (``AccountClaim``).

A claim is made pending by a registration, or confirmed at once when the ID number and the verified phone both
match one person; staff of the claim's community confirm it with a person or reject it. Services look their move up
in ``CLAIM_TRANSITIONS`` and compare-and-set it (``core.transitions.compare_and_set``).
"""

from __future__ import annotations

from grassroots.core.transitions import Transition

from .models import ClaimStatus

P, C, R = ClaimStatus.PENDING, ClaimStatus.CONFIRMED, ClaimStatus.REJECTED

CLAIM_TRANSITIONS = {
    "claim.create": Transition("claim.create", (), P, "注册", alternatives=frozenset({C})),
    "claim.confirm": Transition("claim.confirm", (P,), C, "确认匹配"),
    "claim.reject": Transition("claim.reject", (P,), R, "不予匹配"),
}
CLAIM_LABELS = dict(ClaimStatus.choices)
