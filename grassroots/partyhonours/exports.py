"""The year's 光荣在党50年 list as an export kind of ``core.exports`` (pages, API and ``grassroots medal50``): the
members the actor sees, with their organisation, full-member date, 党龄 on 1 July and the award's step."""

from __future__ import annotations

from grassroots.core import exports

from . import rules, selectors
from .states import LABELS

HEADERS = [("姓名", 12), ("党组织", 30), ("党组织编码", 20), ("入党日期", 12), ("转正日期", 12), ("7月1日党龄", 10),
           ("状态", 12)]


def _queryset(request: exports.ExportRequest):
    return selectors.medal_list(actor=request.actor, year=int(request.get("year")))


def _rows(request):
    year = int(request.get("year"))
    day = rules.cutoff_day(year)
    pending = "待确认"
    for name, org, code, admitted, full, status in _queryset(request).values_list(
            "person__name", "org__name", "org__code", "admission_date", "full_member_date", "award_status").iterator(
            chunk_size=2000):
        yield [name, org, code, admitted, full, rules.party_standing(full, day),
               str(LABELS.get(status, pending)) if status else pending]


def _check(request):
    from .services import _year

    request.filters["year"] = _year(request.get("year"))


MEDAL50 = exports.register(exports.ExportKind(
    key="partyhonours.medal50", verb="medal.export", object_type="partyhonours.medalaward",
    title=lambda request: f"{request.get('year')}年光荣在党50年纪念章名单", filename="medal50",
    columns=lambda request: [exports.Column(h, w) for h, w in HEADERS],
    rows=_rows, count=lambda request: _queryset(request).count(), check=_check,
))


NOMINATION_HEADERS = [("评选", 24), ("表彰类别", 14), ("推荐对象", 20), ("推荐党组织", 28), ("状态", 10),
                      ("审核意见", 24), ("推荐理由", 40)]


def _nomination_rows(request):
    from .states import HonourTitle, NominationStatus

    titles, states = dict(HonourTitle.choices), dict(NominationStatus.choices)
    campaign = selectors.campaign_detail(actor=request.actor, pk=int(request.get("campaign")))
    for n in selectors.nominations(actor=request.actor, campaign=campaign).iterator(chunk_size=1000):
        yield [campaign.name, str(titles.get(n.title, n.title)),
               n.person.name if n.person_id else n.nominee_org.name, n.org.name,
               str(states.get(n.status, n.status)), n.review_note, n.reasons]


def _nomination_check(request):
    from grassroots.core.errors import ValidationFailed

    if not str(request.get("campaign") or "").isdigit():
        raise ValidationFailed("请指定评选", "Name the campaign", field="campaign")
    selectors.campaign_detail(actor=request.actor, pk=int(request.get("campaign")))


NOMINATIONS = exports.register(exports.ExportKind(
    key="partyhonours.nominations", verb="nomination.export", object_type="partyhonours.nomination",
    title=lambda request: "两优一先推荐对象", filename="honour-nominations",
    columns=lambda request: [exports.Column(h, w) for h, w in NOMINATION_HEADERS],
    rows=_nomination_rows, check=_nomination_check,
))
