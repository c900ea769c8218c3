import datetime as dt

import pytest

from grassroots.core import clock
from grassroots.core.errors import NotFound, NotPermitted, ValidationFailed
from grassroots.core.models import Event, Notification, PolicySetting
from grassroots.notices import registry, services
from grassroots.notices.models import Notice
from grassroots.people.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def coop(world):
    return Organization.objects.create(name="安泰蔬菜合作社", kind=Organization.Kind.COOPERATIVE, region=world.c1)


def publish(w, coop, **kw):
    return services.notice_publish(actor=kw.pop("actor", w.community_staff), kind=kw.pop("kind", "test_org"),
                                   subject=coop, title=kw.pop("title", "成员名单公示"), body="拟吸收成员：张三", **kw)


def test_the_domains_declare_their_kinds_and_who_publishes_them():
    codes = {k.code: k.model for k in registry.registered()}
    assert codes["resolution"] == "deliberation.resolution"
    assert codes["project_approval"] == codes["project_closing"] == "projects.microproject"


def test_a_notice_stands_in_its_owners_name_for_its_period_of_working_days(world, coop, org_notice_kind):
    w = world
    clock.freeze(dt.datetime(2026, 11, 23, 9, 0))  # a Monday
    notice = publish(w, coop)
    assert notice.organization == coop and notice.region is None and notice.owner_name == "安泰蔬菜合作社"
    assert notice.subject == coop and notice.working_days == 5  # the policy's default
    assert notice.ends_at.date() == dt.date(2026, 12, 1)  # 24:00 of the fifth working day after the start day
    assert Event.objects.filter(verb="notice.publish", object_id=notice.pk).exists()


def test_publishing_is_refused_to_others_for_unknown_kinds_wrong_subjects_and_bad_periods(world, coop,
                                                                                          org_notice_kind):
    w = world
    for actor in (w.other_staff, w.resident, w.grid_worker):
        with pytest.raises(NotPermitted):
            publish(w, coop, actor=actor)
    with pytest.raises(ValidationFailed) as err:
        publish(w, coop, kind="nonsense")
    assert err.value.field == "kind"
    with pytest.raises(ValidationFailed):
        services.notice_publish(actor=w.community_staff, kind="test_org", subject=w.person1, title="x", body="y")
    for days in (0, 31, "x"):
        with pytest.raises(ValidationFailed) as err:
            publish(w, coop, working_days=days)
        assert err.value.field == "working_days"
    with pytest.raises(ValidationFailed):
        publish(w, coop, title=" ")
    PolicySetting.objects.create(key="notices.max_working_days", value=40)
    assert publish(w, coop, working_days=35).working_days == 35  # the bounds are policy rows
    assert Notice.objects.count() == 1


def test_the_next_step_waits_for_the_period_and_every_answer(world, coop, org_notice_kind):
    w = world
    with pytest.raises(ValidationFailed) as err:
        services.require_cleared(coop, "test_org")
    assert err.value.code == "no_notice"
    clock.freeze(dt.datetime(2026, 11, 23, 9, 0))
    notice = publish(w, coop)
    with pytest.raises(NotPermitted):
        services.objection_submit(actor=None, notice=notice, text="不同意")
    objection = services.objection_submit(actor=w.resident3, notice=notice, text="张三不是本村户籍")
    assert Notification.objects.filter(recipient=w.community_staff, verb="notice.objection").exists()
    clock.freeze(dt.datetime(2026, 11, 30, 23, 59))  # the last minute of the period (24:00 of Monday 30th)
    with pytest.raises(ValidationFailed) as err:
        services.require_cleared(coop, "test_org")
    assert err.value.code == "notice_open"
    clock.freeze(dt.datetime(2026, 12, 1, 0, 0))
    with pytest.raises(ValidationFailed) as err:
        services.objection_submit(actor=w.resident, notice=notice, text="晚了")
    assert err.value.code == "notice_ended"
    with pytest.raises(ValidationFailed) as err:
        services.require_cleared(coop, "test_org")
    assert err.value.code == "objections_pending"
    with pytest.raises(NotFound):  # staff of another community cannot even see it to answer
        services.objection_answer(actor=w.other_staff, objection=objection, answer="x")
    with pytest.raises(ValidationFailed):
        services.objection_answer(actor=w.community_staff, objection=objection, answer=" ")
    services.objection_answer(actor=w.community_staff, objection=objection, answer="经核实为本村户籍")
    with pytest.raises(ValidationFailed):
        services.objection_answer(actor=w.community_staff, objection=objection, answer="再答")
    assert Notification.objects.filter(recipient=w.resident3, verb="notice.objection_answer").exists()
    assert services.require_cleared(coop, "test_org") == notice
    # a newer notice about the same subject is the one the next step waits for
    publish(w, coop, title="第二次公示")
    with pytest.raises(ValidationFailed):
        services.require_cleared(coop)
