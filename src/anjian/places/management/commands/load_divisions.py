from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from anjian.common.audit import audit_context
from anjian.places.services import BUNDLED, divisions_load


class Command(BaseCommand):
    help = "加载行政区划（默认：金山区及其 11 个街镇）。Load administrative divisions from a CSV (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(BUNDLED), help="CSV: code,name,level,parent_code,lat,lng,…")

    def handle(self, *args, **opts):
        try:
            with audit_context(actor_name="load_divisions"):
                created, updated = divisions_load(Path(opts["file"]))
        except (ValidationError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"区划：新增 {created}，更新 {updated}")
