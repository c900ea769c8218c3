"""Exports of the village collective (``core.exports``): the year's income and distribution statement."""

from __future__ import annotations

from django.utils.translation import gettext as _

from grassroots.core import exports
from grassroots.core.errors import NotFound

from . import selectors
from .models import Category


def _collective(request):
    if "collective" not in request.memo:
        try:
            request.memo["collective"] = selectors.kept_collective(actor=request.actor,
                                                                   pk=int(request.get("collective", 0)))
        except (TypeError, ValueError):
            raise NotFound() from None
    return request.memo["collective"]


def _year(request) -> int:
    try:
        return int(request.get("year", 0))
    except (TypeError, ValueError):
        raise NotFound() from None


def _columns(request):
    return [exports.Column(_("项目"), 24), _("金额（元）")]


def _rows(request):
    s = selectors.year_statement(_collective(request), _year(request))
    for c in Category:
        yield [str(c.label), s.lines.get(c.value, 0)]
    for label, value in ((_("总收入"), s.income), (_("经营性收入"), s.operating_income), (_("总支出"), s.costs),
                         (_("本年收益"), s.year_result), (_("年初未分配收益"), s.opening_undistributed),
                         (_("可分配收益"), s.distributable), (_("年末未分配收益"), s.closing_undistributed)):
        yield [label, value]


def _notes(request):
    c = _collective(request)
    return [(_("村集体经济组织"), c.name), (_("年度"), str(_year(request)))]


STATEMENT = exports.register(exports.ExportKind(
    key="village.statement", verb="village_statement.export", object_type="village.collective",
    title="收益分配统计表", filename="village-statement", columns=_columns, rows=_rows,
    check=lambda r: _collective(r) and None, notes=_notes, count=lambda r: len(Category) + 7))


def _due(request) -> str:
    due = request.get("due", "")
    return due if due in ("soon", "overdue") else ""


def _rents(request):
    from grassroots.core import clock

    qs = selectors.payments(actor=request.actor, due=_due(request), today=clock.today())
    return qs if _due(request) else qs.filter(paid_on__isnull=True)


def _rent_columns(request):
    return [exports.Column(_("村集体经济组织"), 24), exports.Column(_("承包（承租）方"), 24), exports.Column(_("标的"), 24),
            _("应付日期"), _("应付金额（元）")]


def _rent_rows(request):
    for p in _rents(request):
        yield [p.contract.collective.name, p.contract.counterparty, p.contract.object, p.due_on, p.amount]


RENTS = exports.register(exports.ExportKind(
    key="village.rents", verb="village_rents.export", object_type="village.payment", title="租金收取",
    filename="village-rents", columns=_rent_columns, rows=_rent_rows, count=lambda r: _rents(r).count()))
