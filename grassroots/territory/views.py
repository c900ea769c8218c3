"""Territory pages: the browser (tree + map), the grids' GeoJSON, compounds. Thin: parse, select, render.

The region and grid pages show people and party beside the tree, so the page layer composes them
(``web.pages.territory``; their URLs keep the ``territory:`` names)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render

from grassroots.core.edges import or_404
from grassroots.core.export_views import export_response

from . import exports, selectors

PAGE_SIZE = 30


@login_required
def browser(request):
    tree = selectors.region_tree(actor=request.user)
    return render(request, "territory/browser.html", {"tree": tree})


@login_required
def grids_geojson(request):
    within = request.GET.get("within")
    region = or_404(selectors.region_detail, actor=request.user, code=within) if within else None
    return JsonResponse(selectors.grids_geojson(actor=request.user, within=region))


def _compound_filters(request):
    """The search text and the community filter (one outside the actor's scope reads as none)."""
    code = request.GET.get("community") or ""
    community = selectors.region_find(actor=request.user, code=code) if code else None
    return request.GET.get("q", ""), community


@login_required
def compound_list(request):
    q, community = _compound_filters(request)
    qs = selectors.compounds(actor=request.user, q=q, community=community)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "territory/compound_list.html", {
        "page": page, "q": q, "community": community,
        "communities": selectors.communities(actor=request.user).only("code", "name"),
    })


@login_required
def compound_export(request):
    return export_response(request, exports.COMPOUNDS.key,
                           {"q": request.GET.get("q", "")[:64], "community": request.GET.get("community", "")[:32]})
