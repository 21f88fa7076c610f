"""``anjian load_checklists [FILE.json …]``: the packaged checklists (data/checklists/), or the files
named, into the checklist tables. A (code, version) already stored is kept (inspections keep the
version they were run under); a corrected checklist is loaded as a new version."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from anjian.inspections.services import checklists


class Command(BaseCommand):
    help = "Load checklist templates (JGJ 59 from its scoring criteria; pass/fail checklists with their basis)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="checklist JSON files (default: the packaged ones)")

    def handle(self, *args, files=(), **options):
        try:
            if files:
                results = [checklists.checklist_load(actor=None, path=Path(f)) for f in files]
            else:
                results = checklists.checklists_sync()
        except (OSError, ValueError, KeyError, ValidationError) as exc:
            raise CommandError(f"检查表未导入：{exc}") from exc
        for checklist, created in results:
            state = "已导入" if created else "已存在，未改动"
            self.stdout.write(
                f"{checklist.code} {checklist.version} {checklist.name}：{state}（{checklist.items.count()} 项）"
            )
