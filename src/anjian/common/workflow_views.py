"""The POST view every workflow button posts to (ARCHITECTURE §4).

Mounted once, generically, as ``common:transition``
(``/workflow/<app_label>/<model>/<pk>/<action>/``), it serves every model with a ``TRANSITIONS``
map. An app that wants its own URL mounts the same view with its model::

    path("hazards/<int:pk>/do/<str:action>/", TransitionView.as_view(model=Hazard), name="hazard_transition")

and returns that URL from ``Hazard.get_transition_url(action)``.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from anjian.common.exceptions import DomainError
from anjian.common.text import labelled
from anjian.common.workflow import action_label, build_form, get_transition, transition


def _field_errors(form, exc: ValidationError | None = None, model=None) -> list[str]:
    """Errors as "label：message" lines naming the field (the form's label, else the model's)."""
    if exc is None:
        items = form.errors.items()
    elif hasattr(exc, "error_dict"):
        items = exc.message_dict.items()
    else:
        return list(exc.messages)
    lines = []
    for name, field_messages in items:
        label = ""
        if form is not None and name in form.fields:
            label = form.fields[name].label or name
        elif model is not None and name != "__all__":
            try:
                label = str(model._meta.get_field(name).verbose_name)
            except Exception:  # noqa: BLE001 - not a model field: show the key itself
                label = name
        for message in field_messages:
            lines.append(labelled(label, message) if label else str(message))
    return lines


class TransitionView(LoginRequiredMixin, View):
    """POST-only: take ``action`` on one record, then go back to the page (``next``) or the record.

    The record is looked up within the user's ``view`` scope (outside it: 404). A refusal
    (wrong state, role, scope, missing reason, stale version, invalid extra input) becomes an
    error message on the page; nothing is written.
    """

    model = None
    http_method_names = ["post"]

    def get_model(self):
        if self.model is not None:
            return self.model
        try:
            model = apps.get_model(self.kwargs["app_label"], self.kwargs["model_name"])
        except (LookupError, ValueError):
            raise Http404 from None
        if not isinstance(getattr(model, "TRANSITIONS", None), dict) or not hasattr(model.objects, "restrict"):
            raise Http404
        return model

    def get_object(self, model):
        try:
            return model.objects.restrict(self.request.user, "view").get(pk=self.kwargs["pk"])
        except (ObjectDoesNotExist, ValueError, TypeError, ValidationError):
            raise Http404 from None

    def redirect_to(self, obj):
        target = self.request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return HttpResponseRedirect(target)
        getter = getattr(obj, "get_absolute_url", None)
        return HttpResponseRedirect(getter() if callable(getter) else "/")

    def post(self, request, *args, **kwargs):
        model = self.get_model()
        obj = self.get_object(model)
        action = kwargs["action"]
        try:
            spec = get_transition(model, action)
        except DomainError as exc:
            messages.error(request, exc.message)
            return self.redirect_to(obj)
        label = action_label(spec, action)
        form = build_form(spec, action, obj=obj, user=request.user, data=request.POST)
        if form is not None and not form.is_valid():
            for line in _field_errors(form):
                messages.error(request, _("%(action)s未完成：%(error)s") % {"action": label, "error": line})
            return self.redirect_to(obj)
        extra = dict(form.cleaned_data) if form is not None else {}
        version = request.POST.get("version") or None
        try:
            transition(
                obj,
                action,
                actor=request.user,
                reason=request.POST.get("reason", ""),
                expected_version=int(version) if version and version.isdigit() else None,
                **extra,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            for line in _field_errors(form, exc, model):
                messages.error(request, _("%(action)s未完成：%(error)s") % {"action": label, "error": line})
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("您无权进行该操作"))
        else:
            messages.success(request, _("已%(action)s") % {"action": label})
        return self.redirect_to(obj)
