import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from grassroots.core.testing import scope_test
from grassroots.deliberation import pdf, services
from grassroots.people.models import Person

from .conftest import open_meeting
from .test_views import passed_resolution

pytestmark = pytest.mark.django_db


def text_of(body: bytes) -> str:
    assert body.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages).replace("\x00", "")


@scope_test("deliberation:meeting_sign_in_pdf")
def test_sign_in_sheet_lists_the_persons_due_with_the_due_count(client, delib_world):
    w = delib_world
    meeting = services.meeting_open(actor=w.community_staff, meeting=open_meeting(w, title="居民会议第三次"))
    client.force_login(w.community_staff)
    r = client.get(reverse("deliberation:meeting_sign_in_pdf", args=[meeting.pk]))
    text = text_of(r.content)
    assert r["Content-Type"] == "application/pdf"
    assert "居民会议第三次" in text and "应到人数：5" in text and "邻居0" in text and "小朋友" not in text
    client.force_login(w.other_staff)
    assert client.get(reverse("deliberation:meeting_sign_in_pdf", args=[meeting.pk])).status_code == 404
    client.force_login(w.resident)  # residents of the community see the meeting, not the list of people due
    assert client.get(reverse("deliberation:meeting_sign_in_pdf", args=[meeting.pk])).status_code == 404


def test_more_than_200_due_gives_blank_numbered_rows(delib_world):
    w = delib_world
    Person.objects.bulk_create([Person(name=f"居民{i}", building=w.b1, region=w.g1, birth_date="1980-01-01")
                                for i in range(200)])
    meeting = services.meeting_open(actor=w.community_staff, meeting=open_meeting(w))
    persons = list(services.eligible_persons(meeting)[:201])
    text = text_of(pdf.sign_in_sheet(meeting, persons))
    assert "应到人数：205" in text and "居民1" not in text and "205" in text


@scope_test("deliberation:motion_ballot_pdf")
def test_secret_ballot_has_the_three_boxes_and_no_name_field(client, delib_world):
    w = delib_world
    meeting = services.meeting_open(actor=w.community_staff, meeting=open_meeting(w))
    secret = services.motion_create(actor=w.community_staff, meeting=meeting, text="是否同意加装电梯", ballot="secret")
    hands = services.motion_create(actor=w.community_staff, meeting=meeting, text="是否同意清理楼道",
                                   ballot="show_of_hands")
    client.force_login(w.community_staff)
    text = text_of(client.get(reverse("deliberation:motion_ballot_pdf", args=[secret.pk])).content)
    assert "是否同意加装电梯" in text and "赞成" in text and "反对" in text and "弃权" in text
    assert "无记名" in text and "签名" not in text
    assert "签名" in text_of(client.get(reverse("deliberation:motion_ballot_pdf", args=[hands.pk])).content)
    client.force_login(w.department_handler)
    assert client.get(reverse("deliberation:motion_ballot_pdf", args=[secret.pk])).status_code == 404


@scope_test("deliberation:resolution_pdf")
def test_resolution_pdf_has_meeting_tally_and_deadline(client, delib_world):
    w = delib_world
    _, _, _, resolution = passed_resolution(w)
    client.force_login(w.resident3)  # resolutions are public
    text = text_of(client.get(reverse("deliberation:resolution_pdf", args=[resolution.pk])).content)
    assert "建设充电桩" in text and "赞成 3" in text and "应到：5" in text and "实到：3" in text and "2027-03-01" in text
    assert client.get(reverse("deliberation:resolution_pdf", args=[999999])).status_code == 404
