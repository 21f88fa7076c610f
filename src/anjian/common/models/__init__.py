from anjian.common.models.attachment import Attachment, AttachmentKind
from anjian.common.models.audit import AuditAction, AuditChainHead, AuditEvent, AuditVerification
from anjian.common.models.base import AnjianModel, AuditedMixin
from anjian.common.models.calendar import CalendarYear
from anjian.common.models.escalation import Escalation, EscalationLevel, EscalationPolicy
from anjian.common.models.imports import ImportJob, ImportJobStatus
from anjian.common.models.notification import Notification, NotificationLevel
from anjian.common.models.numbering import IssuedNumber, NumberSequence
from anjian.common.models.workflow import TransitionRecord

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
    "Escalation",
    "EscalationLevel",
    "EscalationPolicy",
    "ImportJob",
    "ImportJobStatus",
    "IssuedNumber",
    "Notification",
    "NotificationLevel",
    "NumberSequence",
    "TransitionRecord",
]
