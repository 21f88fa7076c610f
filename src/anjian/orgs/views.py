from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from anjian.common.exceptions import DomainError
from anjian.common.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    apply_validation_error,
    scoped_object_or_404,
)
from anjian.common.imports import ImportView
from anjian.common.scope import can, has_role
from anjian.common.text import labelled
from anjian.orgs import services
from anjian.orgs.choices import Role
from anjian.orgs.filtersets import OrgUnitFilterSet, RoleAssignmentFilterSet, UserFilterSet
from anjian.orgs.forms import OrgUnitForm, RoleAssignmentForm, UserForm
from anjian.orgs.imports import EnterpriseImport
from anjian.orgs.models import OrgUnit, RoleAssignment, User
from anjian.orgs.rules import mask_phone
from anjian.orgs.tables import OrgUnitTable, RoleAssignmentTable, UserTable


# ---------------------------------------------------------------------------
# Org units
# ---------------------------------------------------------------------------
class OrgUnitListView(ObjectListView):
    queryset = OrgUnit.objects.select_related("division").order_by("path")
    filterset_class = OrgUnitFilterSet
    table_class = OrgUnitTable
    title = gettext_lazy("单位")
    create_url = "orgs:unit_add"
    create_roles = (Role.SYSADMIN,)
    import_url = "orgs:unit_import"
    import_roles = (Role.SYSADMIN,)
    export_filename = "org-units"
    export_columns = [
        (gettext_lazy("名称"), "name"),
        (gettext_lazy("简称"), "short_name"),
        (gettext_lazy("类型"), "get_kind_display"),
        (gettext_lazy("上级单位"), "parent.name"),
        (gettext_lazy("统一社会信用代码"), "uscc"),
        (gettext_lazy("所在区划"), "division.name"),
        (gettext_lazy("地址"), "address"),
        (gettext_lazy("联系人"), "contact_person"),
        (gettext_lazy("联系电话"), lambda u: mask_phone(u.contact_phone)),
        (gettext_lazy("示例数据"), "is_sample"),
        (gettext_lazy("启用"), "is_active"),
    ]


class OrgUnitDetailView(ObjectDetailView):
    model = OrgUnit
    template_name = "orgs/unit_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["children"] = OrgUnit.objects.restrict(user).filter(parent=self.object).order_by("sort_order", "name")
        ctx["members"] = User.objects.restrict(user).filter(unit=self.object).order_by("username")
        return ctx


class OrgUnitEditView(ObjectEditView):
    model = OrgUnit
    form_class = OrgUnitForm
    title = gettext_lazy("单位")

    def check_create_permission(self):
        if self.object is None and not has_role(self.request.user, Role.SYSADMIN):
            raise PermissionDenied(_("只有系统管理员可以新建单位"))

    def save(self, form):
        if self.object is None:
            return services.org_unit_create(actor=self.request.user, data=form.service_data())
        return services.org_unit_update(
            actor=self.request.user, unit=self.object, data=form.service_data(), version=form.cleaned_data["version"]
        )


class EnterpriseImportView(ImportView):
    spec_class = EnterpriseImport
    success_url = reverse_lazy("orgs:unit_list")


# ---------------------------------------------------------------------------
# Users
# ---------------------------------------------------------------------------
class UserListView(ObjectListView):
    queryset = User.objects.select_related("unit").prefetch_related("role_assignments").order_by("username")
    filterset_class = UserFilterSet
    table_class = UserTable
    title = gettext_lazy("人员")
    create_url = "orgs:user_add"
    create_roles = (Role.SYSADMIN,)
    export_filename = "users"
    export_columns = [
        (gettext_lazy("用户名"), "username"),
        (gettext_lazy("姓名"), "real_name"),
        (gettext_lazy("所属单位"), "unit.name"),
        (gettext_lazy("手机号"), "masked_phone"),
        (gettext_lazy("执法证号"), "enforcement_cert_no"),
        (gettext_lazy("启用"), "is_active"),
        (gettext_lazy("最近登录"), "last_login"),
    ]


class UserDetailView(ObjectDetailView):
    model = User
    template_name = "orgs/user_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["assignments"] = self.object.role_assignments.select_related("unit")
        ctx["can_unmask"] = can(user, "unmask", self.object)
        ctx["is_secadmin"] = has_role(user, Role.SECADMIN) and user.pk != self.object.pk
        ctx["grant_form"] = RoleAssignmentForm(initial={"user": self.object}) if ctx["is_secadmin"] else None
        return ctx


class UserEditView(ObjectEditView):
    model = User
    form_class = UserForm
    title = gettext_lazy("人员")

    def check_create_permission(self):
        if self.object is None and not has_role(self.request.user, Role.SYSADMIN):
            raise PermissionDenied(_("只有系统管理员可以新建人员"))

    def save(self, form):
        if self.object is None:
            user, temporary = services.user_create(
                actor=self.request.user, username=form.cleaned_data["username"], data=form.service_data()
            )
            messages.warning(
                self.request,
                format_html(
                    _("已创建用户 {}，临时密码：<code>{}</code>（首次登录须修改，请当面告知本人）"),
                    user.username,
                    temporary,
                ),
            )
            return user
        return services.user_update(
            actor=self.request.user, user=self.object, data=form.service_data(), version=form.cleaned_data["version"]
        )


@login_required
@require_POST
def user_unmask_phone(request, pk: int):
    target = scoped_object_or_404(User, request.user, pk)
    try:
        phone = services.user_unmask_phone(actor=request.user, user=target)
    except PermissionDenied:
        return HttpResponse(_("无权查看"), status=403)
    return HttpResponse(format_html('<span class="font-monospace">{}</span>', phone or "—"))


@login_required
@require_POST
def user_reset_password(request, pk: int):
    target = scoped_object_or_404(User, request.user, pk, "change")
    temporary = services.user_reset_password(actor=request.user, user=target)
    messages.warning(
        request,
        format_html(_("已重置 {} 的密码，临时密码：<code>{}</code>（首次登录须修改）"), target.username, temporary),
    )
    return redirect(target.get_absolute_url())


# ---------------------------------------------------------------------------
# Role assignments (security admin)
# ---------------------------------------------------------------------------
class RoleAssignmentListView(ObjectListView):
    queryset = RoleAssignment.objects.select_related("user", "unit").order_by("user__username", "role")
    filterset_class = RoleAssignmentFilterSet
    table_class = RoleAssignmentTable
    title = gettext_lazy("角色授权")
    template_name = "orgs/assignment_list.html"
    export_filename = "role-assignments"
    export_columns = [
        (gettext_lazy("用户名"), "user.username"),
        (gettext_lazy("姓名"), "user.real_name"),
        (gettext_lazy("角色"), "get_role_display"),
        (gettext_lazy("范围单位"), "unit.name"),
        (gettext_lazy("数据范围"), "get_scope_display"),
        (gettext_lazy("备注"), "note"),
    ]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if has_role(self.request.user, Role.SECADMIN):
            ctx["grant_form"] = RoleAssignmentForm()
        return ctx


@login_required
@require_POST
def role_grant(request):
    if not has_role(request.user, Role.SECADMIN):
        raise PermissionDenied
    form = RoleAssignmentForm(request.POST)
    back = request.POST.get("next") or reverse("orgs:assignment_list")
    if not back.startswith("/"):
        back = reverse("orgs:assignment_list")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.role_grant(
                actor=request.user,
                user=data["user"],
                role=data["role"],
                unit=data["unit"],
                scope=data["scope"],
                note=data["note"],
            )
            messages.success(request, _("已授予角色"))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except DomainError as exc:
            messages.error(request, exc.message)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else _("授权")
        for error in errors:
            messages.error(request, labelled(label, error))
    return redirect(back)


@login_required
@require_POST
def role_revoke(request, pk: int):
    assignment = scoped_object_or_404(RoleAssignment, request.user, pk, "change")
    back = request.POST.get("next") or reverse("orgs:assignment_list")
    if not back.startswith("/"):
        back = reverse("orgs:assignment_list")
    try:
        services.role_revoke(actor=request.user, assignment=assignment)
        messages.success(request, _("已撤销角色"))
    except (DomainError, PermissionDenied) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    return redirect(back)


@login_required
def my_profile(request):
    return redirect(request.user.get_absolute_url())
