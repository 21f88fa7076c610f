"""The work plan's API: plans (import, structure, figures), tasks (assignment and transitions),
progress reports (create, submit/approve/return), and the supervision records with their
transitions. Every list and detail starts from ``restrict()``; writes go through the services."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from anjian.common.api.base import ScopedReadOnlyViewSet, ScopedViewSetMixin
from anjian.common.api.workflow import TransitionActionsMixin
from anjian.common.calendar import CalendarUnknownYear, known_years
from anjian.orgs.models import OrgUnit
from anjian.plans import selectors, services
from anjian.plans.api import serializers as s
from anjian.plans.filtersets import TaskFilterSet
from anjian.plans.forms import TaskAssignmentForm
from anjian.plans.models import (
    Bulletin,
    Meeting,
    Milestone,
    ProgressReport,
    ResponsibilityLetter,
    Summons,
    SupervisionNotice,
    Task,
    WorkPlan,
)

AS_OF = OpenApiParameter("as_of", OpenApiTypes.DATE, description=gettext_lazy("判断日期，默认今天"))


def _as_of(request) -> dt.date:
    raw = request.query_params.get("as_of")
    if not raw:
        return timezone.localdate()
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise exceptions.ValidationError({"as_of": [gettext("日期格式应为 YYYY-MM-DD")]}) from None
    if day.year not in known_years():
        raise exceptions.ValidationError({"as_of": [str(CalendarUnknownYear(day.year))]})
    return day


def _form_errors(form) -> dict:
    return {k: [e["message"] for e in v] for k, v in form.errors.get_json_data().items()}


class WorkPlanViewSet(ScopedReadOnlyViewSet):
    """Work plans the caller may see (its own or those with its tasks)."""

    queryset = WorkPlan.objects.select_related("owner_unit").order_by("-year", "-id")
    serializer_class = s.WorkPlanSerializer

    @extend_schema(request=s.NoticeImportSerializer, responses={201: s.ImportOutcomeSerializer})
    @action(detail=False, methods=["post"], url_path="import")
    def import_notice(self, request):
        """Import (or bring up to date) a plan from a notice's text; idempotent."""
        data = s.NoticeImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outcome = services.plan_import(
            actor=request.user,
            text=data.validated_data["text"],
            owner_unit=data.validated_data["owner_unit"],
            filename=data.validated_data["filename"],
        )
        body = {
            "plan": s.WorkPlanSerializer(outcome.plan).data,
            "created": outcome.created,
            "changed": outcome.changed,
            "counts": outcome.counts,
            "warnings": outcome.warnings,
        }
        return Response(body, status=status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK)

    @extend_schema(responses=OpenApiTypes.OBJECT, parameters=[AS_OF])
    @action(detail=True, methods=["get"])
    def completion(self, request, pk=None):
        """Tasks per lead unit in each derived status, and the totals (the chart's and bulletin's figures)."""
        plan = self.get_object()
        qs, day = selectors.tasks_for(request.user, plans=[plan], as_of=_as_of(request))
        return Response(
            {
                "as_of": day.as_of.isoformat(),
                "totals": selectors.status_counts(qs),
                "units": selectors.completion_by_unit(qs),
            }
        )

    @extend_schema(responses=OpenApiTypes.OBJECT, parameters=[AS_OF])
    @action(detail=True, methods=["get"], url_path="overdue-trend")
    def overdue_trend(self, request, pk=None):
        return Response(selectors.overdue_trend(request.user, self.get_object(), _as_of(request)))

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def assessment(self, request, pk=None):
        """The ranking under the plan's scheme, as of the year's end (or today)."""
        plan = self.get_object()
        scheme = services.scheme_for(plan)
        as_of = selectors.assessment_as_of(plan)
        return Response(
            {
                "as_of": as_of.isoformat(),
                "scheme": scheme.as_dict(),
                "rows": selectors.assessment_rows_for(request.user, plan, scheme.as_dict(), as_of),
            }
        )


class TaskViewSet(TransitionActionsMixin, ScopedReadOnlyViewSet):
    """Tasks the caller may see, with their derived status (``?as_of=`` for a past day) and one POST route
    per transition (complete, extend, cancel, reopen); ``assign`` sets the division-table entry."""

    queryset = Task.objects.order_by("plan", "position")
    serializer_class = s.TaskSerializer
    filterset_class = TaskFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Task.objects.none()
        qs, _day = selectors.tasks_for(self.request.user, as_of=_as_of(self.request))
        return qs.select_related("lead_unit").prefetch_related("co_units", "milestones").order_by("plan", "position")

    @extend_schema(parameters=[AS_OF])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.TaskAssignSerializer, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """The division-table entry of a task, by the plan's manager (the same form and service as the page
        and the Excel import)."""
        task = self.get_object()
        body = s.TaskAssignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        form = TaskAssignmentForm(
            {
                "plan": task.plan_id,
                "code": task.code,
                "lead_unit": data["lead_unit"],
                "co_units": data.get("co_units", []),
                "time_limit": data["time_limit"],
                "milestones": data.get("milestones", ""),
                "deliverables": data.get("deliverables", ""),
            },
            plan=task.plan,
            task=task,
            user=request.user,
        )
        if not form.is_valid():
            raise exceptions.ValidationError(_form_errors(form))
        services.task_assign(actor=request.user, task=task, data=form.service_data(), version=data.get("version"))
        return Response(self.get_serializer(self.get_queryset().get(pk=task.pk)).data)


class ProgressReportViewSet(
    TransitionActionsMixin, ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Progress reports the caller may see; ``POST`` files one (submitted unless ``submit`` is false) —
    attach evidence with ``POST /api/v1/attachments/`` (object_type ``plans.progressreport``); then
    ``submit`` / ``approve`` / ``return``."""

    queryset = ProgressReport.objects.select_related("task", "unit").order_by("-progress_on", "-id")
    serializer_class = s.ProgressReportSerializer

    @extend_schema(request=s.ProgressReportCreateSerializer, responses={201: s.ProgressReportSerializer})
    def create(self, request, *args, **kwargs):
        body = s.ProgressReportCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        task = get_object_or_404(Task.objects.restrict(request.user, "view"), pk=data["task"])
        unit = OrgUnit.objects.filter(pk=data["unit"]).first()
        if unit is None:
            raise exceptions.ValidationError({"unit": [gettext("找不到该单位")]})
        milestone = None
        if data.get("milestone"):
            milestone = Milestone.objects.filter(pk=data["milestone"], task=task).first()
            if milestone is None:
                raise exceptions.ValidationError({"milestone": [gettext("所选节点不属于该任务")]})
        try:
            report = services.progress_report_create(
                actor=request.user,
                task=task,
                data={
                    "unit": unit,
                    "milestone": milestone,
                    "progress_on": data["progress_on"],
                    "percent": data["percent"],
                    "text": data["text"],
                },
                submit=data["submit"],
            )
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        return Response(s.ProgressReportSerializer(report).data, status=status.HTTP_201_CREATED)


class SupervisionNoticeViewSet(TransitionActionsMixin, ScopedReadOnlyViewSet):
    """Supervision notices (督办): reply / close / return."""

    queryset = SupervisionNotice.objects.select_related("task", "unit").order_by("-issued_on", "-id")
    serializer_class = s.SupervisionNoticeSerializer


class ResponsibilityLetterViewSet(TransitionActionsMixin, ScopedReadOnlyViewSet):
    """Responsibility letters: sign (after uploading the scan as an attachment) / revoke."""

    queryset = ResponsibilityLetter.objects.select_related("issuer_unit", "signee_unit").order_by("plan", "level", "id")
    serializer_class = s.ResponsibilityLetterSerializer


class MeetingViewSet(ScopedReadOnlyViewSet):
    queryset = Meeting.objects.order_by("-held_on", "-id")
    serializer_class = s.MeetingSerializer


class SummonsViewSet(TransitionActionsMixin, ScopedReadOnlyViewSet):
    """Summons (约谈): hold (record it) / dismiss."""

    queryset = Summons.objects.order_by("-held_on", "-id")
    serializer_class = s.SummonsSerializer


class BulletinViewSet(TransitionActionsMixin, ScopedReadOnlyViewSet):
    """Monthly bulletins with their frozen figures: publish."""

    queryset = Bulletin.objects.order_by("-year", "-month", "-id")
    serializer_class = s.BulletinSerializer
