"""The 为群众办实事 project list as an export kind of ``core.exports``: the projects the actor sees with their
organisation, source, dates, state, progress and ratings."""

from __future__ import annotations

from grassroots.core import exports

from . import selectors
from .states import LABELS, Source

HEADERS = [("实事名称", 30), ("党组织", 30), ("来源", 12), ("责任人", 10), ("开始日期", 12), ("计划办结", 12),
           ("状态", 10), ("进度（%）", 8), ("办结日期", 12), ("两个走进心里", 10), ("满意", 8), ("基本满意", 8),
           ("不满意", 8)]


def _queryset(request: exports.ExportRequest):
    year = request.get("year")
    return selectors.project_list(actor=request.actor, status=request.get("status") or "",
                                  source=request.get("source") or "", q=request.get("q") or "",
                                  year=int(year) if year else None)


def _rows(request):
    from django.db.models import Count, Q

    sources = dict(Source.choices)
    qs = _queryset(request).annotate(
        r_s=Count("ratings", filter=Q(ratings__rating="satisfied")),
        r_b=Count("ratings", filter=Q(ratings__rating="basically")),
        r_u=Count("ratings", filter=Q(ratings__rating="unsatisfied")))
    for p in qs.iterator(chunk_size=2000):
        yield [p.title, p.org.name, str(sources.get(p.source, p.source)), p.owner, p.start, p.due,
               str(LABELS.get(p.status, p.status)), p.progress, p.done_on or "", "是" if p.hearts else "",
               p.r_s, p.r_b, p.r_u]


PROJECTS = exports.register(exports.ExportKind(
    key="serviceprojects.projects", verb="service_project.export", object_type="serviceprojects.serviceproject",
    title=lambda request: "我为群众办实事项目", filename="service-projects",
    columns=lambda request: [exports.Column(h, w) for h, w in HEADERS],
    rows=_rows, count=lambda request: _queryset(request).count(),
))
