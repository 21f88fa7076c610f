import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.common.models.base import AnjianModel


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Stored names never come from the user: a random name keeps paths safe and unguessable.
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def thumbnail_path(instance: "Attachment", filename: str) -> str:
    return f"thumbnails/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.jpg"


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("图片")
    DOCUMENT = "document", _("文档")
    MEDIA = "media", _("音视频")


class Attachment(AnjianModel):
    """A file (photo, scan, document, recording) linked to any record.

    The type is sniffed from the bytes, never taken from the name or the browser; the SHA-256
    of the content is kept so a copy handed to an auditor can be matched. Photos keep their
    capture time and GPS position (WGS84, as phones record it) from EXIF. Visible exactly when
    the record it belongs to is visible.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("对象类型"))
    object_id = models.CharField(_("对象ID"), max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    kind = models.CharField(_("类别"), max_length=10, choices=AttachmentKind.choices)
    mime_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    thumbnail = models.FileField(_("缩略图"), upload_to=thumbnail_path, max_length=255, blank=True)
    captured_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    gps_lat = models.DecimalField(_("纬度(WGS84)"), max_digits=9, decimal_places=6, null=True, blank=True)
    gps_lng = models.DecimalField(_("经度(WGS84)"), max_digits=9, decimal_places=6, null=True, blank=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("上传人")
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        indexes = [models.Index(fields=["content_type", "object_id"], name="common_attachment_target_idx")]

    def __str__(self) -> str:
        return self.original_name
