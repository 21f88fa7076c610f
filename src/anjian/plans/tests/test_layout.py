"""The models declare their state machines as data: each transition's hook, party check and form is
a dotted path into the services (or the workflow forms), so the models import no service and the
circle models → services → models cannot come back."""

import ast
from pathlib import Path

from django.apps import apps
from django.test import SimpleTestCase

from anjian.common.workflow import Transition, resolved, transitions_of

MODELS = Path(__file__).resolve().parents[1] / "models"
FORBIDDEN = ("anjian.plans.services", "anjian.plans.hooks", "anjian.plans.forms", "anjian.plans.views")


def _imported_modules(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
    return out


class LayoutTests(SimpleTestCase):
    def test_the_models_import_no_service(self):
        for path in sorted(MODELS.glob("*.py")):
            with self.subTest(path.name):
                bad = {m for m in _imported_modules(path) if m.startswith(FORBIDDEN)}
                self.assertEqual(bad, set())

    def test_every_transition_step_resolves(self):
        for model in apps.get_app_config("plans").get_models():
            if not isinstance(getattr(model, "TRANSITIONS", None), dict):
                continue
            for action, spec in transitions_of(model).items():
                self.assertIsInstance(spec, Transition)
                for name in ("hook", "party", "form", "on_commit"):
                    value = getattr(spec, name)
                    if value is not None:
                        with self.subTest(f"{model.__name__}.{action}.{name}"):
                            self.assertTrue(callable(resolved(value)))
