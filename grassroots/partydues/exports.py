"""Dues exports (``core.exports``, audited): the bills of the organisations the actor sees, filtered as the list is."""

from __future__ import annotations

from grassroots.core import exports

from . import selectors

BILL_COLUMNS = [exports.Column("党组织", 24), "党员", "月份", "类别", "基数", "比例", "应交", "状态", "实交", "交纳日期",
                "收据号"]


def _bills(request):
    return selectors.bill_list(actor=request.actor, status=request.get("status", ""), year=request.get("year"),
                               q=request.get("q", ""))


def _rows(request):
    for b in _bills(request).iterator(chunk_size=2000):
        yield [b.org.name, b.person.name, b.month.strftime("%Y-%m"), b.category.name, b.base, b.rate, b.amount,
               b.get_status_display(), b.paid_amount, b.paid_on, b.receipt_no]


BILLS = exports.register(exports.ExportKind(
    key="partydues.bills", verb="dues_bill.export", object_type="partydues.duesbill", title="党费账单",
    filename="party-dues", columns=lambda request: BILL_COLUMNS, rows=_rows,
    count=lambda request: _bills(request).count()))
