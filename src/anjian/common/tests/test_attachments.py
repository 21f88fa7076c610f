import hashlib
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from anjian.common.models import Attachment, AuditAction, AuditEvent
from anjian.testing import AnjianTestCase


def jpeg_with_exif(*, gps=True) -> bytes:
    image = Image.new("RGB", (640, 480), (200, 60, 40))
    exif = Image.Exif()
    sub = exif.get_ifd(0x8769)
    sub[36867] = "2026:03:09 10:30:00"  # DateTimeOriginal, local time
    if gps:
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd[1], gps_ifd[2] = "N", (30.0, 44.0, 30.12)
        gps_ifd[3], gps_ifd[4] = "E", (121.0, 20.0, 29.76)
    buf = io.BytesIO()
    image.save(buf, format="JPEG", exif=exif)
    return buf.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


class AttachmentTests(AnjianTestCase):
    def upload_url(self, unit):
        return reverse("common:attachment_upload", args=["orgs", "orgunit", unit.pk])

    def test_a_photo_keeps_capture_time_gps_hash_and_gets_a_thumbnail(self):
        content = jpeg_with_exif()
        client = self.client_for(self.a.sysadmin)
        response = client.post(self.upload_url(self.a.gas), {"file": upload("现场.jpg", content, "image/jpeg")})
        self.assertEqual(response.status_code, 302)
        attachment = Attachment.objects.get()
        self.assertEqual(attachment.mime_type, "image/jpeg")
        self.assertEqual(attachment.kind, "image")
        self.assertEqual(attachment.sha256, hashlib.sha256(content).hexdigest())
        self.assertEqual(attachment.size, len(content))
        self.assertEqual(attachment.captured_at.isoformat(), "2026-03-09T02:30:00+00:00")
        self.assertAlmostEqual(float(attachment.gps_lat), 30.741700, places=5)
        self.assertAlmostEqual(float(attachment.gps_lng), 121.341600, places=5)
        self.assertTrue(attachment.thumbnail)
        with Image.open(attachment.thumbnail.open("rb")) as thumb:
            self.assertLessEqual(max(thumb.size), 320)
        self.assertTrue(AuditEvent.objects.filter(object_type="common.attachment", action=AuditAction.CREATE).exists())
        download = client.get(reverse("common:attachment_download", args=[attachment.pk]))
        self.assertEqual(b"".join(download.streaming_content), content)
        self.assertEqual(download["X-Content-Type-Options"], "nosniff")

    def test_a_photo_without_gps_is_still_accepted(self):
        self.client_for(self.a.sysadmin).post(
            self.upload_url(self.a.gas), {"file": upload("a.jpg", jpeg_with_exif(gps=False))}
        )
        attachment = Attachment.objects.get()
        self.assertIsNone(attachment.gps_lat)
        self.assertIsNotNone(attachment.captured_at)

    def test_disallowed_files_are_refused_with_a_clear_message_and_nothing_is_saved(self):
        client = self.client_for(self.a.sysadmin)
        cases = {
            "程序.pdf": (b"MZ\x90\x00\x03" + b"\x00" * 200, "不允许上传该类型的文件"),
            "page.pdf": (b"<html><script>alert(1)</script></html>", "不允许上传该类型的文件"),
            "photo.pdf": (jpeg_with_exif(), "与文件内容"),
            "empty.jpg": (b"", "空文件"),
            "broken.jpg": (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "图片已损坏"),
        }
        for name, (content, message) in cases.items():
            with self.subTest(name=name):
                response = client.post(self.upload_url(self.a.gas), {"file": upload(name, content)}, follow=True)
                texts = [str(m) for m in response.context["messages"]]
                self.assertTrue(any(message in t for t in texts), texts)
        self.assertFalse(Attachment.objects.exists())

    def test_the_size_limit_is_enforced(self):
        with self.settings(ANJIAN_MAX_UPLOAD_MB=1):
            response = self.client_for(self.a.sysadmin).post(
                self.upload_url(self.a.gas),
                {"file": upload("big.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 10))},
                follow=True,
            )
        self.assertIn("文件过大", " ".join(str(m) for m in response.context["messages"]))
        self.assertFalse(Attachment.objects.exists())

    def test_attachments_are_invisible_outside_the_records_scope(self):
        self.client_for(self.a.sysadmin).post(
            reverse("common:attachment_upload", args=["orgs", "orgunit", self.a.enterprise.pk]),
            {"file": upload("a.pdf", b"%PDF-1.7\n%%EOF\n")},
        )
        attachment = Attachment.objects.get()
        url = reverse("common:attachment_download", args=[attachment.pk])
        self.assertEqual(self.client_for(self.a.ent_user).get(url).status_code, 200)
        self.assertEqual(self.client_for(self.a.ent_user2).get(url).status_code, 404)
        api = reverse("api:attachment-list")
        query = {"object_type": "orgs.orgunit", "object_id": self.a.enterprise.pk}
        self.assertEqual(len(self.client_for(self.a.ent_user).get(api, query).json()["results"]), 1)
        self.assertEqual(self.client_for(self.a.ent_user2).get(api, query).status_code, 404)

    def test_only_users_who_may_change_a_record_attach_to_it(self):
        response = self.client_for(self.a.ent_user).post(
            reverse("common:attachment_upload", args=["orgs", "orgunit", self.a.enterprise.pk]),
            {"file": upload("a.pdf", b"%PDF-1.7\n%%EOF\n")},
            follow=True,
        )
        self.assertIn("无权", " ".join(str(m) for m in response.context["messages"]))
        self.assertFalse(Attachment.objects.exists())
        # Out of scope entirely: 404, not a message.
        response = self.client_for(self.a.ent_user).post(
            reverse("common:attachment_upload", args=["orgs", "orgunit", self.a.enterprise2.pk]),
            {"file": upload("a.pdf", b"%PDF-1.7\n%%EOF\n")},
        )
        self.assertEqual(response.status_code, 404)

    def test_api_upload(self):
        client = self.client_for(self.a.sysadmin)
        response = client.post(
            reverse("api:attachment-list"),
            {"object_type": "orgs.orgunit", "object_id": self.a.gas.pk, "file": upload("a.png", _png())},
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["mime_type"], "image/png")
        bad = client.post(
            reverse("api:attachment-list"),
            {"object_type": "orgs.orgunit", "object_id": self.a.gas.pk, "file": upload("a.png", b"not a png")},
        )
        self.assertEqual(bad.status_code, 400)
        self.assertIn("file", bad.json())


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buf, format="PNG")
    return buf.getvalue()
