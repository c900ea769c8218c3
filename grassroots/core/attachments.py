"""Attachments: photos and documents uploaded with cases, meetings, projects …

``attachment_create`` recognises the type from the content (never from the file name), enforces the size limit
(``ATTACHMENT_MAX_BYTES``, 10 MB), and re-encodes photos with Pillow: the orientation is applied, every EXIF field
(the GPS position above all) is dropped, and the longest side is scaled down to ``ATTACHMENT_MAX_PIXELS`` (1920).
Accepted: JPEG, PNG, WebP (HEIC when the installed Pillow can read it), PDF, Excel (xlsx).

Uploads that belong to a write (a report, a handling result) are stored by that write's service, in its
transaction: the service first ``prepare``s every upload (type checked, photo re-encoded, in memory; nothing on
disk), checks its own limits, and only then ``store``s them inside its transaction, within ``removed_on_failure``:
if the transaction fails, the files already written are deleted again, so a refused write leaves neither a row nor
a file. ``prepare(..., photos_only=True)`` accepts images only (a photo field); documents only where a field asks
for documents.

Rights: the service that owns ``obj`` checks that the actor may attach to it (and only then calls this); readers get
attachments through ``attachments_for`` with an object they obtained from a selector (so it is in their scope).
An app lets staff download its attachments by registering an owner lookup with ``register_owner``.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction

from . import events
from .errors import NotFound, ValidationFailed
from .models import Attachment


@dataclass(frozen=True)
class Kind:
    content_type: str
    extension: str
    photo: bool


JPEG = Kind("image/jpeg", ".jpg", True)
PNG = Kind("image/png", ".png", True)
WEBP = Kind("image/webp", ".webp", True)
HEIC = Kind("image/heic", ".jpg", True)  # re-encoded as JPEG
PDF = Kind("application/pdf", ".pdf", False)
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", False)

HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
MAX_SOURCE_PIXELS = 60_000_000  # refuse decompression bombs before decoding


def sniff(data: bytes) -> Kind | None:
    """The file type from its first bytes (and, for ZIP, its entries)."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if len(data) >= 12 and data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
        return HEIC
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return XLSX
    return None


def _unsupported() -> ValidationFailed:
    return ValidationFailed(
        "不支持的文件类型：请上传 JPEG、PNG、WebP 照片，或 PDF、Excel（xlsx）文件",
        "Unsupported file type: upload a JPEG, PNG or WebP photo, or a PDF or Excel (xlsx) file",
        code="unsupported_file_type", field="file",
    )


def _reencode(data: bytes, kind: Kind) -> tuple[bytes, Kind, int, int]:
    """Apply the orientation, drop all metadata, fit the longest side; returns (bytes, kind, width, height)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    limit = int(getattr(settings, "ATTACHMENT_MAX_PIXELS", 1920))
    try:
        with Image.open(io.BytesIO(data)) as src:
            if src.width * src.height > MAX_SOURCE_PIXELS:
                raise ValidationFailed("图片像素过多，请缩小后再上传", "The image has too many pixels",
                                       code="image_too_large", field="file")
            src.load()
            image = ImageOps.exif_transpose(src)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError, ValueError):
        if kind is HEIC:
            raise ValidationFailed(
                "无法读取 HEIC 照片，请在手机相机设置中选择“兼容性最佳”（JPEG）后重拍或转换后上传",
                "HEIC photos cannot be read here; switch the camera to 'Most Compatible' (JPEG) or convert it",
                code="unsupported_file_type", field="file")
        raise ValidationFailed("图片已损坏或无法识别", "The image is damaged or cannot be read",
                               code="invalid_image", field="file")
    image.thumbnail((limit, limit), Image.Resampling.LANCZOS)
    out_kind = JPEG if kind in (JPEG, HEIC) else kind
    if out_kind is JPEG and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    if out_kind is PNG and image.mode not in ("RGB", "RGBA", "L", "LA", "P", "1"):
        image = image.convert("RGBA")
    image.info = {}  # no EXIF, XMP, comments or text chunks travel to the output
    buf = io.BytesIO()
    if out_kind is JPEG:
        image.save(buf, format="JPEG", quality=85, optimize=True)
    elif out_kind is PNG:
        image.save(buf, format="PNG", optimize=True)
    else:
        image.save(buf, format="WEBP", quality=85)
    return buf.getvalue(), out_kind, image.width, image.height


def _object_ref(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return events.object_type_of(obj), str(obj.pk)


@dataclass(frozen=True)
class Prepared:
    """An upload checked and (for a photo) re-encoded in memory, ready for ``store``."""

    data: bytes
    kind: Kind
    width: int | None
    height: int | None
    sha256: str
    original_name: str
    source_size: int  # bytes received, before re-encoding


def _not_a_photo() -> ValidationFailed:
    return ValidationFailed("这里只能上传照片（JPEG、PNG、WebP）", "Only photos (JPEG, PNG, WebP) may be uploaded here",
                            code="not_a_photo", field="file")


def prepare(upload, *, photos_only: bool = False) -> Prepared:
    """Read and check one upload (a Django ``UploadedFile`` or any object with ``read()`` and ``name``); nothing
    is written. ``photos_only``: refuse anything but an image."""
    max_bytes = int(getattr(settings, "ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise _too_big(max_bytes)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_big(max_bytes)
    if not data:
        raise ValidationFailed("文件为空", "The file is empty", code="empty_file", field="file")
    source_size = len(data)
    kind = sniff(data)
    if kind is None:
        raise _not_a_photo() if photos_only else _unsupported()
    if photos_only and not kind.photo:
        raise _not_a_photo()
    width = height = None
    if kind.photo:
        data, kind, width, height = _reencode(data, kind)
    original_name = (getattr(upload, "name", "") or "upload").replace("\\", "/").rsplit("/", 1)[-1][:200]
    return Prepared(data=data, kind=kind, width=width, height=height, sha256=hashlib.sha256(data).hexdigest(),
                    original_name=original_name, source_size=source_size)


# Files written inside the current ``removed_on_failure`` block (None outside any).
_written: contextvars.ContextVar[list | None] = contextvars.ContextVar("attachments_written", default=None)


@contextlib.contextmanager
def removed_on_failure() -> Iterator[None]:
    """Deletes the files ``store`` wrote inside the block when an exception leaves it (the transaction inside the
    block rolled back, so their rows are gone too). Put it around the service's ``transaction.atomic()``."""
    written: list = []
    token = _written.set(written)
    try:
        yield
    except BaseException:
        for storage, name in written:
            with contextlib.suppress(OSError):
                storage.delete(name)
        raise
    finally:
        _written.reset(token)


def store(*, actor, prepared: Prepared, obj: models.Model | None = None) -> Attachment:
    """Write one prepared upload (file, row, audit event). Call inside the owning write's transaction and within
    ``removed_on_failure``."""
    object_type, object_id = _object_ref(obj)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    with transaction.atomic():
        attachment = Attachment(
            original_name=prepared.original_name, content_type=prepared.kind.content_type, size=len(prepared.data),
            width=prepared.width, height=prepared.height, sha256=prepared.sha256,
            uploaded_by=actor if authenticated else None, object_type=object_type, object_id=object_id,
        )
        attachment.file.save(f"{prepared.sha256[:20]}{prepared.kind.extension}", ContentFile(prepared.data),
                             save=False)
        written = _written.get()
        if written is not None:
            written.append((attachment.file.storage, attachment.file.name))
        attachment.save()
        events.record(actor, "attachment.create", attachment, payload={
            "content_type": prepared.kind.content_type, "size": len(prepared.data), "sha256": prepared.sha256,
            "object_type": object_type, "object_id": object_id})
    return attachment


def attachment_create(*, actor, upload, obj: models.Model | None = None, photos_only: bool = False) -> Attachment:
    """Check and store one upload for an existing ``obj`` (``prepare`` then ``store``)."""
    prepared = prepare(upload, photos_only=photos_only)
    with removed_on_failure():
        return store(actor=actor, prepared=prepared, obj=obj)


def _too_big(max_bytes: int) -> ValidationFailed:
    mb = max_bytes // (1024 * 1024)
    return ValidationFailed(f"文件超过 {mb} MB 上限", f"The file is larger than the {mb} MB limit",
                            code="file_too_large", field="file")


def attachments_for(*, actor, obj: models.Model):
    """Attachments of ``obj``. ``obj`` must come from a selector called with the same actor (scope applied there)."""
    object_type, object_id = _object_ref(obj)
    return Attachment.objects.filter(object_type=object_type, object_id=object_id).order_by("id")


# object_type → function(actor, object_id) returning the owning object through the app's selector (or NotFound).
_owners: dict[str, Callable] = {}


def register_owner(object_type: str, lookup: Callable) -> None:
    """Apps call this in ``ready()`` so that ``attachment_get`` can check the owner is in the actor's scope."""
    _owners[object_type] = lookup


def attachment_get(*, actor, pk: int) -> Attachment:
    """One attachment the actor may open: their own upload, or one whose owner their selector returns."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotFound()
    attachment = Attachment.objects.filter(pk=pk).first()
    if attachment is None:
        raise NotFound()
    if attachment.uploaded_by_id == actor.pk:
        return attachment
    lookup = _owners.get(attachment.object_type)
    if lookup is None:
        raise NotFound()
    lookup(actor, attachment.object_id)  # raises NotFound outside the actor's scope
    return attachment
