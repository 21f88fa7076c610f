import json

from django.conf import settings
from django.test import SimpleTestCase

from anjian.common import geo


class GeoTests(SimpleTestCase):
    def test_gcj02_is_a_few_hundred_metres_off_wgs84_in_jinshan_and_converts_back(self):
        wgs = (30.7417, 121.3416)
        gcj = geo.wgs84_to_gcj02(*wgs)
        offset = geo.distance_m(*wgs, *gcj)
        self.assertGreater(offset, 300)
        self.assertLess(offset, 800)
        back = geo.gcj02_to_wgs84(*gcj)
        self.assertLess(geo.distance_m(*wgs, *back), 0.01)

    def test_outside_china_nothing_changes(self):
        self.assertEqual(geo.wgs84_to_gcj02(48.8584, 2.2945), (48.8584, 2.2945))
        self.assertEqual(geo.gcj02_to_wgs84(48.8584, 2.2945), (48.8584, 2.2945))

    def test_known_reference_point(self):
        # Widely used reference pair (Tiananmen): WGS84 39.90734, 116.39089 ↔ GCJ-02 about 39.90874, 116.39713.
        lat, lng = geo.wgs84_to_gcj02(39.90734, 116.39089)
        self.assertAlmostEqual(lat, 39.90874, places=3)
        self.assertAlmostEqual(lng, 116.39713, places=3)

    def test_point_in_polygon_with_a_hole(self):
        square = {
            "type": "Polygon",
            "coordinates": [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]],
        }
        self.assertTrue(geo.point_in_geometry(2, 2, square))
        self.assertFalse(geo.point_in_geometry(5, 5, square))
        self.assertFalse(geo.point_in_geometry(11, 5, square))

    def test_map_geometry_keeps_structure(self):
        g = {"type": "MultiPolygon", "coordinates": [[[[121.0, 30.0], [121.1, 30.0], [121.1, 30.1], [121.0, 30.0]]]]}
        out = geo.map_geometry(g, geo.gcj02_to_wgs84)
        self.assertEqual(out["type"], "MultiPolygon")
        self.assertEqual(len(out["coordinates"][0][0]), 4)
        self.assertNotEqual(out["coordinates"][0][0][0], [121.0, 30.0])

    def test_town_points_lie_inside_the_district_boundary_when_the_data_file_is_present(self):
        import csv
        from pathlib import Path

        path = settings.ANJIAN_DEMO_DATA_DIR / "jinshan_310116_datav.geojson"
        if not path.exists():
            self.skipTest(f"{path} not present (its licence is unknown; it is never required)")
        feature = json.loads(path.read_text(encoding="utf-8"))["features"][0]
        boundary = geo.map_geometry(feature["geometry"], geo.gcj02_to_wgs84)
        csv_path = Path(geo.__file__).resolve().parents[1] / "places" / "data" / "divisions_310116.csv"
        rows = list(csv.DictReader(csv_path.read_text(encoding="utf-8").splitlines()))
        for row in rows:
            if row["level"] == "town":
                with self.subTest(town=row["name"]):
                    self.assertTrue(geo.point_in_geometry(float(row["lat"]), float(row["lng"]), boundary))
