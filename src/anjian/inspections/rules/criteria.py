"""The inspection criteria as versioned data (RULES.md §0): ``data/criteria/*.json``, one file per
standard and version, read through the registry the hazards engines use (``hazards.rules``), so a
version is chosen, reported and made loadable in one way for every standard."""

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
