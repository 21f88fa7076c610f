"""Notifications: notify(), the pluggable channels, the recipients helpers, the centre page, the badge, the API."""

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from anjian.common.models import Notification
from anjian.common.notifications import (
    Notifier,
    inbox,
    mark_read,
    notifiers,
    notify,
    unread_count,
)
from anjian.common.tests.helpers import make_ticket, make_user
from anjian.orgs.choices import DataScope, Role
from anjian.orgs.selectors import unit_heads, users_covering, users_with_role
from anjian.testing import AnjianTestCase

SENT: list[tuple[str, int, str]] = []


class RecordingNotifier(Notifier):
    """A stand-in for an SMS gateway: remembers what it was asked to send."""

    name = "recording"
    levels = {"warning", "danger"}

    def send(self, notification):
        SENT.append((self.name, notification.recipient_id, notification.title))


class BrokenNotifier(Notifier):
    name = "broken"

    def send(self, notification):
        raise ConnectionError("gateway down")


CHANNELS = [
    "anjian.common.notifications.InAppNotifier",
    "anjian.common.tests.test_notifications.BrokenNotifier",
    "anjian.common.tests.test_notifications.RecordingNotifier",
]


class NotifyTests(AnjianTestCase):
    def setUp(self):
        super().setUp()
        SENT.clear()

    def test_it_writes_one_inbox_row_per_recipient(self):
        ticket = make_ticket(self.a)
        rows = notify(
            [self.a.safety_head, self.a.safety_staff, self.a.safety_head],
            title="工单已逾期",
            body="请尽快办理",
            url=ticket.get_absolute_url(),
            level="warning",
            obj=ticket,
        )
        self.assertEqual(len(rows), 2)
        row = Notification.objects.get(recipient=self.a.safety_head)
        self.assertEqual((row.title, row.body, row.level), ("工单已逾期", "请尽快办理", "warning"))
        self.assertEqual(row.target, ticket)
        self.assertIsNone(row.read_at)

    def test_it_takes_a_queryset_or_one_user_and_skips_inactive_people(self):
        self.a.gas_staff.is_active = False
        self.a.gas_staff.save()
        from anjian.orgs.models import User

        notify(User.objects.filter(unit__in=[self.a.safety, self.a.gas]), title="通知")
        self.assertEqual(
            set(Notification.objects.values_list("recipient__username", flat=True)), {"safety_head", "safety_staff"}
        )
        self.assertEqual(len(notify(self.a.leader, title="一条")), 1)
        self.assertEqual(notify([], title="无人"), [])

    def test_bad_input_names_the_field(self):
        cases = [
            ({"title": " "}, "title"),
            ({"title": "x" * 201}, "title"),
            ({"title": "t", "url": "https://evil.example/"}, "url"),
            ({"title": "t", "url": "//evil.example/"}, "url"),
            ({"title": "t", "level": "loud"}, "level"),
        ]
        for kwargs, field in cases:
            with self.subTest(kwargs=kwargs), self.assertRaises(ValidationError) as caught:
                notify(self.a.leader, **kwargs)
            self.assertIn(field, caught.exception.message_dict)
        self.assertFalse(Notification.objects.exists())

    def test_the_inbox_rolls_back_with_the_change_that_caused_it(self):
        with self.assertRaises(RuntimeError), transaction.atomic():
            notify(self.a.leader, title="不会留下")
            raise RuntimeError
        self.assertFalse(Notification.objects.exists())

    @override_settings(ANJIAN_NOTIFIERS=CHANNELS)
    def test_other_channels_run_after_commit_and_a_failing_one_is_only_logged(self):
        with self.assertLogs("anjian.notifications", "ERROR") as logs, self.captureOnCommitCallbacks(execute=True):
            notify([self.a.leader, self.a.safety_head], title="紧急", level="danger")
            notify(self.a.leader, title="普通", level="info")  # below the channel's levels
            self.assertEqual(SENT, [])
        self.assertEqual(
            sorted(SENT),
            sorted([("recording", self.a.leader.pk, "紧急"), ("recording", self.a.safety_head.pk, "紧急")]),
        )
        self.assertIn("broken", logs.output[0])
        self.assertEqual(Notification.objects.count(), 3)

    @override_settings(ANJIAN_NOTIFIERS=CHANNELS)
    def test_no_channel_sends_anything_about_a_rolled_back_change(self):
        with self.captureOnCommitCallbacks(execute=True), self.assertRaises(RuntimeError), transaction.atomic():
            notify(self.a.leader, title="紧急", level="danger")
            raise RuntimeError
        self.assertEqual(SENT, [])

    @override_settings(ANJIAN_NOTIFIERS=["anjian.common.tests.test_notifications.RecordingNotifier"])
    def test_in_app_delivery_is_always_on(self):
        self.assertEqual([n.name for n in notifiers()], ["in_app", "recording"])

    @override_settings(ANJIAN_NOTIFIERS=["no.such.Notifier"])
    def test_a_wrong_channel_path_is_a_configuration_error(self):
        with self.assertRaises(ImproperlyConfigured):
            notify(self.a.leader, title="x")

    def test_mark_read_touches_only_the_users_own_rows(self):
        mine = notify(self.a.leader, title="我的")[0]
        theirs = notify(self.a.safety_head, title="别人的")[0]
        self.assertEqual(mark_read(user=self.a.leader, notification_ids=[mine.pk, theirs.pk]), 1)
        self.assertEqual(unread_count(self.a.leader), 0)
        self.assertEqual(unread_count(self.a.safety_head), 1)
        self.assertEqual(list(inbox(self.a.leader)), [mine])


class RecipientTests(AnjianTestCase):
    def test_users_with_role_at_a_unit(self):
        self.assertEqual(list(users_with_role(self.a.safety, Role.UNIT_HEAD)), [self.a.safety_head])
        self.assertEqual(
            list(users_with_role(self.a.safety, Role.UNIT_HEAD, Role.UNIT_STAFF)),
            [self.a.safety_head, self.a.safety_staff],
        )
        self.assertEqual(list(users_with_role(self.a.enterprise, Role.ENTERPRISE_USER)), [self.a.ent_user])
        self.assertEqual(list(users_with_role(self.a.gas, Role.UNIT_HEAD)), [])
        self.assertEqual(list(users_with_role(None, Role.UNIT_HEAD)), [])

    def test_unit_heads_walk_up_to_the_nearest_unit_that_has_one(self):
        self.assertEqual(list(unit_heads(self.a.safety)), [self.a.safety_head])
        self.assertEqual(list(unit_heads(self.a.gas)), [])
        chief = make_user("chief", "总负责人", self.a.committee, Role.UNIT_HEAD, DataScope.UNIT_SUBTREE)
        self.assertEqual(list(unit_heads(self.a.gas)), [chief])
        self.assertEqual(list(unit_heads(self.a.safety)), [self.a.safety_head])
        with self.assertNumQueries(2):
            list(unit_heads(self.a.gas))

    def test_users_covering_a_unit_from_above(self):
        self.assertEqual(list(users_covering(self.a.safety, Role.LEADER)), [self.a.leader])
        self.assertEqual(list(users_covering(self.a.other_dept, Role.LEADER)), [])
        # An own-unit grant above does not reach down.
        make_user("narrow", "本级领导", self.a.committee, Role.LEADER, DataScope.OWN_UNIT)
        self.assertEqual(list(users_covering(self.a.safety, Role.LEADER)), [self.a.leader])


class NotificationCentreTests(AnjianTestCase):
    def test_each_user_sees_only_their_own_notifications(self):
        notify(self.a.leader, title="给领导的消息")
        notify(self.a.safety_head, title="给科长的消息")
        response = self.client_for(self.a.leader).get(reverse("common:notification_list"))
        self.assertContains(response, "给领导的消息")
        self.assertNotContains(response, "给科长的消息")
        self.assertEqual(response.context["unread"], 1)

    def test_another_users_notification_is_404(self):
        theirs = notify(self.a.safety_head, title="别人的")[0]
        client = self.client_for(self.a.leader)
        self.assertEqual(client.post(reverse("common:notification_read", args=[theirs.pk])).status_code, 404)
        self.assertEqual(client.post(reverse("common:notification_read", args=[999999])).status_code, 404)
        theirs.refresh_from_db()
        self.assertIsNone(theirs.read_at)

    def test_mark_one_open_one_and_mark_all(self):
        ticket = make_ticket(self.a)
        first, second, third = (
            notify(self.a.leader, title=f"第{n}条", url=ticket.get_absolute_url())[0] for n in range(1, 4)
        )
        client = self.client_for(self.a.leader)
        response = client.post(reverse("common:notification_read", args=[first.pk]))
        self.assertRedirects(response, reverse("common:notification_list"), fetch_redirect_response=False)
        response = client.post(reverse("common:notification_read", args=[second.pk]), {"open": "1"})
        self.assertEqual(response["Location"], ticket.get_absolute_url())
        self.assertEqual(unread_count(self.a.leader), 1)
        unread_page = client.get(reverse("common:notification_list"), {"show": "unread"})
        self.assertEqual([n.pk for n in unread_page.context["page_obj"]], [third.pk])
        response = client.post(reverse("common:notification_read_all"), follow=True)
        self.assertContains(response, "已将 1 条消息标为已读")
        self.assertEqual(unread_count(self.a.leader), 0)

    def test_read_endpoints_are_post_only_and_need_login(self):
        mine = notify(self.a.leader, title="x")[0]
        self.assertEqual(
            self.client_for(self.a.leader).get(reverse("common:notification_read", args=[mine.pk])).status_code, 405
        )
        from django.test import Client

        self.assertEqual(Client().get(reverse("common:notification_list")).status_code, 302)

    def test_the_navbar_badge_shows_the_unread_count_with_one_query(self):
        for n in range(3):
            notify(self.a.safety_staff, title=f"消息{n}")
        notify(self.a.leader, title="别人的")
        client = self.client_for(self.a.safety_staff)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("home"))
        self.assertContains(response, 'data-unread="3"')
        touching = [q["sql"] for q in queries.captured_queries if "common_notification" in q["sql"]]
        self.assertEqual(len(touching), 1, touching)
        self.assertIn("COUNT", touching[0].upper())
        mark_read(user=self.a.safety_staff)
        self.assertNotContains(client.get(reverse("home")), "data-unread=")

    def test_a_large_count_is_capped_in_the_badge(self):
        notify(self.a.safety_staff, title="x")
        Notification.objects.bulk_create(
            [Notification(recipient=self.a.safety_staff, title=f"批量{n}") for n in range(120)]
        )
        self.assertContains(self.client_for(self.a.safety_staff).get(reverse("home")), "99+")


class NotificationApiTests(AnjianTestCase):
    def test_the_api_lists_only_the_callers_own(self):
        mine = notify(self.a.leader, title="我的")[0]
        theirs = notify(self.a.safety_head, title="别人的")[0]
        client = self.client_for(self.a.leader)
        body = client.get(reverse("api:notification-list")).json()
        self.assertEqual([row["id"] for row in body["results"]], [mine.pk])
        self.assertEqual(client.get(reverse("api:notification-detail", args=[theirs.pk])).status_code, 404)
        self.assertEqual(client.post(reverse("api:notification-read", args=[theirs.pk])).status_code, 404)

    def test_read_one_read_all_unread_filter_and_count(self):
        first, second = (notify(self.a.leader, title=t)[0] for t in ("一", "二"))
        client = self.client_for(self.a.leader)
        self.assertEqual(client.get(reverse("api:notification-unread-count")).json(), {"unread": 2})
        body = client.post(reverse("api:notification-read", args=[first.pk])).json()
        self.assertTrue(body["is_read"])
        unread = client.get(reverse("api:notification-list"), {"unread": "true"}).json()
        self.assertEqual([row["id"] for row in unread["results"]], [second.pk])
        self.assertEqual(client.post(reverse("api:notification-read-all")).json(), {"marked": 1})
        self.assertEqual(client.get(reverse("api:notification-unread-count")).json(), {"unread": 0})

    def test_responses_conform_to_the_schema(self):
        import json

        from django.test import Client
        from openapi_core import OpenAPI
        from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

        spec = OpenAPI.from_dict(
            json.loads(Client().get("/api/schema/", {"format": "json"}, HTTP_ACCEPT="application/json").content)
        )
        ticket = make_ticket(self.a)
        mine = notify(self.a.leader, title="我的", obj=ticket, url="/x/")[0]
        client = self.client_for(self.a.leader)
        for response in (
            client.get(reverse("api:notification-list")),
            client.get(reverse("api:notification-detail", args=[mine.pk])),
            client.post(reverse("api:notification-read", args=[mine.pk])),
            client.post(reverse("api:notification-read-all")),
            client.get(reverse("api:notification-unread-count")),
        ):
            with self.subTest(url=response.wsgi_request.path):
                self.assertLess(response.status_code, 300)
                spec.validate_response(DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response))
