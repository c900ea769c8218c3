"""The life-circle gaps' export, one kind of ``core.exports``: the buildings in the actor's scope lacking a required
kind within its circle (``selectors.gaps_iter``), streamed by building."""

from __future__ import annotations

from grassroots.core import exports

from . import selectors

COLUMNS = [exports.Column("楼栋编码", 24), exports.Column("楼栋", 16), "网格", "社区", "缺少的设施", "生活圈",
           "要求距离（米）", "最近步行距离（米）"]


def filters_json(*, profile: str = "", kind: str = "", community: str = "") -> dict:
    return {k: v for k, v in {"profile": profile, "kind": kind, "community": community}.items() if v}


def _profile(request: exports.ExportRequest):
    if "profile" not in request.memo:
        request.memo["profile"] = selectors.profile_or_default(actor=request.actor, code=request.get("profile"))
    return request.memo["profile"]


def _gaps(request: exports.ExportRequest):
    return selectors.gaps_iter(actor=request.actor, profile=_profile(request), kind_code=request.get("kind", ""),
                               community_code=request.get("community", ""))


def _check(request) -> None:
    """NotFound for a reader without coverage figures, an unknown profile or a community out of scope."""
    _gaps(request)


def _rows(request):
    for g in _gaps(request):
        yield [g.building.code, g.building.name, g.building.parent.name, g.building.parent.parent.name, g.kind.name,
               g.circle.name, g.circle.max_distance_m, "超出分析范围" if g.distance_m is None else round(g.distance_m)]


def _notes(request):
    profile = _profile(request)
    return [("配置标准", f"{profile.name}（{profile.source}）"), ("说明", "步行距离沿路网计算，含楼栋到路网的直线距离")]


GAPS = exports.register(exports.ExportKind(
    key="lifecircle.gap", verb="life_circle_gap.export", object_type="lifecircle.gap", title="生活圈缺口",
    filename="lifecircle-gaps", columns=lambda request: COLUMNS, rows=_rows, notes=_notes,
    count=lambda request: sum(1 for _ in _gaps(request)), check=_check,
))
