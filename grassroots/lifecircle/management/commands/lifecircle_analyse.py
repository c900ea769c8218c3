from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from grassroots.core.errors import ApplicationError
from grassroots.lifecircle import services
from grassroots.lifecircle.models import FacilityKind
from grassroots.territory.models import Level, Region


class Command(BaseCommand):
    help = "Run the 15-minute life circle analysis: walking distance from every residential building to each kind."

    def add_arguments(self, parser):
        parser.add_argument("--zone", help="zone code (default: the only zone)")
        parser.add_argument("--kind", action="append", help="only these facility kind codes (repeatable)")

    def handle(self, *args, **opts):
        zones = Region.objects.filter(level=Level.ZONE)
        zone = zones.filter(code=opts["zone"]).first() if opts["zone"] else (zones.first() if zones.count() == 1 else None)
        if zone is None:
            raise CommandError("请用 --zone 指定开发区编码")
        kinds = FacilityKind.objects.all()
        if opts["kind"]:
            kinds = kinds.filter(code__in=opts["kind"])
            missing = set(opts["kind"]) - set(kinds.values_list("code", flat=True))
            if missing:
                raise CommandError(f"未知的设施类型：{', '.join(sorted(missing))}")
        kinds = list(kinds)
        bar = tqdm(total=len(kinds), desc="生活圈分析", unit="类", disable=opts["verbosity"] == 0)
        try:
            run = services.run_analysis(actor=None, zone=zone, kinds=kinds, progress=lambda k: bar.update(1))
        except ApplicationError as exc:
            raise CommandError(exc.message)
        finally:
            bar.close()
        self.stdout.write(self.style.SUCCESS(
            f"完成：{run.buildings} 栋住宅楼 × {run.kinds} 类设施（{run.facilities} 处），用时 {run.seconds:.2f} 秒"))
