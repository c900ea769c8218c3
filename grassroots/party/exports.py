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


def _rows(request):
    today = clock.today()
    statuses = {k: str(v) for k, v in MembershipStatus.choices}
    qs = _queryset(request).only(
        "person__name", "person__id_number", "org__code", "org__name", "status", "admission_date",
        "full_member_date", "in_service", "employer__name", "start_date")
    for m in qs.iterator(chunk_size=2000):
        yield [m.person.name, mask_id(m.person.id_number), m.org.code, m.org.name,
               statuses.get(m.status, m.status), m.admission_date, m.full_member_date, m.party_age_years(on=today),
               "是" if m.in_service else "否", m.employer.name if m.employer_id else "", m.start_date]


MEMBERS = exports.register(exports.ExportKind(
    key="party.membership", verb="membership.export", object_type="party.membership", title="党员名册",
    filename="party-members",
    columns=lambda request: [exports.Column(h, WIDTHS.get(h)) for h in EXPORT_HEADERS],
    rows=_rows, count=lambda request: _queryset(request).count(),
))
