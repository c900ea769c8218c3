"""The only readers of notices. Notices and their objections and answers are public (that is what a 公示 is for):
every visitor reads them; only who may publish a kind may answer its objections."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from grassroots.core.errors import NotFound

from . import services
from .models import Notice, Objection


def notices(*, actor, region_code: str = "", kind: str = "", q: str = ""):
    qs = Notice.objects.select_related("region", "subject_type").annotate(
        objection_count=Coalesce(Subquery(Objection.objects.filter(notice=OuterRef("pk")).values("notice").annotate(
            n=Count("pk")).values("n")[:1]), 0))
    if region_code:
        qs = qs.filter(region__code=region_code)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(body__icontains=q))
    return qs.order_by("-starts_at", "-id")


def notice_detail(*, actor, pk: int) -> Notice:
    n = notices(actor=actor).filter(pk=pk).first()
    if n is None:
        raise NotFound()
    return n


def notice_objections(*, actor, notice: Notice) -> list[Objection]:
    return list(Objection.objects.filter(notice=notice).order_by("created_at", "id"))


def notices_about(*, actor, subject, kind: str = "") -> list[Notice]:
    """Notices about one subject, oldest first, with their objections."""
    qs = Notice.objects.filter(**services.subject_q(subject))
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.prefetch_related("objections").order_by("starts_at", "id"))


def notices_about_many(*, actor, model, ids) -> list[Notice]:
    """Notices about any of ``ids`` of ``model``, oldest first, with their objections."""
    from django.contrib.contenttypes.models import ContentType

    return list(Notice.objects.filter(subject_type=ContentType.objects.get_for_model(model), subject_id__in=ids)
                .prefetch_related("objections").order_by("starts_at", "id"))


def objection_to_answer(*, actor, pk: int) -> Objection:
    o = Objection.objects.select_related("notice").filter(pk=pk).first()
    if o is None or not services.can_answer(actor, o.notice):
        raise NotFound()
    return o


def regions_with_notices(*, actor):
    from grassroots.territory.models import Region

    return Region.objects.filter(pk__in=Notice.objects.values("region_id")).order_by("path")
