"""The distribution plan's lifecycle and transition table.

trial (试算, recomputed as often as the books change) → noticed (公示, objections answered) → the members' assembly
decides: approved, or rejected (a new plan for the year may then be worked) → paid (payout records written and the
reserve shares added to the member accounts). Nothing is paid before the assembly passed the plan.
"""

from __future__ import annotations

from grassroots.core.transitions import Transition

from .models import Plan

S = Plan.Status
TRANSITIONS: dict[str, Transition] = {m.verb: m for m in [
    Transition("trial", (), S.TRIAL, "试算"),
    Transition("recompute", (S.TRIAL,), S.TRIAL, "重新试算"),
    Transition("publish", (S.TRIAL,), S.NOTICED, "公示"),
    Transition("decide", (S.NOTICED,), None, "成员大会表决", alternatives=frozenset({S.APPROVED, S.REJECTED})),
    Transition("pay", (S.APPROVED,), S.PAID, "兑付"),
]}
STATUS_LABELS = {s.value: str(s.label) for s in S}
WAITING = {S.TRIAL: "publish", S.NOTICED: "decide", S.APPROVED: "pay"}
