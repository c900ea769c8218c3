"""The region and grid pages: territory's tree with people counts, grid workers and party organisations beside it
(composed by ``web.compose``). Their URLs stay in the ``territory`` namespace."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path

from grassroots.core.edges import or_404
from grassroots.territory import selectors
from grassroots.territory.models import Level

from .. import compose


@login_required
def region_detail(request, code: str):
    region = or_404(selectors.region_detail, actor=request.user, code=code)
    context = {"region": region, "summary": compose.region_summary(actor=request.user, region=region),
               "parent": selectors.region_parent(actor=request.user, region=region)}
    if region.level == Level.GRID:
        context["grid"] = or_404(compose.grid_summary, actor=request.user, grid=region)
    else:
        context["children"] = selectors.region_children(actor=request.user, region=region)
    return render(request, "web/pages/region_detail.html", context)


@login_required
def grid_panel(request, code: str):
    region = or_404(selectors.region_detail, actor=request.user, code=code)
    if region.level != Level.GRID:
        raise Http404
    return render(request, "web/pages/_grid_panel.html",
                  {"grid": or_404(compose.grid_summary, actor=request.user, grid=region)})


urlpatterns = [
    path("r/<str:code>/", region_detail, name="region_detail"),
    path("r/<str:code>/panel/", grid_panel, name="grid_panel"),
]
