"""Pages of the special periods (reference data of the whole committee: opened by role, not by org
scope): the year's calendar grouped by month, one period with its history, create/edit."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.common.generic import ObjectEditView
from anjian.common.models import AuditEvent
from anjian.periods import selectors, services
from anjian.periods.forms import PeriodForm
from anjian.periods.models import SpecialPeriod, format_multiplier


def _require(user, action: str) -> None:
    if not services.may(user, action):
        raise PermissionDenied(_("您的角色无权访问该页面"))


def _year(value, default: int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if 2000 <= year <= 2100 else default


@login_required
def period_list(request):
    _require(request.user, "view")
    today = timezone.localdate()
    year = _year(request.GET.get("year"), today.year)
    periods = list(selectors.periods_of_year(year))
    for p in periods:
        p.is_current = p.is_active and p.covers(today)
    # A period is listed under the month it starts in (one that began the year before: under 1月).
    first = dt.date(year, 1, 1)
    months = [
        {"month": month, "periods": list(items)}
        for month, items in groupby(periods, key=lambda p: max(p.start, first).month)
    ]
    return render(
        request,
        "periods/period_list.html",
        {
            "year": year,
            "months": months,
            "count": len(periods),
            "today": today,
            "multiplier": format_multiplier(selectors.multiplier_on(today)),
            "can_add": services.may(request.user, "add"),
            "prev_year": year - 1,
            "next_year": year + 1,
        },
    )


@login_required
def period_detail(request, pk):
    _require(request.user, "view")
    period = get_object_or_404(SpecialPeriod, pk=pk)
    history = AuditEvent.objects.filter(object_type="periods.specialperiod", object_id=str(period.pk))
    return render(
        request,
        "periods/period_detail.html",
        {
            "object": period,
            "is_current": period.is_active and period.covers(timezone.localdate()),
            "can_change": services.may(request.user, "change"),
            "history": history.order_by("-seq")[:100],
            "object_label": "periods.specialperiod",
        },
    )


class PeriodEditView(ObjectEditView):
    model = SpecialPeriod
    form_class = PeriodForm
    title = gettext_lazy("特殊时段")

    def get_object(self):
        pk = self.kwargs.get("pk")
        return None if pk is None else get_object_or_404(SpecialPeriod, pk=pk)

    def check_create_permission(self) -> None:
        _require(self.request.user, "add" if self.object is None else "change")

    def save(self, form):
        return services.period_save(
            actor=self.request.user,
            data=form.service_data(),
            period=self.object,
            version=form.cleaned_data.get("version"),
        )
