"""The town scope kind (本街镇辖区): a town government's staff sees the hazards that lie in its town,
whoever supervises them, and nothing outside it — by list, detail, API, export and figures."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

from anjian.hazards.choices import HazardStatus
from anjian.hazards.tests.helpers import drive, new_hazard
from anjian.orgs.choices import DataScope, Role
from anjian.orgs.models import RoleAssignment
from anjian.testing import AnjianTestCase, ScopedViewTests, _user


class TownScopeTests(ScopedViewTests, AnjianTestCase):
    list_url = "hazards:hazard_list"
    detail_url = "hazards:hazard_detail"
    api_basename = "hazard"
    export_key = "number"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        a = cls.a
        cls.town_staff = _user("town_staff", "钱镇干部", a.town, Role.UNIT_STAFF, DataScope.OWN_TOWN)
        # Supervised by the gas unit, not by the town — but it lies in 朱泾镇.
        cls.in_town = drive(new_hazard(a, title="朱泾镇的隐患", unit=a.gas), HazardStatus.RECTIFYING)
        cls.elsewhere = drive(
            new_hazard(a, title="亭林镇的隐患", enterprise=a.enterprise2, town=a.places.tinglin),
            HazardStatus.RECTIFYING,
        )

    def scope_case(self):
        return self.town_staff, self.in_town, self.elsewhere

    def test_figures_count_only_the_towns_hazards(self):
        body = self.client_for(self.town_staff).get(reverse("hazards:figure_data", args=["rates"])).json()
        self.assertEqual(body["data"]["total"], 1)

    def test_the_town_scope_opens_units_located_in_the_town(self):
        from anjian.orgs.models import OrgUnit

        visible = set(OrgUnit.objects.restrict(self.town_staff, "view").values_list("name", flat=True))
        self.assertIn("甲建设公司", visible)  # an enterprise in 朱泾镇
        self.assertIn("朱泾镇", visible)
        self.assertNotIn("乙燃气公司", visible)  # in 亭林镇
        self.assertNotIn("安全监管科", visible)

    def test_the_town_scope_is_granted_only_on_a_town_with_a_division(self):
        grant = RoleAssignment(user=self.town_staff, role=Role.UNIT_STAFF, unit=self.a.safety, scope=DataScope.OWN_TOWN)
        with self.assertRaises(ValidationError) as caught:
            grant.full_clean()
        self.assertEqual(caught.exception.error_dict["scope"][0].code, "scope_town")
