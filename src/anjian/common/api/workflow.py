"""The API side of workflows: ``POST /api/v1/<things>/{id}/{action}/`` for every transition.

    class HazardViewSet(TransitionActionsMixin, ScopedReadOnlyViewSet):
        queryset = Hazard.objects.all()
        serializer_class = HazardSerializer

adds, for each entry of ``Hazard.TRANSITIONS``, a POST detail route named after the action
(URL name ``<basename>-transition-<action>``), plus ``GET {id}/transitions/`` (the history)
and ``GET {id}/actions/`` (what the caller may do now). The body is JSON:
``{"reason": "…", "version": 3, …the transition form's fields…}``. Responses: 200 with the
record; 404 outside the caller's view scope; 409 ``TransitionNotAllowed`` (wrong state, role,
scope, missing reason) or ``ConcurrentEditError``; 400 with field keys for bad form input.
"""

from __future__ import annotations

from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action as drf_action
from rest_framework.response import Response

from anjian.common.text import join_list, labelled
from anjian.common.workflow import (
    Transition,
    action_label,
    available_actions,
    build_form,
    get_transition,
    resolved,
    status_label,
    transition,
    transition_history,
)


class TransitionRecordSerializer(serializers.Serializer):
    action = serializers.CharField()
    action_label = serializers.CharField(source="get_action_display")
    from_state = serializers.CharField()
    from_state_label = serializers.CharField(source="get_from_state_display")
    to_state = serializers.CharField()
    to_state_label = serializers.CharField(source="get_to_state_display")
    actor_id = serializers.IntegerField(allow_null=True)
    actor_name = serializers.CharField()
    reason = serializers.CharField()
    at = serializers.DateTimeField()
    extra = serializers.JSONField()


class AvailableActionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    needs_reason = serializers.BooleanField()


def _request_serializer(model, name: str, spec: Transition):
    fields = {
        "reason": serializers.CharField(
            required=spec.needs_reason,
            allow_blank=not spec.needs_reason,
            help_text=gettext_lazy("理由（必填）") if spec.needs_reason else gettext_lazy("理由（可选）"),
        ),
        "version": serializers.IntegerField(
            required=False, help_text=gettext_lazy("页面所见的版本号；已被他人修改时返回 409")
        ),
    }
    if spec.form is not None:
        for field_name, field in resolved(spec.form).base_fields.items():
            fields[field_name] = serializers.CharField(required=field.required, help_text=field.label or "")
    return inline_serializer(name=f"{model.__name__}{name.title().replace('_', '')}Transition", fields=fields)


def _describe(model, name: str, spec: Transition) -> str:
    """The route's description: action: sources → target, in the language of the request."""
    sources = join_list(status_label(model, s) for s in spec.sources)
    return labelled(action_label(spec, name), f"{sources} → {status_label(model, spec.target)}")


# The schema is generated per request: summaries and descriptions are evaluated in its language.
_lazy_action_label = lazy(action_label, str)
_lazy_describe = lazy(_describe, str)


def _make_route(model, name: str, spec: Transition, serializer_class):
    def handler(self, request, *args, **kwargs):
        return self.run_transition(request, name)

    handler.__name__ = f"transition_{name}"
    handler.__doc__ = _describe(model, name, spec)
    # extend_schema must wrap the action: @action replaces the function's kwargs, where the schema lives.
    handler = drf_action(detail=True, methods=["post"], url_path=name, url_name=f"transition-{name}")(handler)
    return extend_schema(
        summary=_lazy_action_label(spec, name),
        description=_lazy_describe(model, name, spec),
        request=_request_serializer(model, name, spec),
        responses={
            200: serializer_class,
            400: OpenApiResponse(description=gettext_lazy("附加字段不合格（按字段给出）")),
            404: OpenApiResponse(description=gettext_lazy("不存在或不在您的数据范围内")),
            409: OpenApiResponse(
                description=gettext_lazy("当前状态、角色、数据范围或理由不允许该操作；或记录已被他人修改")
            ),
        },
    )(handler)


class TransitionActionsMixin:
    """Adds one POST route per transition of the viewset's model (``transition_model`` or ``queryset.model``)."""

    transition_model = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        model = cls.transition_model or getattr(getattr(cls, "queryset", None), "model", None)
        if model is None or not isinstance(getattr(model, "TRANSITIONS", None), dict):
            return
        serializer_class = getattr(cls, "serializer_class", None)
        for name, spec in model.TRANSITIONS.items():
            route = _make_route(model, name, spec, serializer_class)
            setattr(cls, route.__name__, route)

    def run_transition(self, request, name: str):
        obj = self.get_object()  # the viewset's scoped queryset: outside the view scope is 404
        spec = get_transition(type(obj), name)
        data = request.data if hasattr(request.data, "get") else {}
        form = build_form(spec, name, obj=obj, user=request.user, data=data)
        if form is not None and not form.is_valid():
            errors = form.errors.get_json_data()
            raise serializers.ValidationError({k: [e["message"] for e in v] for k, v in errors.items()})
        extra = dict(form.cleaned_data) if form is not None else {}
        version = data.get("version")
        if version not in (None, ""):
            try:
                version = int(version)
            except (TypeError, ValueError):
                raise serializers.ValidationError({"version": [gettext("版本号应为整数")]}) from None
        else:
            version = None
        transition(
            obj, name, actor=request.user, reason=str(data.get("reason") or ""), expected_version=version, **extra
        )
        return Response(self.get_serializer(obj).data)

    @extend_schema(responses=TransitionRecordSerializer(many=True), summary=gettext_lazy("办理记录"))
    @drf_action(detail=True, methods=["get"], url_path="transitions", url_name="transitions", pagination_class=None)
    def transitions(self, request, *args, **kwargs):
        obj = self.get_object()
        return Response(TransitionRecordSerializer(transition_history(obj), many=True).data)

    @extend_schema(responses=AvailableActionSerializer(many=True), summary=gettext_lazy("当前可办理的操作"))
    @drf_action(detail=True, methods=["get"], url_path="actions", url_name="actions", pagination_class=None)
    def allowed_actions(self, request, *args, **kwargs):
        obj = self.get_object()
        return Response(AvailableActionSerializer(available_actions(obj, request.user), many=True).data)
