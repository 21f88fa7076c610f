"""The home page's "my recent actions": what was done, in words, on which object, with a link to it."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from anjian.common import audit
from anjian.common.workflow import transition
from anjian.hazards.tests.helpers import new_hazard
from anjian.testing import AnjianTestCase


class RecentActionsTests(AnjianTestCase):
    def test_each_entry_names_links_and_says_what_was_done(self):
        with audit.audit_context(actor=self.a.safety_staff, request_id="req-create-0001"):
            hazard = new_hazard(self.a)
        with audit.audit_context(actor=self.a.safety_staff, request_id="req-assign-0001"):
            transition(
                hazard,
                "assign",
                actor=self.a.safety_staff,
                responsible_enterprise=self.a.enterprise,
                deadline=timezone.localdate() + dt.timedelta(days=15),
            )
        response = self.client_for(self.a.safety_staff).get(reverse("home"))
        actions = response.context["recent_actions"]
        # The step (transition + the update it wrote) is one entry, in the workflow's own verb.
        self.assertEqual([a.verb for a in actions][:2], ["交办", "新增"])
        self.assertEqual(actions[0].url, hazard.get_absolute_url())
        self.assertIn(hazard.number, actions[0].name)
        html = response.content.decode()
        self.assertIn(f'<a href="{hazard.get_absolute_url()}">{hazard.number} {hazard.title}</a>', html)
        self.assertNotIn("状态变更", html)

    def test_an_object_out_of_scope_is_named_but_not_linked(self):
        with audit.audit_context(actor=self.a.ent_user, request_id="req-other-0001"):
            hazard = new_hazard(self.a, enterprise=self.a.enterprise2)
        actions = self.client_for(self.a.ent_user).get(reverse("home")).context["recent_actions"]
        self.assertEqual(actions[0].url, None)
        self.assertIn(hazard.title, actions[0].name)
