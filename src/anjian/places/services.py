"""Loading administrative divisions and their boundaries."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from anjian.common.geo import gcj02_to_wgs84, map_geometry
from anjian.places.models import Division, DivisionLevel

BUNDLED = Path(__file__).resolve().parent / "data" / "divisions_310116.csv"


@transaction.atomic
def divisions_load(path: Path = BUNDLED) -> tuple[int, int]:
    """Create or update divisions from a CSV (code,name,level,parent_code,lat,lng,point_source,sort_order).

    Idempotent: rows are matched by code; unchanged rows are not written. Returns (created, updated).
    """
    created = updated = 0
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    errors = {}
    for n, row in enumerate(rows, start=2):
        if row.get("level") not in DivisionLevel.values:
            errors[f"第 {n} 行 level"] = f"应为 {'/'.join(DivisionLevel.values)}"
    if errors:
        raise ValidationError(errors)
    for row in rows:
        parent = Division.objects.get(code=row["parent_code"]) if row.get("parent_code") else None
        values = {
            "name": row["name"],
            "level": row["level"],
            "parent": parent,
            "lat": Decimal(row["lat"]) if row.get("lat") else None,
            "lng": Decimal(row["lng"]) if row.get("lng") else None,
            "point_source": row.get("point_source", ""),
            "sort_order": int(row.get("sort_order") or 0),
        }
        division = Division.objects.filter(code=row["code"]).first()
        if division is None:
            division = Division(code=row["code"], **values)
            division.full_clean()
            division.save()
            created += 1
            continue
        changed = {k: v for k, v in values.items() if getattr(division, k) != v}
        if changed:
            for k, v in changed.items():
                setattr(division, k, v)
            division.version += 1
            division.full_clean()
            division.save()
            updated += 1
    return created, updated


@dataclass
class BoundaryReport:
    loaded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _read_geojson(path: Path) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"无法读取文件 {path}：{exc}") from exc
    except json.JSONDecodeError as exc:
        raise ValidationError(f"{path} 不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）：{exc.msg}") from exc
    if data.get("type") == "Feature":
        data = {"type": "FeatureCollection", "features": [data]}
    if data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise ValidationError(f"{path} 不是 GeoJSON FeatureCollection")
    return data


@transaction.atomic
def boundary_import(path: Path, *, crs: str = "gcj02", division_code: str | None = None) -> BoundaryReport:
    """Load Polygon/MultiPolygon boundaries, matched to divisions by ``adcode``/``code`` (or the one given).

    DataV/Amap files are GCJ-02 and are converted to WGS84, the datum Anjian stores.
    """
    if crs not in {"gcj02", "wgs84"}:
        raise ValidationError("坐标系只能是 gcj02 或 wgs84")
    data = _read_geojson(path)
    report = BoundaryReport()
    for n, feature in enumerate(data["features"], start=1):
        props = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        code = division_code or str(props.get("adcode") or props.get("code") or "")
        label = props.get("name") or code or f"要素 {n}"
        if geometry.get("type") not in {"Polygon", "MultiPolygon"}:
            report.skipped.append(f"{label}：几何类型 {geometry.get('type')} 不是面")
            continue
        division = Division.objects.filter(code=code).first() if code else None
        if division is None and props.get("name"):
            division = Division.objects.filter(name=props["name"]).first()
        if division is None:
            report.skipped.append(f"{label}：找不到区划代码 {code or '（无）'}，请先加载区划")
            continue
        try:
            converted = (
                map_geometry(geometry, gcj02_to_wgs84)
                if crs == "gcj02"
                else map_geometry(geometry, lambda a, b: (a, b))
            )
        except (TypeError, IndexError, KeyError, ValueError) as exc:
            raise ValidationError(f"{label}：坐标格式错误（{exc}）") from exc
        division.boundary = converted
        division.boundary_source = f"{Path(path).name}（{crs.upper()} → WGS84）"[:200]
        division.version += 1
        division.save()
        report.loaded.append(f"{division.name}（{division.code}）")
    return report
