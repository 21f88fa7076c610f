"""The demo: the source notice as the 2021 plan, assigned to the demo units, a year of progress
replayed through the services; loading it twice changes nothing."""

import io
from importlib import import_module

from anjian.common import audit
from anjian.common.models import AuditEvent, Escalation
from anjian.plans.choices import LetterStatus, ProgressStatus
from anjian.plans.models import Bulletin, ProgressReport, ResponsibilityLetter, SupervisionNotice, Task, WorkPlan
from anjian.testing import AnjianTransactionTestCase


def load(out):
    with audit.audit_context(actor_name="load_demo"):
        for app in ("places", "orgs", "plans"):
            import_module(f"anjian.{app}.demo").load(password=None, stdout=out)


class DemoTests(AnjianTransactionTestCase):
    def test_the_demo_plan_is_live_and_loading_again_changes_nothing(self):
        out = io.StringIO()
        load(out)
        plan = WorkPlan.objects.get()
        self.assertEqual((plan.document_number, plan.year), ("金建发〔2021〕6号", 2021))
        self.assertEqual(plan.tasks.filter(source="notice").count(), 52)
        self.assertFalse(plan.tasks.filter(lead_unit__isnull=True).exists())
        self.assertGreater(ProgressReport.objects.filter(status=ProgressStatus.APPROVED).count(), 100)
        self.assertTrue(ProgressReport.objects.filter(status=ProgressStatus.SUBMITTED).exists())  # for the head's 待办
        self.assertTrue(SupervisionNotice.objects.filter(escalation__isnull=False).exists())
        self.assertTrue(Escalation.objects.filter(content_type__model="task", as_of__year=2021).exists())
        self.assertTrue(ResponsibilityLetter.objects.filter(status=LetterStatus.SIGNED).exists())
        self.assertTrue(ResponsibilityLetter.objects.filter(status=LetterStatus.ISSUED).exists())
        self.assertEqual(Bulletin.objects.filter(number__startswith="金建安通〔2021〕").count(), 10)
        from anjian.orgs.demo import DEFAULT_PASSWORD
        from anjian.orgs.models import User

        # One hash for the one demo password (PBKDF2 once, not per account), and it logs in.
        self.assertEqual(User.objects.values("password").distinct().count(), 1)
        self.assertTrue(User.objects.get(username="ent_user").check_password(DEFAULT_PASSWORD))
        done = Task.objects.filter(status="done").count()
        self.assertTrue(0 < done < Task.objects.count())
        events = AuditEvent.objects.count()
        load(io.StringIO())
        self.assertEqual(AuditEvent.objects.count(), events)
        self.assertTrue(audit.verify().ok)
