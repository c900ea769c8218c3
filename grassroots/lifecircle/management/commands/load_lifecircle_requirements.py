from django.core.management.base import BaseCommand, CommandError

from grassroots.core.errors import ApplicationError
from grassroots.lifecircle import services


class Command(BaseCommand):
    help = "Load life-circle levels, facility kinds and requirement profiles (GB 50180-2018, MOFCOM) from JSON."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(services.DATA_FILE))

    def handle(self, *args, **opts):
        try:
            counts = services.load_requirements(path=opts["file"])
        except ApplicationError as exc:
            raise CommandError(exc.message)
        self.stdout.write(self.style.SUCCESS(
            f"已载入 {counts['circles']} 个生活圈层级、{counts['kinds']} 类设施、{counts['profiles']} 套配置标准"))
