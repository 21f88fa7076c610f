from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationLevel(models.TextChoices):
    INFO = "info", _("通知")
    SUCCESS = "success", _("完成")
    WARNING = "warning", _("提醒")
    DANGER = "danger", _("紧急")


class Notification(models.Model):
    """One message in one user's in-app inbox (the notification centre).

    Written only by ``anjian.common.notifications.notify()``. The in-app row is the record of
    what a person was told; other channels (SMS, WeCom) deliver copies of it. Not on the audit
    chain: a notification is a consequence of an audited change (a transition, an escalation),
    not a change of its own, and reading one changes no business record.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("接收人")
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    level = models.CharField(
        _("级别"), max_length=10, choices=NotificationLevel.choices, default=NotificationLevel.INFO
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("对象类型")
    )
    object_id = models.CharField(_("对象ID"), max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        indexes = [
            # The navbar badge on every page: a partial index holds only the unread rows.
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="common_notification_unread_idx",
            ),
            models.Index(fields=["recipient", "-created_at"], name="common_notification_inbox_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
