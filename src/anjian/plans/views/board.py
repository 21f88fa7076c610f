"""挂图作战: the board (every task against the months, coloured by status) and the charts, each chart
reading a scoped JSON endpoint (the same selectors as the board, the bulletins and the API)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from anjian.common.scope import has_role
from anjian.common.text import month_labels
from anjian.orgs.choices import Role
from anjian.plans import selectors
from anjian.plans.choices import BOARD_STATUSES, DERIVED_CHART_COLORS, DERIVED_COLORS, DERIVED_SYMBOLS, DerivedStatus
from anjian.plans.filtersets import TaskFilterSet
from anjian.plans.views.common import as_of_from, chosen_plan

BOARD_PAGE_SIZE = 200


def _legend(counts: dict, query: str) -> list[dict]:
    return [
        {
            "key": str(s),
            "label": str(DerivedStatus(s).label),
            "color": DERIVED_COLORS[s],
            "symbol": DERIVED_SYMBOLS[s],
            "count": counts.get(str(s), 0),
        }
        for s in BOARD_STATUSES
    ]


@login_required
def board(request):
    """The board of one plan. ``view=all`` (the leader's whole view, grouped by section) or ``view=unit``
    (grouped by lead unit — the default for everyone but leaders); filters by section, unit, status;
    ``as_of`` shows the board as it stood on a past day."""
    plan = chosen_plan(request)
    if plan is None:
        return render(request, "plans/board.html", {"title": _("挂图作战"), "plan": None})
    as_of = as_of_from(request)
    view = request.GET.get("view") or ("all" if has_role(request.user, Role.LEADER) else "unit")
    if view not in ("all", "unit"):
        view = "unit"
    base, day = selectors.tasks_for(request.user, plans=[plan], as_of=as_of)
    data = request.GET.copy()
    data["plan"] = str(plan.pk)
    filterset = TaskFilterSet(data, queryset=base, request=request)
    filtered = filterset.qs if filterset.is_valid() else base
    without_status = data.copy()
    without_status.pop("status", None)
    counts_fs = TaskFilterSet(without_status, queryset=base, request=request)
    counts = selectors.status_counts(counts_fs.qs if counts_fs.is_valid() else base)
    filtered = selectors.board_queryset(filtered, view)
    page = Paginator(filtered, BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    groups = selectors.board_groups(selectors.board_rows(plan, page.object_list, as_of, view))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "plans/board.html",
        {
            "title": _("挂图作战"),
            "plan": plan,
            "plans": selectors.visible_plans(request.user).order_by("-year", "-id"),
            "filter": filterset,
            "view": view,
            "as_of": as_of,
            "day": day,
            "counts": counts,
            "legend": _legend(counts, query.urlencode()),
            "groups": groups,
            "page": page,
            "months": month_labels(),
            "query": query.urlencode(),
            "is_leader": has_role(request.user, Role.LEADER),
        },
    )


@login_required
def charts(request):
    plan = chosen_plan(request)
    as_of = as_of_from(request)
    return render(
        request,
        "plans/charts.html",
        {
            "title": _("统计图表"),
            "plan": plan,
            "plans": selectors.visible_plans(request.user).order_by("-year", "-id"),
            "as_of": as_of,
        },
    )


def _status_series() -> list[dict]:
    return [
        {"key": str(s), "label": str(DerivedStatus(s).label), "color": DERIVED_CHART_COLORS[s]} for s in BOARD_STATUSES
    ]


@login_required
def chart_completion(request):
    """Completion by lead unit (tasks in each status) for the tasks the user may see."""
    plan = chosen_plan(request)
    if plan is None:
        return JsonResponse({"plan": None, "statuses": _status_series(), "units": [], "totals": {}})
    as_of = as_of_from(request)
    qs, day = selectors.tasks_for(request.user, plans=[plan], as_of=as_of)
    return JsonResponse(
        {
            "plan": plan.pk,
            "as_of": as_of.isoformat(),
            "statuses": _status_series(),
            "units": selectors.completion_by_unit(qs),
            "totals": selectors.status_counts(qs),
            "warning": day.warning,
        }
    )


@login_required
def chart_overdue(request):
    """Overdue tasks at each month's end, and the escalation rungs issued each month."""
    plan = chosen_plan(request)
    if plan is None:
        return JsonResponse({"plan": None, "points": []})
    trend = selectors.overdue_trend(request.user, plan, as_of_from(request))
    trend["series"] = [
        {"key": "overdue", "label": _("逾期任务数（月末）"), "color": DERIVED_CHART_COLORS[DerivedStatus.OVERDUE]},
        {"key": "reminder", "label": _("提醒"), "color": "#ffc107"},
        {"key": "supervision", "label": _("督办"), "color": "#fd7e14"},
        {"key": "summons_proposal", "label": _("约谈建议"), "color": "#212529"},
    ]
    return JsonResponse(trend)
