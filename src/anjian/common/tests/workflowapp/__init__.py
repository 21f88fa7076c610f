"""A test-only app (installed by ``anjian.config.test_settings`` alone): a small ``Ticket`` with a
workflow, a deadline and a unit, so the shared workflow, numbering, notification and escalation
machinery of ``anjian.common`` is tested against a real model with real migrations."""
