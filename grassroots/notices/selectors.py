"""The only readers of notices. Notices and their objections and answers are public (that is what a 公示 is for):
every visitor reads them; only who may publish a kind may answer its objections."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from grassroots.core import clock
from grassroots.core import roles as R
from grassroots.core.errors import NotFound
from grassroots.core.scope import scope_for

from . import services
from .models import Notice, Objection

# Who answers for a notice (the publisher side): staff of its region (or of its organisation's region), posts of its
# organisation (a cooperative's),
# and the party posts on the owning party organisation or a committee above it (by path). The kind's own rule
# (``can_publish``) decides the answer itself; this is what the workbench and the "mine" filter count.
OWNER_REGION_ROLES = R.STAFF
OWNER_ORG_ROLES = (*R.ORGANIZATION_POSTS, *R.COOPERATIVE_POSTS)
OWNER_PARTY_ROLES = R.PARTY_ORG_POSTS


def owned_q(actor) -> Q:
    scope = scope_for(actor)
    if not scope.is_authenticated or scope.is_system:
        return Q(pk__in=[])
    return (scope.region_q("region__path", roles=OWNER_REGION_ROLES)
            | scope.region_q("organization__region__path", roles=OWNER_REGION_ROLES)
            | scope.org_q("organization_id", roles=OWNER_ORG_ROLES)
            | scope.party_q("party_path", roles=OWNER_PARTY_ROLES))


def open_q() -> Q:
    return Q(ends_at__gt=clock.now())


def ending_soon_q(now=None) -> Q:
    """Running notices whose period ends within ``notices.ending_soon_days`` (policy)."""
    import datetime as dt

    from . import policy

    now = now or clock.now()
    return Q(ends_at__gt=now, ends_at__lte=now + dt.timedelta(days=policy.value("notices.ending_soon_days")))


def owned(*, actor):
    """Notices the actor's posts answer for (see ``owned_q``), newest first."""
    return notices(actor=actor).filter(owned_q(actor))


def objections_waiting(*, actor):
    """Objections without an answer on notices the actor's posts answer for, oldest first."""
    return (Objection.objects.filter(answered_at__isnull=True, notice__in=Notice.objects.filter(owned_q(actor)))
            .select_related("notice").order_by("created_at", "id"))


def notices(*, actor, region_code: str = "", kind: str = "", q: str = "", open_only: bool = False,
            mine: bool = False, ending_soon: bool = False):
    qs = Notice.objects.select_related("region", "subject_type").annotate(
        objection_count=Coalesce(Subquery(Objection.objects.filter(notice=OuterRef("pk")).values("notice").annotate(
            n=Count("pk")).values("n")[:1]), 0))
    if region_code:
        qs = qs.filter(region__code=region_code)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(body__icontains=q))
    if open_only:
        qs = qs.filter(open_q())
    if ending_soon:
        qs = qs.filter(ending_soon_q())
    if mine:
        qs = qs.filter(owned_q(actor))
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
