"""The construction dashboard's glass-curtain-wall figure (issue 9 item 3): walls with a check or appraisal
overdue or due within 90 days, counted over the reader's scope — equal to the buildings registry's own
overdue list for the same reader."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from anjian.buildings.models import CurtainWall
from anjian.buildings.tests.helpers import new_wall
from anjian.construction import dashboard
from anjian.testing import AnjianTestCase

TODAY = timezone.localdate()


class CurtainWallFigureTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        a = cls.a
        new_wall(a)  # accepted three years ago, never checked
        new_wall(a, accepted=TODAY - dt.timedelta(days=30))
        new_wall(a, unit=a.gas, town=a.places.tinglin)

    def overdue_list(self, user) -> set[int]:
        table = self.client_for(user).get(reverse("buildings:wall_overdue")).context["table"]
        return {wall.pk for wall in table.data}

    def test_the_figure_is_the_overdue_list_of_the_same_reader(self):
        overdue = CurtainWall.objects.filter(next_due_on__lt=TODAY).count()
        self.assertGreater(overdue, 0)
        for user in (self.a.leader, self.a.safety_staff, self.a.gas_staff):
            figure = dashboard.curtain_walls_due(user, TODAY)
            self.assertEqual(figure["overdue"], len(self.overdue_list(user)), user.username)
        self.assertEqual(dashboard.curtain_walls_due(self.a.leader, TODAY)["overdue"], overdue)
        self.assertLess(
            dashboard.curtain_walls_due(self.a.gas_staff, TODAY)["overdue"],
            dashboard.curtain_walls_due(self.a.leader, TODAY)["overdue"],
        )

    def test_the_dashboard_shows_it_with_a_link_to_the_overdue_list(self):
        response = self.client_for(self.a.leader).get(reverse("construction:dashboard"))
        self.assertContains(response, 'data-testid="curtain-walls-due"')
        self.assertContains(response, reverse("buildings:wall_overdue"))
        self.assertEqual(response.context["curtain_walls"], dashboard.curtain_walls_due(self.a.leader, TODAY))
