from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.orgs.choices import GOVERNMENT_KINDS, DataScope, Role
from anjian.orgs.models import OrgUnit, RoleAssignment, User
from anjian.orgs.services import ORG_UNIT_FIELDS, USER_FIELDS
from anjian.places.models import Division


class VersionedModelForm(forms.ModelForm):
    """Carries the version the page was rendered from, for the optimistic-lock check."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}


class OrgUnitForm(VersionedModelForm):
    class Meta:
        model = OrgUnit
        fields = list(ORG_UNIT_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = OrgUnit.objects.restrict(self.user, "change").order_by("path")
        self.fields["division"].queryset = Division.objects.all()


class UserForm(VersionedModelForm):
    username = forms.RegexField(
        label=_("用户名"),
        regex=r"^[A-Za-z0-9_.@-]{3,150}$",
        error_messages={"invalid": _("用户名只能包含字母、数字和 _ . @ -，长度 3–150")},
    )

    class Meta:
        model = User
        fields = ["username", *USER_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.restrict(self.user, "change").order_by("path")
        self.fields["unit"].required = True
        self.fields["real_name"].required = True
        if self.instance.pk:
            self.fields["username"].disabled = True

    def service_data(self) -> dict:
        data = super().service_data()
        data.pop("username", None)
        return data


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "unit", "scope", "note"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("username")
        self.fields["unit"].queryset = OrgUnit.objects.filter(is_active=True).order_by("path")
        self.fields["role"].choices = Role.choices
        self.fields["scope"].choices = DataScope.choices


class UnitChoiceField(forms.ModelChoiceField):
    """Units shown indented by their depth in the tree."""

    def label_from_instance(self, obj) -> str:
        return f"{'　' * obj.depth}{obj.name}"


class EnterpriseImportOptionsForm(forms.Form):
    """Chosen once for a whole enterprise import: the unit the enterprises are placed under."""

    parent = UnitChoiceField(
        label=_("上级单位"),
        queryset=OrgUnit.objects.none(),
        help_text=_("导入的企业都挂在该单位之下"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.filter(kind__in=GOVERNMENT_KINDS, is_active=True).order_by("path")
        # A server command (no user) may choose any unit; a person only a unit they may change.
        self.fields["parent"].queryset = units if user is None else units.restrict(user, "change")
        if not self.is_bound:
            self.fields["parent"].initial = self.fields["parent"].queryset.filter(parent__isnull=True).first()
