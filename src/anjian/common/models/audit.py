from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditAction(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    TRANSITION = "transition", _("状态变更")
    M2M = "m2m", _("关联变更")
    LOGIN = "login", _("登录")
    LOGOUT = "logout", _("退出")
    LOGIN_FAILED = "login_failed", _("登录失败")
    EXPORT = "export", _("导出")
    IMPORT = "import", _("导入")
    UNMASK = "unmask", _("查看个人信息")
    VERIFY = "verify", _("审计校验")
    ESCALATE = "escalate", _("逾期升级")
    OTHER = "other", _("其他")


class AuditEvent(models.Model):
    """One entry of the tamper-evident audit trail (source (九) "执法全过程留痕和可回溯管理").

    Append-only: database triggers reject UPDATE and DELETE. ``hash`` covers ``prev_hash``
    and the canonical JSON of every other column (see ``anjian.common.audit``), so changing,
    inserting or removing any row breaks the chain from that row on.
    """

    seq = models.BigIntegerField(_("序号"), unique=True)
    at = models.DateTimeField(_("时间"), db_index=True)
    actor_id = models.BigIntegerField(_("操作人ID"), null=True, blank=True, db_index=True)
    # A stored copy: the trail must read the same after the user is renamed or removed.
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    request_id = models.CharField(_("请求ID"), max_length=64, blank=True)
    # Text, not GenericIPAddressField: PostgreSQL's inet would normalise the value and break the hash.
    ip = models.CharField(_("IP地址"), max_length=45, blank=True)
    action = models.CharField(_("操作"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    prev_hash = models.CharField(_("前一哈希"), max_length=64)
    hash_alg = models.CharField(_("哈希算法"), max_length=10, default="sha256")
    # Not unique/indexed: seq identifies an event, and every index is paid on each append.
    hash = models.CharField(_("哈希"), max_length=64)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="common_audit_object_idx"),
            # A plain index (db_index on a CharField adds a second, LIKE-only index on PostgreSQL).
            models.Index(fields=["action"], name="common_audit_action_idx"),
        ]
        constraints = [models.CheckConstraint(condition=models.Q(seq__gte=1), name="common_auditevent_seq_positive")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_action_display()} {self.object_repr}"


class AuditChainHead(models.Model):
    """The one-row pointer to the newest event. Appending locks it, so writers never fork the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("审计链头")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="common_auditchainhead_single_row")]

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"


class AuditVerification(models.Model):
    """The outcome of one run of ``verify_audit`` (the nightly job and manual runs), shown to the audit admin."""

    at = models.DateTimeField(_("校验时间"), auto_now_add=True)
    ok = models.BooleanField(_("结果正常"))
    checked = models.BigIntegerField(_("校验条数"), default=0)
    head_seq = models.BigIntegerField(_("链头序号"), default=0)
    head_hash = models.CharField(_("链头哈希"), max_length=64, blank=True)
    broken_seq = models.BigIntegerField(_("首个异常序号"), null=True, blank=True)
    message = models.TextField(_("说明"), blank=True)
    trigger = models.CharField(
        _("触发方式"),
        max_length=20,
        default="manual",
        choices=[("nightly", _("每日定时")), ("manual", _("页面手工")), ("command", _("命令行"))],
    )

    class Meta:
        ordering = ["-at"]
        verbose_name = _("审计链校验记录")
        verbose_name_plural = _("审计链校验记录")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {'OK' if self.ok else 'BROKEN'}"
