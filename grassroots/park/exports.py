"""The park's enterprise list as an export kind of ``core.exports`` (no phones: they stay on the pages, masked)."""

from __future__ import annotations

from grassroots.core import exports

from . import selectors
from .states import EntityKind, PartyStatus

HEADERS = [("名称", 30), ("类别", 10), ("企业网格", 14), ("重点企业", 8), ("党组织覆盖", 14), ("企业党组织", 24),
           ("党组织书记", 10), ("服务专员", 10), ("落户日期", 12), ("纳入网格日期", 12), ("同步筹建党组织", 12),
           ("同步开展活动", 12), ("同步发挥作用", 12)]


def _qs(request: exports.ExportRequest):
    return selectors.profile_list(actor=request.actor, q=request.get("q") or "", kind=request.get("kind") or "",
                                  party_status=request.get("party_status") or "")


def _rows(request):
    kinds, statuses = dict(EntityKind.choices), dict(PartyStatus.choices)
    for p in _qs(request).iterator(chunk_size=2000):
        yield [p.organization.name, str(kinds.get(p.kind, p.kind)), p.grid.name if p.grid else "",
               "是" if p.is_key else "", str(statuses.get(p.party_status, p.party_status)), p.party_org_name,
               p.secretary_name, str(p.commissioner) if p.commissioner else "", p.registered_on, p.entered_on or "",
               p.sync_org_on or "", p.sync_activity_on or "", p.sync_role_on or ""]


ENTERPRISES = exports.register(exports.ExportKind(
    key="park.enterprises", verb="park_profile.export", object_type="park.enterpriseprofile",
    title=lambda request: "园区企业", filename="park-enterprises",
    columns=lambda request: [exports.Column(h, w) for h, w in HEADERS], rows=_rows,
    count=lambda request: _qs(request).count(),
))
