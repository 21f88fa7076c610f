"""Forms of the field inspections: shape only; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.common.scope import allowed_roles
from anjian.construction.models import Project
from anjian.inspections.models import Checklist, FindingSeverity, Inspection, OfficerProfile
from anjian.inspections.services.inspections import _units_for
from anjian.orgs.models import User


class OfficerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        cert = obj.enforcement_cert_no or _("无执法证号")
        return f"{obj.real_name or obj.username}（{cert}）"


class InspectionForm(forms.Form):
    """Register or correct an inspection: subject, unit, checklist, date, team."""

    title = forms.CharField(label=_("检查名称"), max_length=200, required=False, help_text=_("留空则按项目名称生成"))
    project = forms.ModelChoiceField(label=_("工程项目"), queryset=Project.objects.none())
    unit = forms.ModelChoiceField(label=_("检查单位"), queryset=None)
    checklist = forms.ModelChoiceField(label=_("检查表"), queryset=Checklist.objects.filter(is_active=True))
    planned_on = forms.DateField(label=_("检查日期"), widget=forms.DateInput(attrs={"type": "date"}))
    members = OfficerChoiceField(
        label=_("检查组（至少 2 名执法人员）"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, instance=None, **kwargs):
        self.user, self.instance = user, instance
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.restrict(user, "view").order_by("name")
        self.fields["unit"].queryset = _units_for(user, "add").order_by("path")
        self.fields["members"].queryset = User.objects.filter(
            pk__in=OfficerProfile.objects.filter(in_pool=True).values("user_id"), is_active=True
        ).order_by("username")
        if instance is not None:
            for name in ("project", "unit"):
                self.fields[name].disabled = True
                self.fields[name].required = False
            self.initial.update(
                {
                    "title": instance.title,
                    "project": instance.project_id,
                    "unit": instance.unit_id,
                    "checklist": instance.checklist_id,
                    "planned_on": instance.planned_on,
                    "members": [m.user_id for m in instance.members.all()],
                    "version": instance.version,
                }
            )


class FindingForm(forms.Form):
    """A problem found, with an optional photo and the browser's position."""

    item = forms.TypedChoiceField(label=_("检查项目"), coerce=int, required=False, empty_value=None)
    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 3}))
    severity = forms.ChoiceField(label=_("严重程度"), choices=FindingSeverity.choices, initial="general")
    proposed_case = forms.BooleanField(label=_("拟立案"), required=False)
    case_reason = forms.CharField(label=_("拟立案理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.FileField(
        label=_("现场照片"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    lat = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-geo": "lat"}))
    lng = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-geo": "lng"}))
    accuracy = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-geo": "accuracy"}))

    def __init__(self, *args, inspection: Inspection, **kwargs):
        super().__init__(*args, **kwargs)
        items = inspection.checklist.items.order_by("order")
        self.fields["item"].choices = [("", _("（不对应具体项目）"))] + [(i.pk, f"{i.code} {i.name}") for i in items]


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("拍照或选择照片"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    item = forms.TypedChoiceField(label=_("检查项目"), coerce=int, required=False, empty_value=None)
    lat = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-geo": "lat"}))
    lng = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-geo": "lng"}))
    accuracy = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-geo": "accuracy"}))

    def __init__(self, *args, inspection: Inspection, **kwargs):
        super().__init__(*args, **kwargs)
        items = inspection.checklist.items.order_by("order")
        self.fields["item"].choices = [("", _("（整体）"))] + [(i.pk, f"{i.code} {i.name}") for i in items]


def may_add(user) -> bool:
    from anjian.common.scope import has_role

    return has_role(user, *allowed_roles(Inspection, "add"))
