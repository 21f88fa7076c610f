from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TransitionRecord(models.Model):
    """Abstract base of every ``<Model>Transition``: one row per workflow step (Healthchecks' ``Flip``).

    The concrete model adds only the foreign key to the record it follows, e.g.::

        class HazardTransition(TransitionRecord):
            hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="transitions")

    Rows are written only by ``anjian.common.workflow.transition()``, in the same transaction as
    the state change and its audit event; nothing updates or deletes them. They are not audited
    themselves: the audit chain already holds one ``transition`` event per row.
    """

    from_state = models.CharField(_("原状态"), max_length=30)
    to_state = models.CharField(_("新状态"), max_length=30)
    action = models.CharField(_("操作"), max_length=50)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    # A stored copy: the history must read the same after the user is renamed.
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    extra = models.JSONField(_("附加信息"), default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_state} → {self.to_state}"

    # -- display helpers (labels come from the followed model's Status and TRANSITIONS) --------
    @classmethod
    def followed_field(cls) -> models.ForeignKey:
        """The foreign key to the record whose workflow this history follows."""
        for field in cls._meta.concrete_fields:
            if field.many_to_one and hasattr(field.related_model, "TRANSITIONS"):
                return field
        raise LookupError(f"{cls._meta.label} has no ForeignKey to a model with TRANSITIONS")

    def _status_label(self, value: str) -> str:
        model = self.followed_field().related_model
        choices = dict(model._meta.get_field("status").flatchoices)
        return str(choices.get(value, value))

    def get_from_state_display(self) -> str:
        return self._status_label(self.from_state)

    def get_to_state_display(self) -> str:
        return self._status_label(self.to_state)

    def get_action_display(self) -> str:
        model = self.followed_field().related_model
        spec = model.TRANSITIONS.get(self.action)
        return str(spec.label) if spec is not None and spec.label else self.action
