"""Readers of brands; every one takes the actor. A brand is seen by those who see its organisation as party staff
(posts on it or above it, the region's party staff) and by its named reviewers; outside that it looks missing."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from grassroots.core import roles as R
from grassroots.core.errors import NotFound
from grassroots.core.scope import paths_q, scope_for
from grassroots.party import selectors as party_selectors
from grassroots.party.permissions import PARTY_STAFF_ROLES, is_zone_level

from .models import Brand, BrandReview
from .states import BrandStatus


def _scope_q(actor) -> Q:
    if actor is None:
        return Q()
    mine = BrandReview.objects.filter(reviewer_id=actor.pk).values("brand_id") if actor.is_authenticated else []
    return Q(org__in=party_selectors.staff_org_ids(actor)) | Q(pk__in=mine)


def brand_list(*, actor, sector: str = "", status: str = "", level: str = "", q: str = "", org=None) -> QuerySet:
    qs = Brand.objects.filter(_scope_q(actor)).select_related("org", "rated_by_org")
    if sector:
        qs = qs.filter(sector=sector)
    if status:
        qs = qs.filter(status=status)
    if level:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(Q(name__icontains=q.strip()) | Q(org__name__icontains=q.strip()))
    if org is not None:
        qs = qs.filter(paths_q("org_path", [org.path]))
    return qs.order_by("sector", "org_path", "name", "pk")


def brand_detail(*, actor, pk: int) -> Brand:
    brand = Brand.objects.filter(_scope_q(actor), pk=pk).select_related("org", "rated_by_org", "logo").first()
    if brand is None:
        raise NotFound("党建品牌不存在", "Brand not found")
    return brand


def brand_for_attachment(actor, object_id) -> Brand:
    """The owner lookup of a brand's logo (``core.attachments.register_owner``)."""
    if not str(object_id).isdigit():
        raise NotFound()
    return brand_detail(actor=actor, pk=int(object_id))


def reviews(*, brand) -> QuerySet:
    """The reviews of a brand the caller already obtained through ``brand_detail``."""
    return BrandReview.objects.filter(brand=brand).select_related("reviewer").order_by("pk")


def matrix(*, actor) -> dict:
    """Named (rated) brands the actor sees, by sector: {sector: [brand, …]} (示范 first)."""
    rows: dict[str, list] = {}
    for brand in brand_list(actor=actor, status=BrandStatus.RATED).order_by("sector", "level", "org_path", "name"):
        rows.setdefault(brand.sector, []).append(brand)
    return rows


def to_review(*, actor) -> QuerySet:
    """Brands under review waiting for the actor's own opinion."""
    if actor is None or not actor.is_authenticated:
        return Brand.objects.none()
    waiting = BrandReview.objects.filter(reviewer_id=actor.pk, reviewed_at__isnull=True).values("brand_id")
    return Brand.objects.filter(pk__in=waiting, status=BrandStatus.REVIEWING).select_related("org")


def to_rate(*, actor) -> QuerySet:
    """Applied or reviewing brands the actor may rate (``permissions.can_rate``): those strictly below the actor's
    committees, read by path ranges; all of them for the zone's party staff; the region's party staff check their
    remaining rows one by one."""
    from . import permissions

    waiting = brand_list(actor=actor).filter(status__in=[BrandStatus.APPLIED, BrandStatus.REVIEWING])
    if actor is None or is_zone_level(actor, PARTY_STAFF_ROLES):
        return waiting
    scope = scope_for(actor)
    below = paths_q("org_path", scope.party_paths_for(R.Role.PARTY_COMMITTEE_OFFICER), below=True)
    if not scope.paths_for(*PARTY_STAFF_ROLES):
        return waiting.filter(below)
    ids = [b.pk for b in waiting.exclude(below) if permissions.can_rate(actor, b)]
    return waiting.filter(below | Q(pk__in=ids))


def keepable_orgs(*, actor) -> QuerySet:
    """Organisations the actor may write a brand for (choices of the new-brand form): those under the actor's
    acting party posts, and for the region's party staff those they see. The service checks each exactly."""
    from grassroots.party.models import PartyOrg

    from .permissions import ACTING_ROLES

    scope = scope_for(actor)
    q = paths_q("path", scope.party_paths_for(*ACTING_ROLES))
    if scope.paths_for(*PARTY_STAFF_ROLES):
        q |= Q(pk__in=party_selectors.staff_org_ids(actor))
    return PartyOrg.objects.filter(q, active=True).order_by("path")


def keepable_org(*, actor, pk) -> object:
    org = keepable_orgs(actor=actor).filter(pk=pk).first() if str(pk).isdigit() else None
    if org is None:
        raise NotFound("党组织不存在", "Organisation not found")
    return org


def reviewer_candidates(*, actor, brand: Brand) -> list:
    """Accounts the rater may name: holders of committee-officer and party-staff posts, less the brand's writer
    and those with a secretary's or party affairs worker's post on its organisation or above (the service checks
    each named reviewer exactly)."""
    from grassroots.core import clock
    from grassroots.core.scope import active_posts_q
    from grassroots.people.models import Post, User

    from .permissions import ACTING_ROLES

    parts = [p for p in brand.org_path.split("/") if p]
    above = ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
    posts = Post.objects.filter(active_posts_q(clock.today()))
    keepers = posts.filter(role__in=list(ACTING_ROLES), party_org_path__in=above).values("user_id")
    holders = posts.filter(role__in=[R.Role.PARTY_COMMITTEE_OFFICER, *PARTY_STAFF_ROLES]).values("user_id")
    return list(User.objects.filter(pk__in=holders, is_active=True).exclude(pk__in=keepers)
                .exclude(pk=brand.created_by_id or 0).order_by("username")[:300])
