"""A hazard's number is what people quote: /hazards/<number>/ opens it, within the same scope as its id."""

from __future__ import annotations

from django.urls import reverse

from anjian.hazards.tests.helpers import drive, new_hazard
from anjian.testing import AnjianTestCase


class HazardByNumberTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.hazard = drive(new_hazard(cls.a), "assigned")

    def url(self):
        return reverse("hazards:hazard_by_number", args=[self.hazard.number])

    def test_the_number_opens_the_hazard(self):
        self.assertEqual(self.url(), f"/hazards/{self.hazard.number}/")
        for user in (self.a.leader, self.a.safety_staff, self.a.ent_user):
            with self.subTest(user=user.username):
                response = self.client_for(user).get(self.url())
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, self.hazard.number)
                self.assertEqual(response.context["object"], self.hazard)

    def test_another_enterprises_user_gets_404_by_number(self):
        self.assertEqual(self.client_for(self.a.ent_user2).get(self.url()).status_code, 404)
        self.assertEqual(self.client_for(self.a.other_staff).get(self.url()).status_code, 404)

    def test_an_unknown_number_is_404(self):
        self.assertEqual(self.client_for(self.a.leader).get("/hazards/YH-1999-000001/").status_code, 404)

    def test_anonymous_users_are_sent_to_log_in(self):
        self.assertEqual(self.client.get(self.url()).status_code, 302)
