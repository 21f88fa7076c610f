"""Pages of the discretion benchmark (reference data of the whole committee: opened by role, not by
org scope): the versions, one version with its rows (import, export, 发布), and the calculator."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from anjian.common import exports
from anjian.common.exceptions import ConcurrentEditError, DomainError
from anjian.common.generic import ObjectEditView
from anjian.common.imports.views import ImportView
from anjian.common.scope import allowed_roles, has_role
from anjian.enforcement import selectors, services
from anjian.enforcement.choices import BenchmarkStatus
from anjian.enforcement.forms import BenchmarkForm, CalculatorForm
from anjian.enforcement.imports import EXPORT_COLUMNS, BenchmarkRowImport
from anjian.enforcement.models import PenaltyBenchmark, PenaltyBenchmarkRow
from anjian.enforcement.tables import BenchmarkRowTable, BenchmarkTable
from anjian.hazards.rules import CriteriaError


def _may(user, action: str) -> bool:
    return has_role(user, *allowed_roles(PenaltyBenchmark, action))


def _require(user, action: str) -> None:
    if not _may(user, action):
        raise PermissionDenied(_("您的角色无权访问该页面"))


@login_required
def benchmark_list(request):
    _require(request.user, "view")
    qs = PenaltyBenchmark.objects.annotate(row_count=Count("rows"))
    table = BenchmarkTable(qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(
        request,
        "enforcement/benchmark_list.html",
        {"table": table, "can_add": _may(request.user, "add"), "effective": selectors.effective_benchmark()},
    )


@login_required
def benchmark_detail(request, pk):
    _require(request.user, "view")
    benchmark = get_object_or_404(PenaltyBenchmark, pk=pk)
    rows = PenaltyBenchmarkRow.objects.filter(benchmark=benchmark)
    if request.GET.get("export") == "xlsx":
        return exports.xlsx_response(
            rows,
            EXPORT_COLUMNS,
            filename=f"裁量基准-{benchmark.edition}",
            actor=request.user,
            object_type="enforcement.penaltybenchmarkrow",
            filters={"benchmark": benchmark.pk},
            title=str(benchmark.title),
        )
    table = BenchmarkRowTable(rows)
    RequestConfig(request, paginate={"per_page": 100}).configure(table)
    from anjian.common.models import AuditEvent

    history = AuditEvent.objects.filter(object_type="enforcement.penaltybenchmark", object_id=str(benchmark.pk))
    return render(
        request,
        "enforcement/benchmark_detail.html",
        {
            "object": benchmark,
            "table": table,
            "can_change": _may(request.user, "change"),
            "is_draft": benchmark.status == BenchmarkStatus.DRAFT,
            "history": history.order_by("-seq")[:100],
            "object_label": "enforcement.penaltybenchmark",
        },
    )


class BenchmarkEditView(ObjectEditView):
    model = PenaltyBenchmark
    form_class = BenchmarkForm
    title = _("裁量基准")

    def get_object(self):
        pk = self.kwargs.get("pk")
        return None if pk is None else get_object_or_404(PenaltyBenchmark, pk=pk)

    def check_create_permission(self) -> None:
        _require(self.request.user, "add" if self.object is None else "change")

    def save(self, form):
        return services.benchmark_save(
            actor=self.request.user,
            data=form.service_data(),
            benchmark=self.object,
            version=form.cleaned_data.get("version"),
        )


@login_required
@require_POST
def benchmark_activate(request, pk):
    _require(request.user, "change")
    benchmark = get_object_or_404(PenaltyBenchmark, pk=pk)
    try:
        services.benchmark_activate(actor=request.user, benchmark=benchmark, version=request.POST.get("version"))
    except (DomainError, ConcurrentEditError) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    else:
        messages.success(request, _("已发布：自 %(d)s 起施行") % {"d": benchmark.effective_from.isoformat()})
    return HttpResponseRedirect(benchmark.get_absolute_url())


class BenchmarkRowImportView(ImportView):
    spec_class = BenchmarkRowImport
    success_url = reverse_lazy("enforcement:benchmark_list")


@login_required
def calculator(request):
    """The page of ``anjian rule penalty_discretion``: the same inputs, the same service, the same answer."""
    _require(request.user, "view")
    benchmark = selectors.effective_benchmark()
    violations = selectors.violations(benchmark) if benchmark else []
    form = CalculatorForm(request.GET or None, violations=violations)
    result = error = None
    if benchmark is not None and form.is_bound and form.is_valid():
        try:
            result = services.propose(**form.rule_input())
        except CriteriaError as exc:
            error = str(exc)
    return render(
        request,
        "enforcement/calculator.html",
        {
            "form": form,
            "benchmark": benchmark,
            "result": result,
            "error": error,
            "rule_input": form.rule_input() if result else None,
        },
    )


def benchmark_import_url(benchmark) -> str:
    return reverse("enforcement:benchmark_import") + f"?benchmark={benchmark.pk}"
