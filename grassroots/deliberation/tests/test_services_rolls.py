"""Formal meetings stand on rolls: who is due, and what each person's vote weighs (heads, votes, area)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from grassroots.core.errors import ValidationFailed
from grassroots.deliberation import pdf, services
from grassroots.deliberation.models import Attendance, MeetingKind
from grassroots.deliberation.states import MotionResult
from grassroots.people.models import Person
from grassroots.rolls import services as rolls
from grassroots.territory.models import Compound

from .test_pdf import text_of

pytestmark = pytest.mark.django_db


def kind(code):
    return MeetingKind.objects.get(code=code)


def people(w, n, prefix="代表"):
    return [Person.objects.create(name=f"{prefix}{i}", building=w.b1, region=w.g1, birth_date=dt.date(1960 + i, 1, 1))
            for i in range(n)]


def meeting(w, code, compound=None):
    m = services.meeting_create(actor=w.community_staff, kind=kind(code), scope_region=w.c1, title=kind(code).name,
                                scheduled_at=timezone.now(), location="党群服务中心", compound=compound)
    return services.meeting_open(actor=w.community_staff, meeting=m)


def vote_all(w, m, voters, choices, special=False):
    motion = services.motion_create(actor=w.community_staff, meeting=m, text="表决事项", ballot="show_of_hands",
                                    special=special)
    for person, choice in zip(voters, choices, strict=True):
        services.vote_cast(actor=w.community_staff, motion=motion, choice=choice, person=person)
    return services.motion_close(actor=w.community_staff, motion=motion)


def test_a_joint_council_needs_its_roll_and_counts_the_representatives_due(delib_world):
    w = delib_world
    with pytest.raises(ValidationFailed) as err:
        meeting(w, "joint_council")
    assert err.value.code == "no_roll"  # no more 应到 0: the roll is made first
    roll = rolls.roll_create(actor=w.community_staff, kind="representatives", region=w.c1)
    reps = people(w, 7)
    for r in reps:
        rolls.entry_add(actor=w.community_staff, roll=roll, person=r, start_date=dt.date(2024, 1, 1))
    gone = rolls.entry_add(actor=w.community_staff, roll=roll, person=w.person1, start_date=dt.date(2020, 1, 1))
    rolls.entry_end(actor=w.community_staff, entry=gone, end_date=dt.date(2023, 12, 31), reason="任期结束")
    m = meeting(w, "joint_council")
    assert m.roll == roll and m.due_count == 7
    with pytest.raises(ValidationFailed):  # a former representative is not due
        services.sign_in(actor=w.community_staff, meeting=m, person=w.person1)
    for r in reps[:3]:
        services.sign_in(actor=w.community_staff, meeting=m, person=r)
    assert services.quorum_met(m) is False  # 3 of 7 is not more than half
    services.sign_in(actor=w.community_staff, meeting=m, person=reps[3])
    assert services.quorum_met(m) is True
    motion = vote_all(w, m, reps[:4], ["yes", "yes", "yes", "no"])
    assert motion.result == MotionResult.PASSED and motion.tally["due"]["heads"] == 7
    # the sign-in sheet lists everyone due, and only them
    text = text_of(pdf.sign_in_sheet(m, list(services.eligible_persons(m))))
    assert all(r.name in text for r in reps) and w.person1.name not in text and "应到人数：7" in text


def test_an_owners_assembly_counts_area_and_heads_together_under_article_278(delib_world):
    w = delib_world
    compound = Compound.objects.create(code="C1-1", name="安泰小区", community=w.c1)
    roll = rolls.roll_create(actor=w.community_staff, kind="owners", region=w.c1, compound=compound)
    owners = people(w, 6, "业主")
    areas = ["300.00", "60.00", "60.00", "60.00", "60.00", "60.00"]  # 600 ㎡ in all, one large owner
    for owner, area in zip(owners, areas, strict=True):
        rolls.entry_add(actor=w.community_staff, roll=roll, person=owner, area=area, unit="1-1")
    m = meeting(w, "owners_assembly", compound=compound)
    assert (m.due_count, m.due_area) == (6, Decimal("600.00"))
    for owner in owners[1:5]:  # 4 of 6 owners (two thirds) but 240 of 600 ㎡
        services.sign_in(actor=w.community_staff, meeting=m, person=owner)
    assert services.quorum_met(m) is False
    motion = vote_all(w, m, owners[1:5], ["yes"] * 4)
    assert motion.result == MotionResult.NO_QUORUM
    services.sign_in(actor=w.community_staff, meeting=m, person=owners[0])  # 5 owners, 540 ㎡: quorum
    assert services.quorum_met(m) is True
    # more than half of the owners (3 of 5) but not of the area (180 of 540 ㎡): fails
    assert vote_all(w, m, owners[1:5] + owners[:1], ["yes", "yes", "yes", "no", "no"]).result == MotionResult.FAILED
    # the large owner and two more: 3 of 5 owners, 420 of 540 ㎡: passes an ordinary matter …
    ordinary = vote_all(w, m, owners[:3], ["yes"] * 3)
    assert ordinary.result == MotionResult.PASSED and ordinary.tally["yes"]["area"] == "420.00"
    # … but not the maintenance fund (items 6–8: three quarters of both; 3 of 5 owners is under)
    assert vote_all(w, m, owners[:3], ["yes"] * 3, special=True).result == MotionResult.FAILED
    assert vote_all(w, m, owners[:4], ["yes"] * 4, special=True).result == MotionResult.PASSED  # 4/5, 480/540
    # the sign-in sheet shows each owner's unit and area, and the area due
    text = text_of(pdf.sign_in_sheet(m, list(services.eligible_persons(m)), services.electorate(m)))
    assert "应到专有部分面积：600.00" in text and "1-1 300.00" in text and all(o.name in text for o in owners)
    with pytest.raises(ValidationFailed):  # a joint council has no special matters
        roll2 = rolls.roll_create(actor=w.community_staff, kind="representatives", region=w.c1)
        rolls.entry_add(actor=w.community_staff, roll=roll2, person=owners[0])
        services.motion_create(actor=w.community_staff, meeting=meeting(w, "joint_council"), text="x",
                               ballot="show_of_hands", special=True)


def test_probationary_party_members_attend_without_a_vote(delib_world):
    w = delib_world
    roll = rolls.roll_create(actor=w.community_staff, kind="party_members", region=w.c1)
    members = people(w, 4, "党员")
    for i, member in enumerate(members):
        rolls.entry_add(actor=w.community_staff, roll=roll, person=member, voting=i < 3)
    m = meeting(w, "party_members_meeting")
    assert m.due_count == 3
    services.sign_in(actor=w.community_staff, meeting=m, person=members[3])
    services.sign_in(actor=w.community_staff, meeting=m, person=members[0])
    assert services.quorum_met(m) is False  # the probationary member does not make the quorum
    services.sign_in(actor=w.community_staff, meeting=m, person=members[1])
    assert services.quorum_met(m) is True
    motion = services.motion_create(actor=w.community_staff, meeting=m, text="推荐", ballot="secret")
    with pytest.raises(ValidationFailed) as err:
        services.vote_cast(actor=w.community_staff, motion=motion, choice="yes", person=members[3])
    assert err.value.code == "no_vote"
    assert Attendance.objects.filter(meeting=m, voting=False).count() == 1
    text = text_of(pdf.sign_in_sheet(m, list(services.eligible_persons(m)), services.electorate(m)))
    assert "应到人数：3" in text and all(p.name in text for p in members) and "预备党员（列席）" in text


def test_cooperative_members_vote_with_their_extra_votes_secretly(delib_world):
    w = delib_world
    roll = rolls.roll_create(actor=w.community_staff, kind="coop_members", region=w.c1, organization=w.enterprise)
    members = people(w, 10, "社员")
    # Extra votes total at most 20% of the basic votes: the tenth member may carry two.
    for i, member in enumerate(members):
        rolls.entry_add(actor=w.community_staff, roll=roll, person=member, extra_votes=2 if i == 9 else 0)
    m = meeting(w, "coop_members_meeting")
    assert (m.due_count, m.due_votes) == (10, 12)
    present = [members[9], *members[:6]]
    for member in present:
        services.sign_in(actor=w.community_staff, meeting=m, person=member)
    motion = services.motion_create(actor=w.community_staff, meeting=m, text="年度分配方案", ballot="secret")
    for member, choice in zip(present, ["yes", "yes", "yes", "no", "no", "no", "no"], strict=True):
        services.vote_cast(actor=w.community_staff, motion=motion, choice=choice, person=member)
    motion = services.motion_close(actor=w.community_staff, motion=motion)
    # 5 of 12 votes due say yes: not more than half of all votes, though the tally has no names
    assert motion.result == MotionResult.FAILED and motion.tally["yes"]["votes"] == 5
