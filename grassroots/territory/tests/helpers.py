"""Small GeoJSON builders for territory tests (world squares are 0.01° wide, see core.testing)."""

from grassroots.core.testing import BASE_LAT, BASE_LON, STEP


def box(x0: float, y0: float, x1: float, y1: float) -> dict:
    """A polygon from grid units (0.01°) relative to the world's origin."""
    a, b = BASE_LON + STEP * x0, BASE_LAT + STEP * y0
    c, d = BASE_LON + STEP * x1, BASE_LAT + STEP * y1
    return {"type": "Polygon", "coordinates": [[[a, b], [c, b], [c, d], [a, d], [a, b]]]}


def feature(geometry: dict, **properties) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def collection(*features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}
