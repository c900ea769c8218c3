import pytest
from django.urls import reverse

from grassroots.rolls import services
from grassroots.rolls.models import RollEntry, RollKind
from tests.support.world import scope_test

from .test_services import xlsx

pytestmark = pytest.mark.django_db


@scope_test("rolls:rolls", "rolls:roll_new", "rolls:roll_detail", "rolls:entry_add", "rolls:entry_end",
            "rolls:roll_import", "rolls:roll_template")
def test_staff_keep_their_communitys_rolls_in_pages_and_others_find_nothing(client, roll_world):
    w = roll_world
    client.force_login(w.community_staff)
    r = client.post(reverse("rolls:roll_new"), {"kind": RollKind.REPRESENTATIVES, "region": w.c1.pk, "name": ""})
    roll = w.c1.rolls.get()
    assert r.status_code == 302 and r["Location"] == reverse("rolls:roll_detail", args=[roll.pk])
    assert client.post(reverse("rolls:roll_new"), {"kind": RollKind.REPRESENTATIVES, "region": w.c3.pk}).status_code \
        == 404  # a region out of scope is not offered
    client.post(reverse("rolls:entry_add", args=[roll.pk]), {"name": "赵一", "households": f"{w.b1.name} 101"})
    client.post(reverse("rolls:entry_add", args=[roll.pk]), {"name": "王芳"})  # two of that name: refused
    assert list(RollEntry.objects.values_list("person__name", flat=True)) == ["赵一"]
    upload = client.post(reverse("rolls:roll_import", args=[roll.pk]), {
        "file": _file(xlsx(["姓名", "任期届满"], ["钱二", "2028-12-31"], ["无此人", ""]))})
    page = upload.content.decode()
    assert "发现 1 处错误" in page and "<td>3</td>" in page
    upload = client.post(reverse("rolls:roll_import", args=[roll.pk]), {
        "file": _file(xlsx(["姓名", "任期届满"], ["钱二", "2028-12-31"]))})
    assert "已导入 1 人" in upload.content.decode()
    entry = RollEntry.objects.get(person=w.people[0])
    client.post(reverse("rolls:entry_end", args=[entry.pk]), {"reason": "迁出"})
    entry.refresh_from_db()
    assert entry.end_date is not None
    page = client.get(reverse("rolls:roll_detail", args=[roll.pk])).content.decode()
    assert "钱二" in page and "迁出" in page
    assert client.get(reverse("rolls:roll_template", args=[roll.pk]))["Content-Type"].startswith(
        "application/vnd.openxmlformats")
    assert "安泰社区居民代表名册" in client.get(reverse("rolls:rolls")).content.decode()
    other = RollEntry.objects.get(person=w.people[1])
    for actor in (w.other_staff, w.grid_worker, w.resident):
        client.force_login(actor)
        assert "安泰社区居民代表名册" not in client.get(reverse("rolls:rolls")).content.decode()
        for name in ("rolls:roll_detail", "rolls:roll_import", "rolls:roll_template"):
            assert client.get(reverse(name, args=[roll.pk])).status_code == 404, name
        assert client.post(reverse("rolls:entry_add", args=[roll.pk]), {"name": "孙三"}).status_code == 404
        assert client.post(reverse("rolls:entry_end", args=[other.pk]), {"reason": "x"}).status_code == 404
    assert RollEntry.objects.filter(end_date__isnull=True).count() == 1


def test_a_roll_of_another_kind_is_made_from_the_page_with_its_compound(client, roll_world):
    from grassroots.territory.models import Compound

    w = roll_world
    Compound.objects.create(code="C1-9", name="安泰小区", community=w.c1)
    client.force_login(w.community_staff)
    client.post(reverse("rolls:roll_new"), {"kind": RollKind.OWNERS, "region": w.c1.pk, "compound": "NOPE"})
    client.post(reverse("rolls:roll_new"), {"kind": RollKind.OWNERS, "region": w.c1.pk, "compound": ""})
    assert not w.c1.rolls.exists()
    client.post(reverse("rolls:roll_new"), {"kind": RollKind.OWNERS, "region": w.c1.pk, "compound": "C1-9"})
    roll = w.c1.rolls.get()
    assert roll.name == "安泰小区业主名册"
    services.entry_add(actor=w.community_staff, roll=roll, person=w.people[0], area="88.00", unit="1-101")
    page = client.get(reverse("rolls:roll_detail", args=[roll.pk])).content.decode()
    assert "88.00" in page and "专有部分面积" in page


def _file(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("roll.xlsx", content, content_type="application/vnd.openxmlformats-officedocument."
                              "spreadsheetml.sheet")
