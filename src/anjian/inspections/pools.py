"""The subject pool (检查对象名录库) evaluated over the registry: a pool's ``filter_spec`` is the data of
the registry list's own filterset (``construction.filtersets``), so "在建项目 in 朱泾镇" means what the
project list shows for those filters. Reads only."""

from __future__ import annotations

from django.utils.translation import gettext as _

from anjian.construction.filtersets import EnterpriseProfileFilterSet, ProjectFilterSet
from anjian.construction.models import EnterpriseProfile, Project
from anjian.inspections.models.items import SubjectType

FILTERSETS = {SubjectType.PROJECT: ProjectFilterSet, SubjectType.ENTERPRISE: EnterpriseProfileFilterSet}


def base_queryset(subject_type: str):
    if subject_type == SubjectType.PROJECT:
        return Project.objects.select_related("builder", "contractor", "supervisor")
    if subject_type == SubjectType.ENTERPRISE:
        return EnterpriseProfile.objects.select_related("enterprise")
    raise ValueError(subject_type)


def _filterset(subject_type: str, spec: dict, queryset=None):
    cls = FILTERSETS[subject_type]
    data = {k: "" if v is None else str(v) for k, v in (spec or {}).items()}
    return cls(data=data, queryset=queryset if queryset is not None else base_queryset(subject_type))


def filter_spec_errors(subject_type: str, spec: dict) -> list[str]:
    """What is wrong with ``spec`` for the registry's filterset (unknown keys, invalid values), in words."""
    if subject_type not in FILTERSETS:
        return [_("该类型的检查对象尚无登记库，不能建名录库")]
    filterset = _filterset(subject_type, spec, base_queryset(subject_type).none())
    problems = []
    unknown = sorted(set(spec) - set(filterset.filters))
    if unknown:
        problems.append(
            _("不认识的筛选条件 %(k)s（可用：%(ok)s）") % {"k": "、".join(unknown), "ok": "、".join(filterset.filters)}
        )
    if not filterset.is_valid():
        for field, errors in filterset.form.errors.items():
            label = filterset.form.fields[field].label if field in filterset.form.fields else field
            problems.extend(f"{label}：{e}" for e in errors)
    return problems


def describe(subject_type: str, spec: dict) -> list[tuple[str, str]]:
    """The filters as (label, value shown) for people."""
    filterset = _filterset(subject_type, spec, base_queryset(subject_type).none())
    out = []
    if filterset.is_valid():
        for name, value in filterset.form.cleaned_data.items():
            if value in (None, "", [], ()):
                continue
            field = filterset.form.fields[name]
            shown = dict(getattr(field, "choices", ()) or ()).get(value, value) if hasattr(field, "choices") else value
            out.append((str(field.label), str(shown)))
    return out


def subjects(pool, user=None):
    """The pool's subjects now (projects or enterprise profiles), within ``user``'s view scope when given."""
    qs = base_queryset(pool.subject_type)
    if user is not None:
        qs = qs.restrict(user, "view")
    filterset = _filterset(pool.subject_type, pool.filter_spec, qs)
    return filterset.qs.order_by("pk")


def subject_key(obj) -> str:
    if isinstance(obj, Project):
        return f"project:{obj.pk}"
    return f"enterprise:{obj.enterprise_id}"


def subject_links(obj) -> list[str]:
    """The enterprises a subject concerns, as ``unit:<id>`` (an officer's relation to one of them excludes him)."""
    if isinstance(obj, Project):
        return sorted({f"unit:{pk}" for pk in (obj.builder_id, obj.contractor_id, obj.supervisor_id) if pk})
    return [f"unit:{obj.enterprise_id}"]


def subject_name(obj) -> str:
    return obj.name if isinstance(obj, Project) else obj.enterprise.name
