from django.core.management.base import BaseCommand, CommandError

from grassroots.core.errors import ApplicationError
from grassroots.deliberation.services import load_meeting_kinds


class Command(BaseCommand):
    help = "Load the meeting kinds and their quorum/majority rules (policy rows) from JSON."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?")

    def handle(self, *args, **opts):
        try:
            n = load_meeting_kinds(path=opts["file"])
        except ApplicationError as exc:
            raise CommandError(exc.message)
        self.stdout.write(self.style.SUCCESS(f"已载入 {n} 种议事会类型"))
