from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.core import notifications
from grassroots.core.models import Notification
from tests.support.world import scope_test


def test_notify_writes_one_row_per_recipient_and_sends_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rows = notifications.notify([world.grid_worker, world.grid_worker, world.community_staff.pk],
                                    verb="case.dispatched", title="新派遣", body="请处理", obj=world.g1)
    assert len(rows) == 2
    assert {n.recipient_id for n in notifications.MemoryBackend.outbox} == {world.grid_worker.pk,
                                                                             world.community_staff.pk}
    assert rows[0].object_type == "territory.region" and rows[0].object_id == str(world.g1.pk)


def test_nobody_to_notify_writes_nothing(world):
    assert notifications.notify([], verb="x", title="t") == []
    assert not Notification.objects.exists()


def test_unread_count_and_mark_read_touch_only_ones_own(world):
    mine = notifications.notify([world.grid_worker], verb="x", title="给我的")[0]
    theirs = notifications.notify([world.community_staff], verb="x", title="给别人的")[0]
    assert notifications.unread_count(actor=world.grid_worker) == 1
    assert notifications.mark_read(actor=world.grid_worker, ids=[mine.pk, theirs.pk]) == 1
    assert notifications.unread_count(actor=world.grid_worker) == 0
    assert notifications.unread_count(actor=world.community_staff) == 1


@scope_test("notifications")
def test_the_inbox_page_shows_only_ones_own_notifications(client, world):
    notifications.notify([world.grid_worker], verb="x", title="给我的通知")
    notifications.notify([world.community_staff], verb="x", title="给别人的通知")
    client.force_login(world.grid_worker)
    page = client.get(reverse("notifications")).content.decode()
    assert "给我的通知" in page and "给别人的通知" not in page
    assert "未读" in page


def test_the_inbox_can_show_unread_only(client, world):
    read, _unread = notifications.notify([world.grid_worker], verb="x", title="已读的"), None
    notifications.mark_read(actor=world.grid_worker, ids=[read[0].pk])
    notifications.notify([world.grid_worker], verb="x", title="未读的")
    client.force_login(world.grid_worker)
    page = client.get(reverse("notifications") + "?unread=1").content.decode()
    assert "未读的" in page and "已读的" not in page


def test_the_inbox_page_runs_the_same_number_of_queries_for_2_and_20_rows(client, world):
    client.force_login(world.grid_worker)
    counts = []
    for n in (2, 20):
        Notification.objects.filter(recipient=world.grid_worker).delete()
        notifications.notify([world.grid_worker], verb="x", title="t")
        for i in range(n - 1):
            notifications.notify([world.grid_worker], verb="x", title=f"t{i}")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("notifications")).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


@scope_test("notifications_read")
def test_mark_read_page_marks_only_ones_own(client, world):
    mine = notifications.notify([world.grid_worker], verb="x", title="给我的")[0]
    theirs = notifications.notify([world.community_staff], verb="x", title="给别人的")[0]
    client.force_login(world.grid_worker)
    assert client.get(reverse("notifications_read")).status_code == 405
    response = client.post(reverse("notifications_read"), {"id": [mine.pk, theirs.pk]})
    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None


def test_mark_all_read_without_ids(client, world):
    notifications.notify([world.grid_worker], verb="x", title="一")
    notifications.notify([world.grid_worker], verb="x", title="二")
    client.force_login(world.grid_worker)
    client.post(reverse("notifications_read"))
    assert notifications.unread_count(actor=world.grid_worker) == 0


def test_mark_read_ignores_malformed_ids(client, world):
    client.force_login(world.grid_worker)
    assert client.post(reverse("notifications_read"), {"id": ["abc"]}).status_code == 302


@scope_test("home")
def test_the_home_page_shows_only_the_entries_of_ones_roles(client, world):
    from tests.support.world import login_verified

    login_verified(client, world.auditor)
    assert reverse("core:audit") in client.get(reverse("home")).content.decode()
    client.force_login(world.grid_worker)
    assert reverse("core:audit") not in client.get(reverse("home")).content.decode()
