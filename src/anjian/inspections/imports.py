"""The Excel import of inspection plans (``anjian.common.imports``): one row a target line — the plan
(名称, 年度, 周期, 季度/月份, 制定单位) and one target (行业, 检查事项编码, 计划检查数, 说明). Rows naming
the same plan (名称 + 年度 + 制定单位) become one plan with all their targets; a plan that exists already
gets the rows' targets added. Written through ``catalogue.plan_save``, as a plan typed on the page;
any bad row and nothing is saved, with the reasons by row."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from anjian.common.imports import CHOICE, FK, INT, TEXT, Column, ImportContext, ImportSpec, Lookup
from anjian.hazards.choices import Sector
from anjian.hazards.services import units_for
from anjian.inspections.models import InspectionItem, InspectionPlan
from anjian.inspections.models.plans import PlanPeriod
from anjian.inspections.services import catalogue
from anjian.orgs.choices import Role
from anjian.orgs.imports import units_named
from anjian.orgs.models import OrgUnit


class PlanImportForm(forms.Form):
    title = forms.CharField(label=_("计划名称"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    period = forms.ChoiceField(label=_("计划周期"), choices=PlanPeriod.choices)
    period_no = forms.IntegerField(label=_("季度/月份"), required=False)
    unit = forms.ModelChoiceField(label=_("制定单位"), queryset=OrgUnit.objects.none())
    sector = forms.ChoiceField(label=_("行业"), choices=Sector.choices)
    item = forms.ModelChoiceField(label=_("检查事项"), queryset=InspectionItem.objects.none(), required=False)
    target_count = forms.IntegerField(label=_("计划检查数"), min_value=0)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(user, "add", InspectionPlan)
        items = InspectionItem.objects.all()
        self.fields["item"].queryset = items.restrict(user, "view") if user is not None else items


class PlanImport(ImportSpec):
    name = "inspection_plans"
    title = _("检查计划")
    model = InspectionPlan
    form_class = PlanImportForm
    required_roles = (Role.UNIT_STAFF, Role.UNIT_HEAD)
    notes = (_("同一计划（名称、年度、制定单位相同）的多行合为一份计划，每行一项指标；已有的计划追加指标。"),)
    columns = [
        Column(_("计划名称"), "title", kind=TEXT, required=True, example="2021 年度安全生产监督检查计划"),
        Column(_("年度"), "year", kind=INT, required=True, example=2021),
        Column(_("计划周期"), "period", kind=CHOICE, required=True, example="年度"),
        Column(_("季度/月份"), "period_no", kind=INT, example=""),
        Column(
            _("制定单位"),
            "unit",
            kind=FK,
            required=True,
            lookup=units_named(lambda ctx: units_for(ctx.actor, "add", InspectionPlan)),
            example="安全监管科",
        ),
        Column(_("行业"), "sector", kind=CHOICE, required=True, example="建筑施工"),
        Column(
            _("检查事项编码"),
            "item",
            kind=FK,
            lookup=Lookup(lambda ctx: InspectionItem.objects.all(), fields=("code",), label=_("检查事项")),
            example="JG-01",
        ),
        Column(_("计划检查数"), "target_count", kind=INT, required=True, example=240),
        Column(_("说明"), "note", kind=TEXT, example="双随机抽查"),
    ]

    def write(self, rows, ctx: ImportContext, result) -> None:
        groups: dict[tuple, list[tuple[int, dict]]] = {}
        for row_no, form in rows:
            data = dict(form.cleaned_data)
            key = (data["title"].strip(), data["year"], data["unit"].pk)
            groups.setdefault(key, []).append((row_no, data))
        for (title, year, _unit), members in groups.items():
            first_row, first = members[0]
            plan = InspectionPlan.objects.filter(title=title, year=year, unit=first["unit"]).first()
            existing = (
                [
                    {"id": t.pk, "sector": t.sector, "item": t.item, "target_count": t.target_count, "note": t.note}
                    for t in plan.targets.all()
                ]
                if plan
                else []
            )
            targets = existing + [
                {"sector": d["sector"], "item": d["item"], "target_count": d["target_count"], "note": d["note"] or ""}
                for _r, d in members
            ]
            data = {k: first[k] for k in ("title", "year", "period", "period_no", "unit")}
            if plan is not None:
                data = {}
            try:
                saved = catalogue.plan_save(actor=ctx.actor, plan=plan, data=data, targets=targets, version=None)
            except ValidationError as exc:
                result.add_validation_error(first_row, exc, self, ctx)
                continue
            result.saved += len(members)
            result.created_ids.append(saved.pk)
