"""Attachments: validated, hashed, thumbnailed files linked to any record.

The type comes from the file's bytes (``filetype``'s magic numbers), and the name's extension
must agree with it, so a renamed executable or an HTML page posing as a PDF is refused. Images
must also open in Pillow. Who may see an attachment is who may see its record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import threading
from collections import OrderedDict
from decimal import Decimal
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

import filetype
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from anjian.common.models import Attachment, AttachmentKind
from anjian.common.scope import allowed_roles, can
from anjian.common.services import service
from anjian.common.text import join_list

# sniffed MIME type → (kind, extensions the file name may carry)
ALLOWED_TYPES: dict[str, tuple[str, frozenset[str]]] = {
    "image/jpeg": (AttachmentKind.IMAGE, frozenset({".jpg", ".jpeg"})),
    "image/png": (AttachmentKind.IMAGE, frozenset({".png"})),
    "image/webp": (AttachmentKind.IMAGE, frozenset({".webp"})),
    "application/pdf": (AttachmentKind.DOCUMENT, frozenset({".pdf"})),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        AttachmentKind.DOCUMENT,
        frozenset({".docx"}),
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
        AttachmentKind.DOCUMENT,
        frozenset({".xlsx"}),
    ),
    "application/msword": (AttachmentKind.DOCUMENT, frozenset({".doc"})),
    "application/vnd.ms-excel": (AttachmentKind.DOCUMENT, frozenset({".xls"})),
    "video/mp4": (AttachmentKind.MEDIA, frozenset({".mp4"})),
    "audio/mpeg": (AttachmentKind.MEDIA, frozenset({".mp3"})),
    "audio/mp4": (AttachmentKind.MEDIA, frozenset({".m4a"})),
    "audio/x-wav": (AttachmentKind.MEDIA, frozenset({".wav"})),
}
ALLOWED_EXTENSIONS = sorted({ext for _kind, exts in ALLOWED_TYPES.values() for ext in exts})
THUMBNAIL_SIZE = (320, 320)
SNIFF_BYTES = 64 * 1024
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
TAG_DATETIME_ORIGINAL, TAG_OFFSET_TIME_ORIGINAL = 36867, 36881


def max_upload_bytes() -> int:
    return settings.ANJIAN_MAX_UPLOAD_MB * 1024 * 1024


# ---------------------------------------------------------------------------
# Pure helpers: sniffing and EXIF
# ---------------------------------------------------------------------------
def sniff(head: bytes, filename: str) -> tuple[str, str]:
    """(mime type, kind) of a file from its first bytes, or ValidationError naming the problem."""
    guess = filetype.guess(head)
    ext = PurePosixPath(filename or "").suffix.lower()
    allowed = join_list(ALLOWED_EXTENSIONS)
    if guess is None or guess.mime not in ALLOWED_TYPES:
        found = guess.mime if guess else _("无法识别")
        raise ValidationError(
            _("不允许上传该类型的文件（检测到：%(found)s）。允许的类型：%(allowed)s")
            % {"found": found, "allowed": allowed},
            code="file_type",
        )
    kind, extensions = ALLOWED_TYPES[guess.mime]
    if ext not in extensions:
        raise ValidationError(
            _("文件扩展名 %(ext)s 与文件内容（%(mime)s）不符，请检查文件")
            % {"ext": ext or _("（无）"), "mime": guess.mime},
            code="file_extension",
        )
    return guess.mime, kind


def _rational(value) -> float:
    return float(value.numerator) / float(value.denominator) if hasattr(value, "numerator") else float(value)


def _dms_to_degrees(dms, ref: str) -> float:
    degrees = _rational(dms[0]) + _rational(dms[1]) / 60 + _rational(dms[2]) / 3600
    return -degrees if ref in ("S", "W") else degrees


def exif_metadata(image: Image.Image) -> dict:
    """Capture time (aware) and GPS position (WGS84 degrees) from a photo's EXIF, where present."""
    out: dict = {}
    try:
        exif = image.getexif()
    except Exception:  # noqa: BLE001 - a corrupt EXIF block must not refuse the photo
        return out
    sub = exif.get_ifd(EXIF_IFD) if exif else {}
    raw_time = sub.get(TAG_DATETIME_ORIGINAL) or exif.get(306)
    if raw_time:
        try:
            naive = dt.datetime.strptime(str(raw_time).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
            offset = sub.get(TAG_OFFSET_TIME_ORIGINAL)
            if offset:
                sign = -1 if str(offset).startswith("-") else 1
                hours, minutes = str(offset).lstrip("+-").split(":")
                tz = dt.timezone(sign * dt.timedelta(hours=int(hours), minutes=int(minutes)))
            else:
                tz = ZoneInfo(settings.TIME_ZONE)  # cameras record local time; ours is Asia/Shanghai
            out["captured_at"] = naive.replace(tzinfo=tz)
        except (ValueError, TypeError):
            pass
    gps = exif.get_ifd(GPS_IFD) if exif else {}
    try:
        if gps.get(2) and gps.get(4):
            lat = _dms_to_degrees(gps[2], gps.get(1, "N"))
            lng = _dms_to_degrees(gps[4], gps.get(3, "E"))
            if -90 <= lat <= 90 and -180 <= lng <= 180:
                out["gps_lat"] = Decimal(f"{lat:.6f}")
                out["gps_lng"] = Decimal(f"{lng:.6f}")
    except (ValueError, TypeError, ZeroDivisionError, IndexError):
        pass
    return out


def make_thumbnail(image: Image.Image) -> bytes:
    thumb = ImageOps.exif_transpose(image)
    thumb.thumbnail(THUMBNAIL_SIZE)
    if thumb.mode not in ("RGB", "L"):
        thumb = thumb.convert("RGB")
    buf = io.BytesIO()
    thumb.save(buf, format="JPEG", quality=80)
    return buf.getvalue()


# The same bytes give the same verdict, metadata and thumbnail: an image uploaded again (a form sent
# twice, one photo attached to several records, the demo's sample photos) is not decoded again.
# Keyed by the content's SHA-256; the few most recent images only.
_IMAGE_FACTS: OrderedDict[str, tuple[dict, bytes]] = OrderedDict()
_IMAGE_FACTS_KEPT = 16
_IMAGE_FACTS_LOCK = threading.Lock()


def _image_facts(uploaded_file, sha256: str) -> tuple[dict, bytes]:
    """An uploaded image checked (``verify``, then decoded in full): its EXIF metadata and thumbnail.
    A damaged image is refused with a field error."""
    with _IMAGE_FACTS_LOCK:
        known = _IMAGE_FACTS.get(sha256)
        if known is not None:
            _IMAGE_FACTS.move_to_end(sha256)
            return dict(known[0]), known[1]
    uploaded_file.seek(0)
    try:
        with Image.open(uploaded_file) as probe:
            probe.verify()
        uploaded_file.seek(0)
        with Image.open(uploaded_file) as image:
            image.load()
            metadata = exif_metadata(image)
            thumbnail = make_thumbnail(image)
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError({"file": ValidationError(_("图片已损坏，无法打开"), code="file_corrupt")}) from exc
    with _IMAGE_FACTS_LOCK:
        _IMAGE_FACTS[sha256] = (dict(metadata), thumbnail)
        while len(_IMAGE_FACTS) > _IMAGE_FACTS_KEPT:
            _IMAGE_FACTS.popitem(last=False)
    return metadata, thumbnail


# ---------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------
def attach_action(model) -> str:
    """Models may name who attaches evidence with an ``attach`` action; otherwise ``change``."""
    return "attach" if allowed_roles(model, "attach") else "change"


@service
def attachment_add(*, actor, target, uploaded_file, description: str = "") -> Attachment:
    if actor is not None and not can(actor, attach_action(type(target)), target):
        raise PermissionDenied(_("您无权为该记录上传附件"))
    name = PurePosixPath(uploaded_file.name or "file").name[:255]
    size = uploaded_file.size
    if size == 0:
        raise ValidationError({"file": ValidationError(_("提交的是空文件"), code="file_empty")})
    if size > max_upload_bytes():
        raise ValidationError(
            {
                "file": ValidationError(
                    _("文件过大：%(size).1f MB，上限为 %(max)d MB")
                    % {"size": size / 1024 / 1024, "max": settings.ANJIAN_MAX_UPLOAD_MB},
                    code="file_too_large",
                )
            }
        )
    uploaded_file.seek(0)
    head = uploaded_file.read(SNIFF_BYTES)
    try:
        mime, kind = sniff(head, name)
    except ValidationError as exc:
        raise ValidationError({"file": exc.error_list}) from exc
    digest = hashlib.sha256()
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(type(target)),
        object_id=str(target.pk),
        original_name=name,
        kind=kind,
        mime_type=mime,
        size=size,
        sha256=digest.hexdigest(),
        description=description[:200],
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if kind == AttachmentKind.IMAGE:
        metadata, thumbnail = _image_facts(uploaded_file, attachment.sha256)
        for key, value in metadata.items():
            setattr(attachment, key, value)
        attachment.thumbnail.save("thumb.jpg", ContentFile(thumbnail), save=False)
    uploaded_file.seek(0)
    attachment.file.save(name, uploaded_file, save=False)
    attachment.full_clean()
    attachment.save()
    # Files are written before the row commits; a rolled-back upload leaves an unreferenced file in
    # storage (never served, since downloads go through the row). See the issue note on orphan cleanup.
    return attachment


def attachment_visible(user, attachment: Attachment) -> bool:
    target = attachment.target
    return target is not None and can(user, "view", target)


def attachments_of(target):
    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(type(target)), object_id=str(target.pk)
    ).select_related("uploaded_by")
