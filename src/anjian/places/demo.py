"""Demo places: Jinshan District and its towns; the district boundary when the data file is present."""

from django.conf import settings

from anjian.places.models import Division
from anjian.places.services import boundary_import, divisions_load

BOUNDARY_FILE = "jinshan_310116_datav.geojson"  # DataV (GCJ-02); licence unknown, so never committed


def load(*, password, stdout) -> None:
    created, updated = divisions_load()
    stdout.write(f"区划：新增 {created}，更新 {updated}")
    path = settings.ANJIAN_DEMO_DATA_DIR / BOUNDARY_FILE
    district = Division.objects.get(code="310116")
    if district.boundary:
        stdout.write(f"边界：已有（{district.boundary_source}）")
    elif path.exists():
        report = boundary_import(path, crs="gcj02")
        stdout.write(f"边界：已从 {path} 导入 {', '.join(report.loaded)}")
    else:
        stdout.write(f"边界：未找到 {path}，地图将只显示街镇代表点（可用 anjian import_boundary 导入）")
