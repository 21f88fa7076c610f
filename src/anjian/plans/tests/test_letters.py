"""Responsibility letters (issued level by level, signed with the scan uploaded, who has not signed),
meetings whose decisions become tasks, and summons whose commitments become tasks."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anjian.common.attachments import attachment_add
from anjian.common.exceptions import DomainError, TransitionNotAllowed
from anjian.common.workflow import available_actions, transition
from anjian.plans import rules, services
from anjian.plans.choices import LetterStatus, MeetingKind, SummonsStatus, TaskSource
from anjian.plans.models import ResponsibilityLetter, Summons, Task
from anjian.plans.tests.helpers import assign, import_plan
from anjian.testing import AnjianTestCase

D = dt.date
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def scan():
    return SimpleUploadedFile("签字盖章扫描件.pdf", PDF, content_type="application/pdf")


def new_task_data(text, lead, limit, year=2021):
    parsed = rules.parse_time_limit(limit, year)
    return {
        "text": text,
        "lead_unit": lead,
        "co_units": [],
        "time_limit": limit,
        "end": parsed.end,
        "cadence": parsed.cadence,
        "milestones": [],
        "deliverables": "",
    }


class LetterTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = import_plan(cls.a)
        assign(cls.plan.tasks.get(code="2.1"), cls.a.safety, "6月底前")
        assign(cls.plan.tasks.get(code="6.1"), cls.a.gas, "9月底前", co=[cls.a.safety])
        assign(cls.plan.tasks.get(code="9.1"), cls.a.station, "年底前")

    def test_the_committee_issues_one_numbered_letter_per_unit_with_tasks_once(self):
        letters = services.letters_issue_level_one(actor=self.a.leader, plan=self.plan)
        self.assertEqual({letter.signee_unit for letter in letters}, {self.a.safety, self.a.gas, self.a.station})
        self.assertEqual(
            sorted(letter.number for letter in letters), ["金建责〔2021〕1号", "金建责〔2021〕2号", "金建责〔2021〕3号"]
        )
        safety = next(letter for letter in letters if letter.signee_unit == self.a.safety)
        self.assertEqual([r["code"] for r in safety.content["lead"]], ["2.1"])
        self.assertEqual([r["code"] for r in safety.content["co"]], ["6.1"])
        self.assertEqual(services.letters_issue_level_one(actor=self.a.leader, plan=self.plan), [])
        with self.assertRaises(PermissionDenied):
            services.letters_issue_level_one(actor=self.a.safety_head, plan=self.plan)

    def test_signing_needs_the_signee_and_the_uploaded_scan(self):
        letter = services.letter_issue(actor=self.a.leader, plan=self.plan, signee_unit=self.a.safety)
        with self.assertRaises(TransitionNotAllowed) as ctx:
            transition(letter, "sign", actor=self.a.safety_head, signed_on=letter.issued_on, signer_name="李科长")
        self.assertIn("扫描件", ctx.exception.message)
        attachment_add(actor=self.a.safety_staff, target=letter, uploaded_file=scan())
        with self.assertRaises(TransitionNotAllowed):
            transition(letter, "sign", actor=self.a.gas_staff, signed_on=letter.issued_on, signer_name="陈科员")
        transition(letter, "sign", actor=self.a.safety_head, signed_on=letter.issued_on, signer_name="李科长")
        letter.refresh_from_db()
        self.assertEqual((letter.status, letter.signer_name), (LetterStatus.SIGNED, "李科长"))

    def test_it_refuses_a_signing_day_before_the_issue_or_after_today_on_every_path(self):
        letter = services.letter_issue(actor=self.a.leader, plan=self.plan, signee_unit=self.a.safety)
        attachment_add(actor=self.a.safety_staff, target=letter, uploaded_file=scan())
        for day, code in ((letter.issued_on - dt.timedelta(days=1), "before_issue"), (D(2999, 1, 1), "future")):
            with self.subTest(code), self.assertRaises(ValidationError) as ctx:
                transition(letter, "sign", actor=self.a.safety_head, signed_on=day, signer_name="李科长")
            self.assertEqual(ctx.exception.error_dict["signed_on"][0].code, code)
        letter.refresh_from_db()
        self.assertEqual(letter.status, LetterStatus.ISSUED)

    def test_the_next_level_goes_to_a_sub_unit_or_a_supervised_enterprise_and_the_enterprise_signs(self):
        gas_letter = services.letter_issue(actor=self.a.leader, plan=self.plan, signee_unit=self.a.gas)
        with self.assertRaises(PermissionDenied):
            services.letter_issue(
                actor=self.a.safety_staff, plan=self.plan, signee_unit=self.a.enterprise2, parent=gas_letter
            )
        with self.assertRaises(ValidationError):
            services.letter_issue(actor=self.a.gas_staff, plan=self.plan, signee_unit=self.a.safety, parent=gas_letter)
        child = services.letter_issue(
            actor=self.a.gas_staff, plan=self.plan, signee_unit=self.a.enterprise2, parent=gas_letter
        )
        self.assertEqual((child.level, child.issuer_unit, child.content["kind"]), (2, self.a.gas, "enterprise"))
        self.assertEqual([r["code"] for r in child.content["inherited"]], ["6.1"])
        # The enterprise sees its own letter (and nothing else of the plan), and signs it.
        self.assertEqual(list(ResponsibilityLetter.objects.restrict(self.a.ent_user2)), [child])
        self.assertFalse(ResponsibilityLetter.objects.restrict(self.a.ent_user).exists())
        self.assertFalse(Task.objects.restrict(self.a.ent_user2).exists())
        attachment_add(actor=self.a.ent_user2, target=child, uploaded_file=scan())
        # The issuing unit's staff may see the letter, but signing is the signee's: no button, and refused.
        self.assertNotIn("sign", [a.name for a in available_actions(child, self.a.gas_staff)])
        self.assertIn("sign", [a.name for a in available_actions(child, self.a.ent_user2)])
        with self.assertRaises(TransitionNotAllowed) as ctx:
            transition(child, "sign", actor=self.a.gas_staff, signed_on=child.issued_on, signer_name="陈科员")
        self.assertEqual(ctx.exception.code, "not_party")
        transition(child, "sign", actor=self.a.ent_user2, signed_on=child.issued_on, signer_name="吴经理")
        self.assertEqual(ResponsibilityLetter.objects.get(pk=child.pk).status, LetterStatus.SIGNED)

    def test_the_unsigned_page_names_who_has_not_signed(self):
        letters = services.letters_issue_level_one(actor=self.a.leader, plan=self.plan)
        signed = next(letter for letter in letters if letter.signee_unit == self.a.safety)
        attachment_add(actor=None, target=signed, uploaded_file=scan())
        transition(signed, "sign", actor=None, signed_on=signed.issued_on, signer_name="李科长")
        assign(self.plan.tasks.get(code="14.1"), self.a.office, "年底前")  # a unit with no letter yet
        response = self.client_for(self.a.leader).get(reverse("plans:letters_unsigned"), {"plan": self.plan.pk})
        summary = response.context["summary"]
        self.assertEqual(summary, {"expected": 4, "signed": 1, "issued": 2, "missing": 1})
        self.assertContains(response, "未发出")
        # A unit sees its own line only: another unit's letter is outside its scope.
        staff = self.client_for(self.a.gas_staff).get(reverse("plans:letters_unsigned"), {"plan": self.plan.pk})
        self.assertEqual([e["unit"] for e in staff.context["expected"]], [self.a.gas])
        # The enterprise user is not shown the committee's list.
        self.assertEqual(
            self.client_for(self.a.ent_user).get(reverse("plans:letters_unsigned"), {"plan": self.plan.pk}).status_code,
            404,
        )


class MeetingAndSummonsTests(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = import_plan(cls.a)

    def test_a_meetings_decisions_become_tasks(self):
        meeting = services.meeting_save(
            actor=self.a.leader,
            data={
                "plan": self.plan,
                "kind": MeetingKind.REGULAR,
                "title": "一季度工作例会",
                "held_on": D(2021, 3, 26),
                "location": "",
                "host": "王领导",
                "attendees": "",
                "organiser_unit": self.a.committee,
                "minutes": "部署专项整治",
                "units": [self.a.safety, self.a.gas],
            },
        )
        task = services.decision_add(
            actor=self.a.leader, meeting=meeting, data=new_task_data("4月底前更新两个清单", self.a.safety, "4月底前")
        )
        self.assertEqual(
            (task.source, task.meeting, task.code, task.deadline),
            (TaskSource.MEETING, meeting, f"H{meeting.pk}.1", D(2021, 4, 30)),
        )
        self.assertTrue(Task.objects.restrict(self.a.safety_staff).filter(pk=task.pk).exists())
        with self.assertRaises(PermissionDenied):
            services.decision_add(
                actor=self.a.gas_staff, meeting=meeting, data=new_task_data("x", self.a.gas, "年底前")
            )
        page = self.client_for(self.a.safety_staff).get(meeting.get_absolute_url())
        self.assertContains(page, "4月底前更新两个清单")

    def test_a_summons_is_held_and_its_commitments_are_tracked(self):
        summons = services.summons_create(
            actor=self.a.leader,
            data={
                "plan": self.plan,
                "task": None,
                "target_unit": self.a.enterprise,
                "target_person": "",
                "organiser_unit": self.a.committee,
                "interviewers": "",
                "reason": "高处坠落隐患整改不力",
            },
        )
        with self.assertRaises(DomainError):
            services.commitment_add(
                actor=self.a.leader, summons=summons, data=new_task_data("x", self.a.enterprise, "年底前")
            )
        with self.assertRaises(TransitionNotAllowed):
            transition(
                summons,
                "hold",
                actor=self.a.safety_head,
                held_on=D(2021, 5, 10),
                interviewers="李",
                target_person="周经理",
                content="…",
            )
        transition(
            summons,
            "hold",
            actor=self.a.leader,
            held_on=D(2021, 5, 10),
            interviewers="王领导",
            target_person="周经理（项目经理）",
            content="要求限期整改",
        )
        summons.refresh_from_db()
        self.assertEqual(summons.status, SummonsStatus.HELD)
        task = services.commitment_add(
            actor=self.a.leader,
            summons=summons,
            data=new_task_data("6月底前完成临边防护整改", self.a.enterprise, "6月底前"),
        )
        self.assertEqual(
            (task.source, task.lead_unit, task.code), (TaskSource.SUMMONS, self.a.enterprise, f"Y{summons.pk}.1")
        )
        self.assertFalse(Task.objects.restrict(self.a.ent_user).exists())  # the enterprise sees no tasks
        self.assertFalse(Summons.objects.restrict(self.a.ent_user).exists())
