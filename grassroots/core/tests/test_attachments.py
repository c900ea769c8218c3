import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from grassroots.core import attachments
from grassroots.core.errors import ValidationFailed
from grassroots.core.models import Attachment, Event
from tests.support.world import scope_test

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps(size=(3000, 2000), orientation=None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0132] = "2026:09:30 10:00:00"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (37.0, 24.0, 30.5), 3: "E", 4: (118.0, 36.0, 10.25)})
    if orientation:
        exif[ORIENTATION] = orientation
    buf = io.BytesIO()
    image.save(buf, format="JPEG", exif=exif.tobytes())
    return buf.getvalue()


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_the_source_photo_really_carries_gps():
    with Image.open(io.BytesIO(jpeg_with_gps())) as im:
        assert im.getexif().get_ifd(GPS_IFD)


def test_a_photo_loses_its_gps_and_all_exif_and_is_resized(world):
    att = attachments.attachment_create(actor=world.grid_worker, upload=upload(jpeg_with_gps(), "现场.jpg"),
                                        obj=world.g1)
    with att.file.open("rb") as fh:
        data = fh.read()
    with Image.open(io.BytesIO(data)) as im:
        assert im.format == "JPEG"
        assert max(im.size) == 1920 and im.size == (1920, 1280)
        exif = im.getexif()
        assert not exif.get_ifd(GPS_IFD)
        assert len(exif) == 0
        assert "exif" not in im.info
    assert b"PhoneMaker" not in data
    assert (att.width, att.height, att.content_type) == (1920, 1280, "image/jpeg")
    assert att.object_type == "territory.region" and att.object_id == str(world.g1.pk)
    assert len(att.sha256) == 64 and att.size == len(data)
    assert Event.objects.filter(verb="attachment.create", object_id=str(att.pk), actor=world.grid_worker).exists()


def test_the_orientation_is_applied_before_exif_is_dropped(world):
    # Orientation 6: the camera was turned; the stored picture must be upright (portrait).
    att = attachments.attachment_create(actor=world.grid_worker, upload=upload(
        jpeg_with_gps(size=(800, 600), orientation=6), "turned.jpg"))
    assert (att.width, att.height) == (600, 800)


def test_the_type_comes_from_the_content_not_the_name(world):
    buf = io.BytesIO()
    Image.new("RGBA", (50, 40), (0, 0, 255, 128)).save(buf, format="PNG")
    att = attachments.attachment_create(actor=world.grid_worker, upload=upload(buf.getvalue(), "report.pdf"))
    assert att.content_type == "image/png" and att.file.name.endswith(".png")
    with pytest.raises(ValidationFailed) as err:
        attachments.attachment_create(actor=world.grid_worker, upload=upload(b"MZ\x90\x00 not a photo", "photo.jpg"))
    assert err.value.code == "unsupported_file_type" and "JPEG" in err.value.zh and "JPEG" in err.value.en


def test_pdf_and_xlsx_are_stored_as_they_are(world):
    from openpyxl import Workbook

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    att = attachments.attachment_create(actor=world.community_staff, upload=upload(pdf, "通知.pdf"))
    assert att.content_type == "application/pdf" and att.width is None
    buf = io.BytesIO()
    Workbook().save(buf)
    att = attachments.attachment_create(actor=world.community_staff, upload=upload(buf.getvalue(), "台账.xlsx"))
    assert att.content_type.endswith("spreadsheetml.sheet")


def test_a_zip_that_is_not_a_workbook_is_refused(world):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("evil.exe", b"MZ")
    with pytest.raises(ValidationFailed):
        attachments.attachment_create(actor=world.grid_worker, upload=upload(buf.getvalue(), "a.xlsx"))


def test_a_webp_photo_stays_webp_without_exif(world):
    buf = io.BytesIO()
    exif = Image.Exif()
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (37.0, 24.0, 30.5)})
    Image.new("RGB", (64, 64), (1, 2, 3)).save(buf, format="WEBP", exif=exif.tobytes())
    att = attachments.attachment_create(actor=world.grid_worker, upload=upload(buf.getvalue(), "x.webp"))
    with att.file.open("rb") as fh, Image.open(io.BytesIO(fh.read())) as im:
        assert im.format == "WEBP" and not im.getexif().get_ifd(GPS_IFD)


@override_settings(ATTACHMENT_MAX_BYTES=1024)
def test_files_over_the_size_limit_are_refused(world):
    with pytest.raises(ValidationFailed) as err:
        attachments.attachment_create(actor=world.grid_worker, upload=upload(b"%PDF-" + b"x" * 2048, "big.pdf"))
    assert err.value.code == "file_too_large"
    assert not Attachment.objects.exists()


def test_a_damaged_photo_is_refused(world):
    with pytest.raises(ValidationFailed) as err:
        attachments.attachment_create(actor=world.grid_worker, upload=upload(b"\xff\xd8\xff\xe0garbage", "x.jpg"))
    assert err.value.code == "invalid_image"


def test_attachments_for_lists_the_objects_attachments(world):
    pdf = b"%PDF-1.4\n%%EOF\n"
    a = attachments.attachment_create(actor=world.grid_worker, upload=upload(pdf, "a.pdf"), obj=world.g1)
    attachments.attachment_create(actor=world.grid_worker, upload=upload(pdf, "b.pdf"), obj=world.g2)
    assert list(attachments.attachments_for(actor=world.grid_worker, obj=world.g1)) == [a]


@scope_test("core:attachment_file")
def test_an_attachment_opens_for_its_uploader_and_is_missing_for_others(client, world):
    att = attachments.attachment_create(actor=world.grid_worker, upload=upload(b"%PDF-1.4\n%%EOF\n", "a.pdf"),
                                        obj=world.g1)
    url = reverse("core:attachment_file", args=[att.pk])
    client.force_login(world.grid_worker)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.force_login(world.grid_worker3)
    assert client.get(url).status_code == 404


def test_a_registered_owner_lookup_decides_who_else_may_open_it(client, world):
    from grassroots.core.errors import NotFound

    def region_in_scope(actor, object_id):
        from grassroots.core.scope import scope_for
        from grassroots.territory.models import Region

        region = Region.objects.filter(scope_for(actor).region_q("path"), pk=object_id).first()
        if region is None:
            raise NotFound()
        return region

    attachments.register_owner("territory.region", region_in_scope)
    try:
        att = attachments.attachment_create(actor=world.grid_worker, upload=upload(b"%PDF-1.4\n%%EOF\n", "a.pdf"),
                                            obj=world.g1)
        url = reverse("core:attachment_file", args=[att.pk])
        client.force_login(world.community_staff)  # community c1 contains g1
        assert client.get(url).status_code == 200
        client.force_login(world.other_staff)  # community c3
        assert client.get(url).status_code == 404
    finally:
        attachments._owners.pop("territory.region", None)
