import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.orgs.choices import OrgUnitKind, Role
from anjian.orgs.models import OrgUnit, RoleAssignment, User

YES_NO = forms.Select(choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))])


class OrgUnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称/代码"), method="search")
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=OrgUnitKind.choices)
    is_active = django_filters.BooleanFilter(label=_("启用"), widget=YES_NO)

    class Meta:
        model = OrgUnit
        fields = ["q", "kind", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value) | Q(uscc__icontains=value))


class UserFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("用户名/姓名"), method="search")
    role = django_filters.ChoiceFilter(label=_("角色"), choices=Role.choices, method="filter_role")
    is_active = django_filters.BooleanFilter(label=_("启用"), widget=YES_NO)

    class Meta:
        model = User
        fields = ["q", "role", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(username__icontains=value) | Q(real_name__icontains=value))

    def filter_role(self, queryset, name, value):
        return queryset.filter(pk__in=RoleAssignment.objects.filter(role=value).values("user_id"))


class RoleAssignmentFilterSet(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(label=_("角色"), choices=Role.choices)
    q = django_filters.CharFilter(label=_("用户"), method="search")

    class Meta:
        model = RoleAssignment
        fields = ["q", "role"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(user__username__icontains=value) | Q(user__real_name__icontains=value))
