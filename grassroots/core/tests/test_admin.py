import datetime as dt

from django.urls import reverse

from grassroots.core import clock
from grassroots.core.holiday_services import holiday_seed
from grassroots.core.models import Event, Holiday
from tests.support.world import login_verified


def test_admin_add_change_and_delete_are_audited_with_changed_fields(client, world):
    login_verified(client, world.admin)
    response = client.post(reverse("admin:core_holiday_add"),
                           {"date": "2027-10-01", "kind": "off", "name": "国庆节", "source": "国务院办公厅通知"})
    assert response.status_code == 302
    holiday = Holiday.objects.get(date=dt.date(2027, 10, 1))
    added = Event.objects.get(verb="admin.add")
    assert (added.actor_id, added.object_type, added.object_id) == (world.admin.pk, "core.holiday", str(holiday.pk))

    response = client.post(reverse("admin:core_holiday_change", args=[holiday.pk]),
                           {"date": "2027-10-01", "kind": "off", "name": "国庆节假期", "source": "国务院办公厅通知"})
    assert response.status_code == 302
    assert Event.objects.get(verb="admin.change").payload["changed"] == ["name"]

    response = client.post(reverse("admin:core_holiday_delete", args=[holiday.pk]), {"post": "yes"})
    assert response.status_code == 302
    deleted = Event.objects.get(verb="admin.delete")
    assert deleted.object_id == str(holiday.pk) and not Holiday.objects.exists()


def test_admin_bulk_delete_writes_one_event_per_row(client, world):
    holiday_seed(actor=None, years=[2026])
    ids = list(Holiday.objects.values_list("pk", flat=True)[:3])
    login_verified(client, world.admin)
    response = client.post(reverse("admin:core_holiday_changelist"),
                           {"action": "delete_selected", "_selected_action": ids, "post": "yes"})
    assert response.status_code == 302
    assert set(Event.objects.filter(verb="admin.delete").values_list("object_id", flat=True)) == {str(i) for i in ids}


def test_holiday_admin_warns_about_years_without_a_calendar(client, world):
    clock.freeze(dt.datetime(2026, 11, 25, 9, 0))
    holiday_seed(actor=None, years=[2026])
    login_verified(client, world.admin)
    page = client.get(reverse("admin:core_holiday_changelist")).content.decode()
    assert "2027 年未配置节假日，按周一至周五计算" in page
    assert "2026 年未配置" not in page


def test_events_and_notifications_are_read_only_in_the_admin(client, world):
    from grassroots.core import events

    event = events.record(world.grid_worker, "case.report", object_type="cases.case", object_id=1)
    login_verified(client, world.admin)
    assert client.get(reverse("admin:core_event_change", args=[event.pk])).status_code == 200
    assert client.get(reverse("admin:core_event_add")).status_code == 403
    assert client.post(reverse("admin:core_event_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:core_notification_add")).status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()


def test_a_staff_member_without_superuser_rights_cannot_see_events(client, world):
    world.zone_leader.is_staff = True
    world.zone_leader.save()
    login_verified(client, world.zone_leader)
    assert client.get(reverse("admin:core_event_changelist")).status_code == 403
