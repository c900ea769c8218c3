import datetime as dt

import pytest
from django.urls import reverse
from pypdf import PdfReader

from grassroots.core import clock
from grassroots.notices import services
from grassroots.notices.models import Objection
from grassroots.people.models import Organization
from tests.support.world import scope_test

pytestmark = pytest.mark.django_db


@scope_test("notices:notices", "notices:notice_detail", "notices:notice_pdf", "notices:objection_submit",
            "notices:objection_answer")
def test_notices_are_public_objections_need_an_account_and_only_the_publisher_side_answers(client, world,
                                                                                           org_notice_kind):
    import io

    w = world
    clock.freeze(dt.datetime(2026, 11, 23, 9, 0))
    coop = Organization.objects.create(name="安泰蔬菜合作社", kind=Organization.Kind.COOPERATIVE, region=w.c1)
    notice = services.notice_publish(actor=w.community_staff, kind="test_org", subject=coop, title="成员名单公示",
                                     body="拟吸收成员：张三、李四")
    client.logout()
    assert "成员名单公示" in client.get(reverse("notices:notices")).content.decode()
    assert "成员名单公示" in client.get(reverse("notices:notices") + "?kind=test_org").content.decode()
    assert "成员名单公示" not in client.get(reverse("notices:notices") + "?kind=resolution").content.decode()
    page = client.get(reverse("notices:notice_detail", args=[notice.pk])).content.decode()
    assert "张三、李四" in page and "登录后可提出异议" in page and "安泰蔬菜合作社" in page
    pdf = client.get(reverse("notices:notice_pdf", args=[notice.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).replace("\x00", "")
    assert pdf["Content-Type"] == "application/pdf" and "成员名单公示" in text and "安泰蔬菜合作社" in text
    assert f"http://testserver/notices/{notice.pk}/" in text.replace("\n", "")  # the page its QR opens
    assert client.post(reverse("notices:objection_submit", args=[notice.pk]), {"text": "x"}).status_code == 302
    assert not Objection.objects.exists()
    client.force_login(w.resident3)  # anyone signed in may object
    client.post(reverse("notices:objection_submit", args=[notice.pk]), {"text": "李四已迁出"})
    objection = Objection.objects.get()
    for outsider in (w.other_staff, w.resident3):
        client.force_login(outsider)
        assert client.post(reverse("notices:objection_answer", args=[objection.pk]), {"answer": "x"}).status_code \
            == 404
    client.force_login(w.community_staff)
    page = client.get(reverse("notices:notice_detail", args=[notice.pk])).content.decode()
    assert reverse("notices:objection_answer", args=[objection.pk]) in page
    client.post(reverse("notices:objection_answer", args=[objection.pk]), {"answer": "已核实，李四仍在本村"})
    objection.refresh_from_db()
    assert objection.answer == "已核实，李四仍在本村"
    client.logout()
    page = client.get(reverse("notices:notice_detail", args=[notice.pk])).content.decode()
    assert "李四已迁出" in page and "已核实" in page and "resident3" not in page
    for name in ("notices:notice_detail", "notices:notice_pdf"):
        assert client.get(reverse(name, args=[999999])).status_code == 404
