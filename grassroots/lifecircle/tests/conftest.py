import pytest

from grassroots.lifecircle import services
from grassroots.lifecircle.models import FacilityKind, ServiceItem
from grassroots.lifecircle.network import from_geojson_lines

LAT = 37.405  # the centre line of the test world's grids; buildings b1..b4 sit on it at 118.605 + 0.01 i


def street(lon0=118.600, lon1=118.650, step=0.005, lat=LAT):
    n = round((lon1 - lon0) / step)
    coords = [[round(lon0 + i * step, 6), lat] for i in range(n + 1)]
    line = {"type": "LineString", "coordinates": coords}
    return {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": line}]}


@pytest.fixture
def lifecircle_world(world):
    """The test world with the requirement profiles, one east-west street through every grid, and service items."""
    services.load_requirements()
    services.network_save(actor=None, zone=world.zone, net=from_geojson_lines(street()), name="测试路网")
    world.canteen = FacilityKind.objects.get(code="community_canteen")
    world.kindergarten = FacilityKind.objects.get(code="kindergarten")
    world.item_residence = ServiceItem.objects.create(
        code="370571-GG-0001", name="居住证办理", item_type="public_service", competent_department="公安分局",
        implementing_body="社区警务室", promised_days=5, legal_days=15)
    world.item_pension = ServiceItem.objects.create(
        code="370571-JF-0002", name="高龄津贴申领", item_type="payment", competent_department="民政",
        implementing_body="社区服务站", is_instant=True)
    return world
