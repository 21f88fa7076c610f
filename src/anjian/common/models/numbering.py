from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.common.models.base import AuditedMixin


class NumberSequence(models.Model):
    """The counter of one (kind, year): the last number issued.

    Allocation locks this row (``SELECT … FOR UPDATE``) inside the caller's transaction, so
    concurrent allocators queue behind each other and a rolled-back allocation returns its
    number: the sequence stays gap-free. See ``anjian.common.numbering``.
    """

    kind = models.CharField(_("编号类别"), max_length=50)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用到"), default=0)

    class Meta:
        ordering = ["kind", "-year"]
        verbose_name = _("编号序列")
        verbose_name_plural = _("编号序列")
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="common_numbersequence_kind_year_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class IssuedNumber(AuditedMixin, models.Model):
    """The register of issued numbers (发文登记): which number went to which record, and when.

    Unique per (kind, year, seq) and per (kind, number), so the database itself refuses a
    duplicate; every issue lands on the audit chain.
    """

    kind = models.CharField(_("编号类别"), max_length=50)
    year = models.PositiveSmallIntegerField(_("年度"))
    seq = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("编号"), max_length=100)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("对象类型")
    )
    object_id = models.CharField(_("对象ID"), max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    issued_at = models.DateTimeField(_("编号时间"), default=timezone.now)

    class Meta:
        ordering = ["kind", "-year", "-seq"]
        verbose_name = _("已发编号")
        verbose_name_plural = _("已发编号")
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "seq"], name="common_issuednumber_unique_seq"),
            models.UniqueConstraint(fields=["kind", "number"], name="common_issuednumber_unique_number"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="common_issuednumber_target_idx")]

    def __str__(self) -> str:
        return self.number
