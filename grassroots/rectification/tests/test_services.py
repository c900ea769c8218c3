import datetime as dt

import pytest

from grassroots.core import clock
from grassroots.core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from grassroots.core.models import Event, Notification
from grassroots.people.models import Post
from grassroots.rectification import selectors, services
from grassroots.rectification.models import Item
from grassroots.rectification.states import TRANSITIONS
from tests.support.world import make_user

pytestmark = pytest.mark.django_db


def move(item, verb, actor, **kw):
    return services.item_move(actor=actor, item=Item.objects.get(pk=item.pk), verb=verb, **kw)


def test_an_item_is_rectified_submitted_verified_and_closed_by_someone_other_than_its_owner(ledger_world):
    w = ledger_world
    move(w.dept_item, "start", w.department_handler)
    with pytest.raises(ValidationFailed):  # no measures yet
        move(w.dept_item, "submit", w.department_handler)
    move(w.dept_item, "submit", w.department_handler, measures="清理占道摊点 12 处，设置疏导点 2 处")
    with pytest.raises(NotPermitted) as refused:
        move(w.dept_item, "verify", w.department_handler)
    assert refused.value.code == "owner_cannot_verify"
    item = move(w.dept_item, "verify", w.zone_leader)
    assert item.status == "closed" and item.verified_by == w.zone_leader and item.closed_at == clock.now()
    assert list(Event.objects.filter(object_type="rectification.item", object_id=str(item.pk))
                .values_list("verb", flat=True).order_by("id")) == [
        "item.create", "item.start", "item.submit", "item.verify"]
    with pytest.raises(Conflict):
        move(w.dept_item, "submit", w.department_handler)


def test_an_account_on_the_owner_side_never_verifies_whatever_other_post_it_holds(ledger_world):
    w = ledger_world
    both = make_user("leader_and_handler", role="zone_leader", region=w.zone)
    Post.objects.create(user=both, role="department_handler", organization=w.dept_city, start_date=dt.date(2020, 1, 1))
    move(w.dept_item, "start", w.department_handler)
    move(w.dept_item, "submit", w.department_handler, measures="整治完成")
    with pytest.raises(NotPermitted) as refused:
        move(w.dept_item, "verify", both)
    assert refused.value.code == "owner_cannot_verify" and "不能验收" in refused.value.zh
    assert Item.objects.get(pk=w.dept_item.pk).status == "submitted"


def test_a_region_office_is_the_owner_of_its_own_items_and_the_level_above_verifies(ledger_world):
    w = ledger_world
    move(w.c1_item, "start", w.community_staff)
    move(w.c1_item, "submit", w.community_secretary, measures="清理完毕")
    with pytest.raises(NotPermitted):
        move(w.c1_item, "verify", w.community_secretary)
    with pytest.raises(NotPermitted):  # the responsible person is the owner side too
        move(w.c1_item, "verify", w.resident)
    assert move(w.c1_item, "verify", w.subdistrict_officer).status == "closed"


def test_the_supervisor_does_not_rectify_and_an_outsider_does_neither(ledger_world):
    w = ledger_world
    with pytest.raises(NotPermitted):
        move(w.firm_item, "start", w.zone_leader)
    with pytest.raises(NotPermitted):
        move(w.firm_item, "start", w.department_handler)
    move(w.firm_item, "start", w.enterprise_contact)


def test_send_back_reopen_and_extend_need_a_reason(ledger_world):
    w = ledger_world
    move(w.dept_item, "start", w.department_handler)
    move(w.dept_item, "submit", w.department_handler, measures="整治完成")
    with pytest.raises(ValidationFailed):
        move(w.dept_item, "send_back", w.zone_leader)
    assert move(w.dept_item, "send_back", w.zone_leader, reason="照片不清晰").status == "in_rectification"
    move(w.dept_item, "submit", w.department_handler)
    move(w.dept_item, "verify", w.zone_leader)
    item = move(w.dept_item, "reopen", w.zone_leader, reason="群众反映问题复发")
    assert item.status == "reopened" and item.closed_at is None and item.last_reason == "群众反映问题复发"
    assert move(w.dept_item, "start", w.department_handler).status == "in_rectification"


def test_the_overdue_sweep_marks_once_and_reminds_the_owner_and_the_one_above(ledger_world):
    w = ledger_world
    clock.freeze(dt.datetime(2026, 11, 26, 23, 0))  # the deadline day itself: not yet overdue
    assert services.mark_overdue() == 0
    clock.freeze(dt.datetime(2026, 11, 27, 8, 0))
    assert services.mark_overdue() == 1
    item = Item.objects.get(pk=w.c1_item.pk)
    assert item.status == "overdue" and item.overdue_at is not None
    reminded = set(Notification.objects.filter(verb="rectification.overdue").values_list("recipient_id", flat=True))
    # the owner: the community's own office and the responsible person; the one above: the subdistrict
    assert reminded == {w.community_staff.pk, w.community_secretary.pk, w.resident.pk, w.subdistrict_officer.pk}
    assert services.mark_overdue() == 0  # once
    assert Notification.objects.filter(verb="rectification.overdue").count() == 4
    clock.freeze(dt.datetime(2026, 12, 1, 8, 0))
    services.mark_overdue()
    reminded = set(Notification.objects.filter(verb="rectification.overdue", object_id=str(w.dept_item.pk))
                   .values_list("recipient_id", flat=True))
    assert reminded == {w.department_handler.pk, w.zone_leader.pk}


def test_an_overdue_item_is_submitted_or_given_a_new_deadline_with_a_reason(ledger_world):
    w = ledger_world
    clock.freeze(dt.datetime(2026, 11, 27, 8, 0))
    services.mark_overdue()
    with pytest.raises(ValidationFailed):  # not later than today
        move(w.c1_item, "extend", w.subdistrict_officer, reason="需协调物业", deadline=dt.date(2026, 11, 26))
    with pytest.raises(NotPermitted):
        move(w.c1_item, "extend", w.community_staff, reason="需协调物业", deadline=dt.date(2026, 12, 20))
    item = move(w.c1_item, "extend", w.subdistrict_officer, reason="需协调物业", deadline=dt.date(2026, 12, 20))
    assert item.status == "in_rectification" and item.deadline == dt.date(2026, 12, 20)
    assert services.mark_overdue() == 0


def test_the_transition_table_has_the_documented_moves():
    assert set(TRANSITIONS) == {"create", "start", "submit", "verify", "send_back", "reopen", "extend", "mark_overdue"}
    assert TRANSITIONS["verify"].sources == ("submitted",) and TRANSITIONS["verify"].target == "closed"


def test_bad_input_is_refused_and_nothing_written(ledger_world):
    w = ledger_world
    before = Item.objects.count()
    for kw in ({"title": ""}, {"source": "rumour"}, {"deadline": dt.date(2026, 1, 1)},
               {"deadline": dt.date(2046, 1, 1)}, {"deadline": None}):
        args = {"title": "x", "source": "inspection", "owner": w.dept_city, "deadline": dt.date(2026, 12, 1), **kw}
        with pytest.raises(ValidationFailed):
            services.item_create(actor=w.zone_leader, **args)
    with pytest.raises(NotPermitted):  # outside the raiser's region
        services.item_create(actor=w.other_staff, title="x", source="inspection", owner=w.org_c1,
                             deadline=dt.date(2026, 12, 1))
    assert Item.objects.count() == before


def test_an_owner_records_its_own_self_check_findings(ledger_world):
    w = ledger_world
    item = services.item_create(actor=w.enterprise_contact, title="消防通道堵塞", source="self_check",
                                owner=w.enterprise, deadline=dt.date(2026, 12, 10))
    assert item.raised_by == w.enterprise_contact
    with pytest.raises(NotPermitted):
        services.item_create(actor=w.enterprise_contact, title="x", source="inspection", owner=w.enterprise,
                             deadline=dt.date(2026, 12, 10))


def test_scope_items_are_seen_by_the_region_the_owner_and_the_responsible_person(ledger_world):
    w = ledger_world
    seen = {u: set(selectors.items(actor=u).values_list("pk", flat=True)) for u in (
        w.zone_leader, w.community_staff, w.other_staff, w.enterprise_contact, w.department_handler, w.resident,
        w.resident3, w.auditor)}
    assert seen[w.zone_leader] == {w.dept_item.pk, w.c1_item.pk, w.firm_item.pk}
    assert seen[w.community_staff] == {w.c1_item.pk}
    assert seen[w.other_staff] == set() and seen[w.resident3] == set() and seen[w.auditor] == set()
    assert seen[w.enterprise_contact] == {w.firm_item.pk}
    assert seen[w.department_handler] == {w.dept_item.pk}
    assert seen[w.resident] == {w.c1_item.pk}
    with pytest.raises(NotFound):
        selectors.item_get(actor=w.other_staff, pk=w.c1_item.pk)


def test_counts_per_owner_and_period(ledger_world):
    w = ledger_world
    services.item_create(actor=w.zone_leader, title="第二项", source="inspection", owner=w.dept_city,
                         deadline=dt.date(2026, 12, 1), raised_on=dt.date(2026, 11, 20))
    services.item_create(actor=w.zone_leader, title="去年的", source="inspection", owner=w.dept_city,
                         deadline=dt.date(2025, 12, 1), raised_on=dt.date(2025, 11, 20))
    move(w.dept_item, "start", w.department_handler)
    move(w.dept_item, "submit", w.department_handler, measures="完成")
    move(w.dept_item, "verify", w.zone_leader)
    rows = {r.owner_name: r for r in selectors.counts(actor=w.zone_leader, filters=selectors.Filters(year=2026))}
    assert (rows["城市管理局"].total, rows["城市管理局"].closed, rows["城市管理局"].closed_rate) == (2, 1, 50.0)
    q4 = selectors.counts(actor=w.zone_leader, filters=selectors.Filters(year=2026, quarter=3))
    assert q4 == []
    assert [r.owner_name for r in selectors.counts(actor=w.community_staff)] == ["安泰社区居委会"]


def test_milestones_for_long_term_items(ledger_world):
    w = ledger_world
    m = services.milestone_add(actor=w.zone_leader, item=w.firm_item, title="完成培训", due_on=dt.date(2026, 12, 1))
    assert Item.objects.get(pk=w.firm_item.pk).long_term
    with pytest.raises(NotPermitted):
        services.milestone_done(actor=w.zone_leader, milestone=m)
    assert services.milestone_done(actor=w.enterprise_contact, milestone=m).done_on == clock.today()
    with pytest.raises(Conflict):
        services.milestone_done(actor=w.enterprise_contact, milestone=m)



def test_the_sweep_command_runs_as_of_a_given_time(ledger_world):
    import io
    import json

    from django.core.management import call_command

    out = io.StringIO()
    call_command("rectification_sweep", "--at", "2026-11-27 08:00", stdout=out)
    assert json.loads(out.getvalue()) == {"overdue": 1}
    assert Item.objects.get(pk=ledger_world.c1_item.pk).status == "overdue"
    assert Item.objects.get(pk=ledger_world.dept_item.pk).status == "open"
