from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from anjian.common.audit import audit_context
from anjian.places.services import boundary_import


class Command(BaseCommand):
    help = (
        "导入行政区划边界 GeoJSON（DataV/高德数据为 GCJ-02，将转换为 WGS84 存储）。"
        " Import boundary polygons from a GeoJSON file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="GeoJSON FeatureCollection; features matched by properties.adcode")
        parser.add_argument("--crs", choices=["gcj02", "wgs84"], default="gcj02", help="坐标系（默认 gcj02）")
        parser.add_argument("--division", help="把所有要素都导入到这个区划代码（文件不带 adcode 时）")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        try:
            with audit_context(actor_name="import_boundary"):
                report = boundary_import(path, crs=opts["crs"], division_code=opts.get("division"))
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        for line in report.loaded:
            self.stdout.write(f"已导入：{line}")
        for line in report.skipped:
            self.stderr.write(f"已跳过：{line}")
        if not report.loaded:
            raise CommandError("没有导入任何边界")
