"""The history panel and the audit table read an event's changes as people do: the field's name and
the choice's label (状态: 草稿 → 生效), not the column and the stored code — personal data still masked."""

from django.template import Context, Template
from django.test import SimpleTestCase


def render(text: str, **context) -> str:
    return Template("{% load anjian %}" + text).render(Context(context))


class HistoryLabelTests(SimpleTestCase):
    changes = {"before": {"kind": "department", "name": "甲"}, "after": {"kind": "town", "name": "乙"}}

    def test_field_names_and_choices_are_shown_as_labels(self):
        html = render("{{ c|pretty_changes:t }}", c=self.changes, t="orgs.orgunit")
        self.assertIn("<code>类型</code>", html)
        self.assertIn("科室 → 街镇", html)
        self.assertIn("<code>名称</code>: 甲 → 乙", html)
        self.assertNotIn("department", html)
        summary = render("{{ c|changes_summary:t }}", c=self.changes, t="orgs.orgunit")
        self.assertEqual(summary, "类型、名称")

    def test_without_a_model_the_keys_stay_and_personal_data_is_masked(self):
        changes = {"after": {"phone": "13800010001", "kind": "town"}}
        html = render("{{ c|pretty_changes }}", c=changes)
        self.assertIn("<code>kind</code>: town", html)
        self.assertIn("138****0001", html)
        masked = render("{{ c|pretty_changes:t }}", c={"after": {"phone": "13800010001"}}, t="orgs.user")
        self.assertIn("138****0001", masked)
        self.assertNotIn("13800010001", masked)
        self.assertIn("kind", render("{{ c|changes_summary:t }}", c=changes, t="no.such"))
