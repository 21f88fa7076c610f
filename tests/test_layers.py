"""The import direction of the layers (README "For developers"): config → domain apps (… construction →
buildings → plans|hazards) → accounts → orgs → places → common. ``lint-imports`` checks the contract in
pyproject.toml; the suite runs it so a circle or an upward import fails the build, not a later reader."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_layers_import_downward_only():
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    result = subprocess.run(
        [command, "--no-cache", "--no-logo"], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_buildings_sits_between_construction_and_the_hazards():
    """construction re-exports the curtain-wall rule from buildings; buildings uses the hazards'
    unit lookups — so buildings is one layer below construction and above plans|hazards."""
    import tomllib

    layers = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"][0]["layers"]
    position = {name.strip(): n for n, layer in enumerate(layers) for name in layer.split("|")}
    assert position["anjian.construction"] < position["anjian.buildings"] < position["anjian.hazards"]
    assert position["anjian.buildings"] < position["anjian.plans"]


def test_the_special_periods_sit_with_the_plans_and_hazards():
    """An inspection draw scales its ratio by ``periods.selectors.multiplier_on``: periods is below
    inspections and construction, on the layer of plans|hazards, above accounts."""
    import tomllib

    layers = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"][0]["layers"]
    position = {name.strip(): n for n, layer in enumerate(layers) for name in layer.split("|")}
    assert position["anjian.periods"] == position["anjian.hazards"] == position["anjian.plans"]
    assert position["anjian.inspections"] < position["anjian.periods"] < position["anjian.accounts"]
