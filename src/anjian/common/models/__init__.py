from anjian.common.models.attachment import Attachment, AttachmentKind
from anjian.common.models.audit import AuditAction, AuditChainHead, AuditEvent, AuditVerification
from anjian.common.models.base import AnjianModel, AuditedMixin
from anjian.common.models.calendar import CalendarYear

__all__ = [
    "AnjianModel",
    "Attachment",
    "AttachmentKind",
    "AuditAction",
    "AuditChainHead",
    "AuditEvent",
    "AuditVerification",
    "AuditedMixin",
    "CalendarYear",
]
