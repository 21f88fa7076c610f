import io
import json
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from anjian.common.geo import distance_m, wgs84_to_gcj02
from anjian.places.models import Division


def geojson_file(features) -> Path:
    tmp = tempfile.NamedTemporaryFile("w", suffix=".geojson", delete=False, encoding="utf-8")  # noqa: SIM115
    json.dump({"type": "FeatureCollection", "features": features}, tmp, ensure_ascii=False)
    tmp.close()
    return Path(tmp.name)


class DivisionTests(TestCase):
    def test_load_divisions_is_idempotent_and_has_the_eleven_towns_with_official_codes(self):
        out = io.StringIO()
        call_command("load_divisions", stdout=out)
        self.assertIn("新增 13", out.getvalue())
        call_command("load_divisions", stdout=out)
        self.assertIn("新增 0，更新 0", out.getvalue())
        towns = dict(Division.objects.filter(parent__code="310116").values_list("code", "name"))
        self.assertEqual(
            towns,
            {
                "310116001": "石化街道",
                "310116101": "朱泾镇",
                "310116102": "枫泾镇",
                "310116103": "张堰镇",
                "310116104": "亭林镇",
                "310116105": "吕巷镇",
                "310116107": "廊下镇",
                "310116109": "金山卫镇",
                "310116112": "漕泾镇",
                "310116113": "山阳镇",
                "310116503": "上海湾区高新技术产业开发区",
            },
        )
        self.assertTrue(all(d.lat and d.lng for d in Division.objects.filter(level="town")))

    def test_import_boundary_converts_gcj02_to_wgs84(self):
        call_command("load_divisions", stdout=io.StringIO())
        wgs = [(30.70, 121.20), (30.70, 121.40), (30.90, 121.40), (30.90, 121.20), (30.70, 121.20)]
        ring = [[round(g[1], 7), round(g[0], 7)] for g in (wgs84_to_gcj02(*p) for p in wgs)]
        path = geojson_file(
            [
                {
                    "type": "Feature",
                    "properties": {"adcode": 310116, "name": "金山区"},
                    "geometry": {"type": "Polygon", "coordinates": [ring]},
                }
            ]
        )
        out = io.StringIO()
        call_command("import_boundary", str(path), stdout=out)
        self.assertIn("金山区", out.getvalue())
        district = Division.objects.get(code="310116")
        first = district.boundary["coordinates"][0][0]
        self.assertLess(distance_m(first[1], first[0], *wgs[0]), 0.05)
        self.assertIn("GCJ02", district.boundary_source)

    def test_import_boundary_reports_bad_files_clearly(self):
        call_command("load_divisions", stdout=io.StringIO())
        bad = Path(tempfile.mkstemp(suffix=".geojson")[1])
        bad.write_text("{not json", encoding="utf-8")
        with self.assertRaisesMessage(CommandError, "不是有效的 JSON"):
            call_command("import_boundary", str(bad))
        unknown = geojson_file(
            [
                {
                    "type": "Feature",
                    "properties": {"adcode": 999999},
                    "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
                }
            ]
        )
        err = io.StringIO()
        with self.assertRaisesMessage(CommandError, "没有导入任何边界"):
            call_command("import_boundary", str(unknown), stderr=err)
        self.assertIn("找不到区划代码 999999", err.getvalue())
