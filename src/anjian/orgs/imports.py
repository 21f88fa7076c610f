"""Excel imports of the org app, declared for the one import pipeline (``anjian.common.imports``), and
how a sheet names org records — units, enterprises, towns — for every app's import columns."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.common.imports import CODE, Column, ImportContext, ImportSpec, Lookup
from anjian.orgs import services
from anjian.orgs.choices import OrgUnitKind, Role
from anjian.orgs.forms import EnterpriseImportOptionsForm, OrgUnitForm
from anjian.orgs.models import OrgUnit
from anjian.places.models import Division, DivisionLevel


# ---------------------------------------------------------------------------
# How a sheet names org records (the lookups every app's import columns use)
# ---------------------------------------------------------------------------
def units_named(queryset, *, label="", dropdown: bool = False) -> Lookup:
    """Units by full name, then by short name (简称); ``label`` names them in messages (default 单位)."""
    return Lookup(queryset, fields=("name", "short_name"), label=label or _("单位"), dropdown=dropdown)


def enterprises_named(queryset) -> Lookup:
    """Enterprises by full name, then by 统一社会信用代码."""
    return Lookup(queryset, fields=("name", "uscc"), label=_("企业"))


def towns_named(queryset) -> Lookup:
    """Towns (街镇) by name, then by 9-digit division code; a short list, offered as a dropdown."""
    return Lookup(queryset, fields=("name", "code"), label=_("街镇"), dropdown=True)


# ---------------------------------------------------------------------------
# Enterprises
# ---------------------------------------------------------------------------
def towns_for(ctx: ImportContext):
    """The towns an enterprise under the chosen parent may be in: those of the parent's district
    when the parent (or an ancestor) is tied to a district, else every town. A city-wide
    installation thus never confuses two districts' towns of the same name."""
    towns = Division.objects.filter(level=DivisionLevel.TOWN)
    parent = ctx.options.get("parent")
    if parent is None:
        return towns
    ancestor_ids = [int(pk) for pk in parent.path.strip("/").split("/") if pk]
    district = (
        OrgUnit.objects.filter(pk__in=ancestor_ids, division__level=DivisionLevel.DISTRICT)
        .order_by("-path")
        .values_list("division_id", flat=True)
        .first()
    )
    return towns.filter(parent_id=district) if district else towns


class EnterpriseImport(ImportSpec):
    """Enterprises (企业) into the org tree, under a parent unit chosen on the page, through the
    same form and service as a unit typed on the “新建单位” page."""

    name = "enterprises"
    title = _("企业")
    form_class = OrgUnitForm
    service = services.org_unit_create
    options_form_class = EnterpriseImportOptionsForm
    required_roles = (Role.SYSADMIN,)
    fixed = {"kind": OrgUnitKind.ENTERPRISE}
    columns = [
        Column(_("企业名称"), "name", unique=True, example="上海示例建设工程有限公司", help=_("营业执照上的全称")),
        Column(
            _("统一社会信用代码"),
            "uscc",
            kind=CODE,
            required=True,
            unique=True,
            example="91350100M000100Y43",
            help=_("18 位，按 GB 32100-2015 校验；不使用 I、O、Z、S、V"),
        ),
        Column(
            _("所在街镇"),
            "division",
            lookup=towns_named(towns_for),
            example="朱泾镇",
            help=_("街镇名称（或 9 位区划代码）"),
        ),
        Column(_("地址"), "address", example="朱泾镇示例路 1 号"),
        Column(_("联系人"), "contact_person", example="张三"),
        Column(
            _("联系电话"),
            "contact_phone",
            kind=CODE,
            example="021-57921234",
            help=_("11 位手机号或带区号的固定电话"),
        ),
    ]
    notes = [_("企业挂在导入页面上选择的上级单位之下；统一社会信用代码不能与系统中已有单位重复。")]
