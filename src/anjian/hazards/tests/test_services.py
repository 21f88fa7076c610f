"""Services of the hazard app: registration, determination under versioned criteria, plans,
photos, public reports, escalation, to-dos, the bulletin section, campaigns and measures."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anjian.common.escalation import escalate_overdue
from anjian.common.exceptions import ConcurrentEditError, DomainError, OutOfScope
from anjian.common.geo import wgs84_to_gcj02
from anjian.common.models import AuditEvent, Escalation, Notification
from anjian.common.rules import run_rule
from anjian.hazards import captcha, criteria, rules, selectors, services
from anjian.hazards.choices import HazardLevel, HazardStatus, PhotoStage, Sector
from anjian.hazards.models import Campaign, CriteriaVersion, Hazard, HazardDetermination, Measure, PublicReport
from anjian.hazards.tests.helpers import drive, jpeg, new_hazard
from anjian.testing import AnjianTestCase

S = HazardStatus
TODAY = timezone.localdate()


def construction_2024() -> dict:
    """A 2024 version as an administrator would load it: 第七条 keeps three items (RULES.md §3)."""
    data = copy.deepcopy(rules.packaged_criteria()[("construction_major", "2022")])
    data.update(version="2024", name="房屋市政工程生产安全重大事故隐患判定标准（2024版）", document="建质规〔2024〕5号")
    data["effective_date"] = "2024-05-01"
    kept = []
    for item in data["criteria"]:
        if item["article"] == 7:
            if item["item"] in (3, 5):
                continue
            if item["item"] == 4:
                item = {
                    **item,
                    "id": "7.3",
                    "item": 3,
                    "text": "附着式升降脚手架的防倾覆、防坠落或同步升降控制装置不符合设计要求、失效或缺失",
                }
        kept.append(item)
    data["criteria"] = kept
    return data


class RegistrationTests(AnjianTestCase):
    def test_numbers_are_gap_free_per_year_of_discovery(self):
        first = new_hazard(self.a)
        second = new_hazard(self.a)
        year = first.found_date.year
        self.assertRegex(first.number, rf"^YH-{year}-\d{{6}}$")
        self.assertEqual(int(second.number[-6:]), int(first.number[-6:]) + 1)
        old = new_hazard(self.a, found_date=dt.date(2021, 3, 9))
        self.assertEqual(old.number, "YH-2021-000001")

    def test_gcj02_coordinates_are_stored_as_wgs84(self):
        lat, lng = 30.897, 121.164
        glat, glng = wgs84_to_gcj02(lat, lng)
        hazard = new_hazard(self.a, lat=f"{glat:.7f}", lng=f"{glng:.7f}", crs="gcj02")
        self.assertAlmostEqual(float(hazard.lat), lat, places=5)
        self.assertAlmostEqual(float(hazard.lng), lng, places=5)
        plain = new_hazard(self.a, lat="30.897", lng="121.164")
        self.assertEqual(str(plain.lat), "30.897000")

    def test_bad_registrations_name_the_field(self):
        cases = [
            ({"found_date": TODAY + dt.timedelta(days=1)}, "found_date"),
            ({"deadline": TODAY - dt.timedelta(days=30)}, "deadline"),
            ({"lat": "30.9"}, "lng"),
            ({"supervising_unit": None}, "supervising_unit"),
            ({"responsible_enterprise": None, "subject": None, "unit": None}, None),
        ]
        for data, field in cases[:4]:
            with self.subTest(field=field), self.assertRaises(ValidationError) as ctx:
                new_hazard(self.a, **data)
            self.assertIn(field, ctx.exception.message_dict)
        with self.assertRaises(ValidationError) as ctx:
            new_hazard(self.a, enterprise=self.a.safety)
        self.assertIn("责任企业应为企业", ctx.exception.message_dict["responsible_enterprise"][0])

    def test_staff_register_only_for_units_in_their_scope(self):
        data = {"title": "x", "sector": "gas", "supervising_unit": self.a.gas, "found_date": TODAY}
        with self.assertRaises(OutOfScope):
            services.hazard_create(actor=self.a.safety_staff, data=data)
        with self.assertRaises(PermissionDenied):
            services.hazard_create(actor=self.a.ent_user, data=data)
        hazard = services.hazard_create(actor=self.a.gas_staff, data=data, photos=[jpeg()])
        self.assertEqual(hazard.reported_by, self.a.gas_staff)
        self.assertEqual(hazard.photos.get().stage, PhotoStage.FOUND)

    def test_enterprise_self_report_goes_to_the_intake_unit(self):
        services.report_route_save(actor=None, sector=Sector.CONSTRUCTION, unit=self.a.station)
        hazard = services.hazard_self_report(
            actor=self.a.ent_user, data={"title": "自查：临边护栏缺失", "sector": "construction", "found_date": TODAY}
        )
        self.assertEqual(
            (hazard.source, hazard.responsible_enterprise, hazard.supervising_unit),
            ("self_check", self.a.enterprise, self.a.station),
        )
        with self.assertRaises(PermissionDenied):
            services.hazard_self_report(actor=self.a.safety_staff, data={"title": "x", "sector": "gas"})

    def test_facts_fixed_after_assignment_and_stale_edits_refused(self):
        hazard = drive(new_hazard(self.a), S.ASSIGNED)
        services.hazard_update(
            actor=self.a.safety_staff, hazard=hazard, data={"address": "朱泾镇示例路 9 号"}, version=hazard.version
        )
        hazard.refresh_from_db()
        with self.assertRaises(ConcurrentEditError):
            services.hazard_update(
                actor=self.a.safety_staff, hazard=hazard, data={"address": "x"}, version=hazard.version - 1
            )
        with self.assertRaises(ValidationError) as ctx:
            services.hazard_update(
                actor=self.a.safety_staff, hazard=hazard, data={"deadline": TODAY + dt.timedelta(days=99)}
            )
        self.assertIn("deadline", ctx.exception.message_dict)
        closed = drive(new_hazard(self.a), S.CLOSED)
        with self.assertRaises(DomainError):
            services.hazard_update(actor=self.a.safety_staff, hazard=closed, data={"address": "x"})

    def test_photo_stages_follow_the_life_cycle(self):
        hazard = new_hazard(self.a)
        with self.assertRaises(DomainError):
            services.hazard_photo_add(
                actor=self.a.ent_user, hazard=hazard, uploaded_file=jpeg(), stage=PhotoStage.AFTER
            )
        drive(hazard, S.ASSIGNED)
        with self.assertRaisesMessage(DomainError, "开始整改"):
            services.hazard_photo_add(
                actor=self.a.ent_user, hazard=hazard, uploaded_file=jpeg(), stage=PhotoStage.AFTER
            )
        with self.assertRaises(PermissionDenied):
            services.hazard_photo_add(
                actor=self.a.ent_user, hazard=hazard, uploaded_file=jpeg(), stage=PhotoStage.FOUND
            )
        photo = services.hazard_photo_add(
            actor=self.a.ent_user, hazard=hazard, uploaded_file=jpeg(), stage=PhotoStage.BEFORE
        )
        self.assertEqual(photo.attachment.uploaded_by, self.a.ent_user)
        with self.assertRaises(ValidationError):
            services.hazard_photo_add(
                actor=self.a.ent_user,
                hazard=hazard,
                uploaded_file=jpeg("evil.jpg").__class__("evil.jpg", b"<html>not a photo</html>"),
                stage=PhotoStage.BEFORE,
            )

    def test_the_database_refuses_a_major_hazard_without_its_basis(self):
        hazard = new_hazard(self.a)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Hazard.objects.filter(pk=hazard.pk).update(level=HazardLevel.MAJOR)


class DeterminationTests(AnjianTestCase):
    def test_a_construction_determination_records_clause_version_and_level(self):
        hazard = new_hazard(self.a)
        determination = services.hazard_determine(
            actor=self.a.safety_staff,
            hazard=hazard,
            standard="construction_major",
            inputs={"conditions": ["8.6"]},
            version=hazard.version,
        )
        hazard.refresh_from_db()
        self.assertTrue(determination.major)
        self.assertEqual(hazard.level, HazardLevel.MAJOR)
        self.assertEqual(hazard.basis_labels, "第八条（六）")
        self.assertEqual(hazard.criteria_version.edition, "2022")
        self.assertEqual(determination.criteria.edition, "2022")
        page = self.client_for(self.a.safety_staff).get(reverse("hazards:hazard_detail", args=[hazard.pk]))
        self.assertContains(page, "重大隐患 — 第八条（六）")
        # The same input on the command line gives the same verdict (reproducible by an auditor).
        self.assertEqual(
            run_rule("construction_major", {"version": "2022", "conditions": ["8.6"]})["basis"], determination.basis
        )

    def test_no_condition_makes_it_general_again_and_history_is_kept(self):
        hazard = new_hazard(self.a)
        services.hazard_determine(
            actor=None, hazard=hazard, standard="construction_major", inputs={"conditions": ["10"]}
        )
        services.hazard_determine(actor=None, hazard=hazard, standard="construction_major", inputs={"conditions": []})
        hazard.refresh_from_db()
        self.assertEqual((hazard.level, hazard.major_basis), (HazardLevel.GENERAL, []))
        self.assertEqual(HazardDetermination.objects.filter(hazard=hazard).count(), 2)

    def test_fire_determination_rules_md_examples_and_boundaries(self):
        hazard = new_hazard(self.a, sector="fire")
        shop = services.hazard_determine(
            actor=None, hazard=hazard, standard="fire_major", inputs={"place_type": "crowded", "direct": ["6.5"]}
        )
        self.assertEqual(shop.basis[0]["id"], "6.5")
        two = services.hazard_determine(
            actor=None,
            hazard=hazard,
            standard="fire_major",
            inputs={"place_type": "crowded", "elements": ["7.3.1", "7.3.2"]},
        )
        self.assertFalse(two.major)
        three = services.hazard_determine(
            actor=None,
            hazard=hazard,
            standard="fire_major",
            inputs={"place_type": "crowded", "elements": ["7.3.1", "7.3.2", "7.5"]},
        )
        self.assertTrue(three.major)
        excluded = services.hazard_determine(
            actor=None,
            hazard=hazard,
            standard="fire_major",
            inputs={"place_type": "crowded", "direct": ["6.5"], "excluded": True},
        )
        self.assertFalse(excluded.major)

    def test_bad_input_and_wrong_roles_are_refused(self):
        hazard = new_hazard(self.a)
        with self.assertRaises(ValidationError) as ctx:
            services.hazard_determine(
                actor=None, hazard=hazard, standard="construction_major", inputs={"conditions": ["8.9"]}
            )
        self.assertIn("8.9", ctx.exception.message_dict["inputs"][0])
        with self.assertRaises(PermissionDenied):
            services.hazard_determine(
                actor=self.a.ent_user, hazard=hazard, standard="construction_major", inputs={"conditions": []}
            )

    def test_a_loaded_2024_version_is_used_and_old_determinations_keep_2022(self):
        hazard = new_hazard(self.a)
        old = services.hazard_determine(
            actor=None, hazard=hazard, standard="construction_major", inputs={"conditions": ["7.5"]}
        )
        self.assertEqual(old.criteria.edition, "2022")
        row = criteria.criteria_load(
            actor=self.a.sysadmin, content=json.dumps(construction_2024(), ensure_ascii=False).encode()
        )
        self.assertFalse(row.packaged)
        # 7.5 no longer exists in 2024; the newest version is the default.
        with self.assertRaises(ValidationError):
            services.hazard_determine(
                actor=None, hazard=hazard, standard="construction_major", inputs={"conditions": ["7.5"]}
            )
        new = services.hazard_determine(
            actor=None, hazard=hazard, standard="construction_major", inputs={"conditions": ["7.3"]}
        )
        self.assertEqual(new.criteria.edition, "2024")
        self.assertIn("或缺失", new.basis[0]["text"])
        # The 2022 version stays reachable, for the CLI too.
        self.assertTrue(run_rule("construction_major", {"version": "2022", "conditions": ["7.5"]})["major"])
        self.assertEqual(run_rule("construction_major", {"conditions": ["7.3"]})["version"], "2024")
        old.refresh_from_db()
        self.assertEqual(old.criteria.edition, "2022")

    def test_criteria_files_are_checked_before_they_are_stored(self):
        with self.assertRaises(PermissionDenied):
            criteria.criteria_load(actor=self.a.safety_head, content=b"{}")
        bad = construction_2024()
        bad["criteria"][0]["id"] = "第四条"
        bad["criteria"][1]["verified"] = "yes"
        with self.assertRaises(ValidationError) as ctx:
            criteria.criteria_load(actor=self.a.sysadmin, content=json.dumps(bad).encode())
        messages = " ".join(ctx.exception.message_dict["file"])
        self.assertIn("criteria 第 1 项", messages)
        self.assertIn("criteria 第 2 项：verified", messages)
        with self.assertRaisesMessage(ValidationError, "不是有效的 JSON"):
            criteria.criteria_load(actor=self.a.sysadmin, content=b"{oops")
        same = rules.packaged_criteria()[("construction_major", "2022")]
        with self.assertRaisesMessage(ValidationError, "已经存在"):
            criteria.criteria_load(actor=self.a.sysadmin, content=json.dumps(same).encode())
        self.assertEqual(CriteriaVersion.objects.filter(standard="construction_major").count(), 1)

    def test_the_load_criteria_command(self):
        import tempfile
        from io import StringIO

        with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as fh:
            json.dump(construction_2024(), fh, ensure_ascii=False)
        out = StringIO()
        call_command("load_criteria", fh.name, stdout=out)
        self.assertIn("2024版", out.getvalue())
        self.assertTrue(CriteriaVersion.objects.filter(standard="construction_major", edition="2024").exists())

    def test_a_withdrawn_version_is_not_offered_for_new_determinations(self):
        row = CriteriaVersion.objects.get(standard="fire_major", edition="2017")
        criteria.criteria_set_active(actor=self.a.sysadmin, row=row, active=False, version=row.version)
        with self.assertRaises(ValidationError):
            services.hazard_determine(
                actor=None, hazard=new_hazard(self.a), standard="fire_major", inputs={"place_type": "other"}
            )

    def test_the_checklist_page_records_the_determination(self):
        hazard = new_hazard(self.a)
        url = reverse("hazards:hazard_determine", args=[hazard.pk, "construction_major"])
        client = self.client_for(self.a.safety_staff)
        page = client.get(url)
        self.assertContains(page, "第八条（六）")
        response = client.post(url, {"c_8_6": "on", "c_10": "on", "version": hazard.version}, follow=True)
        self.assertContains(response, "重大隐患 — 第八条（六）、第十条")
        hazard.refresh_from_db()
        self.assertEqual(hazard.level, HazardLevel.MAJOR)
        # The standalone checklist evaluates without touching any hazard and shows the CLI line.
        alone = client.post(reverse("hazards:checklist", args=["fire_major"]), {"place_type": "crowded", "d_6_5": "on"})
        self.assertContains(alone, "重大隐患 — GB 35181-2017 6.5")
        self.assertContains(alone, "anjian rule fire_major")
        self.assertEqual(HazardDetermination.objects.count(), 1)
        self.assertEqual(client.get(reverse("hazards:hazard_determine", args=[hazard.pk, "nonsense"])).status_code, 404)
        self.assertEqual(
            self.client_for(self.a.ent_user).get(url).status_code, 404, "enterprises do not determine their own hazards"
        )


class PlanTests(AnjianTestCase):
    def test_plan_with_milestones_is_saved_and_edited(self):
        hazard = drive(new_hazard(self.a), S.ASSIGNED)
        plan = services.plan_save(
            actor=self.a.ent_user,
            hazard=hazard,
            data={
                "measures": "补设连墙件",
                "responsible_person": "张工",
                "deadline": TODAY,
                "funds": "1.00",
                "interim_controls": "警戒",
            },
            milestones=[{"title": "隔离", "due_date": TODAY}, {"title": "完工", "due_date": TODAY}],
        )
        self.assertEqual(plan.milestones.count(), 2)
        keep = plan.milestones.first()
        services.plan_save(
            actor=self.a.safety_staff,
            hazard=hazard,
            data={"measures": "补设连墙件并复查"},
            milestones=[{"id": keep.pk, "title": keep.title, "due_date": TODAY, "done_on": TODAY}],
            version=plan.version,
        )
        plan.refresh_from_db()
        self.assertEqual(plan.measures, "补设连墙件并复查")
        self.assertEqual(list(plan.milestones.values_list("done_on", flat=True)), [TODAY])
        with self.assertRaises(ConcurrentEditError):
            services.plan_save(actor=self.a.ent_user, hazard=hazard, data={"measures": "x"}, version=plan.version - 1)
        with self.assertRaises(PermissionDenied):
            services.plan_save(actor=self.a.ent_user2, hazard=hazard, data={"measures": "x"})

    def test_the_plan_is_locked_once_evidence_is_submitted(self):
        hazard = drive(new_hazard(self.a), S.SUBMITTED)
        with self.assertRaises(DomainError):
            services.plan_save(actor=self.a.ent_user, hazard=hazard, data={"measures": "x"})


class PublicReportTests(AnjianTestCase):
    def client_with_captcha(self):
        client = Client()
        session = client.session
        answer = captcha.new_challenge(session)
        session.save()
        return client, answer

    def test_an_anonymous_report_lands_as_reported_with_a_receipt(self):
        services.report_route_save(actor=None, sector=Sector.GAS, unit=self.a.gas)
        client, answer = self.client_with_captcha()
        response = client.post(
            reverse("hazards:public_report"),
            {
                "title": "小吃店用非法液化气",
                "sector": "gas",
                "address": "朱泾镇示例路 5 号",
                "captcha": answer.lower(),
                "photos": [jpeg()],
            },
        )
        self.assertRedirects(response, reverse("hazards:public_report_done"))
        report = PublicReport.objects.get()
        self.assertRegex(report.receipt_code, r"^JB[2-9A-HJ-KM-NP-Z]{12}$")
        hazard = report.hazard
        self.assertEqual(
            (hazard.status, hazard.source, hazard.supervising_unit), (S.REPORTED, "public_report", self.a.gas)
        )
        self.assertEqual(hazard.photos.get().stage, PhotoStage.FOUND)
        self.assertTrue(Notification.objects.filter(recipient=self.a.gas_staff, object_id=str(hazard.pk)).exists())
        done = client.get(reverse("hazards:public_report_done"))
        self.assertContains(done, report.receipt_code)
        status = Client().get(reverse("hazards:public_status"), {"receipt": report.receipt_code.lower()})
        self.assertContains(status, "已受理，待核实交办")
        self.assertNotContains(status, "朱泾镇示例路")
        missing = Client().get(reverse("hazards:public_status"), {"receipt": "JB000"})
        self.assertContains(missing, "找不到该回执号")

    def test_a_wrong_or_reused_captcha_is_refused(self):
        client, answer = self.client_with_captcha()
        data = {"title": "x", "sector": "other", "address": "y", "captcha": "WRONG"}
        response = client.post(reverse("hazards:public_report"), data)
        self.assertContains(response, "验证码不正确")
        self.assertEqual(PublicReport.objects.count(), 0)
        # Solved once, the same answer does not work again.
        data["captcha"] = answer
        client.post(reverse("hazards:public_report"), data)
        self.assertEqual(PublicReport.objects.count(), 1)
        client.post(reverse("hazards:public_report"), data)
        self.assertEqual(PublicReport.objects.count(), 1)
        image = Client().get(reverse("hazards:public_captcha"))
        self.assertEqual(image["Content-Type"], "image/png")
        self.assertTrue(image.content.startswith(b"\x89PNG"))

    def test_the_rate_limit_per_network(self):
        for n in range(services.PUBLIC_REPORT_LIMIT_PER_HOUR):
            services.public_report_create(data={"title": f"第{n}条", "sector": "other", "address": "x"}, ip="10.0.0.9")
        with self.assertRaisesMessage(DomainError, "提交过于频繁"):
            services.public_report_create(data={"title": "再一条", "sector": "other", "address": "x"}, ip="10.0.0.9")
        services.public_report_create(data={"title": "别的网络", "sector": "other", "address": "x"}, ip="10.0.0.10")
        self.assertEqual(PublicReport.objects.count(), services.PUBLIC_REPORT_LIMIT_PER_HOUR + 1)
        self.assertFalse(PublicReport.objects.filter(ip_hash__contains="10.0.0").exists())


class EscalationAndFiguresTests(AnjianTestCase):
    def test_overdue_hazards_climb_the_shared_ladder_in_working_days(self):
        from anjian.common.calendar import add_working_days, working_days_overdue

        found = TODAY - dt.timedelta(days=60)
        due = add_working_days(TODAY, -7)
        late = drive(new_hazard(self.a, found_date=found), S.RECTIFYING, deadline=due)
        on_time = drive(new_hazard(self.a, found_date=found), S.RECTIFYING, deadline=TODAY + dt.timedelta(days=3))
        closed = drive(new_hazard(self.a, found_date=found), S.CLOSED, deadline=add_working_days(TODAY, -6))
        run = escalate_overdue(TODAY)
        issued = {(s.object_id, s.level) for s in run.issued}
        self.assertIn((str(late.pk), "supervision"), issued)
        self.assertFalse(any(s.object_id in (str(on_time.pk), str(closed.pk)) for s in run.steps))
        escalation = Escalation.objects.get(object_id=str(late.pk), level="supervision")
        self.assertEqual(escalation.days_overdue, working_days_overdue(due, TODAY))
        self.assertGreaterEqual(escalation.days_overdue, 6)
        self.assertEqual(escalation.responsible_unit, self.a.safety)
        self.assertTrue(Notification.objects.filter(recipient=self.a.ent_user, object_id=str(late.pk)).exists())
        self.assertTrue(Notification.objects.filter(recipient=self.a.safety_head, object_id=str(late.pk)).exists())

    def test_todos_are_the_actions_of_the_user(self):
        assign = new_hazard(self.a, title="待交办的")
        verify = drive(new_hazard(self.a, title="待验收的"), S.SUBMITTED)
        close = drive(new_hazard(self.a, title="待销号的"), S.VERIFIED)
        start = drive(new_hazard(self.a, title="待整改的"), S.ASSIGNED)

        def titles(user):
            return {t.title.split(" ", 1)[1] for t in selectors.hazard_todos(user)}

        self.assertEqual(titles(self.a.safety_staff), {assign.title, verify.title})
        self.assertEqual(titles(self.a.safety_head), {close.title})
        self.assertEqual(titles(self.a.ent_user), {start.title})
        self.assertEqual(titles(self.a.ent_user2), set())
        home = self.client_for(self.a.safety_staff).get("/")
        self.assertContains(home, "隐患验收")

    def test_figures_rates_and_the_bulletin_section(self):
        found = TODAY - dt.timedelta(days=40)
        drive(new_hazard(self.a, found_date=found), S.CLOSED, deadline=TODAY + dt.timedelta(days=5))
        drive(new_hazard(self.a, found_date=found), S.RECTIFYING, deadline=TODAY - dt.timedelta(days=3))
        drive(new_hazard(self.a, found_date=found), S.CANCELLED)
        new_hazard(self.a, found_date=found)
        qs = Hazard.objects.all()
        rates = selectors.rates(qs)
        self.assertEqual((rates["total"], rates["closed"], rates["overdue"]), (3, 1, 1))
        self.assertEqual(rates["rectification_rate"], 33.3)
        self.assertEqual(rates["on_time_rate"], 100.0)
        states = {r["key"]: r["count"] for r in selectors.by_state(qs)}
        self.assertEqual(states[S.CANCELLED], 1)
        monthly = selectors.monthly(qs)
        self.assertEqual(sum(monthly["found"]), 4)
        self.assertEqual(sum(monthly["closed"]), 1)
        self.assertEqual(monthly["months"][-1], TODAY.strftime("%Y-%m"))
        overdue = selectors.overdue(qs)
        self.assertEqual(len(overdue), 1)
        self.assertGreaterEqual(overdue[0]["days_overdue"], 1)
        from anjian.common.bulletins import bulletin_sections

        section = next(
            s for s in bulletin_sections(TODAY - dt.timedelta(days=60), TODAY) if s.title == "隐患排查治理情况"
        )
        self.assertIn("新发现隐患 4 项", section.paragraphs[0])
        self.assertIn("整改率 33.3%", section.paragraphs[1])
        # Cancelled hazards are not counted (as in the rates): 3 hazards, 1 closed out.
        self.assertEqual(section.table_rows[0], ["朱泾镇", "3", "1", "33.3%"])


class CampaignAndMeasureTests(AnjianTestCase):
    def test_a_programme_with_themes_and_its_figures(self):
        programme = services.campaign_save(
            actor=self.a.safety_head,
            data={
                "name": "安全生产专项整治三年行动",
                "kind": "programme",
                "start_date": dt.date(2020, 4, 1),
                "end_date": dt.date(2022, 12, 31),
                "lead_unit": self.a.safety,
            },
        )
        theme = services.campaign_save(
            actor=self.a.safety_staff,
            data={
                "name": "城市建设",
                "kind": "theme",
                "parent": programme,
                "start_date": dt.date(2020, 4, 1),
                "end_date": dt.date(2022, 12, 31),
                "lead_unit": self.a.safety,
            },
        )
        new_hazard(self.a, campaign=theme)
        listed = self.client_for(self.a.safety_staff).get(reverse("hazards:hazard_list"), {"campaign": programme.pk})
        self.assertEqual(listed.context["total"], 1)
        with self.assertRaises(ValidationError) as ctx:
            services.campaign_save(
                actor=None,
                data={
                    "name": "错",
                    "kind": "theme",
                    "start_date": TODAY,
                    "end_date": TODAY - dt.timedelta(days=1),
                    "lead_unit": self.a.safety,
                },
            )
        self.assertEqual(set(ctx.exception.message_dict), {"end_date", "parent"})
        with self.assertRaises(OutOfScope):
            services.campaign_save(
                actor=self.a.gas_staff,
                data={"name": "别人的", "start_date": TODAY, "end_date": TODAY, "lead_unit": self.a.safety},
            )
        page = self.client_for(self.a.safety_staff).get(reverse("hazards:campaign_detail", args=[programme.pk]))
        self.assertContains(page, "城市建设")
        self.assertEqual(Campaign.objects.count(), 2)

    def test_measure_changes_are_kept_as_history(self):
        hazard = new_hazard(self.a)
        measure = services.measure_save(
            actor=self.a.safety_staff,
            data={
                "title": "隐患销号管理办法",
                "kind": "regulation",
                "responsible_unit": self.a.safety,
                "status": "planned",
            },
            hazards=[hazard],
        )
        services.measure_save(
            actor=self.a.safety_staff,
            measure=measure,
            data={"status": "done", "completed_on": TODAY, "document_no": "金建规〔2021〕1号"},
            version=measure.version,
        )
        events = AuditEvent.objects.filter(object_type="hazards.measure", object_id=str(measure.pk)).order_by("seq")
        self.assertEqual([e.action for e in events], ["create", "m2m", "update"])
        self.assertEqual(events.last().changes["after"]["status"], "done")
        page = self.client_for(self.a.safety_staff).get(reverse("hazards:measure_detail", args=[measure.pk]))
        self.assertContains(page, "金建规〔2021〕1号")
        self.assertContains(page, hazard.number)
        with self.assertRaises(ValidationError) as ctx:
            services.measure_save(
                actor=None, measure=measure, data={"status": "done", "completed_on": None}, version=measure.version + 1
            )
        self.assertIn("completed_on", ctx.exception.message_dict)
        gas_hazard = new_hazard(self.a, unit=self.a.gas)
        with self.assertRaises(ValidationError):
            services.measure_save(
                actor=self.a.safety_staff, measure=Measure.objects.get(), data={}, hazards=[gas_hazard]
            )

    def test_measure_page_links_hazards_by_number(self):
        hazard = new_hazard(self.a)
        client = self.client_for(self.a.safety_staff)
        response = client.post(
            reverse("hazards:measure_add"),
            {
                "title": "带班制度",
                "kind": "regulation",
                "responsible_unit": self.a.safety.pk,
                "status": "planned",
                "hazards_text": f"{hazard.number}、YH-1999-000001",
            },
        )
        self.assertContains(response, "找不到隐患（或不在您的数据范围内）：YH-1999-000001")
        response = client.post(
            reverse("hazards:measure_add"),
            {
                "title": "带班制度",
                "kind": "regulation",
                "responsible_unit": self.a.safety.pk,
                "status": "planned",
                "hazards_text": hazard.number,
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(list(Measure.objects.get().hazards.all()), [hazard])


def _strip(text: str) -> str:
    return re.sub(r"\s+", "", text)
