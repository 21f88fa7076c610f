"""Pages: registration, correction, self-report, criteria loading, intake routes, measures' scope,
the CAPTCHA's rules, and the working-day count of the overdue list."""

from __future__ import annotations

import datetime as dt
import json
import random
import time

from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from django.utils import timezone

from anjian.common.calendar import working_days_overdue
from anjian.hazards import captcha, services
from anjian.hazards.choices import HazardStatus, Sector
from anjian.hazards.models import CriteriaVersion, Hazard, Measure, ReportRoute
from anjian.hazards.selectors import _working_days_overdue
from anjian.hazards.tests.helpers import drive, jpeg, new_hazard
from anjian.hazards.tests.test_services import construction_2024
from anjian.testing import AnjianTestCase

TODAY = timezone.localdate()


class HazardPageTests(AnjianTestCase):
    def test_staff_register_a_hazard_with_photos_on_the_page(self):
        client = self.client_for(self.a.safety_staff)
        page = client.get(reverse("hazards:hazard_add"))
        self.assertContains(page, 'enctype="multipart/form-data"')
        units = [str(u) for u in page.context["form"].fields["supervising_unit"].queryset]
        self.assertEqual(units, ["安全监管科"])
        response = client.post(
            reverse("hazards:hazard_add"),
            {
                "title": "临边防护栏杆缺失",
                "sector": "construction",
                "supervising_unit": self.a.safety.pk,
                "town": self.a.places.zhujing.pk,
                "found_date": TODAY.isoformat(),
                "crs": "gcj02",
                "lat": "30.894",
                "lng": "121.168",
                "photos": [jpeg("a.jpg"), jpeg("b.jpg")],
            },
        )
        hazard = Hazard.objects.get()
        self.assertRedirects(response, hazard.get_absolute_url())
        self.assertEqual(hazard.photos.count(), 2)
        self.assertNotEqual(str(hazard.lat), "30.894000")  # converted from GCJ-02
        bad = client.post(
            reverse("hazards:hazard_add"), {"title": "", "sector": "construction", "supervising_unit": self.a.gas.pk}
        )
        self.assertEqual(bad.status_code, 200)
        self.assertIn("supervising_unit", bad.context["form"].errors)
        self.assertEqual(self.client_for(self.a.ent_user).get(reverse("hazards:hazard_add")).status_code, 403)

    def test_correction_keeps_the_version_check(self):
        hazard = new_hazard(self.a)
        client = self.client_for(self.a.safety_staff)
        page = client.get(reverse("hazards:hazard_edit", args=[hazard.pk]))
        form = page.context["form"]
        data = {k: v for k, v in form.initial.items() if v is not None}
        data.update(address="朱泾镇示例路 1 号", version=hazard.version)
        for key in ("supervising_unit", "responsible_enterprise", "town"):
            data[key] = getattr(hazard, f"{key}_id")
        response = client.post(reverse("hazards:hazard_edit", args=[hazard.pk]), data)
        self.assertEqual(response.status_code, 302, response.context and response.context["form"].errors)
        hazard.refresh_from_db()
        self.assertEqual(hazard.address, "朱泾镇示例路 1 号")
        stale = client.post(
            reverse("hazards:hazard_edit", args=[hazard.pk]), {**data, "address": "x", "version": hazard.version - 1}
        )
        self.assertContains(stale, "已被他人修改")
        self.assertEqual(
            self.client_for(self.a.gas_staff).get(reverse("hazards:hazard_edit", args=[hazard.pk])).status_code, 404
        )

    def test_an_enterprise_reports_its_own_finding(self):
        services.report_route_save(actor=None, sector=Sector.GAS, unit=self.a.gas)
        client = self.client_for(self.a.ent_user)
        response = client.post(
            reverse("hazards:hazard_self_report"),
            {"title": "自查：液化气瓶软管老化", "sector": "gas", "found_date": TODAY.isoformat(), "photos": [jpeg()]},
        )
        hazard = Hazard.objects.get()
        self.assertRedirects(response, hazard.get_absolute_url())
        self.assertEqual((hazard.responsible_enterprise, hazard.supervising_unit), (self.a.enterprise, self.a.gas))
        self.assertEqual(self.client_for(self.a.gas_staff).get(hazard.get_absolute_url()).status_code, 200)

    def test_the_plan_page_saves_the_plan_and_milestones(self):
        hazard = drive(new_hazard(self.a), HazardStatus.ASSIGNED)
        client = self.client_for(self.a.ent_user)
        url = reverse("hazards:plan_edit", args=[hazard.pk])
        data = {
            "measures": "补设连墙件",
            "responsible_person": "张工",
            "funds": "2.5",
            "deadline": TODAY.isoformat(),
            "interim_controls": "警戒隔离",
            "ms-TOTAL_FORMS": "2",
            "ms-INITIAL_FORMS": "0",
            "ms-MIN_NUM_FORMS": "0",
            "ms-MAX_NUM_FORMS": "30",
            "ms-0-title": "隔离",
            "ms-0-due_date": TODAY.isoformat(),
            "ms-1-title": "缺日期的节点",
        }
        bad = client.post(url, data)
        self.assertContains(bad, "请填写该节点的计划日期")
        data["ms-1-title"] = ""
        response = client.post(url, data)
        self.assertRedirects(response, hazard.get_absolute_url() + "#plan", fetch_redirect_response=False)
        self.assertEqual(hazard.plan.milestones.get().title, "隔离")
        detail = client.get(hazard.get_absolute_url())
        self.assertContains(detail, "警戒隔离")

    def test_the_list_filters_and_the_overdue_marker(self):
        late = drive(
            new_hazard(self.a, found_date=TODAY - dt.timedelta(days=40)),
            HazardStatus.RECTIFYING,
            deadline=TODAY - dt.timedelta(days=2),
        )
        drive(new_hazard(self.a), HazardStatus.CLOSED)
        client = self.client_for(self.a.safety_staff)
        overdue = client.get(reverse("hazards:hazard_list"), {"overdue": "true"})
        self.assertEqual(list(overdue.context["table"].data), [late])
        self.assertContains(overdue, "逾期")
        self.assertEqual(client.get(reverse("hazards:hazard_list"), {"status": "open"}).context["total"], 1)
        self.assertEqual(client.get(reverse("hazards:hazard_list"), {"status": "closed"}).context["total"], 1)


class CriteriaPageTests(AnjianTestCase):
    def test_the_system_admin_loads_a_new_version_on_the_page(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        client = self.client_for(self.a.sysadmin)
        url = reverse("hazards:criteria_list")
        page = client.get(url)
        self.assertContains(page, "随系统发布")
        upload = SimpleUploadedFile("2024.json", json.dumps(construction_2024(), ensure_ascii=False).encode())
        response = client.post(url, {"action": "upload", "file": upload}, follow=True)
        self.assertContains(response, "已载入")
        self.assertTrue(CriteriaVersion.objects.filter(edition="2024", packaged=False).exists())
        broken = SimpleUploadedFile("bad.json", b'{"standard": "construction_major"}')
        response = client.post(url, {"action": "upload", "file": broken})
        self.assertContains(response, "缺少字段 version")
        staff = self.client_for(self.a.safety_staff)
        self.assertContains(staff.get(url), "2024")
        self.assertEqual(staff.post(url, {"action": "upload"}).status_code, 403)
        # The checklist offers the newest version by default and the older one on request.
        checklist = staff.get(reverse("hazards:checklist", args=["construction_major"]))
        self.assertContains(checklist, "2024版")
        older = staff.get(reverse("hazards:checklist", args=["construction_major"]), {"edition": "2022"})
        self.assertContains(older, "附着式升降脚手架使用过程中架体悬臂高度")

    def test_intake_routes_are_set_by_the_system_admin(self):
        url = reverse("hazards:report_routes")
        self.assertEqual(self.client_for(self.a.safety_head).get(url).status_code, 403)
        client = self.client_for(self.a.sysadmin)
        client.post(url, {"sector": "gas", "unit": self.a.gas.pk})
        self.assertEqual(ReportRoute.objects.get(sector="gas").unit, self.a.gas)
        client.post(url, {"sector": "gas", "unit": self.a.enterprise.pk})
        self.assertEqual(ReportRoute.objects.get(sector="gas").unit, self.a.gas)


class MeasureScopeTests(AnjianTestCase):
    def test_units_see_their_own_measures(self):
        mine = services.measure_save(
            actor=None,
            data={"title": "安全科制度", "kind": "regulation", "responsible_unit": self.a.safety, "status": "planned"},
        )
        theirs = services.measure_save(
            actor=None,
            data={"title": "燃气科制度", "kind": "mechanism", "responsible_unit": self.a.gas, "status": "planned"},
        )
        client = self.client_for(self.a.safety_staff)
        rows = list(client.get(reverse("hazards:measure_list")).context["table"].data)
        self.assertEqual(rows, [mine])
        self.assertEqual(client.get(reverse("hazards:measure_detail", args=[theirs.pk])).status_code, 404)
        self.assertEqual(
            self.client_for(self.a.ent_user).get(reverse("hazards:measure_detail", args=[mine.pk])).status_code, 404
        )
        self.assertEqual(set(Measure.objects.restrict(self.a.leader)), {mine, theirs})


class CaptchaTests(AnjianTestCase):
    def test_the_answer_is_not_kept_in_the_clear_and_works_once(self):
        session = SessionStore()
        answer = captcha.new_challenge(session)
        self.assertNotIn(answer, json.dumps(session[captcha.SESSION_KEY]))
        self.assertFalse(captcha.check(session, ""))
        self.assertTrue(captcha.check(session, answer.lower()))
        self.assertFalse(captcha.check(session, answer))

    def test_wrong_tries_and_expiry_discard_the_challenge(self):
        session = SessionStore()
        answer = captcha.new_challenge(session)
        for _ in range(captcha.MAX_TRIES):
            self.assertFalse(captcha.check(session, "XXXXX"))
        self.assertFalse(captcha.check(session, answer))
        answer = captcha.new_challenge(session)
        session[captcha.SESSION_KEY]["expires"] = time.time() - 1
        self.assertFalse(captcha.check(session, answer))

    def test_another_secret_cannot_read_the_answer(self):
        session = SessionStore()
        captcha.new_challenge(session)
        self.assertIsNone(captcha.stored_answer(session[captcha.SESSION_KEY], "another-secret"))

    def test_the_image_is_a_png_of_the_right_size(self):
        from io import BytesIO

        from PIL import Image

        image = Image.open(BytesIO(captcha.render("ACD34")))
        self.assertEqual((image.format, image.size), ("PNG", captcha.SIZE))


class OverdueDaysTests(AnjianTestCase):
    def test_one_walk_gives_the_calendars_count_for_every_deadline(self):
        rng = random.Random(7)
        deadlines = {TODAY - dt.timedelta(days=rng.randint(0, 700)) for _ in range(200)} | {TODAY}
        got = _working_days_overdue(deadlines, TODAY)
        for deadline in deadlines:
            self.assertEqual(got[deadline], working_days_overdue(deadline, TODAY), deadline)
        self.assertEqual(_working_days_overdue(set(), TODAY), {})
