"""The database itself refuses invalid states."""

import pytest
from django.db import IntegrityError, transaction

from grassroots.cases.models import Assignment, Case, IdempotencyKey, Rating, TimeLimit
from grassroots.cases.states import AssignmentRole, Status
from grassroots.cases.tests.factories import make_case, make_category

pytestmark = pytest.mark.django_db


def refused(fn):
    with pytest.raises(IntegrityError), transaction.atomic():
        fn()
    return True


def test_status_tier_and_channel_must_be_known_values(world, frozen_now):
    case = make_case(world)
    qs = Case.objects.filter(pk=case.pk)
    assert refused(lambda: qs.update(status="lost"))
    assert refused(lambda: qs.update(tier="province"))
    assert refused(lambda: qs.update(channel="fax"))


def test_a_closed_case_has_a_closing_time_and_a_suspended_one_a_review_time(world, frozen_now):
    case = make_case(world, Status.HANDLED)
    qs = Case.objects.filter(pk=case.pk)
    assert refused(lambda: qs.update(status=Status.CLOSED))
    assert refused(lambda: qs.update(status=Status.SUSPENDED))
    assert refused(lambda: qs.update(status=Status.REJECTED))


def test_at_most_one_active_lead_per_case_and_one_lead_per_round(world, frozen_now):
    case = make_case(world, Status.DISPATCHED)
    lead = Assignment.objects.get(case=case)
    assert refused(lambda: Assignment.objects.create(
        case=case, organization=world.dept_housing, role=AssignmentRole.LEAD, round=lead.round + 1, tier=lead.tier,
        dispatched_at=lead.dispatched_at))
    assert refused(lambda: Assignment.objects.create(
        case=case, organization=world.dept_housing, role=AssignmentRole.LEAD, round=lead.round, tier=lead.tier,
        active=False, ended_at=lead.dispatched_at, dispatched_at=lead.dispatched_at))


def test_a_case_is_rated_once_per_round(world, frozen_now):
    case = make_case(world, Status.CLOSED)
    Rating.objects.create(case=case, round=1, resolved=True, satisfaction="satisfied", source="reporter",
                          rated_at=frozen_now)
    assert refused(lambda: Rating.objects.create(case=case, round=1, resolved=False, satisfaction="unsatisfied",
                                                 source="callback", rated_at=frozen_now))
    assert refused(lambda: Rating.objects.create(case=case, round=2, resolved=False, satisfaction="angry",
                                                 source="callback", rated_at=frozen_now))


def test_idempotency_keys_and_external_ids_are_unique_per_client_and_source(world, frozen_now):
    case = make_case(world)
    IdempotencyKey.objects.create(client="user:1", channel="resident", key="k", case=case, created_at=frozen_now)
    assert refused(lambda: IdempotencyKey.objects.create(client="user:1", channel="resident", key="k", case=case,
                                                         created_at=frozen_now))
    IdempotencyKey.objects.create(client="user:2", channel="resident", key="k", case=case, created_at=frozen_now)
    other = make_case(world)
    Case.objects.filter(pk=case.pk).update(channel="import_12345", external_id="GD1")
    assert refused(lambda: Case.objects.filter(pk=other.pk).update(channel="import_12345", external_id="GD1"))


def test_one_global_time_limit_per_tier_and_stage(world):
    TimeLimit.objects.create(stage="handle", tier="", amount=5, unit="working_days")
    assert refused(lambda: TimeLimit.objects.create(stage="handle", tier="", amount=3, unit="working_days"))
    category = make_category()
    TimeLimit.objects.create(category=category, stage="handle", tier="", amount=5, unit="hours")
    assert refused(lambda: TimeLimit.objects.create(category=category, stage="handle", tier="", amount=1,
                                                    unit="hours"))
    assert refused(lambda: TimeLimit.objects.create(stage="accept", tier="", amount=0, unit="hours"))
    assert refused(lambda: TimeLimit.objects.create(stage="accept", tier="", amount=1, unit="fortnights"))
