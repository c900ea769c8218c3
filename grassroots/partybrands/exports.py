"""The brand list as an export kind of ``core.exports``: the brands the actor sees with their organisation,
sector, status, rating and who rated them."""

from __future__ import annotations

from grassroots.core import exports

from . import selectors
from .states import LABELS, Level, Sector

HEADERS = [("品牌名称", 24), ("党组织", 30), ("领域", 12), ("状态", 10), ("命名等级", 10), ("命名单位", 24),
           ("命名年度", 10), ("品牌内涵", 40)]


def _queryset(request: exports.ExportRequest):
    return selectors.brand_list(actor=request.actor, sector=request.get("sector") or "",
                                status=request.get("status") or "", level=request.get("level") or "",
                                q=request.get("q") or "")


def _rows(request):
    sectors, levels = dict(Sector.choices), dict(Level.choices)
    for b in _queryset(request).iterator(chunk_size=2000):
        rater = b.rated_by_body or (b.rated_by_org.name if b.rated_by_org_id else "")
        yield [b.name, b.org.name, str(sectors.get(b.sector, b.sector)), str(LABELS.get(b.status, b.status)),
               str(levels.get(b.level, "")) if b.level else "", rater, b.rated_year or "", b.connotation]


BRANDS = exports.register(exports.ExportKind(
    key="partybrands.brands", verb="brand.export", object_type="partybrands.brand",
    title=lambda request: "党建品牌", filename="party-brands",
    columns=lambda request: [exports.Column(h, w) for h, w in HEADERS],
    rows=_rows, count=lambda request: _queryset(request).count(),
))
