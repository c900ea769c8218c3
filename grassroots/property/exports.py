"""The red-property rates' export, one kind of ``core.exports``: the three rates per community in the actor's scope
(``selectors.rates_by_community``) on a day, with their definitions in the 说明 sheet."""

from __future__ import annotations

import datetime as dt

from grassroots.core import clock, exports
from grassroots.core.errors import NotFound

from . import indicators, selectors
from .permissions import can_read_property


def _on(request: exports.ExportRequest) -> dt.date:
    return request.date("on") or clock.today()


def _check(request) -> None:
    if not can_read_property(request.actor):
        raise NotFound()


def _columns(request):
    return [exports.Column("社区编码", 16), exports.Column("社区", 16)] + [
        f"{name}{suffix}" for name, _ in indicators.DEFINITIONS.values() for suffix in ("（分子）", "（分母）", "")]


def _rows(request):
    for community, rs in selectors.rates_by_community(actor=request.actor, on=_on(request)):
        yield [community.code, community.name] + [x for r in rs for x in (r.numerator, r.denominator, r.percent)]


RATES = exports.register(exports.ExportKind(
    key="property.rate", verb="property_rate.export", object_type="property.rate", title="红色物业指标",
    filename="property-rates", columns=_columns, rows=_rows,
    notes=lambda request: [*((str(n), str(d)) for n, d in indicators.DEFINITIONS.values()),
                           ("统计日期", _on(request).isoformat())],
    check=_check,
))
