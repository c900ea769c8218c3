"""Pages: the resident service finder, the catalogue, facilities, and the planners' coverage map and gaps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core.edges import field_error, int_param, or_404
from grassroots.core.errors import ApplicationError, NotFound
from grassroots.core.export_views import export_response
from grassroots.core.geo import geometry_to_crs, position

from . import exports, selectors, services
from .forms import FacilityForm, FinderForm, ItemWordsForm
from .models import ServiceItem
from .permissions import can_edit_catalogue, can_manage_facilities, can_manage_facility


def finder(request):
    """Where can I do X near me: nearest service points by walking distance."""
    form = FinderForm(request.GET or None)
    ctx = {"form": form, "results": None, "error": None, "item": None}
    q = request.GET.get("q", "").strip()
    ctx["q"] = q
    ctx["matches"] = selectors.service_items(actor=request.user, q=q)[:20] if q else []
    item_id = int_param(request.GET.get("item"), minimum=0)
    if item_id is not None:
        item = or_404(selectors.service_item_detail, actor=request.user, pk=item_id)
        ctx["item"] = item
        lon, lat, origin = request.GET.get("lon"), request.GET.get("lat"), "gps"
        person = getattr(request.user, "person", None) if request.user.is_authenticated else None
        if (not lon or not lat) and person is not None and person.building_id:
            building = person.building
            lon, lat, origin = building.lon, building.lat, "home"
        ctx["origin"] = origin if lon and lat else None
        if lon and lat:
            try:
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
    return render(request, "lifecircle/item_detail.html", {
        "item": item, "points": selectors.item_points(actor=request.user, item=item),
        "can_edit_words": can_edit_catalogue(request.user)})


@login_required
def item_words(request, pk: int):
    """Catalogue staff edit an item's everyday names and keywords (what the finder searches)."""
    item = or_404(selectors.service_item_detail, actor=request.user, pk=pk)
    if not can_edit_catalogue(request.user):
        raise PermissionDenied
    initial = {"aliases": item.aliases, "keywords": item.keywords}
    form = ItemWordsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_item_set_words(actor=request.user, item=item, **form.cleaned_data)
        except ApplicationError as exc:
            field_error(form, exc)
        else:
            messages.success(request, _("已保存俗称和关键词"))
            return redirect("lifecircle:item_detail", pk=item.pk)
    return render(request, "lifecircle/item_words.html", {"item": item, "form": form})


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
        data = {k: v for k, v in form.cleaned_data.items() if k not in {"kind", "region_code"}}
        try:  # an unknown region and one outside the actor's scope read alike
            region = selectors.region_by_code(actor=request.user, code=form.cleaned_data["region_code"])
            facility = services.facility_create(actor=request.user, kind=form.cleaned_data["kind"], region=region,
                                                **data)
        except NotFound:
            form.add_error("region_code", _("区域编码不存在"))
        except ApplicationError as exc:
            field_error(form, exc)
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
    profile = _profile(request)
    data = or_404(selectors.coverage, actor=request.user, profile=profile)
    table: dict[int, dict] = {}
    for row in data["rows"]:
        table.setdefault(row.community.pk, {"community": row.community, "cells": []})["cells"].append(row)
    return render(request, "lifecircle/coverage.html", {
        **data, "table": list(table.values()), "profiles": selectors.profiles(actor=request.user)})


def _profile(request):
    return or_404(selectors.profile_or_default, actor=request.user, code=request.GET.get("profile"))


def _gap_filters(request) -> dict:
    return {"kind_code": request.GET.get("kind", ""), "community_code": request.GET.get("community", "")}


@login_required
def gaps_geojson(request):
    gaps = or_404(selectors.gaps, actor=request.user, profile=_profile(request), **_gap_filters(request))
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
    g = request.GET
    return export_response(request, exports.GAPS.key, exports.filters_json(
        profile=(g.get("profile") or "")[:64], kind=(g.get("kind") or "")[:64], community=(g.get("community") or "")[:32]))
