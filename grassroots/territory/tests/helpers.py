"""Small GeoJSON builders for territory tests (world squares are 0.01° wide, see core.testing)."""

from tests.support.world import BASE_LAT, BASE_LON, STEP


def box(x0: float, y0: float, x1: float, y1: float) -> dict:
    """A polygon from grid units (0.01°) relative to the world's origin."""
    a, b = BASE_LON + STEP * x0, BASE_LAT + STEP * y0
    c, d = BASE_LON + STEP * x1, BASE_LAT + STEP * y1
    return {"type": "Polygon", "coordinates": [[[a, b], [c, b], [c, d], [a, d], [a, b]]]}


def feature(geometry: dict, **properties) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def collection(*features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def two_compounds(world):
    """安泰小区 in c1, drawn inside g1, and 银河小区 in c3 (another subdistrict), without an outline."""
    from grassroots.territory.services import compound_create

    return (compound_create(actor=None, community=world.c1, name="安泰小区", geometry=box(0.2, 0.2, 0.8, 0.8)),
            compound_create(actor=None, community=world.c3, name="银河小区"))
