"""Pages of honours: the year's 光荣在党50年 list with the branch's confirmation, the committee's approval and the
issuing, an award's page, and the Excel export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
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


# --- 两优一先 -------------------------------------------------------------------------------------------------------
@login_required
def campaign_list(request):
    from .states import HonourTitle

    rows = selectors.campaigns(actor=request.user)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    running = selectors.campaign_orgs(actor=request.user)
    waiting = list(selectors.to_review(actor=request.user)[:200]) if request.GET.get("waiting") == "review" else None
    return render(request, "partyhonours/campaign_list.html", {
        "page": page, "titles": HonourTitle.choices, "running_orgs": running, "waiting": waiting})


@login_required
@require_POST
def campaign_create(request):
    from .states import HonourTitle

    p = request.POST
    org = or_404(selectors.campaign_org, actor=request.user, pk=p.get("org", ""))
    quotas = {t: p.get(f"quota_{t}") or 0 for t in HonourTitle.values}
    holder = {}

    def run():
        holder["c"] = services.campaign_create(actor=request.user, org=org, year=int_param(
            p.get("year"), minimum=2000, maximum=2999) or clock.today().year, name=p.get("name", ""),
            nominate_until=date_param(p.get("nominate_until")), quotas=quotas)

    response = post_action(request, run, _("评选已创建"), reverse("partyhonours:campaigns"))
    if "c" in holder:
        return redirect("partyhonours:campaign", pk=holder["c"].pk)
    return response


@login_required
def campaign_detail(request, pk: int):
    from .states import PERSON_TITLES, HonourTitle, NominationStatus

    campaign = or_404(selectors.campaign_detail, actor=request.user, pk=pk)
    rows = list(selectors.nominations(actor=request.user, campaign=campaign))
    quotas = list(selectors.quotas(actor=request.user, campaign=campaign))
    user = request.user
    return render(request, "partyhonours/campaign_detail.html", {
        "campaign": campaign, "quotas": quotas, "nominations": rows, "titles": HonourTitle.choices,
        "person_titles": [t.value for t in PERSON_TITLES],
        "may_run": permissions.can_run_campaign(user, campaign.org),
        "may_review": {n.pk for n in rows if n.status == NominationStatus.NOMINATED and permissions.can_review(
            user, n)},
        "may_withdraw": {n.pk for n in rows if permissions.can_nominate(user, n.org)},
        "nominating": [q for q in quotas if permissions.can_nominate(user, q.org)],
        "hand_down_to": selectors.hand_down_orgs(actor=user, campaign=campaign),
        "members": selectors.nominable_members(actor=user, campaign=campaign)[:500],
        "notices": selectors.nomination_notices(nominations=rows)})


@login_required
@require_POST
def quota_set(request, pk: int):
    campaign = or_404(selectors.campaign_detail, actor=request.user, pk=pk)
    p = request.POST
    org = or_404(selectors.hand_down_org, actor=request.user, campaign=campaign, pk=p.get("org", ""))
    return post_action(request, lambda: services.quota_set(actor=request.user, campaign=campaign, org=org,
                                                           title=p.get("title", ""), quota=p.get("quota")),
                       _("名额已分配"), reverse("partyhonours:campaign", args=[campaign.pk]))


@login_required
@require_POST
def nominate(request, pk: int):
    from grassroots.party import selectors as party_selectors

    campaign = or_404(selectors.campaign_detail, actor=request.user, pk=pk)
    p = request.POST
    quota = or_404(selectors.quota_for_nominating, actor=request.user, campaign=campaign, pk=p.get("quota", ""))
    person = nominee_org = None
    if p.get("person"):
        person = or_404(selectors.nominable_person, actor=request.user, campaign=campaign, pk=p.get("person"))
    if p.get("nominee_org"):
        nominee_org = or_404(party_selectors.org_detail, actor=request.user, pk=int_param(p.get("nominee_org"),
                                                                                         minimum=1) or 0)
    return post_action(request, lambda: services.nomination_create(
        actor=request.user, campaign=campaign, title=quota.title, org=quota.org, reasons=p.get("reasons", ""),
        person=person, nominee_org=nominee_org), _("已推荐"), reverse("partyhonours:campaign", args=[campaign.pk]))


@login_required
@require_POST
def nomination_action(request, pk: int, verb: str):
    row = or_404(selectors.nomination_detail, actor=request.user, pk=pk)
    p, actor = request.POST, request.user
    actions = {
        "approve": (lambda: services.nomination_review(actor=actor, nomination=row, approve=True,
                                                       note=p.get("note", "")), _("审核通过")),
        "reject": (lambda: services.nomination_review(actor=actor, nomination=row, approve=False,
                                                      note=p.get("note", "")), _("审核不通过")),
        "notice": (lambda: services.nomination_notice(actor=actor, nomination=row), _("已发布公示")),
        "award": (lambda: services.nomination_award(actor=actor, nomination=row), _("已表彰")),
        "withdraw": (lambda: services.nomination_withdraw(actor=actor, nomination=row, reason=p.get("reason", "")),
                     _("已撤回")),
    }
    if verb not in actions:
        raise Http404()
    run, done = actions[verb]
    return post_action(request, run, done, reverse("partyhonours:campaign", args=[row.campaign_id]))


@login_required
def nominations_export(request, pk: int):
    or_404(selectors.campaign_detail, actor=request.user, pk=pk)
    return export_response(request, exports.NOMINATIONS.key, {"campaign": str(pk)})
