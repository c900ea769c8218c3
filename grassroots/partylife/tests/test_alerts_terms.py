import datetime as dt

import pytest

from grassroots.core import clock
from grassroots.core.errors import NotFound, NotPermitted, ValidationFailed
from grassroots.core.models import Notification
from grassroots.party.models import PartyOrg
from grassroots.partylife import selectors, services
from grassroots.partylife.models import Alert, MeetingKind, Term

pytestmark = pytest.mark.django_db


def at(y, m, d):
    clock.freeze(dt.datetime(y, m, d, 3, 0, tzinfo=dt.UTC))


@pytest.fixture(autouse=True)
def _clock():
    yield
    clock.reset()


def _held(life, org, kind_code, day, actor=None):
    kind = MeetingKind.objects.get(code=kind_code)
    actor = actor or life.sec_g1
    at(day.year, day.month, day.day)
    m = services.meeting_plan(actor=actor, org=org, kind=kind, title=kind.name,
                              planned_at=dt.datetime(day.year, day.month, day.day, 1, tzinfo=dt.UTC))
    m = services.meeting_notice(actor=actor, meeting=m)
    services.meeting_sign_in(actor=actor, meeting=m, marks={a.person_id: "present" for a in m.attendances.all()})
    return services.meeting_hold(actor=actor, meeting=m, held_on=day, minutes="记录")


def _old_orgs():
    PartyOrg.objects.update(founded_on=dt.date(2020, 1, 1))


def _rhythm(org, code):
    return set(Alert.objects.filter(kind="rhythm", org=org, meeting_kind__code=code)
               .values_list("period_start", flat=True))


def test_rhythm_alerts_across_quarter_and_year_ends(life):
    _old_orgs()
    _held(life, life.p.g1, "branch_assembly", dt.date(2026, 12, 31))  # the last day of Q4
    at(2026, 12, 31)
    services.sweep()
    # on the last day of the quarter, the quarter is still open: only Q3 counts (missed by both)
    assert _rhythm(life.p.g1, "branch_assembly") == {dt.date(2026, 7, 1)}
    assert _rhythm(life.p.g3, "branch_assembly") == {dt.date(2026, 7, 1)}
    at(2027, 1, 1)
    services.sweep()
    assert _rhythm(life.p.g1, "branch_assembly") == {dt.date(2026, 7, 1)}  # Q4 was held on its last day
    assert _rhythm(life.p.g3, "branch_assembly") == {dt.date(2026, 7, 1), dt.date(2026, 10, 1)}
    # yearly kinds: 2025 was closed on 31 December 2026, 2026 closes on 1 January
    assert _rhythm(life.p.g3, "life_meeting") == {dt.date(2025, 1, 1), dt.date(2026, 1, 1)}
    # 支委会 applies to g1 (8 full members), never to g3 (3); group meetings to the groups only
    assert _rhythm(life.p.g1, "committee") and not _rhythm(life.p.g3, "committee")
    assert _rhythm(life.p.b1, "group") and not _rhythm(life.p.g1, "group")
    # once only
    before = Alert.objects.count()
    services.sweep()
    assert Alert.objects.count() == before
    # told to the secretary and to the committees above
    assert Notification.objects.filter(recipient=life.sec_g3, verb="partylife.alert_rhythm").exists()
    assert Notification.objects.filter(recipient=life.officer_s1, verb="partylife.alert_rhythm").exists()
    # the overdue list per upper committee
    overdue = selectors.alerts(actor=life.officer_c1, kind="rhythm")
    assert {a.org_id for a in overdue} >= {life.p.g1.pk, life.p.b1.pk}
    assert life.p.g3.pk not in {a.org_id for a in overdue}  # 新华 is not under 安泰
    assert life.p.g3.pk in {a.org_id for a in selectors.alerts(actor=life.officer_s1, kind="rhythm")}
    alert = overdue.filter(org=life.p.g1).first()
    services.alert_acknowledge(actor=life.sec_g1, alert=alert, note="已补开")
    assert not selectors.alerts(actor=life.officer_c1).filter(pk=alert.pk).exists()


def test_a_new_organisation_has_no_rhythm_alert_for_a_period_before_it_existed(life):
    PartyOrg.objects.update(founded_on=dt.date(2026, 11, 1))
    at(2027, 1, 1)
    services.rhythm_sweep()
    assert not _rhythm(life.p.g3, "branch_assembly")
    assert _rhythm(life.p.g3, "theme_day") == {dt.date(2026, 12, 1)}


def test_six_months_without_organisational_life_raises_an_alert_never_a_status_change(life):
    _old_orgs()
    _held(life, life.p.g1, "theme_day", dt.date(2026, 5, 20))
    at(2026, 11, 19)
    services.inactive_sweep()
    assert not Alert.objects.filter(kind="inactive", person=life.g1_full[0].person).exists()
    at(2026, 11, 20)  # six whole months since 20 May
    services.inactive_sweep()
    alert = Alert.objects.get(kind="inactive", person=life.g1_full[0].person)
    assert alert.org == life.p.g1 and "组织生活" in alert.message
    assert life.g1_full[0].__class__.objects.get(pk=life.g1_full[0].pk).status == "full"


def test_term_lengths_and_reminders_at_the_boundaries(life):
    at(2024, 6, 1)
    from grassroots.partylife.services.terms import default_years

    assert default_years(life.p.g1) == 5 and default_years(life.p.c1) == 5
    assert default_years(life.p.enterprise_branch) == 3
    term = services.term_start(actor=life.sec_g1, org=life.p.g1, start=dt.date(2022, 6, 1))
    assert term.end == dt.date(2027, 6, 1)
    assert PartyOrg.objects.get(pk=life.p.g1.pk).term_end == dt.date(2027, 6, 1)

    def reminders():
        return sorted(k.split(":")[-1] for k in Alert.objects.filter(kind="term").values_list("key", flat=True))

    at(2026, 11, 30)
    services.term_sweep()
    assert reminders() == []
    at(2026, 12, 1)
    services.term_sweep()
    assert reminders() == ["6"]
    at(2027, 2, 28)
    services.term_sweep()
    assert reminders() == ["6"]
    at(2027, 3, 1)
    services.term_sweep()
    assert reminders() == ["3", "6"]
    assert [t.org_id for t in selectors.terms(actor=life.officer_c1, due_within_months=6)] == [life.p.g1.pk]
    at(2027, 6, 1)
    services.term_sweep()
    assert reminders() == ["0", "3", "6"]
    assert Notification.objects.filter(recipient=life.officer_c1, verb="partylife.alert_term").count() == 3


def test_term_extension_is_proposed_by_the_branch_and_approved_above(life):
    at(2027, 5, 1)
    term = services.term_start(actor=life.sec_g1, org=life.p.g1, start=dt.date(2022, 6, 1))
    with pytest.raises(ValidationFailed):
        services.term_extend_propose(actor=life.sec_g1, term=term, to=dt.date(2028, 6, 2), reason="疫情")
    term = services.term_extend_propose(actor=life.sec_g1, term=term, to=dt.date(2027, 12, 1), reason="合并调整")
    with pytest.raises(NotPermitted):
        services.term_extend_decide(actor=life.sec_g1, term=term, approve=True)
    term = services.term_extend_decide(actor=life.officer_c1, term=term, approve=True)
    assert term.due == dt.date(2027, 12, 1)
    assert PartyOrg.objects.get(pk=life.p.g1.pk).term_end == dt.date(2027, 12, 1)
    new = services.term_start(actor=life.officer_c1, org=life.p.g1, start=dt.date(2027, 5, 1))
    assert Term.objects.get(pk=term.pk).closed_on == dt.date(2027, 5, 1) and new.end == dt.date(2032, 5, 1)


def test_six_months_without_dues_raises_an_alert_from_the_dues_record(life, monkeypatch):
    from grassroots.partydues import selectors as dues_selectors

    _old_orgs()
    _held(life, life.p.g1, "theme_day", dt.date(2026, 11, 2))  # everyone present: no organisational-life alert
    paid = {life.g1_full[0].person_id: dt.date(2026, 4, 1), life.g1_full[1].person_id: dt.date(2026, 5, 1)}
    monkeypatch.setattr(dues_selectors, "last_paid_months",
                        lambda ids: {i: paid.get(i) for i in ids})
    at(2026, 11, 3)
    services.inactive_sweep()
    flagged = set(Alert.objects.filter(kind="inactive", key__startswith="inactive:dues:")
                  .values_list("person_id", flat=True))
    # paid up to April: May to October unpaid, six months; paid up to May: five; no record at all: not checked
    assert flagged == {life.g1_full[0].person_id}
    assert "党费" in Alert.objects.get(key__startswith="inactive:dues:").message
    assert not Alert.objects.filter(kind="inactive", org=life.p.g1, key__startswith="inactive:life:").exists()


def _dues_for(members, category_code="salaried", base="3000.00"):
    from grassroots.partydues import services as dues
    from grassroots.partydues.models import DuesCategory

    category = DuesCategory.objects.get(code=category_code)
    for m in members:
        dues.base_set(actor=None, person=m.person, category=category, base=base, valid_from=dt.date(2026, 1, 1))


def test_three_months_of_dues_unpaid_remind_the_branch_and_the_member_once(life):
    from grassroots.partydues import services as dues
    from grassroots.partydues.models import DuesBill

    owing, paying = life.g1_full[1], life.g1_full[2]  # member_g1 has an account; the other has none
    _dues_for([owing, paying])
    for month in (8, 9, 10):
        at(2026, month, 5)
        dues.bills_issue(actor=None, org=life.p.g1, month=dt.date(2026, month, 1))
    for i, bill in enumerate(DuesBill.objects.filter(person=paying.person).order_by("month")):
        dues.bill_pay(actor=None, bill=bill, receipt_no=f"R{i}", paid_on=dt.date(2026, 10, 5))

    at(2026, 10, 20)  # August and September are behind, October is this month's: two months, no reminder
    assert services.arrears_sweep() == 0

    at(2026, 11, 2)  # August, September and October unpaid: three months
    assert services.arrears_sweep() == 1
    alert = Alert.objects.get(kind="arrears")
    assert alert.person_id == owing.person_id and alert.org == life.p.g1
    assert alert.period_start == dt.date(2026, 8, 1) and "3个月" in alert.message
    told = set(Notification.objects.filter(verb="partylife.alert_arrears").values_list("recipient_id", flat=True))
    assert {life.sec_g1.pk, life.officer_c1.pk} <= told and life.member_g1.pk not in told
    mine = Notification.objects.get(verb="partylife.alert_arrears_member")
    assert mine.recipient_id == life.member_g1.pk and mine.url == "/partydues/"

    at(2026, 12, 2)  # four months now: the same run of arrears, not raised again
    assert services.arrears_sweep() == 0
    assert Alert.objects.filter(kind="arrears").count() == 1


def test_the_arrears_reminder_follows_its_policy_and_can_be_turned_off(life):
    from grassroots.core.models import PolicySetting
    from grassroots.partydues import services as dues

    _dues_for([life.g1_full[3]])
    for month in (9, 10):
        at(2026, month, 5)
        dues.bills_issue(actor=None, org=life.p.g1, month=dt.date(2026, month, 1))
    at(2026, 11, 2)
    assert services.arrears_sweep() == 0  # two months behind, the default asks for three
    PolicySetting.objects.update_or_create(key="partylife.arrears_months", defaults={"value": 2})
    assert services.arrears_sweep() == 1
    PolicySetting.objects.update_or_create(key="partylife.arrears_months", defaults={"value": 0})
    Alert.objects.filter(kind="arrears").delete()
    assert services.arrears_sweep() == 0


def test_the_whole_sweep_includes_the_arrears_reminder(life):
    at(2026, 11, 2)
    assert set(services.sweep()) == {"rhythm", "inactive", "term", "arrears"}


def _term(life, org=None):
    at(2026, 11, 3)
    return services.term_start(actor=life.sec_g1, org=org or life.p.g1, start=dt.date(2024, 3, 1))


def test_the_committee_is_full_members_with_one_secretary_and_a_size_limit(life):
    from grassroots.core.errors import Conflict
    from grassroots.core.models import PolicySetting
    from grassroots.partylife.models import CommitteeSeat

    term = _term(life)
    a, b, c = (m.person for m in life.g1_full[:3])
    seat = services.seat_add(actor=life.sec_g1, term=term, person=a, duty="secretary", start=dt.date(2024, 3, 1))
    with pytest.raises(ValidationFailed) as err:
        services.seat_add(actor=life.sec_g1, term=term, person=b, duty="secretary")
    assert err.value.field == "duty"
    with pytest.raises(ValidationFailed):  # one seat per member
        services.seat_add(actor=life.sec_g1, term=term, person=a, duty="member")
    with pytest.raises(ValidationFailed) as err:  # 预备党员 cannot be elected
        services.seat_add(actor=life.sec_g1, term=term, person=life.g1_prob[0].person, duty="member")
    assert err.value.code == "not_full_member"
    with pytest.raises(ValidationFailed):  # not a member of this branch
        services.seat_add(actor=life.sec_g1, term=term, person=life.g3_full[0].person, duty="member")
    with pytest.raises(ValidationFailed):  # before the term began
        services.seat_add(actor=life.sec_g1, term=term, person=b, duty="member", start=dt.date(2024, 2, 29))
    PolicySetting.objects.create(key="partylife.committee_max_seats", value=2)
    services.seat_add(actor=life.sec_g1, term=term, person=b, duty="organisation")
    with pytest.raises(ValidationFailed) as err:
        services.seat_add(actor=life.sec_g1, term=term, person=c, duty="publicity")
    assert err.value.code == "committee_full"
    services.seat_end(actor=life.sec_g1, seat=seat, reason="调离")
    with pytest.raises(Conflict):
        services.seat_end(actor=life.sec_g1, seat=seat, reason="调离")
    services.seat_add(actor=life.sec_g1, term=term, person=c, duty="secretary")  # a new secretary after the end
    assert CommitteeSeat.objects.filter(term=term).count() == 3  # history kept
    with pytest.raises(NotFound):  # another branch's secretary: the term looks missing
        services.seat_add(actor=life.sec_g3, term=term, person=c, duty="member")


def test_a_committee_meeting_is_noticed_to_the_current_seats(life):
    from grassroots.partylife.models import Attendance

    term = _term(life)
    kind = MeetingKind.objects.get(code="committee")
    meeting = services.meeting_plan(actor=life.sec_g1, org=life.p.g1, kind=kind, title="支委会",
                                    planned_at=dt.datetime(2026, 11, 10, 1, tzinfo=dt.UTC))
    with pytest.raises(ValidationFailed) as err:
        services.meeting_notice(actor=life.sec_g1, meeting=meeting)
    assert err.value.field == "invitees"
    a, b = (m.person for m in life.g1_full[:2])
    services.seat_add(actor=life.sec_g1, term=term, person=a, duty="secretary")
    ended = services.seat_add(actor=life.sec_g1, term=term, person=life.g1_full[2].person, duty="member")
    services.seat_end(actor=life.sec_g1, seat=ended, reason="转出")
    services.seat_add(actor=life.sec_g1, term=term, person=b, duty="organisation")
    services.meeting_notice(actor=life.sec_g1, meeting=meeting)
    assert set(Attendance.objects.filter(meeting=meeting).values_list("person_id", flat=True)) == {a.pk, b.pk}
