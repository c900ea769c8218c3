"""The policy defaults of organisational life: the kinds of meeting and the points rules as rows an administrator
edits (written once by the migration; ``ensure_defaults`` restores missing ones), and the settings read through
``core.policy`` (keys ``partylife.*``). Sources in docs/rules/party-life.md."""

from __future__ import annotations

from decimal import Decimal

from grassroots.core import policy

# code, name, rhythm, body, roll, quorum (num, den) or None, points rule, order
MEETING_KINDS = (
    ("branch_assembly", "支部党员大会", "quarter", "branch", "members", (1, 2), "three_one", 10),
    ("committee", "支委会", "month", "committee", "invited", (1, 2), "three_one", 20),
    ("group", "党小组会", "month", "group", "members", None, "three_one", 30),
    ("lecture", "党课", "year", "branch", "members", None, "three_one", 40),
    ("theme_day", "主题党日", "month", "branch", "members", None, "theme_day", 50),
    ("life_meeting", "组织生活会", "year", "branch", "members", None, "three_one", 60),
    ("review", "民主评议党员", "year", "branch", "members", (1, 2), "three_one", 70),
    ("talk", "谈心谈话", "year", "branch", "invited", None, None, 80),
)
# code, name, source, points, cap, period
POINTS_RULES = (
    ("three_one", "参加三会一课", "meeting", "3", "12", "year"),
    ("theme_day", "参加主题党日", "meeting", "2", "8", "year"),
    ("service_hour", "志愿服务、报到服务（每小时）", "service", "1", "20", "year"),
    ("award", "表彰奖励", "award", "0", None, "year"),
    ("manual_plus", "先锋作用（人工登记，加分）", "manual", "0", "20", "year"),
    ("manual_minus", "扣分（人工登记）", "manual", "0", None, "year"),
)

SETTINGS = {
    "partylife.committee_min_full_members": 7,  # a branch with seven or more full members has a committee
    "partylife.committee_max_seats": 7,  # 支部委员会 usually 3–5, never more than 7
    "partylife.inactive_months": 6,  # 党章 Art 9: six months in a row
    "partylife.arrears_months": 3,  # an earlier reminder: this many months of dues unpaid (0: none)
    "partylife.term_years_rural_urban": 5,  # 村、社区党组织 and 基层党委
    "partylife.term_years_other": 3,  # other 总支 and 支部
    "partylife.term_reminder_months": [6, 3, 0],
    "partylife.term_extension_max_months": 12,
    "partylife.rankings": True,  # individual points rankings shown
}


def get(key: str):
    return policy.setting(key, SETTINGS[key])


def ensure_defaults(apps=None) -> None:
    """Write the default rows that are missing (the migration; tests' worlds)."""
    if apps is None:
        from .models import MeetingKind, PointsRule
    else:
        MeetingKind = apps.get_model("partylife", "MeetingKind")  # noqa: N806
        PointsRule = apps.get_model("partylife", "PointsRule")  # noqa: N806
    rules = {}
    for code, name, source, points, cap, period in POINTS_RULES:
        rules[code], _ = PointsRule.objects.get_or_create(code=code, defaults={
            "name": name, "source": source, "points": Decimal(points),
            "cap": Decimal(cap) if cap is not None else None, "period": period})
    for code, name, rhythm, body, roll, quorum, rule, order in MEETING_KINDS:
        MeetingKind.objects.get_or_create(code=code, defaults={
            "name": name, "rhythm": rhythm, "body": body, "roll": roll, "order": order,
            "quorum_num": quorum[0] if quorum else None, "quorum_den": quorum[1] if quorum else None,
            "points_rule": rules.get(rule) if rule else None})
