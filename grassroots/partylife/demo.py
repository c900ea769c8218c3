"""Demo data for organisational life: the past year of every branch and party group of the demo zone, with the
gaps real branches have, then the sweep (docs/rules/party-life.md).

- Branches hold a 主题党日 each month, a 支部党员大会 each quarter, a 支委会 each month where they have a committee
  (seven or more full members), and a 党课, a 组织生活会 and a 民主评议党员 in the year; party groups meet most
  months. About one branch in seven fell behind: no 支部党员大会 last quarter and a missed 主题党日 or two.
- Sign-in: most members present, some on leave with a reason, a few absent; about one member in fifty has not
  attended for more than six months (the sweep raises the alert for the branch). Meetings before this month are
  archived, with the points of those present (capped per rule); the coming days' meetings are planned, some
  already noticed.
- Last year's 民主评议 grades (mostly 合格, some 优秀, a few 基本合格, rarely 不合格 with the reason); a few manual
  points lines waiting for approval.
- Every organisation's current term, started one to five years ago: some end within six months (the reminders).
Bulk writes for the meetings, sign-ins and points; terms through the service (it writes ``PartyOrg.term_end``
through the party app)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from . import periods, rules, services
from .models import Attendance, CommitteeSeat, Meeting, MeetingKind, MemberReview, PointsEntry, PointsRule
from .policy import ensure_defaults
from .services.terms import default_years
from .states import EntryStatus, Grade, MeetingStatus, Presence

THEMES = ("学习贯彻党的二十届三中全会精神", "重温入党誓词", "走进社区开展志愿服务", "学习党章党规", "红色教育基地参观学习",
          "垃圾分类宣传进楼栋", "关爱老党员慰问走访", "学习《中国共产党纪律处分条例》", "安全生产知识学习",
          "网格走访收集群众诉求", "文明城市创建志愿服务", "年终工作总结")
LEAVE_REASONS = ("外出务工", "身体不适", "出差", "照顾家人", "单位值班")
MINUTES = "{org}于{day}在{place}召开{kind}，应到{due}人，实到{present}人。会议{topic}，与会党员结合工作实际交流发言。"


def _aware(day: dt.date, hour: int = 14):
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 30))


def build(ctx) -> None:
    from grassroots.party.models import Membership, PartyOrg

    ensure_defaults()
    rng, today = ctx.rng, ctx.today
    kinds = {k.code: k for k in MeetingKind.objects.all()}
    rules_by_code = {r.code: r for r in PointsRule.objects.all()}
    rules_by_id = {r.pk: r for r in rules_by_code.values()}
    orgs = list(PartyOrg.objects.filter(active=True).order_by("path"))
    if not orgs:
        return
    counts = rules.full_member_counts()
    members = defaultdict(list)  # org path → [(person id, full)]
    for person_id, status, path in Membership.objects.filter(active=True).values_list("person_id", "status",
                                                                                     "org__path"):
        members[path].append((person_id, status == "full"))

    rolls: dict = {}

    def roll(org):
        if org.pk not in rolls:
            rolls[org.pk] = [m for p, ms in members.items() if p.startswith(org.path) for m in ms]
        return rolls[org.pk]

    branches = [o for o in orgs if o.kind in rules.BRANCH_BODY_KINDS]
    groups = [o for o in orgs if o.kind in rules.GROUP_KINDS]
    behind = {o.pk for o in branches if rng.random() < 0.15}
    everyone = [pid for ms in members.values() for pid, _ in ms]
    inactive = {pid for pid in everyone if rng.random() < 0.02}
    this_month = today.replace(day=1)
    last_q_start, last_q_end = periods.previous(today, "quarter")
    months = [periods.add_months(this_month, -i) for i in range(12, 0, -1)]  # the last twelve whole months

    plans = []  # (org, kind, day, title)
    for org in branches:
        late = org.pk in behind
        has_committee = counts.get(org.path, 0) >= 7
        for month in months:
            in_last_q = last_q_start <= month <= last_q_end
            if not (late and in_last_q and rng.random() < 0.6) and rng.random() > 0.04:
                plans.append((org, kinds["theme_day"], month.replace(day=rng.randint(1, 10)),
                              rng.choice(THEMES)))
            if has_committee and rng.random() > 0.08:
                plans.append((org, kinds["committee"], month.replace(day=rng.randint(11, 20)), "支委会例会"))
            if month.month in (2, 5, 8, 11) and not (late and in_last_q):
                plans.append((org, kinds["branch_assembly"], month.replace(day=rng.randint(15, 25)),
                              f"{month.year}年第{(month.month - 1) // 3 + 1}季度支部党员大会"))
        first = months[0]
        plans.append((org, kinds["lecture"], periods.add_months(first, 6).replace(day=28), "书记讲党课"))
        if rng.random() > 0.1:
            plans.append((org, kinds["life_meeting"], periods.add_months(first, 1).replace(day=20),
                          "年度组织生活会"))
            plans.append((org, kinds["review"], periods.add_months(first, 1).replace(day=22), "民主评议党员"))
    for org in groups:
        for month in months:
            if rng.random() < 0.75:
                plans.append((org, kinds["group"], month.replace(day=rng.randint(5, 25)), "党小组学习"))

    meetings, sheets = [], []
    for org, kind, day, title in plans:
        if day >= today:
            continue
        due = roll(org)
        if not due:
            continue
        marks = []
        for pid, full in due:
            r = rng.random()
            if pid in inactive and day >= periods.add_months(today, -7):
                presence, reason = Presence.ABSENT, ""
            elif r < 0.82:
                presence, reason = Presence.PRESENT, ""
            elif r < 0.95:
                presence, reason = Presence.LEAVE, rng.choice(LEAVE_REASONS)
            else:
                presence, reason = Presence.ABSENT, ""
            marks.append((pid, full, presence, reason))
        voting_due = sum(1 for _, full, _, _ in marks if full)
        voting_present = sum(1 for _, full, p, _ in marks if full and p == Presence.PRESENT)
        place = "党群服务中心" if org.kind != "building_group" else "楼栋议事点"
        archived = day < this_month
        meetings.append(Meeting(
            org=org, kind=kind, title=title, planned_at=_aware(day), place=place, held_on=day,
            status=MeetingStatus.ARCHIVED if archived else MeetingStatus.HELD,
            minutes=MINUTES.format(org=org.name, day=f"{day:%Y年%m月%d日}", place=place, kind=kind.name,
                                   due=len(marks), present=sum(1 for m in marks if m[2] == Presence.PRESENT),
                                   topic=f"围绕“{title}”开展学习讨论"),
            due_count={"heads": voting_due, "votes": voting_due, "area": "0"},
            present_count={"heads": voting_present, "votes": voting_present, "area": "0"},
            quorum_met=(voting_present * 2 > voting_due) if kind.quorum_num else None,
            noticed_at=_aware(day - dt.timedelta(days=3), 9), archived_at=_aware(day + dt.timedelta(days=2), 10)
            if archived else None))
        sheets.append(marks)
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    rows = [Attendance(meeting=m, person_id=pid, voting=full, presence=p, reason=reason)
            for m, marks in zip(meetings, sheets, strict=True) for pid, full, p, reason in marks]
    Attendance.objects.bulk_create(rows, batch_size=5000)

    # points for those present at archived meetings, within each rule's cap per period
    used: dict = defaultdict(Decimal)
    lines = []
    for m, marks in sorted(zip(meetings, sheets, strict=True), key=lambda x: x[0].held_on):
        rule = rules_by_id.get(m.kind.points_rule_id)
        if m.status != MeetingStatus.ARCHIVED or not rule:
            continue
        start, _ = periods.bounds(m.held_on, rule.period)
        for pid, _full, p, _r in marks:
            if p != Presence.PRESENT:
                continue
            key = (pid, rule.pk, start)
            points = min(rule.points, (rule.cap - used[key]) if rule.cap is not None else rule.points)
            if points <= 0:
                continue
            used[key] += points
            lines.append(PointsEntry(person_id=pid, org=m.org, rule=rule, points=points, occurred_on=m.held_on,
                                     reason=f"{m.kind.name}：{m.title}", source_type="partylife.meeting",
                                     source_id=m.pk, status=EntryStatus.APPROVED))
    # a few pioneer-work lines waiting for approval
    manual = rules_by_code["manual_plus"]
    for org in branches[: max(3, len(branches) // 5)]:
        due = roll(org)
        if due:
            pid = rng.choice(due)[0]
            lines.append(PointsEntry(person_id=pid, org=org, rule=manual, points=Decimal(rng.choice((2, 3, 5))),
                                     occurred_on=today - dt.timedelta(days=rng.randint(1, 20)),
                                     reason=rng.choice(("带头参与疫情防控值守", "调解邻里纠纷", "组织楼栋环境整治")),
                                     status=EntryStatus.PENDING))
    PointsEntry.objects.bulk_create(lines, batch_size=5000)

    # last year's review grades, where the branch held its review meeting
    reviewed = {m.org_id: m for m in meetings if m.kind.code == "review"}
    grades = []
    for org in branches:
        if org.pk not in reviewed:
            continue
        for pid, _full in roll(org):
            r = rng.random()
            grade = (Grade.EXCELLENT if r < 0.18 else Grade.QUALIFIED if r < 0.96 else Grade.BASIC if r < 0.995
                     else Grade.UNQUALIFIED)
            grades.append(MemberReview(person_id=pid, org=org, year=reviewed[org.pk].held_on.year, grade=grade,
                                       meeting=reviewed[org.pk],
                                       note="长期不参加组织生活，经教育仍无改正" if grade == Grade.UNQUALIFIED else ""))
    MemberReview.objects.bulk_create(grades, batch_size=5000, ignore_conflicts=True)

    # this month: next week's meetings planned, this week's noticed
    upcoming = 0
    for org in branches[: max(2, len(branches) // 3)]:
        kind = kinds["theme_day"]
        when = today + dt.timedelta(days=rng.randint(2, 9))
        m = services.meeting_plan(actor=None, org=org, kind=kind, title=rng.choice(THEMES), planned_at=_aware(when),
                                  place="党群服务中心")
        if rng.random() < 0.5 and roll(org):
            services.meeting_notice(actor=None, meeting=m)
        upcoming += 1

    # terms: started one to five years ago; those near their end get reminders from the sweep
    terms, seats = 0, []  # the committee of each branch that has one: three or five elected members
    for org in orgs:
        if org.kind in rules.GROUP_KINDS:
            continue
        years = default_years(org)
        start = today - dt.timedelta(days=rng.randint(200, 365 * years - 20))
        term = services.term_start(actor=None, org=org, start=start, years=years)
        terms += 1
        full = [pid for pid, is_full in members.get(org.path, ()) if is_full]
        if org.kind in rules.BRANCH_BODY_KINDS and counts.get(org.path, 0) >= 7 and len(full) >= 5:
            duties = ("secretary", "organisation", "publicity", "discipline", "member")[: 3 if len(full) < 15 else 5]
            seats += [CommitteeSeat(term=term, person_id=pid, duty=duty, start=start)
                      for pid, duty in zip(rng.sample(full, len(duties)), duties, strict=True)]
    CommitteeSeat.objects.bulk_create(seats, batch_size=1000)

    raised = services.sweep()
    ctx.stats.update(partylife_meetings=len(meetings) + upcoming, partylife_attendances=len(rows),
                     partylife_points=len(lines), partylife_reviews=len(grades), partylife_terms=terms,
                     partylife_behind=len(behind), partylife_committee_seats=len(seats),
                     **{f"partylife_alerts_{k}": v for k, v in raised.items()})
