import io
import re
import threading
from types import SimpleNamespace

import pytest
from django.urls import reverse
from pypdf import PdfReader

from grassroots.core import printing as core_pdf
from grassroots.deliberation import pdf, services
from grassroots.people.models import Person
from tests.support.world import scope_test

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


def _fake_meeting(title):
    kind = SimpleNamespace(name="居民会议", basis="households")
    return SimpleNamespace(title=title, due_count=None, kind=kind, scheduled_at=None, location="社区会议室")


def _fake_persons(names):
    return [SimpleNamespace(name=n, building_id=1, building=SimpleNamespace(name="1号楼")) for n in names]


def _without_dates(body: bytes) -> bytes:
    return re.sub(rb"/ID \[[^]]*\]", b"", re.sub(rb"/CreationDate \([^)]*\)", b"", body))


def _embedded_fonts(body: bytes) -> list[str]:
    fonts = []
    for page in PdfReader(io.BytesIO(body)).pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(key in descriptor for key in ("/FontFile2", "/FontFile3")), "font program embedded"
            fonts.append(str(descendant["/BaseFont"]))
    return fonts


def test_consecutive_documents_each_embed_their_own_subset_of_the_cjk_font(db):
    first = pdf.sign_in_sheet(_fake_meeting("第一次居民会议"), _fake_persons(["张伟", "王芳"]))
    second = pdf.sign_in_sheet(_fake_meeting("第二次居民会议"), _fake_persons(["李秀英", "𠮷田"]))
    assert "第一次居民会议" in text_of(first) and "张伟" in text_of(first)
    assert "第二次居民会议" in text_of(second) and "李秀英" in text_of(second) and "𠮷田" in text_of(second)
    assert "李秀英" not in text_of(first)
    for body in (first, second):
        [name] = _embedded_fonts(body)
        assert "NotoSansCJK" in name or "NotoSerifCJK" in name
        assert name.endswith("CJKSC")  # the Simplified Chinese face of the collection (not the Japanese one)
        assert len(body) < 200_000  # a subset, not the 20 MB font
    # the same document again is the same bytes (apart from the creation date and the file id)
    again = pdf.sign_in_sheet(_fake_meeting("第一次居民会议"), _fake_persons(["张伟", "王芳"]))
    assert _without_dates(again) == _without_dates(first)


def test_rendering_leaves_the_shared_font_as_parsed(db):
    shared = core_pdf._shared_font(core_pdf._font())
    tables = shared.ttfont.tables
    before = ({len(t.cmap) for t in tables["cmap"].tables if hasattr(t, "cmap")}, len(tables["hmtx"].metrics),
              len(shared.cw), shared.desc.font_name if hasattr(shared.desc, "font_name") else None)
    pdf.ballot(SimpleNamespace(meeting=_fake_meeting("楼道会议"), ballot="secret", text="是否同意加装电梯"))
    after = ({len(t.cmap) for t in tables["cmap"].tables if hasattr(t, "cmap")}, len(tables["hmtx"].metrics),
             len(shared.cw), shared.desc.font_name if hasattr(shared.desc, "font_name") else None)
    assert after == before and len(tables["hmtx"].metrics) > 60_000


def test_documents_rendered_at_the_same_time_in_threads_are_each_complete(db):
    titles = [f"第{i}网格议事会" for i in range(8)]
    names = [[f"居民{i}{j}号" for j in range(30)] for i in range(8)]
    alone = [pdf.sign_in_sheet(_fake_meeting(t), _fake_persons(n)) for t, n in zip(titles, names, strict=True)]
    together: dict[int, bytes] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(len(titles))

    def render(i):
        try:
            start.wait()
            together[i] = pdf.sign_in_sheet(_fake_meeting(titles[i]), _fake_persons(names[i]))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=render, args=(i,)) for i in range(len(titles))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for i, body in together.items():
        assert titles[i] in text_of(body) and names[i][-1] in text_of(body)
        assert _without_dates(body) == _without_dates(alone[i])
