"""The sweep of organisational life: rhythm missed in the last closed period, members without organisational life
(or dues) for six months in a row, terms ending. Each alert is raised once (its ``key``), told to the
organisation's secretary and party affairs workers and to the officers of the committees above it, and waits on
the overdue lists until the organisation acknowledges it with a note. Nothing changes anyone's status
(docs/rules/party-life.md § Alerts)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Max, Q

from grassroots.core import clock, events, notifications
from grassroots.core import roles as R
from grassroots.core.errors import Conflict, NotFound, NotPermitted
from grassroots.party.models import Membership, PartyOrg

from .. import periods, permissions, policy, rules
from ..models import Alert, Attendance, Meeting, MeetingKind, Term
from ..states import HELD_STATES, AlertKind, Presence, Rhythm
from ._common import text


class _Recipients:
    """Party posts read once per sweep: path → acting accounts, path → committee officers."""

    def __init__(self):
        from grassroots.core.scope import active_posts_q
        from grassroots.people.models import Post

        self.acting, self.officers = defaultdict(list), defaultdict(list)
        rows = Post.objects.filter(active_posts_q(clock.today()), role__in=[*permissions.ACTING_ROLES,
                                                                            R.Role.PARTY_COMMITTEE_OFFICER]) \
            .exclude(party_org_path="").values_list("role", "party_org_path", "user_id")
        for role, path, user_id in rows:
            (self.officers if role == R.Role.PARTY_COMMITTEE_OFFICER else self.acting)[path].append(user_id)

    def of(self, path: str) -> list[int]:
        parts = [p for p in path.split("/") if p]
        above = ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts) - 1)]
        return list(dict.fromkeys([*self.acting.get(path, ()), *(u for p in above for u in self.officers.get(p, ()))]))


def _raise(candidates: list[Alert], recipients: _Recipients | None = None, url: str = "/partylife/alerts/") -> int:
    """Write the alerts not raised before and tell their recipients; returns how many were new."""
    if not candidates:
        return 0
    known = set(Alert.objects.filter(key__in=[a.key for a in candidates]).values_list("key", flat=True))
    new = [a for a in candidates if a.key not in known]
    if not new:
        return 0
    recipients = recipients or _Recipients()
    with transaction.atomic():
        Alert.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
        rows = []
        for alert in new:
            rows += notifications.build(recipients.of(alert.org_path), verb=f"partylife.alert_{alert.kind}",
                                        title=alert.message, url=url)
        notifications.write(rows)
        events.record(None, "alert.raise", None, object_type="partylife.alert", payload={"raised": len(new)})
    return len(new)


def _orgs():
    return list(PartyOrg.objects.filter(active=True).only("pk", "path", "kind", "name", "founded_on", "created_at"))


def _existed(org, start: dt.date) -> bool:
    began = org.founded_on or org.created_at.date()
    return began <= start


def rhythm_sweep(*, on: dt.date | None = None, recipients: _Recipients | None = None) -> int:
    """Alerts for every organisation that held no meeting of a kind with a rhythm in the last closed period
    (last month, quarter or year before ``on``) where the kind applies."""
    on = on or clock.today()
    orgs, counts = _orgs(), rules.full_member_counts()
    candidates = []
    for kind in MeetingKind.objects.filter(active=True).exclude(rhythm=Rhythm.NONE):
        start, end = periods.previous(on, kind.rhythm)
        held = set(Meeting.objects.filter(kind=kind, status__in=HELD_STATES, held_on__range=(start, end))
                   .values_list("org_id", flat=True))
        span = periods.label(start, kind.rhythm)
        raised = set(Alert.objects.filter(kind=AlertKind.RHYTHM, meeting_kind=kind, period_start=start)
                     .values_list("org_id", flat=True))
        for org in orgs:
            if org.pk in held or org.pk in raised or not _existed(org, start) or not rules.applies(kind, org, counts):
                continue
            candidates.append(Alert(
                key=f"rhythm:{org.pk}:{kind.code}:{start.isoformat()}", kind=AlertKind.RHYTHM, org=org,
                org_path=org.path, meeting_kind=kind, period_start=start, period_end=end, raised_on=on,
                message=f"{org.name}{span}未召开{kind.name}"[:300]))
    return _raise(candidates, recipients)


def _dues_last_paid(person_ids) -> dict | None:
    """The dues half of the six-month check: {person id: first day of the last month paid, or None when the member
    has no paid bill}, from the dues app when it is installed (``partydues.selectors.last_paid_months``); None when
    it is not."""
    try:
        from grassroots.partydues import selectors as dues_selectors
    except ImportError:
        return None
    reader = getattr(dues_selectors, "last_paid_months", None)
    if reader is None:
        return None
    out = {}
    for pid, value in dict(reader(list(person_ids))).items():
        if isinstance(value, str) and value:
            value = dt.date.fromisoformat(value[:7] + "-01")
        out[pid] = value
    return out


def inactive_sweep(*, on: dt.date | None = None, recipients: _Recipients | None = None) -> int:
    """A member with six months in a row (policy) without organisational life, or without dues, raises an alert
    for their branch to act on (党章 Art 9: 自行脱党 is the branch's decision, never an automatic one)."""
    on = on or clock.today()
    months = int(policy.get("partylife.inactive_months"))
    cutoff = periods.add_months(on, -months)
    members = list(Membership.objects.filter(active=True, start_date__lte=cutoff).select_related("org", "person")
                   .only("person_id", "person__name", "org__path", "org__name", "org_id", "start_date"))
    last_life = dict(Attendance.objects.filter(presence=Presence.PRESENT, meeting__status__in=HELD_STATES,
                                               person_id__in=[m.person_id for m in members])
                     .values("person_id").annotate(last=Max("meeting__held_on")).values_list("person_id", "last"))
    dues = _dues_last_paid(m.person_id for m in members)
    candidates = []
    for m in members:
        life = last_life.get(m.person_id) or m.start_date
        reasons = []
        if life <= cutoff:
            reasons.append(("life", life, f"已连续{months}个月未参加组织生活（最近一次：{life:%Y-%m-%d}）"))
        paid = (dues or {}).get(m.person_id)  # None: no dues record at all (not billed yet), not checked
        if paid is not None:
            if periods.add_months(paid, 1) <= cutoff:
                reasons.append(("dues", paid, f"已连续{months}个月未交纳党费（最近交至：{paid:%Y-%m}）"))
        for what, since, text_ in reasons:
            candidates.append(Alert(
                key=f"inactive:{what}:{m.person_id}:{since.isoformat()}", kind=AlertKind.INACTIVE, org=m.org,
                org_path=m.org.path, person_id=m.person_id, period_start=since, period_end=on, raised_on=on,
                message=f"{m.person.name}（{m.org.name}）{text_}，请支部了解情况、教育帮助"[:300]))
    return _raise(candidates, recipients)


def arrears_sweep(*, on: dt.date | None = None, recipients: _Recipients | None = None) -> int:
    """A member whose dues are unpaid for ``partylife.arrears_months`` months (policy, 3; 0 turns it off) raises a
    reminder for the branch, long before the six-month alert; the member is told too when they have an account.
    Once per run of arrears (the key holds its oldest open month): paying up and falling behind again is a new
    one."""
    on = on or clock.today()
    months = int(policy.get("partylife.arrears_months"))
    try:
        from grassroots.partydues import selectors as dues_selectors
    except ImportError:
        return 0
    if months <= 0:
        return 0
    members = list(Membership.objects.filter(active=True).select_related("org", "person")
                   .only("person_id", "person__name", "org__path", "org__name", "org_id"))
    owed = dues_selectors.arrears_by_person([m.person_id for m in members], before=on.replace(day=1))
    candidates = []
    for m in members:
        oldest, n = owed.get(m.person_id, (None, 0))
        if n < months:
            continue
        candidates.append(Alert(
            key=f"arrears:{m.person_id}:{oldest.isoformat()}", kind=AlertKind.ARREARS, org=m.org,
            org_path=m.org.path, person_id=m.person_id, period_start=oldest, period_end=on, raised_on=on,
            message=f"{m.person.name}（{m.org.name}）已欠缴党费{n}个月（自{oldest:%Y-%m}起），请支部提醒交纳"[:300]))
    known = set(Alert.objects.filter(key__in=[a.key for a in candidates]).values_list("key", flat=True))
    fresh = [a for a in candidates if a.key not in known]
    with transaction.atomic():
        new = _raise(fresh, recipients, url="/partydues/bills/?status=open&arrears=1")
        _tell_members(fresh)
    return new


def _tell_members(alerts: list[Alert]) -> None:
    """The member's own reminder, to their account: the months owed and where to see them."""
    from grassroots.people.models import User

    accounts = dict(User.objects.filter(person_id__in=[a.person_id for a in alerts], is_active=True)
                    .values_list("person_id", "pk"))
    rows = []
    for alert in alerts:
        if alert.person_id in accounts:
            rows += notifications.build([accounts[alert.person_id]], verb="partylife.alert_arrears_member",
                                        title=f"您有党费自{alert.period_start:%Y-%m}起未交纳，请及时向支部交纳",
                                        url="/partydues/")
    notifications.write(rows)


def term_sweep(*, on: dt.date | None = None, recipients: _Recipients | None = None) -> int:
    """Reminders six months and three months before a current term ends and on the day (policy): once each, the
    latest one reached (a term recorded late gets only the nearest reminder)."""
    on = on or clock.today()
    stages = sorted(int(m) for m in policy.get("partylife.term_reminder_months"))  # [0, 3, 6]
    horizon = periods.add_months(on, max(stages))
    candidates = []
    terms = (Term.objects.filter(closed_on__isnull=True, org__active=True)
             .filter(Q(extended_to__isnull=True, end__lte=horizon) | Q(extended_to__lte=horizon))
             .select_related("org"))
    for term in terms:
        due = term.due
        reached = [m for m in stages if periods.add_months(due, -m) <= on]
        if not reached:
            continue
        m = min(reached)
        when = "今日届满" if m == 0 else f"将于{m}个月后届满"
        if due < on:
            when = f"已于{due:%Y-%m-%d}届满"
        candidates.append(Alert(
            key=f"term:{term.pk}:{due.isoformat()}:{m}", kind=AlertKind.TERM, org=term.org, org_path=term.org.path,
            period_start=term.start, period_end=due, raised_on=on,
            message=f"{term.org.name}本届任期{when}（{due:%Y-%m-%d}），请做好换届准备"[:300]))
    return _raise(candidates, recipients, url="/partylife/terms/")


def sweep(*, on: dt.date | None = None) -> dict:
    """The whole sweep (the Celery task and the management command call this)."""
    recipients = _Recipients()
    return {"rhythm": rhythm_sweep(on=on, recipients=recipients),
            "inactive": inactive_sweep(on=on, recipients=recipients),
            "term": term_sweep(on=on, recipients=recipients),
            "arrears": arrears_sweep(on=on, recipients=recipients)}


def alert_acknowledge(*, actor, alert: Alert, note: str) -> Alert:
    """The organisation (or the committee above) records what it did; the alert leaves the overdue lists."""
    org = alert.org
    if not permissions.can_see(actor, org):
        raise NotFound()
    if not (permissions.can_act(actor, org) or permissions.can_remind(actor, org)):
        raise NotPermitted("无权处理该提醒", "You may not acknowledge this alert")
    note = text(note, "note", "请填写处理情况", "Enter what was done", 300)
    with transaction.atomic():
        updated = Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=clock.now(), note=note,
            acknowledged_by=actor if getattr(actor, "is_authenticated", False) else None)
        if not updated:
            raise Conflict("该提醒已处理", "This alert was already acknowledged", code="state_conflict")
        events.record(actor, "alert.acknowledge", alert, payload={"note": note})
    alert.refresh_from_db()
    return alert
