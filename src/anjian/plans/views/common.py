"""Small helpers the plan pages share."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.common.calendar import CalendarUnknownYear, known_years
from anjian.common.exceptions import DomainError
from anjian.common.generic import apply_validation_error
from anjian.plans import selectors
from anjian.plans.models import WorkPlan


def visible_plan_or_404(user, pk) -> WorkPlan:
    try:
        return selectors.visible_plans(user).get(pk=pk)
    except (WorkPlan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def chosen_plan(request) -> WorkPlan | None:
    """The plan named by ?plan=, else the latest the user can see."""
    plans = selectors.visible_plans(request.user).order_by("-year", "-id")
    raw = request.GET.get("plan", "")
    if not raw:
        return plans.first()
    plan = plans.filter(pk=int(raw)).first() if raw.isdigit() else None
    if plan is None:
        raise Http404
    return plan


def as_of_from(request) -> dt.date:
    """?as_of=YYYY-MM-DD (a day in a year the holiday calendar knows), else today."""
    raw = request.GET.get("as_of", "")
    today = timezone.localdate()
    if not raw:
        return today
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        messages.warning(request, _("日期“%(d)s”格式不对，已按今天显示") % {"d": raw[:20]})
        return today
    if day.year not in known_years():
        messages.warning(request, str(CalendarUnknownYear(day.year)))
        return today
    return day


def run_service(request, form, call):
    """Call a service for a valid form; put its refusal on the form or in a message. Returns the
    result, or None when it was refused (nothing was written)."""
    try:
        return call()
    except ValidationError as exc:
        apply_validation_error(form, exc)
    except DomainError as exc:
        messages.error(request, exc.message)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("您无权进行该操作"))
    return None
