from django.core.management.base import BaseCommand, CommandError

from grassroots.core.errors import ApplicationError
from grassroots.lifecircle import services
from grassroots.territory.models import Level, Region


class Command(BaseCommand):
    help = "Import a walking network (GeoJSON lines, .osm or .osm.pbf) as the zone's active network."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--zone", help="zone code (default: the only zone)")
        parser.add_argument("--name", default="")

    def handle(self, *args, **opts):
        zones = Region.objects.filter(level=Level.ZONE)
        zone = zones.filter(code=opts["zone"]).first() if opts["zone"] else (zones.first() if zones.count() == 1 else None)
        if zone is None:
            raise CommandError("请用 --zone 指定开发区编码")
        try:
            row = services.network_import(actor=None, zone=zone, path=opts["file"], name=opts["name"])
        except ApplicationError as exc:
            raise CommandError(exc.message)
        self.stdout.write(self.style.SUCCESS(
            f"已导入路网「{row.name}」：{row.node_count} 个节点，{row.edge_count} 条路段，"
            f"总长 {row.total_length_m / 1000:.1f} 公里"))
