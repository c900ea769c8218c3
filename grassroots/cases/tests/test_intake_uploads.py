"""Uploads are stored only for a report (or handling result) that is written: in its transaction, within the limits
of the policy (files per report, bytes in all), photos only in photo fields."""

from __future__ import annotations

import io
import os

import pytest
from django.conf import settings
from django.urls import reverse
from PIL import Image

from grassroots.cases import services
from grassroots.cases.models import Case
from grassroots.cases.states import Channel
from grassroots.cases.tests.factories import make_category
from grassroots.core.errors import ValidationFailed
from grassroots.core.models import Attachment, PolicySetting
from grassroots.core.policy import invalidate
from tests.support.world import centre

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_media_root(settings, tmp_path):
    """A media folder of this test's own: other test runs on the machine write to the shared one."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


def photo(name="p.jpg", size=(40, 30)):
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(buf, "JPEG")
    buf.seek(0)
    buf.name = name
    return buf


def pdf(name="a.pdf"):
    buf = io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    buf.name = name
    return buf


def files_on_disk() -> set[str]:
    root = settings.MEDIA_ROOT
    found = set()
    for folder, _, names in os.walk(root):
        found.update(os.path.join(folder, n) for n in names)
    return found


def set_policy(key, value):
    PolicySetting.objects.update_or_create(key=key, defaults={"value": value})
    invalidate()


def test_anonymous_post_of_many_files_outside_every_grid_leaves_no_file_and_no_row(client, world):
    make_category("0102", name="积存垃圾渣土")
    before = files_on_disk()
    page = client.get(reverse("cases:report_new"))
    assert page.status_code == 200
    response = client.post(reverse("cases:report_new"), {
        "category": "0102", "title": "渣土", "lon": 10.0, "lat": 10.0, "crs": "wgs84",
        "photos": [photo(f"p{i}.jpg") for i in range(20)]})
    assert response.status_code == 200  # the form again, with the error
    assert not Case.objects.exists()
    assert not Attachment.objects.exists()
    assert files_on_disk() == before


def test_a_report_refused_after_its_photos_were_written_removes_them_again(world, monkeypatch):
    from grassroots.cases.services import intake

    category = make_category("0102")
    before = files_on_disk()

    def fail(*args, **kwargs):
        raise ValidationFailed("失败", "failed")

    monkeypatch.setattr(intake, "_notification_rows", fail)  # fails inside the transaction, after the files
    lon, lat = centre(0)
    with pytest.raises(ValidationFailed):
        services.case_report(actor=world.grid_worker, channel=Channel.GRID_PATROL, category=category, title="渣土",
                             lon=lon, lat=lat, uploads=[photo("a.jpg"), photo("b.jpg", (50, 20))])
    assert not Case.objects.exists() and not Attachment.objects.exists()
    assert files_on_disk() == before


def test_a_written_report_keeps_its_photos_linked_to_it(world):
    category = make_category("0102")
    lon, lat = centre(0)
    intake = services.case_report(actor=world.grid_worker, channel=Channel.GRID_PATROL, category=category,
                                  title="渣土", lon=lon, lat=lat, uploads=[photo("a.jpg"), photo("b.jpg", (50, 20))])
    stored = list(Attachment.objects.order_by("id"))
    assert len(stored) == 2
    assert {(a.object_type, a.object_id) for a in stored} == {("cases.case", str(intake.case.pk))}
    assert all(os.path.exists(a.file.path) for a in stored)


def test_more_photos_than_the_policy_allows_are_refused(world):
    category = make_category("0102")
    lon, lat = centre(0)
    with pytest.raises(ValidationFailed) as refused:
        services.case_report(actor=world.grid_worker, channel=Channel.GRID_PATROL, category=category,
                             title="渣土", lon=lon, lat=lat, uploads=[photo() for _ in range(10)])
    assert refused.value.code == "too_many_files" and refused.value.field == "photos"
    set_policy("case_photos_max", 2)
    with pytest.raises(ValidationFailed):
        services.case_report(actor=world.grid_worker, channel=Channel.GRID_PATROL, category=category,
                             title="渣土", lon=lon, lat=lat, uploads=[photo() for _ in range(3)])
    assert not Attachment.objects.exists()
    services.case_report(actor=world.grid_worker, channel=Channel.GRID_PATROL, category=category,
                         title="渣土", lon=lon, lat=lat, uploads=[photo() for _ in range(2)])
    assert Attachment.objects.count() == 2


def test_photos_larger_together_than_the_policy_allows_are_refused(world):
    category = make_category("0102")
    lon, lat = centre(0)
    one = len(photo().getvalue())
    set_policy("case_upload_max_bytes", one * 2)
    with pytest.raises(ValidationFailed) as refused:
        services.case_report(actor=world.grid_worker, channel=Channel.GRID_PATROL, category=category,
                             title="渣土", lon=lon, lat=lat, uploads=[photo() for _ in range(3)])
    assert refused.value.code == "uploads_too_large"
    assert not Case.objects.exists() and not Attachment.objects.exists()


def test_a_document_in_the_photo_field_is_refused(world):
    category = make_category("0102")
    lon, lat = centre(0)
    with pytest.raises(ValidationFailed) as refused:
        services.case_report(actor=world.grid_worker, channel=Channel.GRID_PATROL, category=category,
                             title="渣土", lon=lon, lat=lat, uploads=[photo(), pdf()])
    assert refused.value.code == "not_a_photo" and refused.value.field == "photos"
    assert not Case.objects.exists() and not Attachment.objects.exists()
