"""The community fund's ledger export, one kind of ``core.exports``: every entry with donors' names, for the
community's staff (it carries personal data: the export is an audit event like every export)."""

from __future__ import annotations

from django.utils import timezone

from grassroots.core import exports
from grassroots.core.errors import NotFound

from . import selectors
from .permissions import is_staff_for

LEDGER_COLUMNS = [exports.Column("记账时间", 17), exports.Column("票据号", 18), "类型", "金额", "记账后余额",
                  exports.Column("捐赠方", 20), "公开匿名", exports.Column("项目", 24), exports.Column("摘要", 40)]


def _fund(request: exports.ExportRequest):
    if "fund" not in request.memo:
        fund = selectors.fund_for_staff(actor=request.actor, pk=int(request.get("fund", 0)))
        if not is_staff_for(request.actor, fund.region):
            raise NotFound()
        request.memo["fund"] = fund
    return request.memo["fund"]


def _check(request) -> None:
    _fund(request)


def _rows(request):
    fund = _fund(request)
    kinds = {}
    for e in selectors.ledger_entries(actor=request.actor, fund=fund).iterator(chunk_size=2000):
        if e.kind not in kinds:
            kinds[e.kind] = e.get_kind_display()
        yield [timezone.localtime(e.recorded_at).strftime("%Y-%m-%d %H:%M"), e.receipt_no, kinds[e.kind], e.amount,
               e.balance_after, e.donor_organization.name if e.donor_organization_id else e.donor_name,
               "是" if e.donor_anonymous else "", e.project.title if e.project_id else "", e.purpose]


LEDGER = exports.register(exports.ExportKind(
    key="projects.ledger", verb="fund.export", object_type="projects.communityfund", title="基金台账",
    filename="fund-ledger", columns=lambda request: LEDGER_COLUMNS, rows=_rows,
    count=lambda request: selectors.ledger_entries(actor=request.actor, fund=_fund(request)).count(),
    check=_check,
))
