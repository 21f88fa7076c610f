"""转包 / 违法分包 flags of a subcontract (分包) in its chain — a pure function, no ORM.

Sources (cited by article; the texts were not re-checked against the official gazette here [M]):
* 《中华人民共和国建筑法》第二十八条 (转包 of the whole works, or of the whole works split up under the
  name of subcontracts, is forbidden) and 第二十九条 (no subcontract to a unit without the matching
  qualification; 施工总承包: the main structure is built by the general contractor itself; a
  subcontractor may not subcontract again);
* 《建设工程质量管理条例》第七十八条 (the definitions of 违法分包 and 转包);
* 住房和城乡建设部《建筑工程施工发包与承包违法行为认定查处管理办法》（建市规〔2019〕1号）第八条 (转包:
  the whole works to another) and 第十二条 (违法分包: (二) to a unit without the matching
  qualification, (三) the main structure by a general contractor, 钢结构工程 excepted, (四) a
  专业分包 subcontracting its non-labour work again, (五) a 劳务 (专业作业) subcontractor
  subcontracting again).

Judgements that need facts the register does not hold are not made ([M]): 第八条's other cases
(no project leader on site, the price arrangements of a 专业作业 contract for the whole works);
a qualification is "matching" when the subcontractor holds one of that name (or one containing
it) valid on the day — its grade against the works' scale is not checked. A 劳务 subcontract
needs 施工劳务 unless another is named ([M]: since the 2021 reform 专业作业 is a 备案, not a 资质).
The subcontracting of the main structure is 违法分包 in 第十二条（三）and 条例 第七十八条, not 转包,
though the brief that asked for this rule grouped it with 转包: the law's wording is followed.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext, gettext_lazy

from anjian.common.rules import register_rule

PROFESSIONAL = "professional"
LABOUR = "labour"
LABOUR_QUALIFICATION = "施工劳务"

BASIS = {
    "whole_works": [
        "《建筑法》第二十八条",
        "《建设工程质量管理条例》第七十八条",
        "建市规〔2019〕1号 第八条（一）",
    ],
    "main_structure": [
        "《建筑法》第二十九条",
        "《建设工程质量管理条例》第七十八条",
        "建市规〔2019〕1号 第十二条（三）",
    ],
    "no_qualification": [
        "《建筑法》第二十九条",
        "《建设工程质量管理条例》第七十八条",
        "建市规〔2019〕1号 第十二条（二）",
    ],
    "professional_again": [
        "《建筑法》第二十九条",
        "《建设工程质量管理条例》第七十八条",
        "建市规〔2019〕1号 第十二条（四）",
    ],
    "labour_again": ["《建筑法》第二十九条", "建市规〔2019〕1号 第十二条（五）"],
}
KIND_OF_FLAG = {
    "whole_works": "transfer",
    "main_structure": "illegal",
    "no_qualification": "illegal",
    "professional_again": "illegal",
    "labour_again": "illegal",
}


class SubcontractInputError(ValueError):
    """An input the rule cannot judge; the message names the field."""


def _date(value, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise SubcontractInputError(gettext("字段 %(f)s：应为日期 YYYY-MM-DD") % {"f": field}) from None


def qualification_matches(required: str, qualifications, on: dt.date) -> bool:
    """Whether one of ``qualifications`` ({name, expiry}) is ``required`` (or contains it) on ``on``."""
    required = (required or "").strip()
    for n, q in enumerate(qualifications or []):
        name = str(q.get("name") or "").strip()
        expiry = _date(q.get("expiry"), f"qualifications/{n}/expiry")
        if name and (name == required or required in name) and expiry >= on:
            return True
    return False


def subcontract_flags(
    *,
    kind: str,
    parent_kind: str | None = None,
    is_main_structure: bool = False,
    whole_works: bool = False,
    steel_structure: bool = False,
    required_qualification: str = "",
    qualifications=(),
    on,
) -> dict:
    """{"flags": [{code, kind: transfer|illegal, label, reason, basis}], "is_transfer", "is_illegal"}.

    ``parent_kind``: the kind of the contract this one subcontracts (``None`` for a first-level
    subcontract from the general contractor); ``qualifications``: the subcontractor's, each
    ``{"name", "expiry"}``; ``on``: the day the qualification must be valid (the signing)."""
    if kind not in (PROFESSIONAL, LABOUR):
        raise SubcontractInputError(gettext("字段 kind：应为 professional 或 labour"))
    if parent_kind not in (None, PROFESSIONAL, LABOUR):
        raise SubcontractInputError(gettext("字段 parent_kind：应为 professional、labour 或空"))
    on = _date(on, "on")
    required = (required_qualification or "").strip() or (LABOUR_QUALIFICATION if kind == LABOUR else "")
    if not required:
        raise SubcontractInputError(gettext("字段 required_qualification：专业分包须写明所需资质"))
    found = []
    if kind == PROFESSIONAL and whole_works:
        found.append(("whole_works", gettext("将承包的全部工程分包给他人")))
    if kind == PROFESSIONAL and is_main_structure and not steel_structure:
        found.append(("main_structure", gettext("将工程主体结构的施工分包给其他单位（钢结构工程除外）")))
    if not qualification_matches(required, qualifications, on):
        found.append(
            (
                "no_qualification",
                gettext("分包单位在 %(d)s 不具备有效的“%(q)s”资质") % {"d": on.isoformat(), "q": required},
            )
        )
    if parent_kind == PROFESSIONAL and kind == PROFESSIONAL:
        found.append(("professional_again", gettext("专业分包单位将其承包的专业工程中非劳务作业部分再分包")))
    if parent_kind == LABOUR:
        found.append(("labour_again", gettext("劳务分包单位将其承包的劳务再分包")))
    labels = {"transfer": gettext("转包"), "illegal": gettext("违法分包")}
    flags = [
        {
            "code": code,
            "kind": KIND_OF_FLAG[code],
            "label": labels[KIND_OF_FLAG[code]],
            "reason": reason,
            "basis": BASIS[code],
        }
        for code, reason in found
    ]
    return {
        "flags": flags,
        "is_transfer": any(f["kind"] == "transfer" for f in flags),
        "is_illegal": any(f["kind"] == "illegal" for f in flags),
        "required_qualification": required,
        "verified": False,
    }


@register_rule(
    "subcontract_flags",
    schema={
        "type": "object",
        "properties": {
            "kind": {"enum": [PROFESSIONAL, LABOUR], "description": "professional 专业分包 / labour 劳务分包"},
            "parent_kind": {
                "enum": [PROFESSIONAL, LABOUR, None],
                "description": "上一级分包合同的类型；总承包单位直接分包为 null",
            },
            "is_main_structure": {"type": "boolean", "description": "分包内容为主体结构施工"},
            "whole_works": {"type": "boolean", "description": "分包内容为承包的全部工程"},
            "steel_structure": {"type": "boolean", "description": "钢结构工程（主体结构分包的例外）"},
            "required_qualification": {"type": "string", "description": "分包工程所需资质（劳务缺省为 施工劳务）"},
            "qualifications": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"name": {"type": "string"}, "expiry": {"type": "string", "format": "date"}},
                    "required": ["name", "expiry"],
                    "additionalProperties": False,
                },
                "description": "分包单位持有的资质",
            },
            "on": {"type": "string", "format": "date", "description": "判定日期（资质须在该日有效）"},
        },
        "required": ["kind", "on"],
        "additionalProperties": False,
    },
    description=gettext_lazy("分包合同的转包、违法分包判定"),
    source="《建筑法》第二十八、二十九条；《建设工程质量管理条例》第七十八条；建市规〔2019〕1号 第八、十二条 [M]",
)
def subcontract_flags_rule(**kwargs) -> dict:
    return subcontract_flags(**kwargs)
