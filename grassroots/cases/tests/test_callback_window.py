"""The callback queue (待回访) is bounded by the callback window (policy ``callback_window_days``): cases closed
longer ago drop out of the queue, of its count and of the workbench's tally, which stay equal."""

import datetime as dt

import pytest

from grassroots.cases import selectors
from grassroots.cases.models import Case
from grassroots.cases.states import Status
from grassroots.cases.tests.factories import make_case
from grassroots.cases.workbench import tallies
from grassroots.core import clock
from grassroots.core.models import PolicySetting
from grassroots.core.scope import scope_for

pytestmark = pytest.mark.django_db


def ids(qs):
    return {c.pk for c in qs}


def test_old_closed_cases_drop_out_of_the_callback_queue_and_its_tally(world, frozen_now):
    now = clock.now()
    recent = make_case(world, Status.CLOSED, channel="hotline", reporter_name="王先生", reporter_contact="13800000000")
    edge = make_case(world, Status.CLOSED, channel="hotline", reporter_name="李女士", reporter_contact="13800000001")
    old = make_case(world, Status.CLOSED, channel="hotline", reporter_name="张先生", reporter_contact="13800000002")
    Case.objects.filter(pk=recent.pk).update(closed_at=now - dt.timedelta(days=2))
    Case.objects.filter(pk=edge.pk).update(closed_at=now - dt.timedelta(days=30) + dt.timedelta(minutes=1))
    Case.objects.filter(pk=old.pk).update(closed_at=now - dt.timedelta(days=30, minutes=1))
    hotline = world.hotline_operator

    def tally():
        return next(t for t in tallies(hotline, scope_for(hotline), now) if t.key == "cases.to_callback")

    assert ids(selectors.inbox(actor=hotline, queue="to_callback")) == {recent.pk, edge.pk}
    assert selectors.inbox_counts(actor=hotline)["to_callback"] == 2 == tally().count
    PolicySetting.objects.create(key="callback_window_days", value=7, note="试点")
    assert ids(selectors.inbox(actor=hotline, queue="to_callback")) == {recent.pk}
    assert tally().count == 1 == len(selectors.inbox(actor=hotline, queue="to_callback"))
