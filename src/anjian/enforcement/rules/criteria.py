"""The enforcement criteria as versioned data (RULES.md §0, §9): ``data/criteria/*.json`` — the
discretion method (levels, 第32条 factors, 第33条 exemptions) and the legal-review thresholds — read
through the criteria registry every engine uses (``hazards.rules``)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from anjian.hazards.rules import register_criteria_source

CRITERIA_DIR = Path(__file__).resolve().parents[1] / "data" / "criteria"


@cache
def packaged_criteria() -> dict[tuple[str, str], dict]:
    out = {}
    for path in sorted(CRITERIA_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out[(data["standard"], data["version"])] = data
    return out


register_criteria_source(packaged_criteria)
