"""The compound list's export, one kind of ``core.exports``: the compounds the actor sees (``selectors.compounds``,
the list page's filters; a community outside the scope reads as none, as on the page)."""

from __future__ import annotations

from grassroots.core import exports

from . import selectors


def _queryset(request: exports.ExportRequest):
    code = request.get("community", "")
    community = selectors.region_find(actor=request.actor, code=code) if code else None
    return selectors.compounds(actor=request.actor, q=request.get("q", ""), community=community)


def _rows(request):
    for c in _queryset(request).select_related("community").iterator(chunk_size=2000):
        yield [c.code, c.name, c.community.name, c.address, c.households, c.built_year,
               "是" if c.is_residential else "否", "是" if c.former_work_unit else "否"]


COMPOUNDS = exports.register(exports.ExportKind(
    key="territory.compound", verb="territory.compound_export", object_type="territory.compound", title="小区",
    filename="compounds",
    columns=lambda request: [exports.Column("编码", 20), exports.Column("名称", 24), "所属社区",
                             exports.Column("地址", 32), "户数", "建成年份", "住宅小区", "单位制生活区"],
    rows=_rows, count=lambda request: _queryset(request).count(),
))
