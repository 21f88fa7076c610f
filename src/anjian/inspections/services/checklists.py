"""Checklists from their data files (``data/checklists/*.json``) into the ``Checklist`` tables.

A JGJ 59 file names the criteria it comes from (``from_criteria``); its items — sub-table, 保证项目 or
一般项目, name, full marks — are generated from those criteria (the scoring rule's own data file), so
the numbers exist in one place. A pass/fail file lists its items with their basis. Loading is
idempotent: a (code, version) already stored is left as it is (inspections keep the version they were
run under; a correction is a new version).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from anjian.common.services import service
from anjian.common.validation import clean_many
from anjian.hazards.rules import get_criteria
from anjian.inspections.models import Checklist, ChecklistItem, ChecklistKind
from anjian.inspections.rules.jgj59 import STANDARD as JGJ59

CHECKLIST_DIR = Path(__file__).resolve().parents[1] / "data" / "checklists"


def jgj59_items(version: str) -> list[dict]:
    """The items of every sub-table of the JGJ 59 criteria ``version``, in the summary's order."""
    criteria = get_criteria(JGJ59, version)
    items = []
    for category in criteria["categories"]:
        for code in category["tables"]:
            table = criteria["tables"][code]
            for section in ("guarantee", "general"):
                for index, (name, full) in enumerate(table.get(section, [])):
                    items.append(
                        {
                            "code": f"{code}/{'g' if section == 'guarantee' else 'y'}{index + 1}",
                            "group": code,
                            "group_title": table["title"],
                            "category": category["key"],
                            "category_label": category["label"],
                            "section": section,
                            "index": index,
                            "name": name,
                            "points": full,
                            "basis": f"JGJ 59-{version} 附录B {code}《{table['title']}》",
                            "verified": bool(table.get("verified")),
                        }
                    )
    return items


def read_file(path: Path) -> tuple[dict, list[dict]]:
    """A checklist file's header and items (JGJ 59 items generated from the criteria it names)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    source = data.get("from_criteria")
    if source:
        if source.get("standard") != JGJ59:
            raise ValidationError(
                _("检查表 %(f)s：不支持的评分标准 %(s)s") % {"f": path.name, "s": source.get("standard")}
            )
        items = jgj59_items(str(source["version"]))
    else:
        items = [
            {**item, "group_title": item.get("group", ""), "points": None, "section": ""}
            for item in data.get("items", [])
        ]
    if not items:
        raise ValidationError(_("检查表 %(f)s：没有检查项目") % {"f": path.name})
    return data, items


@service
def checklist_load(*, actor, path: Path) -> tuple[Checklist, bool]:
    """Store one checklist file; returns (checklist, created). An existing (code, version) is kept."""
    data, items = read_file(path)
    existing = Checklist.objects.filter(code=data["code"], version=str(data["version"])).first()
    if existing is not None:
        return existing, False
    source = data.get("from_criteria") or {}
    checklist = Checklist(
        code=data["code"],
        name=data["name"],
        version=str(data["version"]),
        kind=data.get("kind") or (ChecklistKind.JGJ59 if source else ChecklistKind.PASS_FAIL),
        sector=data.get("sector", "other"),
        basis=data.get("basis", ""),
        effective_date=dt.date.fromisoformat(data["effective_date"]) if data.get("effective_date") else None,
        criteria_standard=source.get("standard", ""),
        criteria_version=str(source.get("version", "")),
        note=data.get("note", ""),
        source_file=path.name,
    )
    checklist.full_clean()
    checklist.save()
    rows = [
        ChecklistItem(
            checklist=checklist,
            order=order,
            code=item["code"],
            group=item.get("group", ""),
            group_title=item.get("group_title", ""),
            category=item.get("category", ""),
            category_label=item.get("category_label", ""),
            section=item.get("section", ""),
            index=item.get("index", order),
            name=item["name"],
            points=item.get("points"),
            basis=item.get("basis", ""),
            verified=bool(item.get("verified")),
        )
        for order, item in enumerate(items, start=1)
    ]
    errors = clean_many(rows, exclude=("checklist",))
    if errors:
        index, error = next(iter(errors.items()))
        raise ValidationError(_("检查表 %(f)s 第 %(n)s 项：%(e)s") % {"f": path.name, "n": index + 1, "e": error})
    ChecklistItem.objects.bulk_create(rows)
    return checklist, True


def checklists_sync(*, actor=None, directory: Path = CHECKLIST_DIR) -> list[tuple[Checklist, bool]]:
    """Every packaged checklist file, loaded when its (code, version) is not stored yet."""
    return [checklist_load(actor=actor, path=path) for path in sorted(directory.glob("*.json"))]
