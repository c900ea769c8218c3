"""Pages: the resident service finder, the catalogue, facilities, and the planners' coverage map and gaps."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core import events
from grassroots.core.edges import or_404
from grassroots.core.errors import ApplicationError, NotFound
from grassroots.core.imports import export_xlsx
from grassroots.territory.models import Region

from . import selectors, services
from .forms import FacilityForm, FinderForm
from .models import ServiceItem
from .permissions import can_manage_facilities, can_manage_facility


def finder(request):
    """Where can I do X near me: nearest service points by walking distance."""
    form = FinderForm(request.GET or None)
    ctx = {"form": form, "results": None, "error": None, "item": None}
    q = request.GET.get("q", "").strip()
    ctx["q"] = q
    ctx["matches"] = selectors.service_items(actor=request.user, q=q)[:20] if q else []
    item_id = request.GET.get("item")
    if item_id and item_id.isdigit():
        item = or_404(selectors.service_item_detail, actor=request.user, pk=int(item_id))
        ctx["item"] = item
        lon, lat, origin = request.GET.get("lon"), request.GET.get("lat"), "gps"
        person = getattr(request.user, "person", None) if request.user.is_authenticated else None
        if (not lon or not lat) and person is not None and person.building_id:
            building = person.building
            lon, lat, origin = building.lon, building.lat, "home"
        ctx["origin"] = origin if lon and lat else None
        if lon and lat:
            try:
                from grassroots.core.geo import position

                wlon, wlat = position(lon, lat, request.GET.get("crs"))
                ctx["results"] = selectors.nearest_points(actor=request.user, item=item, lon=wlon, lat=wlat)
            except ApplicationError as exc:
                ctx["error"] = exc.message
    return render(request, "lifecircle/finder.html", ctx)


def item_list(request):
    qs = selectors.service_items(actor=request.user, q=request.GET.get("q", "").strip(),
                                 level=request.GET.get("level", ""), item_type=request.GET.get("type", ""))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "lifecircle/item_list.html", {
        "page": page, "levels": ServiceItem.Level.choices, "types": ServiceItem.ItemType.choices})


def item_detail(request, pk: int):
    item = or_404(selectors.service_item_detail, actor=request.user, pk=pk)
    return render(request, "lifecircle/item_detail.html", {"item": item, "points": item.facilities.filter(active=True).select_related("kind", "region")})


def facility_list(request):
    qs = selectors.facilities(actor=request.user, q=request.GET.get("q", "").strip(), kind=request.GET.get("kind", ""),
                              region_code=request.GET.get("region", ""))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "lifecircle/facility_list.html", {
        "page": page, "kinds": selectors.facility_kinds(actor=request.user), "can_add": can_manage_facilities(request.user)})


def facility_detail(request, pk: int):
    facility = or_404(selectors.facility_detail, actor=request.user, pk=pk)
    return render(request, "lifecircle/facility_detail.html", {
        "facility": facility, "items": facility.service_items.all(), "can_edit": can_manage_facility(request.user, facility)})


@login_required
def facility_new(request):
    form = FacilityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        region = Region.objects.filter(code=form.cleaned_data["region_code"]).first()
        if region is None:
            form.add_error("region_code", _("区域编码不存在"))
        else:
            data = {k: v for k, v in form.cleaned_data.items() if k not in {"kind", "region_code"}}
            try:
                facility = services.facility_create(actor=request.user, kind=form.cleaned_data["kind"], region=region, **data)
            except NotFound:
                form.add_error("region_code", _("区域编码不存在"))
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("已添加设施，该类设施的生活圈结果已重新计算"))
                return redirect("lifecircle:facility_detail", pk=facility.pk)
    return render(request, "lifecircle/facility_form.html", {"form": form})


@login_required
@require_POST
def facility_retire(request, pk: int):
    facility = or_404(selectors.facility_detail, actor=request.user, pk=pk)
    try:
        services.facility_retire(actor=request.user, facility=facility)
    except NotFound:
        raise Http404
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("lifecircle:facility_detail", pk=pk)
    messages.success(request, _("设施已停用，该类设施的生活圈结果已重新计算"))
    return redirect("lifecircle:facilities")


@login_required
def coverage(request):
    profile = or_404(selectors.profile_or_default, code=request.GET.get("profile"))
    data = or_404(selectors.coverage, actor=request.user, profile=profile)
    table: dict[int, dict] = {}
    for row in data["rows"]:
        table.setdefault(row.community.pk, {"community": row.community, "cells": []})["cells"].append(row)
    from .models import RequirementProfile

    return render(request, "lifecircle/coverage.html", {
        **data, "table": list(table.values()), "profiles": RequirementProfile.objects.order_by("code")})


def _gaps(request):
    profile = or_404(selectors.profile_or_default, code=request.GET.get("profile"))
    return profile, or_404(selectors.gaps, actor=request.user, profile=profile, kind_code=request.GET.get("kind", ""),
                         community_code=request.GET.get("community", ""))


@login_required
def gaps_geojson(request):
    from grassroots.core.geo import geometry_to_crs

    _, gaps = _gaps(request)
    by_building: dict[int, dict] = {}
    for g in gaps:
        f = by_building.setdefault(g.building.pk, {
            "type": "Feature",
            "geometry": geometry_to_crs({"type": "Point", "coordinates": [g.building.lon, g.building.lat]}),
            "properties": {"code": g.building.code, "name": g.building.name, "missing": []}})
        f["properties"]["missing"].append(g.kind.name)
    return JsonResponse({"type": "FeatureCollection", "features": list(by_building.values())})


@login_required
def gaps_export(request):
    profile, gaps = _gaps(request)
    columns = ["楼栋编码", "楼栋", "网格", "社区", "缺少的设施", "生活圈", "要求距离（米）", "最近步行距离（米）"]
    rows = [[g.building.code, g.building.name, g.building.parent.name, g.building.parent.parent.name, g.kind.name,
             g.circle.name, g.circle.max_distance_m, "超出分析范围" if g.distance_m is None else round(g.distance_m)]
            for g in gaps]
    events.record(request.user, "lifecircle.gaps_export", payload={"profile": profile.code, "rows": len(rows)})
    body = export_xlsx(columns, rows, sheet_title="生活圈缺口",
                       notes=[("配置标准", f"{profile.name}（{profile.source}）"), ("说明", "步行距离沿路网计算，含楼栋到路网的直线距离")])
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="lifecircle-gaps-{dt.date.today():%Y%m%d}.xlsx"'
    return response
