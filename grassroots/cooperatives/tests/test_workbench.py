"""The cooperatives' tallies on the workbench: plans waiting at a step, each count the length of the list it links
to; the notice ending soon counted as due soon; nothing for those who do not keep the books."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from grassroots.cooperatives import services as S
from grassroots.cooperatives import workbench
from grassroots.core import clock
from grassroots.core.scope import scope_for
from tests.support.world import login_verified


def tallies(user):
    return {t.key: t for t in workbench.tallies(user, scope_for(user), clock.now())}


def listed(user, url):
    client = Client()
    login_verified(client, user)
    return client.get(url).context["page"].paginator.count


def test_each_waiting_step_is_counted_as_its_list_shows_it(coop_world):
    w = coop_world
    assert tallies(w.accountant) == {}
    plan = S.plan_trial(actor=w.accountant, coop=w.coop, year=2025, surplus="500000", loss_to_cover="20000")
    t = tallies(w.accountant)["cooperatives.plans_trial"]
    assert t.count == 1 == listed(w.accountant, t.url)
    S.plan_publish(actor=w.accountant, plan=plan, working_days=5)
    clock.freeze(clock.now() + dt.timedelta(days=5))  # the notice ends within three days
    t = tallies(w.board_member)["cooperatives.plans_noticed"]
    assert t.count == 1 == listed(w.board_member, t.url) and t.due_soon == 1
    assert tallies(w.supervisor) == {} and tallies(w.other_accountant) == {} and tallies(w.member_user) == {}
