from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


class ImportJob(models.Model):
    """A large Excel import run on the queue (``anjian.common.imports.jobs``).

    The upload is kept in the import stash (``upload`` is its token) until the job ends, whatever
    the end. ``status`` says how the run ended, not whether the file was good: a file with bad rows
    is ``succeeded`` with its errors in ``result`` (and nothing saved); ``failed`` means the run
    itself broke off (an error, or a worker killed and swept), also with nothing saved. Progress
    while running is not kept here but in the queue's store (the import's transaction holds
    SQLite's one writer); ``rows_done`` is written with the final state. Not on the audit chain:
    the import it runs is (one ``import`` event beside the rows' own).
    """

    spec = models.CharField(_("导入类型"), max_length=200)  # dotted path of the ImportSpec class
    spec_name = models.CharField(_("导入名称"), max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("导入人")
    )
    filename = models.CharField(_("文件名"), max_length=255)
    page = models.CharField(_("导入页面"), max_length=300, blank=True)  # the page's path: the job is shown there
    upload = models.CharField(_("上传文件"), max_length=64, blank=True)  # stash token; '' once removed
    options = models.JSONField(_("页面选项"), default=dict, blank=True)  # as posted, validated again by the task
    dry_run = models.BooleanField(_("仅检查"), default=False)
    language = models.CharField(_("语言"), max_length=10, blank=True)
    token = models.CharField(_("进度令牌"), max_length=32, unique=True)
    status = models.CharField(_("状态"), max_length=10, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED)
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    rows_done = models.PositiveIntegerField(_("已处理行数"), default=0)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    error = models.TextField(_("出错原因"), blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        indexes = [
            # The sweeper's walk: only the unfinished jobs.
            models.Index(
                fields=["status", "started_at"],
                condition=models.Q(status__in=["queued", "running"]),
                name="common_importjob_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.spec_name} · {self.filename} · {self.get_status_display()}"

    @property
    def url(self) -> str:
        return f"{self.page}?job={self.pk}" if self.page else ""

    @property
    def finished(self) -> bool:
        return self.status in (ImportJobStatus.SUCCEEDED, ImportJobStatus.FAILED)
