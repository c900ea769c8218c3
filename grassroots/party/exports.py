"""The party member list's export, one kind of ``core.exports``: the members the actor sees
(``selectors.member_list``, the list page's filters). ID numbers are always masked: no post unmasks them here."""

from __future__ import annotations

from grassroots.core import clock, exports
from grassroots.people.masking import mask_id

from . import selectors
from .imports import EXPORT_HEADERS
from .models import MembershipStatus

WIDTHS = {"姓名": 12, "证件号码": 22, "党组织编码": 20, "党组织名称": 28, "工作单位": 24}


def filters_json(filters: dict) -> dict:
    out = {"org": filters["org"].pk if filters.get("org") else None, "q": filters.get("q") or "",
           "status": filters.get("status") or "", "in_service": filters.get("in_service"),
           "flagged": filters.get("flagged")}
    return {k: v for k, v in out.items() if v not in (None, "")}


def _queryset(request: exports.ExportRequest):
    org_id = request.get("org")
    org = selectors.org_visible(actor=request.actor, pk=int(org_id)) if org_id else None
    return selectors.member_list(actor=request.actor, org=org, q=request.get("q", ""),
                                 status=request.get("status", ""), in_service=request.filters.get("in_service"),
                                 flagged=request.filters.get("flagged"))


def _party_age(full_member_date, today):
    """党龄 as ``Membership.party_age_years``: full years since the 转正 date; None for a probationary member."""
    if full_member_date is None:
        return None
    years = today.year - full_member_date.year - ((today.month, today.day) < (full_member_date.month,
                                                                              full_member_date.day))
    return max(years, 0)


def _rows(request):
    today = clock.today()
    statuses = {k: str(v) for k, v in MembershipStatus.choices}
    qs = _queryset(request).values_list(
        "person__name", "person__id_number", "org__code", "org__name", "status", "admission_date",
        "full_member_date", "in_service", "employer__name", "start_date")
    for name, id_number, code, org, status, admitted, full_member, in_service, employer, start in qs.iterator(
            chunk_size=2000):
        yield [name, mask_id(id_number), code, org, statuses.get(status, status), admitted, full_member,
               _party_age(full_member, today), "是" if in_service else "否", employer or "", start]


MEMBERS = exports.register(exports.ExportKind(
    key="party.membership", verb="membership.export", object_type="party.membership", title="党员名册",
    filename="party-members",
    columns=lambda request: [exports.Column(h, WIDTHS.get(h)) for h in EXPORT_HEADERS],
    rows=_rows, count=lambda request: _queryset(request).count(),
))
