"""Pages of honours: the year's 光荣在党50年 list with the branch's confirmation, the committee's approval and the
issuing, an award's page, and the Excel export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core import clock
from grassroots.core.edges import date_param, int_param, or_404, post_action
from grassroots.core.export_views import export_response

from . import exports, permissions, rules, selectors, services
from .states import MedalStatus


def _year(request, source=None) -> int:
    source = source if source is not None else request.GET
    return int_param(source.get("year"), minimum=rules.FIRST_YEAR, maximum=rules.LAST_YEAR) or clock.today().year


def _back(year: int) -> str:
    return f"{reverse('partyhonours:medal50')}?year={year}"


@login_required
def medal50(request):
    year = _year(request)
    status = request.GET.get("status", "")
    status = status if status in selectors.STATUS_FILTERS else ""
    q = request.GET.get("q", "").strip()[:50]
    qs = selectors.medal_list(actor=request.user, year=year, status=status, q=q).select_related("person", "org")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    day = rules.cutoff_day(year)
    rows = [(m, rules.party_standing(m.full_member_date, day), permissions.can_confirm(request.user, m.org))
            for m in page.object_list]
    awards = {a.pk: a for a in selectors.awards(actor=request.user).filter(
        pk__in=[m.award_id for m, _s, _c in rows if m.award_id])}
    rows = [(m, standing, can, awards.get(m.award_id)) for m, standing, can in rows]
    return render(request, "partyhonours/medal50.html", {
        "page": page, "rows": rows, "year": year, "status": status, "q": q, "day": day,
        "counts": selectors.medal_counts(actor=request.user, year=year),
        "statuses": [(selectors.PENDING, _("待确认"))] + [(c, label) for c, label in MedalStatus.choices
                                                         if c != MedalStatus.WITHDRAWN],
        "can_approve": {a.pk: permissions.can_approve(request.user, a) for a in awards.values()}})


@login_required
@require_POST
def medal50_confirm(request):
    year = _year(request, request.POST)
    membership = or_404(selectors.membership_for_medal, actor=request.user,
                        pk=int_param(request.POST.get("membership"), minimum=1) or 0)
    return post_action(request, lambda: services.medal_confirm(
        actor=request.user, membership=membership, year=year, remark=request.POST.get("remark", "")),
        _("已确认，等待上级党组织审批"), _back(year))


@login_required
def award_detail(request, pk: int):
    award = or_404(selectors.award_detail, actor=request.user, pk=pk)
    return render(request, "partyhonours/award_detail.html", {
        "a": award, "can_approve": permissions.can_approve(request.user, award),
        "can_withdraw": permissions.can_confirm(request.user, award.org) or permissions.can_approve(
            request.user, award), "today": clock.today()})


def _award_action(request, pk: int, action, done: str):
    award = or_404(selectors.award_detail, actor=request.user, pk=pk)
    return post_action(request, lambda: action(award), done, reverse("partyhonours:award", args=[pk]))


@login_required
@require_POST
def award_approve(request, pk: int):
    return _award_action(request, pk, lambda a: services.medal_approve(actor=request.user, award=a), _("已审批同意"))


@login_required
@require_POST
def award_issue(request, pk: int):
    on = date_param(request.POST.get("on"))
    return _award_action(request, pk, lambda a: services.medal_issue(actor=request.user, award=a, on=on),
                         _("已登记颁发"))


@login_required
@require_POST
def award_withdraw(request, pk: int):
    return _award_action(request, pk, lambda a: services.medal_withdraw(
        actor=request.user, award=a, reason=request.POST.get("reason", "")), _("已撤回"))


@login_required
def medal50_export(request):
    return export_response(request, exports.MEDAL50.key, {"year": _year(request)})
