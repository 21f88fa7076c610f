from django.core.management.base import BaseCommand

from anjian.common import audit


class Command(BaseCommand):
    help = "打印审计链头 SEQ:HASH，用于在通报和门户上公布。Print the audit chain head for publication."

    def handle(self, *args, **opts):
        seq, digest = audit.head()
        self.stdout.write(f"{seq}:{digest}")
