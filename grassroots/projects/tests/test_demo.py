"""The demo's deliberation and fund data keep the rules: funds reconcile, projects stay within approval."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum

from grassroots.deliberation.models import BallotCast, Meeting, Motion, SecretTally, Topic, Vote
from grassroots.deliberation.states import TopicStatus
from grassroots.projects.fund import reconcile
from grassroots.projects.models import CommunityFund, LedgerEntry, MicroProject, ProhibitedUse, Volunteer
from grassroots.projects.states import ProjectStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_governance(django_db_setup, django_db_blocker):
    from django.db import transaction

    from grassroots.cases import policy
    from grassroots.deliberation import demo as deliberation_demo
    from grassroots.demo import generator
    from grassroots.projects import demo as projects_demo

    with django_db_blocker.unblock(), transaction.atomic():
        ctx = generator.build(size="small", seed=5, with_extensions=False)
        deliberation_demo.build(ctx)
        projects_demo.build(ctx)
        yield ctx
        transaction.set_rollback(True)
    policy.invalidate()


def test_every_demo_fund_reconciles_and_donations_total_about_180000(demo_governance):
    funds = list(CommunityFund.objects.all())
    assert funds and len(funds) == len(demo_governance.communities)
    for fund in funds:
        assert reconcile(fund)["problems"] == [], fund.name
    total = LedgerEntry.objects.filter(kind="donation").aggregate(s=Sum("amount"))["s"]
    assert abs(Decimal(total) - Decimal("180000")) < Decimal("100")
    assert LedgerEntry.objects.filter(kind="donation", donor_anonymous=True).exists()
    assert LedgerEntry.objects.filter(kind="disbursement").exists()
    assert ProhibitedUse.objects.count() == 5


def test_demo_projects_cover_every_state_and_stay_within_their_approval(demo_governance):
    states = set(MicroProject.objects.values_list("status", flat=True))
    assert states == set(ProjectStatus.values)
    for p in MicroProject.objects.all():
        paid = -(p.ledger_entries.aggregate(s=Sum("amount"))["s"] or 0)
        assert Decimal(paid).quantize(Decimal("0.01")) == p.disbursed_total <= p.approved_amount
        if p.disbursed_total:
            assert p.status in ("in_progress", "accepted", "closing_notice", "closed")
    assert Volunteer.objects.filter(is_talent=True).count() == 100


def test_demo_topics_meetings_and_ballots_are_consistent(demo_governance):
    for community in demo_governance.communities:
        assert set(Topic.objects.filter(community=community).values_list("status", flat=True)) == set(TopicStatus.values)
    kinds = set(Meeting.objects.values_list("kind__code", flat=True))
    assert {"minsheng_teahouse", "four_neighbours", "secretary_face_to_face", "joint_council", "onsite_office",
            "residents_meeting"} <= kinds
    for m in Motion.objects.filter(status="closed"):
        if m.ballot == "secret":
            tally = dict(SecretTally.objects.filter(motion=m).values_list("choice", "count"))
            assert sum(tally.values()) == BallotCast.objects.filter(motion=m).count() == m.yes + m.no + m.abstain
            assert tally["yes"] == m.yes
        else:
            assert Vote.objects.filter(motion=m, choice="yes").count() == m.yes
    assert not Meeting.objects.filter(status="closed", minutes="").exists()


def test_a_joint_council_convened_in_the_demo_finds_its_representatives_and_signs_them_in(demo_governance):
    from django.utils import timezone

    from grassroots.core.scope import scope_for
    from grassroots.deliberation import services
    from grassroots.deliberation.models import Attendance, MeetingKind
    from grassroots.rolls.models import RollEntry
    from grassroots.rolls.selectors import persons_due

    staff = demo_governance.extra["deliberation_staff"]
    kind = MeetingKind.objects.get(code="joint_council")
    community = next(c for c in demo_governance.communities if scope_for(staff).covers_path(c.path))
    meeting = services.meeting_create(actor=staff, kind=kind, scope_region=community, title="共商议事会",
                                      scheduled_at=timezone.now(), location="党群服务中心")
    meeting = services.meeting_open(actor=staff, meeting=meeting)
    assert meeting.roll is not None and meeting.due_count > 0  # no more 应到 0
    representatives = list(persons_due(roll=meeting.roll))
    for person in representatives[: meeting.due_count // 2 + 1]:
        services.sign_in(actor=staff, meeting=meeting, person=person)
    assert services.quorum_met(meeting) is True
    for m in Meeting.objects.filter(kind=kind, status="closed"):  # the demo's councils were held on the roll
        on_roll = set(RollEntry.objects.filter(roll=m.roll).values_list("person_id", flat=True))
        assert set(Attendance.objects.filter(meeting=m).values_list("person_id", flat=True)) <= on_roll
        assert m.due_count == len(on_roll)
