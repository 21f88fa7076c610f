"""Generic views every app declares its pages with (the NetBox way: a list view names its
queryset, filterset and table and nothing else). Every one starts from ``restrict()``, so an
object outside the user's scope is a 404 whatever id is sent."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from anjian.common import exports
from anjian.common.attachments import attach_action
from anjian.common.exceptions import DomainError
from anjian.common.models import Attachment, AuditEvent
from anjian.common.scope import can, has_role, may


def apply_validation_error(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form, on the field it names when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class RoleRequiredMixin:
    """Pages that belong to a role rather than to a scope (the admin roles' pages).

    ``required_roles``: the roles that may open the page; ``required_action``: an action of the
    page's ``model`` in the permission table (``may(user, model, action)``) — the framework's own
    pages use this, since only the org app knows the roles.
    """

    required_roles: tuple[str, ...] = ()
    required_action: str = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.role_allows(request.user):
            raise PermissionDenied(_("您的角色无权访问该页面"))
        return super().dispatch(request, *args, **kwargs)

    def role_allows(self, user) -> bool:
        if self.required_roles and not has_role(user, *self.required_roles):
            return False
        model = getattr(self, "model", None) or getattr(getattr(self, "queryset", None), "model", None)
        return not (self.required_action and not may(user, model, self.required_action))


class ObjectListView(LoginRequiredMixin, RoleRequiredMixin, SingleTableMixin, FilterView):
    """A scoped, filtered, paginated table with an Excel export of exactly what is shown."""

    queryset = None
    action = "view"
    title = ""
    template_name = "common/object_list.html"
    paginate_by = 50
    create_url = None
    create_roles: tuple[str, ...] = ()
    import_url = None  # the list's Excel import page, shown as a button to import_roles
    import_roles: tuple[str, ...] = ()
    # [(header, attribute name or callable(obj))] for the Excel export; empty means no export.
    export_columns: list = []
    export_filename = "export"

    def get_paginate_by(self, data):
        # django-tables2 paginates the table itself; MultipleObjectMixin paginating the raw
        # queryset as well would run the COUNT twice (seconds at 10^6 rows).
        from django_tables2.data import TableData

        return self.paginate_by if isinstance(data, TableData) else None

    def get_queryset(self):
        if self.queryset is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a queryset")
        return self.queryset.all().restrict(self.request.user, self.action)

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx" and self.export_columns:
            filterset = self.get_filterset(self.get_filterset_class())
            rows = filterset.qs if filterset.is_bound and filterset.is_valid() else self.get_queryset()
            return exports.xlsx_response(
                rows,
                self.export_columns,
                filename=self.export_filename,
                actor=request.user,
                object_type=self.get_queryset().model._meta.label_lower,
                filters={k: v for k, v in request.GET.items() if k not in {"export", "page"}},
                title=str(self.title),
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = self.title
        ctx["create_url"] = (
            self.create_url if (not self.create_roles or has_role(self.request.user, *self.create_roles)) else None
        )
        ctx["import_url"] = (
            self.import_url if (not self.import_roles or has_role(self.request.user, *self.import_roles)) else None
        )
        ctx["can_export"] = bool(self.export_columns)
        table = ctx.get("table")
        paginator = getattr(table, "paginator", None)
        ctx["total"] = paginator.count if paginator is not None else len(getattr(table, "rows", []))
        ctx["empty"] = self.empty_state(ctx) if not ctx["total"] else None
        return ctx

    # What an empty list tells the person, in order: their filters hide everything (offer to clear
    # them); nothing exists yet and they may add the first (offer it); nothing is in their scope.
    empty_text = None  # the list's own words for "nothing in your scope", e.g. who fills it

    def empty_state(self, ctx) -> dict:
        fields = getattr(getattr(self, "filterset", None), "form", None)
        fields = fields.fields if fields is not None else {}
        things = self.queryset.model._meta.verbose_name if self.queryset is not None else ""
        if any(value for key, value in self.request.GET.items() if key in fields):
            return {"kind": "filtered", "text": _("没有符合筛选条件的%(things)s。") % {"things": things}}
        if ctx.get("create_url"):
            return {"kind": "none_yet", "text": _("还没有%(things)s。") % {"things": things}}
        return {"kind": "scope", "text": self.empty_text or _("您的数据范围内暂无%(things)s。") % {"things": things}}


class ObjectDetailView(LoginRequiredMixin, DetailView):
    """One object, with its attachments and its history from the audit trail."""

    template_name = "common/object_detail.html"
    action = "view"
    # Only "object": a model named User would otherwise shadow the logged-in ``user`` in templates.
    context_object_name = None

    def get_context_object_name(self, obj):
        return None

    def get_queryset(self):
        return self.model._default_manager.all().restrict(self.request.user, self.action)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        label = obj._meta.label_lower
        ctx["history"] = AuditEvent.objects.filter(object_type=label, object_id=str(obj.pk)).order_by("-seq")[:100]
        ctx["attachments"] = Attachment.objects.filter(
            content_type__app_label=obj._meta.app_label, content_type__model=obj._meta.model_name, object_id=str(obj.pk)
        )
        ctx["can_change"] = can(self.request.user, "change", obj)
        ctx["can_attach"] = can(self.request.user, attach_action(type(obj)), obj)
        ctx["attachment_upload_url"] = reverse(
            "common:attachment_upload", args=[obj._meta.app_label, obj._meta.model_name, obj.pk]
        )
        ctx["object_label"] = label
        return ctx


class ObjectEditView(LoginRequiredMixin, FormView):
    """Create or edit through a service. The form carries the version it was rendered from, so an
    edit from a stale page is refused (``ConcurrentEditError``) instead of silently overwriting."""

    model = None
    template_name = "common/object_edit.html"
    title = ""

    def get_object(self):
        pk = self.kwargs.get("pk")
        if pk is None:
            return None
        return get_object_or_404(self.model._default_manager.all().restrict(self.request.user, "change"), pk=pk)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = self.get_object()
        self.check_create_permission()
        return super().dispatch(request, *args, **kwargs)

    def check_create_permission(self) -> None:
        """Override: raise PermissionDenied when the user may not create one."""

    def get_form_kwargs(self):
        from django import forms

        kwargs = super().get_form_kwargs()
        if issubclass(self.get_form_class(), forms.ModelForm):
            kwargs["instance"] = self.object
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = self.title
        ctx["object"] = self.object
        return ctx

    def save(self, form):
        """Call the service; return the saved object."""
        raise NotImplementedError

    def form_valid(self, form):
        try:
            obj = self.save(form)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        except DomainError as exc:
            messages.error(self.request, exc.message)
            return self.form_invalid(form)
        except PermissionDenied as exc:
            messages.error(self.request, str(exc) or _("您无权进行该操作"))
            return self.form_invalid(form)
        messages.success(self.request, _("已保存"))
        return HttpResponseRedirect(self.get_success_url(obj))

    def get_success_url(self, obj):
        return obj.get_absolute_url()


def scoped_object_or_404(model, user, pk, action: str = "view"):
    try:
        return model._default_manager.all().restrict(user, action).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
