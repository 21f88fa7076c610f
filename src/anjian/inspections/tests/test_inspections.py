"""Field inspections: checklists from data, the team rule, the workflow and who may take each step,
the JGJ 59 score on submit against the rule itself, finding → hazard pre-filled and linked, photos
hashed and watermarked, and scope (an out-of-scope id is a 404; enterprises only after publication)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from PIL import Image

from anjian.common.exceptions import TransitionNotAllowed
from anjian.common.scope import can, can_many
from anjian.common.workflow import transition
from anjian.construction.tests.helpers import new_project
from anjian.hazards.models import Hazard, HazardPhoto
from anjian.inspections import watermark
from anjian.inspections.models import Checklist, ChecklistItem, Finding, Inspection, InspectionStatus
from anjian.inspections.rules import score_summary, score_table
from anjian.inspections.services import checklists as checklist_services
from anjian.inspections.services import inspections as services
from anjian.inspections.tests.helpers import officer
from anjian.testing import AnjianTestCase


def png(colour=(200, 30, 30), size=(640, 480)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, format="PNG")
    return buf.getvalue()


def upload(data: bytes | None = None, name="site.png"):
    return SimpleUploadedFile(name, data or png(), content_type="image/png")


class FieldCase(AnjianTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        a = cls.a
        checklist_services.checklists_sync()
        cls.jgj = Checklist.objects.get(code="jgj59")
        cls.fire = Checklist.objects.get(code="fire")
        cls.o1 = officer(a, "insb_o1", cert_no="沪建执 9001").user
        cls.o2 = officer(a, "insb_o2", cert_no="沪建执 9002").user
        cls.o3 = officer(a, "insb_o3", cert_no="沪建执 9003").user  # same unit, not on the team
        cls.project = new_project(a, unit=a.station, name="朱泾示例住宅")
        cls.other_project = new_project(a, unit=a.station, contractor=a.enterprise2, name="亭林示例厂房")
        cls.safety_project = new_project(a, unit=a.safety, name="安全科监管项目")

    def make(self, *, checklist=None, project=None, members=None, actor=None):
        # The system registers them (as a draw does): the organising unit's head does not see the
        # 监督站's projects, which the page and API tests show it cannot register inspections of.
        return services.inspection_create(
            actor=actor,
            data={
                "project": project or self.project,
                "unit": self.a.safety,
                "checklist": checklist or self.jgj,
                "planned_on": timezone.localdate(),
            },
            members=members or [self.o1, self.o2],
        )

    def started(self, **kwargs):
        inspection = self.make(**kwargs)
        return transition(inspection, "start", actor=self.o1)


class ChecklistTests(FieldCase):
    def test_jgj59_items_come_from_the_scoring_criteria(self):
        from anjian.hazards.rules import get_criteria

        criteria = get_criteria("jgj59", "2011")
        expected = sum(len(t["guarantee"]) + len(t["general"]) for t in criteria["tables"].values())
        self.assertEqual(self.jgj.items.count(), expected)
        first = self.jgj.items.get(code="B.1/g1")
        self.assertEqual(first.name, criteria["tables"]["B.1"]["guarantee"][0][0])
        self.assertEqual(float(first.points), criteria["tables"]["B.1"]["guarantee"][0][1])
        self.assertEqual(first.section, "guarantee")
        self.assertEqual(first.category, "safety_mgmt")
        self.assertFalse(self.jgj.items.get(code="B.13/y1").section == "guarantee")

    def test_pass_fail_checklists_carry_a_basis_per_item(self):
        for code in ("gas", "underground", "fire"):
            checklist = Checklist.objects.get(code=code)
            self.assertEqual(checklist.kind, "pass_fail")
            items = list(checklist.items.all())
            self.assertGreater(len(items), 5)
            self.assertTrue(all(i.basis and i.points is None for i in items), code)

    def test_loading_again_changes_nothing(self):
        before = ChecklistItem.objects.count()
        results = checklist_services.checklists_sync()
        self.assertTrue(all(not created for _c, created in results))
        self.assertEqual(ChecklistItem.objects.count(), before)


class TeamAndWorkflowTests(FieldCase):
    def test_a_team_needs_two_certified_officers(self):
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError) as ctx:
            self.make(members=[self.o1])
        self.assertIn("members", ctx.exception.message_dict)
        uncertified = officer(self.a, "insb_expired", valid_days=-1).user
        with self.assertRaises(ValidationError) as ctx:
            self.make(members=[self.o1, uncertified])
        self.assertIn("insb_expired", " ".join(ctx.exception.message_dict["members"]))

    def test_a_project_outside_the_creators_scope_is_refused(self):
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError) as ctx:
            self.make(actor=self.a.safety_head)  # the 监督站's project
        self.assertIn("project", ctx.exception.message_dict)
        made = self.make(actor=self.a.safety_head, project=self.safety_project)
        self.assertEqual(made.status, "planned")

    def test_only_the_team_starts_and_submits(self):
        inspection = self.make()
        with self.assertRaises(TransitionNotAllowed):
            transition(inspection, "start", actor=self.o3)  # an officer of the unit, not on the team
        with self.assertRaises(TransitionNotAllowed):
            transition(inspection, "start", actor=self.a.safety_head)  # role: not an officer
        transition(inspection, "start", actor=self.o2)
        self.assertEqual(inspection.status, InspectionStatus.IN_PROGRESS)
        self.assertIsNotNone(inspection.started_at)

    def test_review_and_publish_are_the_unit_heads(self):
        inspection = self.started(checklist=self.fire)
        item = self.fire.items.first()
        services.answers_save(actor=self.o1, inspection=inspection, answers=[{"item": item, "result": "pass"}])
        transition(inspection, "submit", actor=self.o1)
        with self.assertRaises(TransitionNotAllowed):
            transition(inspection, "review", actor=self.o1)
        with self.assertRaises(TransitionNotAllowed):
            transition(inspection, "return", actor=self.a.safety_head)  # needs a reason
        transition(inspection, "return", actor=self.a.safety_head, reason="补拍照片")
        self.assertEqual(inspection.status, InspectionStatus.IN_PROGRESS)
        transition(inspection, "submit", actor=self.o2)
        transition(inspection, "review", actor=self.a.safety_head)
        transition(inspection, "publish", actor=self.a.safety_head)
        self.assertEqual(inspection.status, InspectionStatus.PUBLISHED)
        self.assertEqual(
            [t.action for t in inspection.transitions.order_by("at", "id")],
            ["start", "submit", "return", "submit", "review", "publish"],
        )

    def test_nothing_is_recorded_before_the_start_or_by_others(self):
        from django.core.exceptions import PermissionDenied

        from anjian.common.exceptions import DomainError

        inspection = self.make(checklist=self.fire)
        item = self.fire.items.first()
        with self.assertRaises(DomainError):
            services.answers_save(actor=self.o1, inspection=inspection, answers=[{"item": item, "result": "pass"}])
        transition(inspection, "start", actor=self.o1)
        with self.assertRaises(PermissionDenied):
            services.answers_save(actor=self.o3, inspection=inspection, answers=[{"item": item, "result": "pass"}])

    def test_submit_without_answers_is_refused(self):
        inspection = self.started(checklist=self.fire)
        with self.assertRaises(TransitionNotAllowed) as ctx:
            transition(inspection, "submit", actor=self.o1)
        self.assertIn("尚未记录", str(ctx.exception))


class ScoreTests(FieldCase):
    def test_the_score_on_submit_is_the_rules(self):
        inspection = self.started()
        items = {i.code: i for i in self.jgj.items.all()}
        # 安全管理 (B.1): every guarantee item 9, one general item missing, the others 9
        answers = [{"item": items[f"B.1/g{n}"], "points": 9} for n in range(1, 7)]
        answers += [{"item": items[f"B.1/y{n}"], "points": 9} for n in range(1, 4)]
        # 施工用电 (B.14): a guarantee item at 0 → the table scores 0
        b14 = [i for i in items.values() if i.group == "B.14"]
        answers += [{"item": i, "points": 0 if i.code == "B.14/g1" else float(i.points)} for i in b14]
        services.answers_save(actor=self.o1, inspection=inspection, answers=answers)
        transition(inspection, "submit", actor=self.o1)
        inspection.refresh_from_db()

        b1 = score_table(table="B.1", guarantee=[9] * 6, general=[9, 9, 9, None], version="2011")
        self.assertEqual(b1["score"], 90.0)  # RULES.md §2's example
        g14 = [0 if i.code == "B.14/g1" else float(i.points) for i in b14 if i.section == "guarantee"]
        y14 = [float(i.points) for i in b14 if i.section == "general"]
        b14_result = score_table(table="B.14", guarantee=g14, general=y14, version="2011")
        tables = dict.fromkeys(
            [
                "safety_mgmt",
                "civilized",
                "scaffold",
                "pit",
                "formwork",
                "height_work",
                "electricity",
                "hoist",
                "crane",
                "machinery",
            ]
        )
        tables.update({"safety_mgmt": b1["score"], "electricity": b14_result["score"]})
        expected = score_summary(tables=tables, version="2011")
        self.assertEqual(float(inspection.score_total), expected["total"])
        self.assertEqual(inspection.grade, expected["grade"])
        self.assertEqual(inspection.grade, "不合格")  # a zero sub-table
        self.assertEqual(inspection.score["tables"]["B.1"]["score"], 90.0)
        self.assertTrue(inspection.score["tables"]["B.14"]["zeroed"])

    def test_points_above_the_item_are_refused_naming_it(self):
        from django.core.exceptions import ValidationError

        inspection = self.started()
        item = self.jgj.items.get(code="B.1/g1")
        with self.assertRaises(ValidationError) as ctx:
            services.answers_save(actor=self.o1, inspection=inspection, answers=[{"item": item, "points": 11}])
        self.assertIn("answers/B.1/g1/points", ctx.exception.message_dict)


class FindingAndPhotoTests(FieldCase):
    def test_a_photo_is_watermarked_and_both_hashes_kept(self):
        inspection = self.started(checklist=self.fire)
        data = png()
        photo = services.photo_add(
            actor=self.o1, inspection=inspection, uploaded_file=upload(data), lat="30.897", lng="121.164", accuracy="12"
        )
        self.assertEqual(photo.original_sha256, hashlib.sha256(data).hexdigest())
        stored = photo.attachment.file.open("rb").read()
        self.assertEqual(photo.attachment.sha256, hashlib.sha256(stored).hexdigest())
        self.assertNotEqual(photo.attachment.sha256, photo.original_sha256)
        self.assertIn(inspection.number, photo.watermark)
        self.assertIn("30.897000", photo.watermark)
        self.assertIn(self.o1.real_name, photo.watermark)
        # The band at the foot is burned in: dark where the original was plain red.
        with Image.open(io.BytesIO(stored)) as image:
            self.assertEqual(image.format, "JPEG")
            r, g, b = image.convert("RGB").getpixel((image.width - 3, image.height - 3))
            self.assertLess(r, 150)
            r, g, b = image.convert("RGB").getpixel((image.width // 2, 10))
            self.assertGreater(r, 150)
        if watermark.cjk_font_path():
            self.assertIn("CJK", photo.watermark_font)
        else:
            self.assertEqual(photo.watermark_font, watermark.DEFAULT_FONT)

    def test_a_non_image_is_refused(self):
        from django.core.exceptions import ValidationError

        inspection = self.started(checklist=self.fire)
        with self.assertRaises(ValidationError) as ctx:
            services.photo_add(
                actor=self.o1,
                inspection=inspection,
                uploaded_file=SimpleUploadedFile("x.png", b"%PDF-1.4 not a photo", content_type="image/png"),
            )
        self.assertIn("photo", ctx.exception.message_dict)

    def test_a_finding_becomes_a_prefilled_linked_hazard(self):
        inspection = self.started(checklist=self.fire)
        item = self.fire.items.get(code="F4")
        finding = services.finding_add(
            actor=self.o1,
            inspection=inspection,
            data={"item": item, "description": "疏散通道堆放材料", "severity": "serious"},
            photos=[upload()],
            position={"lat": "30.9", "lng": "121.2", "accuracy": "8"},
        )
        hazard = services.finding_raise_hazard(actor=self.o1, finding=finding)
        finding.refresh_from_db()
        self.assertEqual(finding.hazard, hazard)
        self.assertEqual(hazard.supervising_unit, self.project.supervising_unit)
        self.assertEqual(hazard.town, self.project.town)
        self.assertEqual(hazard.responsible_enterprise, self.project.contractor)
        self.assertEqual(hazard.sector, "fire")
        self.assertEqual(hazard.source, "inspection")
        self.assertIn("疏散通道堆放材料", hazard.description)
        self.assertIn(item.basis, hazard.description)
        self.assertIn(inspection.number, hazard.description)
        self.assertEqual(str(hazard.lat), "30.900000")
        self.assertEqual(HazardPhoto.objects.filter(hazard=hazard, stage="found").count(), 1)
        from anjian.common.exceptions import DomainError

        with self.assertRaises(DomainError):
            services.finding_raise_hazard(actor=self.o1, finding=finding)
        self.assertEqual(Hazard.objects.filter(inspection_finding=finding).count(), 1)

    def test_proposed_case_needs_a_reason(self):
        from django.core.exceptions import ValidationError

        inspection = self.started(checklist=self.fire)
        with self.assertRaises(ValidationError):
            services.finding_add(
                actor=self.o1,
                inspection=inspection,
                data={"description": "消火栓被圈占", "proposed_case": True, "case_reason": ""},
            )
        finding = services.finding_add(actor=self.o1, inspection=inspection, data={"description": "消火栓被圈占"})
        services.finding_propose_case(actor=self.o1, finding=finding, proposed=True, reason="拒不整改")
        finding.refresh_from_db()
        self.assertTrue(finding.proposed_case)
        self.assertEqual(finding.case_reason, "拒不整改")


class ScopeTests(FieldCase):
    def test_an_officer_sees_its_teams_only(self):
        mine = self.make()
        theirs = self.make(members=[self.o2, self.o3])
        visible = set(services.visible(self.o1).values_list("pk", flat=True))
        self.assertIn(mine.pk, visible)
        self.assertNotIn(theirs.pk, visible)
        client = self.client_for(self.o1)
        self.assertEqual(client.get(reverse("inspections:inspection_detail", args=[mine.pk])).status_code, 200)
        self.assertEqual(client.get(reverse("inspections:inspection_detail", args=[theirs.pk])).status_code, 404)
        self.assertEqual(client.get(reverse("inspections:field", args=[theirs.pk])).status_code, 404)
        self.assertEqual(client.get(reverse("inspections:inspection_results", args=[theirs.pk])).status_code, 404)
        response = client.post(reverse("common:transition", args=["inspections", "inspection", theirs.pk, "start"]))
        self.assertEqual(response.status_code, 404)
        self.assertEqual(client.get(reverse("api:inspections-inspection-detail", args=[theirs.pk])).status_code, 404)

    def test_a_photo_is_the_teams_only_whatever_id_is_sent(self):
        inspection = self.started(checklist=self.fire)
        photo = services.photo_add(actor=self.o1, inspection=inspection, uploaded_file=upload(png()))
        url = reverse("common:attachment_download", args=[photo.attachment.pk])
        self.assertEqual(self.client_for(self.o2).get(url).status_code, 200)  # on the team
        # Same unit, same role, not on the team: the inspection and its photo do not exist for it.
        self.assertEqual(self.client_for(self.o3).get(url).status_code, 404)
        self.assertFalse(can(self.o3, "view", inspection))
        self.assertTrue(can(self.o1, "view", inspection))
        self.assertEqual(can_many(self.o3, "view", [inspection]), set())

    def test_the_enterprise_sees_its_project_only_once_published(self):
        inspection = self.started(checklist=self.fire)
        other = self.started(checklist=self.fire, project=self.other_project)
        client = self.client_for(self.a.ent_user)
        url = reverse("inspections:inspection_detail", args=[inspection.pk])
        self.assertEqual(client.get(url).status_code, 404)
        services.finding_add(
            actor=self.o1,
            inspection=inspection,
            data={"description": "消防通道被占用", "proposed_case": True, "case_reason": "屡查屡犯"},
        )
        for obj in (inspection, other):
            services.answers_save(
                actor=self.o1, inspection=obj, answers=[{"item": self.fire.items.first(), "result": "fail"}]
            )
            for action, actor in (("submit", self.o1), ("review", self.a.safety_head), ("publish", self.a.safety_head)):
                transition(obj, action, actor=actor)
        page = client.get(url)
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "消防通道被占用")
        self.assertNotContains(page, "屡查屡犯")  # 拟立案 is the government's internal mark
        self.assertContains(self.client_for(self.a.safety_head).get(url), "屡查屡犯")
        self.assertEqual(client.get(reverse("inspections:inspection_detail", args=[other.pk])).status_code, 404)
        listed = client.get(reverse("inspections:inspection_list"))
        self.assertEqual([r.pk for r in listed.context["table"].data], [inspection.pk])

    def test_the_leader_sees_all_and_another_district_none(self):
        made = self.make()
        self.assertTrue(services.visible(self.a.leader).filter(pk=made.pk).exists())
        self.assertFalse(services.visible(self.a.other_staff).filter(pk=made.pk).exists())
        self.assertFalse(services.visible(self.a.gas_staff).filter(pk=made.pk).exists())


class PageTests(FieldCase):
    def test_the_field_flow_through_the_pages(self):
        inspection = self.make(checklist=self.fire)
        client = self.client_for(self.o1)
        client.post(reverse("common:transition", args=["inspections", "inspection", inspection.pk, "start"]))
        inspection.refresh_from_db()
        self.assertEqual(inspection.status, "in_progress")
        page = client.get(reverse("inspections:field", args=[inspection.pk]))
        self.assertContains(page, 'capture="environment"')
        self.assertContains(page, 'accept="image/*"')
        items = list(self.fire.items.order_by("order"))
        body = {f"result-{i.pk}": "pass" for i in items}
        body[f"result-{items[3].pk}"] = "fail"
        body[f"note-{items[3].pk}"] = "楼梯间堆物"
        client.post(reverse("inspections:field_answers", args=[inspection.pk]), body)
        self.assertEqual(inspection.answers.count(), len(items))
        client.post(
            reverse("inspections:field_finding", args=[inspection.pk]),
            {
                "item": items[3].pk,
                "description": "楼梯间堆放杂物",
                "severity": "general",
                "photo": upload(),
                "lat": "30.89",
                "lng": "121.16",
                "accuracy": "15",
            },
        )
        finding = Finding.objects.get(inspection=inspection)
        self.assertEqual(finding.photos.count(), 1)
        response = client.post(reverse("inspections:finding_raise_hazard", args=[finding.pk]), follow=True)
        finding.refresh_from_db()
        self.assertIsNotNone(finding.hazard)
        self.assertContains(response, finding.hazard.number)
        client.post(reverse("common:transition", args=["inspections", "inspection", inspection.pk, "submit"]))
        inspection.refresh_from_db()
        self.assertEqual(inspection.status, "submitted")
        self.assertEqual(inspection.failed_count, 1)
        detail = self.client_for(self.a.safety_head).get(reverse("inspections:inspection_detail", args=[inspection.pk]))
        self.assertContains(detail, 'data-testid="history"')
        self.assertContains(detail, finding.hazard.number)

    def test_create_page_refuses_a_one_officer_team_naming_the_field(self):
        client = self.client_for(self.a.safety_head)
        response = client.post(
            reverse("inspections:inspection_add"),
            {
                "project": self.safety_project.pk,
                "unit": self.a.safety.pk,
                "checklist": self.jgj.pk,
                "planned_on": timezone.localdate().isoformat(),
                "members": [self.o1.pk],
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("members", response.context["form"].errors)
        self.assertFalse(Inspection.objects.exists())

    def test_export_lists_results_in_scope(self):
        from openpyxl import load_workbook

        mine = self.make()
        theirs = self.make(members=[self.o2, self.o3])
        response = self.client_for(self.o1).get(reverse("inspections:inspection_list"), {"export": "xlsx"})
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
        cells = {str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None}
        self.assertIn(mine.number, cells)
        self.assertNotIn(theirs.number, cells)
        results = self.client_for(self.o1).get(reverse("inspections:inspection_results", args=[mine.pk]))
        sheet = load_workbook(io.BytesIO(b"".join(results.streaming_content)), read_only=True).active
        self.assertEqual(len(list(sheet.iter_rows(values_only=True))), self.jgj.items.count() + 1)


class ApiTests(FieldCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.spec = json.loads(Client().get("/api/schema/", {"format": "json"}, HTTP_ACCEPT="application/json").content)

    def conform(self, response, status=200):
        self.assertEqual(response.status_code, status, response.content[:500])
        OpenAPI.from_dict(self.spec).validate_response(
            DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
        )
        return response.json()

    def test_list_detail_and_transition_conform_to_the_schema(self):
        self.assertIn("/api/v1/inspections/inspections/", self.spec["paths"])
        inspection = self.make(checklist=self.fire)
        client = self.client_for(self.o1)
        body = self.conform(client.get(reverse("api:inspections-inspection-list")))
        self.assertEqual([r["number"] for r in body["results"]], [inspection.number])
        body = self.conform(client.get(reverse("api:inspections-inspection-detail", args=[inspection.pk])))
        self.assertEqual(len(body["team"]), 2)
        body = self.conform(
            client.post(
                reverse("api:inspections-inspection-transition-start", args=[inspection.pk]),
                {},
                content_type="application/json",
            )
        )
        self.assertEqual(body["status"], "in_progress")
        refused = client.post(
            reverse("api:inspections-inspection-transition-review", args=[inspection.pk]),
            {},
            content_type="application/json",
        )
        self.assertEqual(refused.status_code, 409)

    def test_create_through_the_api_names_the_team_field(self):
        client = self.client_for(self.a.safety_head)
        response = client.post(
            reverse("api:inspections-inspection-list"),
            {
                "project": self.safety_project.pk,
                "unit": self.a.safety.pk,
                "checklist": self.jgj.pk,
                "planned_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
                "members": [self.o1.pk],
            },
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("members", response.json())
        body = self.conform(
            client.post(
                reverse("api:inspections-inspection-list"),
                {
                    "project": self.safety_project.pk,
                    "unit": self.a.safety.pk,
                    "checklist": self.jgj.pk,
                    "planned_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
                    "members": [self.o1.pk, self.o2.pk],
                },
                content_type="application/json",
            ),
            201,
        )
        self.assertEqual(body["status"], "planned")


class FromDrawTests(AnjianTestCase):
    """双随机 → 检查: each drawn project with its drawn team becomes a planned inspection."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from anjian.inspections.tests.helpers import setup_draw_world

        checklist_services.checklists_sync()
        cls.w = setup_draw_world(cls.a)

    def test_drawn_subjects_become_planned_inspections_with_their_drawn_teams(self):
        from anjian.common.exceptions import DomainError
        from anjian.inspections.services import draws

        w = self.w
        draw = draws.draw_prepare(
            actor=self.a.safety_head, plan=w["plan"], item=w["item"], pool=w["pool"], title="批次"
        )
        jgj = Checklist.objects.get(code="jgj59")
        with self.assertRaises(DomainError):  # the seed is not revealed yet: nothing drawn
            services.inspections_from_draw(
                actor=self.a.safety_head, draw=draw, checklist=jgj, planned_on=timezone.localdate()
            )
        draw = draws.draw_execute(actor=self.a.safety_head, draw=draw)
        made = services.inspections_from_draw(
            actor=self.a.safety_head, draw=draw, checklist=jgj, planned_on=timezone.localdate()
        )
        assignments = list(draw.assignments.filter(project__isnull=False).order_by("position"))
        self.assertEqual(len(made), len(assignments))
        self.assertGreater(len(made), 0)
        for inspection, assignment in zip(made, assignments, strict=True):
            self.assertEqual(inspection.assignment, assignment)
            self.assertEqual(inspection.project, assignment.project)
            self.assertEqual(
                set(inspection.members.values_list("user_id", flat=True)),
                set(assignment.officers.values_list("pk", flat=True)),
            )
            self.assertEqual(inspection.status, "planned")
        again = services.inspections_from_draw(
            actor=self.a.safety_head, draw=draw, checklist=jgj, planned_on=timezone.localdate()
        )
        self.assertEqual(again, [])
