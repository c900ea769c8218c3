"""Territory pages: the browser (tree + map), region and grid details, compounds. Thin: parse, select, render."""

from __future__ import annotations

import functools

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from openpyxl import Workbook

from grassroots.core import clock, events
from grassroots.core.errors import NotFound

from . import selectors
from .models import Level

PAGE_SIZE = 30


def not_found_is_404(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from None

    return wrapper


@login_required
def browser(request):
    tree = selectors.region_tree(actor=request.user)
    return render(request, "territory/browser.html", {"tree": tree})


@login_required
@not_found_is_404
def grids_geojson(request):
    within = request.GET.get("within")
    region = selectors.region_detail(actor=request.user, code=within) if within else None
    return JsonResponse(selectors.grids_geojson(actor=request.user, within=region))


@login_required
@not_found_is_404
def region_detail(request, code: str):
    region = selectors.region_detail(actor=request.user, code=code)
    context = {"region": region, "summary": selectors.region_summary(actor=request.user, region=region)}
    if region.level == Level.GRID:
        context["grid"] = selectors.grid_summary(actor=request.user, grid=region)
    else:
        context["children"] = selectors.region_children(actor=request.user, region=region)
    parent = region.parent
    if parent is not None:
        try:
            context["parent"] = selectors.region_detail(actor=request.user, code=parent.code)
        except NotFound:
            context["parent"] = None
    return render(request, "territory/region_detail.html", context)


@login_required
@not_found_is_404
def grid_panel(request, code: str):
    region = selectors.region_detail(actor=request.user, code=code)
    if region.level != Level.GRID:
        raise NotFound()
    return render(request, "territory/_grid_panel.html",
                  {"grid": selectors.grid_summary(actor=request.user, grid=region)})


def _compound_filters(request):
    community = None
    code = request.GET.get("community") or ""
    if code:
        try:
            community = selectors.region_detail(actor=request.user, code=code)
        except NotFound:
            community = None
    q = request.GET.get("q", "")
    return q, community, selectors.compounds(actor=request.user, q=q, community=community)


@login_required
def compound_list(request):
    q, community, qs = _compound_filters(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "territory/compound_list.html", {
        "page": page, "q": q, "community": community,
        "communities": selectors.communities(actor=request.user).only("code", "name"),
    })


@login_required
def compound_export(request):
    q, community, qs = _compound_filters(request)
    book = Workbook()
    sheet = book.active
    sheet.title = "小区"
    sheet.append(["编码", "名称", "所属社区", "地址", "户数", "建成年份", "住宅小区", "单位制生活区"])
    rows = 0
    for c in qs.iterator(chunk_size=500):
        sheet.append([c.code, c.name, c.community.name, c.address, c.households, c.built_year,
                      "是" if c.is_residential else "否", "是" if c.former_work_unit else "否"])
        rows += 1
    events.record(request.user, "territory.compound_export", None, object_type="territory.compound",
                  payload={"rows": rows, "q": q, "community": community.code if community else ""})
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="compounds-{clock.today():%Y%m%d}.xlsx"'
    book.save(response)
    return response
