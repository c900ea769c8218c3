"""Demo member development: cases at every stage in the grid branches — applicants waiting for their talk,
activists, candidates in training, admissions waiting on the committee above, probationary members and members who
became full — with each step dated as the rules allow (talk within a month, a year as activist, the vote, approval
within three months, a year's probation). Written in bulk; the memberships go through party's services."""

from __future__ import annotations

import datetime as dt

from grassroots.party import selectors as party_selectors
from grassroots.party.models import Membership, MembershipStatus, OrgKind, PartyOrg
from grassroots.party.services import membership_add, membership_promote
from grassroots.people.models import Person

from . import rules
from .models import DevelopmentCase, DevelopmentStep
from .states import STEPS, stage_after

# Days after the application each step was taken (keeps every clock of docs/rules/party-development.md).
OFFSET = {1: 0, 2: 20, 3: 45, 4: 50, 5: 55, 6: 200, 7: 420, 8: 425, 9: 430, 10: 450, 11: 460, 12: 480, 13: 500,
          14: 505, 15: 510, 16: 520, 17: 560, 18: 570, 19: 575, 20: 580, 21: 700, 22: 860, 23: 880, 24: 900, 25: 910}
# Where the demo's cases stand (last step done): every stage, several waiting on the committee above.
AT = (1, 2, 3, 6, 7, 10, 12, 14, 16, 17, 20, 22, 24, 25)
DOERS = ("支部书记", "组织委员", "培养联系人", "上级党委组织员")


def build(ctx):
    rng = ctx.rng
    today = ctx.today
    branches = list(PartyOrg.objects.filter(kind=OrgKind.GRID_BRANCH, active=True, region__isnull=False)
                    .order_by("path")[:8])
    members = set(Membership.objects.values_list("person_id", flat=True))
    cutoff = dt.date(today.year - 20, today.month, 1)
    cases = 0
    for i, branch in enumerate(branches):
        due = len(party_selectors.voting_members(branch, today))
        if due < 3:
            continue
        pool = [p for p in Person.objects.filter(region=branch.region, birth_date__lte=cutoff,
                                                 deceased_on__isnull=True).order_by("pk")[:60]
                if p.pk not in members]
        rng.shuffle(pool)
        for k, person in zip(AT[i % 2::2] if len(branches) > 1 else AT, pool, strict=False):
            applied = today - dt.timedelta(days=OFFSET[k] + rng.randint(3, 25))
            dates = {n: applied + dt.timedelta(days=OFFSET[n]) for n in range(1, k + 1)}
            vote_on = dates.get(15)
            case = DevelopmentCase.objects.create(
                person=person, branch=branch, stage=stage_after(k), last_step=k, applied_on=applied,
                activist_on=dates.get(3), vote_on=vote_on,
                probation_ends=rules.probation_end(vote_on) if vote_on else None)
            steps = []
            for n, day in dates.items():
                data = {"due": due, "present": due, "yes": due} if n in (15, 23) else {}
                if n == 5:
                    data = {"contacts": ["联系人甲"]}
                elif n == 9:
                    data = {"sponsors": ["介绍人甲", "介绍人乙"]}
                elif n == 11:
                    data = {"days": 3, "hours": 24}
                steps.append(DevelopmentStep(case=case, number=n, done_on=day, data=data,
                                             done_by=DOERS[3] if STEPS[n].upper else rng.choice(DOERS[:3]),
                                             note=str(STEPS[n].label)))
            DevelopmentStep.objects.bulk_create(steps)
            if k >= 17:
                membership = membership_add(actor=None, person=person, org=branch,
                                            status=MembershipStatus.PROBATIONARY, admission_date=vote_on,
                                            start_date=vote_on)
                if k >= 24:
                    membership_promote(actor=None, membership=membership, full_member_date=case.probation_ends)
                DevelopmentCase.objects.filter(pk=case.pk).update(membership=membership)
            members.add(person.pk)
            cases += 1
    ctx.stats.update(development_cases=cases)
