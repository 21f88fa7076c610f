"""The domain errors every layer understands: a page shows them as messages, the API as 409/400."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A business rule refused the operation; nothing was written."""

    status_code = 409
    default_message = _("操作未能完成")

    def __init__(self, message=None, *, code: str = "domain_error") -> None:
        self.message = str(message or self.default_message)
        self.code = code
        super().__init__(self.message)


class TransitionNotAllowed(DomainError):
    default_message = _("当前状态下不允许该操作")


class ConcurrentEditError(DomainError):
    default_message = _("该记录已被他人修改，请刷新页面后重试")

    def __init__(self, current_version: int | None = None) -> None:
        message = _("该记录已被他人修改（当前版本 %(v)s），请刷新页面后重试") % {"v": current_version}
        super().__init__(message if current_version is not None else None, code="concurrent_edit")


class OutOfScope(DomainError):
    """A write would leave the writer's own scope (e.g. moving a record to another unit)."""

    status_code = 403
    default_message = _("该操作超出了您的数据权限范围")
