"""The transition table (party.states) and the writers that move along it."""

import datetime as dt

import pytest

from grassroots.core.errors import Conflict
from grassroots.party import states
from grassroots.party.models import Membership, ReportIn
from grassroots.party.services import membership_transfer, report_in_create, report_in_end
from grassroots.party.services._common import change_state
from grassroots.party.states import MembershipStatus, ReportInStatus, TransferState
from tests.support.party import add_members

CHOICES = {"membership": MembershipStatus.values, "report_in": ReportInStatus.values,
           "org_report_in": ReportInStatus.values, "service_post": ReportInStatus.values,
           "transfer": TransferState.values}


@pytest.mark.parametrize("move", list(states.TRANSITIONS.values()), ids=list(states.TRANSITIONS))
def test_every_move_names_states_of_its_own_lifecycle(move):
    entity = move.verb.split(".", 1)[0]
    allowed = [True, False] if move.field == "active" else CHOICES[entity]
    assert set(move.sources) <= set(allowed)
    assert move.target is None or move.target in allowed
    assert move.label


def test_a_move_from_a_state_the_table_does_not_list_is_a_conflict_naming_the_current_state(world, party):
    member = add_members(party.g1, 1)[0]
    with pytest.raises(Conflict) as err:
        change_state(Membership, member.pk, "membership.promote", full_member_date=dt.date(2020, 1, 1))
    assert err.value.details == {"current_state": "full"} and "正式党员" in err.value.zh


def test_a_transfer_ends_the_old_membership_once(world, party, frozen_now):
    member = add_members(party.g1, 1)[0]
    membership_transfer(actor=None, membership=member, to_org=party.g2)
    with pytest.raises(Conflict) as err:
        change_state(Membership, member.pk, "membership.transfer")
    assert err.value.details == {"current_state": False}


def test_an_ended_report_in_cannot_end_again(world, party, frozen_now):
    member = add_members(party.g1, 1, in_service=True, employer=world.enterprise)[0]
    report_in = report_in_create(actor=None, membership=member, community=world.c1)
    assert report_in.status == states.move("report_in.create").target
    report_in_end(actor=None, report_in=report_in)
    assert ReportIn.objects.get(pk=report_in.pk).status == ReportInStatus.ENDED
    with pytest.raises(Conflict) as err:
        report_in_end(actor=None, report_in=report_in)
    assert "已结束" in err.value.zh
