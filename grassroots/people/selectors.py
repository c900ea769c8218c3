"""The only readers of people, organisations and posts. Every one takes ``actor=`` and applies the actor's scope.

* persons: those whose grid lies in the actor's region scope; a resident sees only themself; departments,
  enterprise contacts, admin and auditor see none.
* organisations: zone-level staff (zone leader, hotline) and admin (account management) see all; region staff
  those located in their scope; department handlers and enterprise contacts their own organisation; a
  cooperative's posts their cooperative; a service commissioner their enterprises.
* posts: admin sees all (account management); others the posts in their scope, and their own.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from grassroots.core import clock, crypto
from grassroots.core import roles as R
from grassroots.core.errors import NotFound
from grassroots.core.scope import active_posts_q, scope_for
from grassroots.territory.models import Region

from . import idnumbers, permissions
from .models import MINOR_AGE, Organization, Person, Post, Role

# Age bands offered by the filters: (key, label, min age inclusive, max age exclusive).
AGE_BANDS = {
    "0-13": (_("0–13 岁"), 0, MINOR_AGE),
    "14-17": (_("14–17 岁"), MINOR_AGE, 18),
    "18-34": (_("18–34 岁"), 18, 35),
    "35-59": (_("35–59 岁"), 35, 60),
    "60-79": (_("60–79 岁"), 60, 80),
    "80+": (_("80 岁及以上"), 80, None),
}


def _years_ago(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def person_scope_q(actor) -> Q:
    scope = scope_for(actor)
    q = scope.region_q("region__path")
    if scope.person_id:
        q |= Q(pk=scope.person_id)
    return q


def person_visible(*, actor) -> QuerySet[Person]:
    return Person.objects.filter(person_scope_q(actor))


@dataclass
class PersonFilters:
    q: str = ""                 # name contains (numbers are looked up by POST: ``person_by_number``)
    region: int | None = None   # a grid, community or any region: persons registered below it
    gender: str = ""
    age_band: str = ""
    minors: bool = False
    tag: str = ""
    active: str = "1"           # "1" active, "0" not active, "" all


def person_list(*, actor, filters: PersonFilters | None = None) -> QuerySet[Person]:
    f = filters or PersonFilters()
    qs = person_visible(actor=actor).select_related("region", "building", "household")
    text = (f.q or "").strip()
    if text:
        qs = qs.filter(_search_q(text))
    if f.region:
        region = Region.objects.filter(pk=f.region).only("path").first()
        if region is None:
            return qs.none()
        qs = qs.filter(region__path__gte=region.path, region__path__lt=region.path + "\uffff")
    if f.gender:
        qs = qs.filter(gender=f.gender)
    today = clock.today()
    if f.minors:
        qs = qs.filter(birth_date__gt=_years_ago(today, MINOR_AGE))
    if f.age_band in AGE_BANDS:
        _label, low, high = AGE_BANDS[f.age_band]
        qs = qs.filter(birth_date__lte=_years_ago(today, low))
        if high is not None:
            qs = qs.filter(birth_date__gt=_years_ago(today, high))
    if f.tag:
        qs = qs.filter(_tag_q(f.tag))
    if f.active in ("0", "1"):
        qs = qs.filter(active=f.active == "1")
    return qs.order_by("id")


def _tag_q(tag: str) -> Q:
    """Persons whose JSON tag list holds ``tag`` (JSON containment where the database has it)."""
    if connection.features.supports_json_field_contains:
        return Q(tags__contains=[tag])
    # SQLite stores the list as JSON text with ASCII escapes: match the quoted, escaped element.
    return Q(tags__icontains=json.dumps(tag))


def _search_q(text: str) -> Q:
    """The list's search matches names only: an ID or phone number would travel in the URL (logs, history,
    proxies), so numbers are looked up by POST through ``person_by_number``."""
    return Q(name__icontains=text)


LOOKUP_LIMIT = 50


def person_by_number(*, actor, number: str) -> QuerySet[Person]:
    """Persons in the actor's scope with exactly this ID number or phone number (through the blind indexes);
    at most ``LOOKUP_LIMIT``. The number comes from a POST body (page and API), never from a URL."""
    text = (number or "").strip()
    q = Q(pk__in=[])
    normalized = idnumbers.normalize(text)
    if len(normalized) >= 8:
        q |= Q(id_number_index=crypto.blind_index(normalized, purpose="id_number"))
    phone = idnumbers.normalize_phone(text)
    if phone.isdigit() and len(phone) >= 7:
        q |= Q(phone_index=crypto.blind_index(phone, purpose="phone"))
    return (person_visible(actor=actor).select_related("region", "building", "household").filter(q)
            .order_by("id")[:LOOKUP_LIMIT])


def person_get(*, actor, pk) -> Person:
    person = person_visible(actor=actor).select_related("region", "building", "household").filter(pk=pk).first()
    if person is None:
        raise NotFound("人员不存在", "Person not found")
    return person


def household_members(*, actor, person: Person) -> list[Person]:
    """The other members of the person's household that the actor sees."""
    if not person.household_id:
        return []
    return list(Person.objects.filter(person_scope_q(actor), household_id=person.household_id)
                .exclude(pk=person.pk).select_related("region"))


def person_find_by_id_number(*, actor, id_number: str) -> Person | None:
    """Exact match through the blind index (no decryption, no scan)."""
    index = crypto.blind_index(idnumbers.normalize(id_number), purpose="id_number")
    return person_visible(actor=actor).filter(id_number_index=index).first()


def person_find_by_phone(*, actor, phone: str) -> QuerySet[Person]:
    index = crypto.blind_index(idnumbers.normalize_phone(phone), purpose="phone")
    return person_visible(actor=actor).filter(phone_index=index)


def person_counts(*, actor, region: Region, below: bool = True) -> dict:
    """How many persons are registered in a region (``below``: in it or anywhere under it) within the actor's region
    scope: ``{"total": …, "active": …}`` (active: still on the register, 在册)."""
    qs = Person.objects.filter(scope_for(actor).region_q("region__path"))
    if below:
        qs = qs.filter(region__path__gte=region.path, region__path__lt=region.path + "\uffff")
    else:
        qs = qs.filter(region=region)
    return qs.aggregate(total=Count("id"), active=Count("id", filter=Q(active=True)))


# Tags offered as suggestions by the filter (any other tag can be typed).
COMMON_TAGS = ["五老", "退役军人", "能人", "志愿者", "独居老人", "空巢老人", "留守儿童", "残疾人", "低保", "特困",
               "重点关注", "流动人口"]


def person_tags(*, actor, sample: int = 2000) -> list[str]:
    """Common tags plus those in use among (a sample of) the persons the actor sees, for the filter's suggestions."""
    seen: set[str] = set(COMMON_TAGS)
    for tags in person_visible(actor=actor).exclude(tags=[]).order_by("-id").values_list("tags", flat=True)[:sample]:
        seen.update(t for t in tags or [] if isinstance(t, str))
    return sorted(seen)


def region_choices(*, actor) -> QuerySet[Region]:
    """Communities, villages, parks and grids inside the actor's scope (for filters)."""
    scope = scope_for(actor)
    return Region.objects.filter(scope.region_q("path"), level__in=["community", "village", "park", "grid"],
                                 active=True).order_by("path")


def register_buildings(*, actor) -> QuerySet[Region]:
    """Active buildings where the actor may register or move persons (grid workers, community staff)."""
    scope = scope_for(actor)
    return Region.objects.filter(scope.region_q("path", roles=permissions.REGISTER_ROLES), level="building",
                                 active=True).order_by("path")


def building_visible(*, actor, code: str) -> Region | None:
    scope = scope_for(actor)
    return Region.objects.filter(scope.region_q("path"), code=code, level="building").first()


# Organisations -------------------------------------------------------------------------------------------------

def organization_visible(*, actor) -> QuerySet[Organization]:
    scope = scope_for(actor)
    if scope.has_role(Role.ADMIN, *R.ZONE_WIDE):
        return Organization.objects.all()
    q = scope.region_q("region__path") | Q(pk__in=sorted(scope.org_ids))
    # Narrow posts: a cooperative's posts see their cooperative; a service commissioner their enterprises (one by
    # one, or those located in their enterprise grids).
    own = scope.orgs_for(*R.COOPERATIVE_POSTS, Role.SERVICE_COMMISSIONER)
    if own:
        q |= Q(pk__in=sorted(own))
    if scope.paths_for(Role.SERVICE_COMMISSIONER):
        q |= scope.region_q("region__path", roles=(Role.SERVICE_COMMISSIONER,)) & Q(
            kind__in=sorted(permissions.COMMISSIONER_KINDS))
    return Organization.objects.filter(q)


def organization_list(*, actor, q: str = "", kind: str = "", region: int | None = None,
                      active: str = "1") -> QuerySet[Organization]:
    qs = organization_visible(actor=actor).select_related("region", "parent")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(credit_code=q.upper()))
    if kind:
        qs = qs.filter(kind=kind)
    if region:
        target = Region.objects.filter(pk=region).only("path").first()
        if target is None:
            return qs.none()
        qs = qs.filter(region__path__gte=target.path, region__path__lt=target.path + "\uffff")
    if active in ("0", "1"):
        qs = qs.filter(active=active == "1")
    return qs.order_by("kind", "name", "id")


def organization_get(*, actor, pk) -> Organization:
    org = organization_visible(actor=actor).select_related("region", "parent").filter(pk=pk).first()
    if org is None:
        raise NotFound("组织不存在", "Organisation not found")
    return org


def organization_regions(*, actor, keep=None) -> QuerySet[Region]:
    """Active regions (down to grids) where the actor may locate organisations: all for admin and the zone leader,
    else those under the actor's community or subdistrict posts. ``keep`` (a region id: an edited organisation's
    current region) stays on offer even when it lies outside them."""
    scope = scope_for(actor)
    q = Q(active=True) & ~Q(level="building")
    if not scope.has_role(*permissions.ORGANIZATION_WIDE_ROLES):
        q &= scope.region_q("path", roles=permissions.ORGANIZATION_ROLES_IN_SCOPE)
    if keep is not None:
        q |= Q(pk=keep)
    return Region.objects.filter(q).order_by("path")


def organization_region_get(*, actor, pk) -> Region:
    region = organization_regions(actor=actor).filter(pk=pk).first()
    if region is None:
        raise NotFound("区域不存在", "Region not found")
    return region


def organization_children(*, actor, organization: Organization) -> QuerySet[Organization]:
    """The organisations directly under this one (上级单位 = it) that the actor sees."""
    return organization_visible(actor=actor).filter(parent=organization)


def organization_parents(*, actor, exclude=None) -> QuerySet[Organization]:
    """Active organisations the actor sees, offered as the parent (上级单位)."""
    qs = organization_visible(actor=actor).filter(active=True)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.order_by("kind", "name", "id")


# Posts ---------------------------------------------------------------------------------------------------------

def post_visible(*, actor) -> QuerySet[Post]:
    scope = scope_for(actor)
    if not scope.is_authenticated:
        return Post.objects.none()
    if scope.has_role(Role.ADMIN):
        return Post.objects.all()
    q = Q(user_id=scope.user_id) | scope.region_q("region__path") | scope.org_q("organization_id")
    return Post.objects.filter(q)


def post_list(*, actor, q: str = "", role: str = "", current: str = "1") -> QuerySet[Post]:
    qs = post_visible(actor=actor).select_related("user", "region", "organization", "successor")
    if q:
        qs = qs.filter(Q(user__username__icontains=q) | Q(user__display_name__icontains=q) | Q(title__icontains=q))
    if role:
        qs = qs.filter(role=role)
    if current == "1":
        qs = qs.filter(active_posts_q())
    elif current == "0":
        qs = qs.exclude(active_posts_q())
    return qs.order_by("role", "user__username", "-start_date", "id")


def organization_posts(*, actor, organization: Organization) -> QuerySet[Post]:
    """The posts held in an organisation, as ``post_list`` shows them to the actor (current ones)."""
    return post_list(actor=actor).filter(organization=organization)


def post_get(*, actor, pk) -> Post:
    post = post_visible(actor=actor).select_related("user", "region", "organization", "successor").filter(pk=pk).first()
    if post is None:
        raise NotFound("岗位不存在", "Post not found")
    return post


def grid_workers(*, actor, grid: Region) -> list:
    """The accounts holding a grid-worker post for the grid today (none when the grid is outside the actor's
    region scope), longest-serving first."""
    posts = (Post.objects.filter(scope_for(actor).region_q("region__path"), active_posts_q(), role=Role.GRID_WORKER,
                                 region=grid).select_related("user").order_by("start_date", "id"))
    return [post.user for post in posts]


def successor_candidates(*, actor, post) -> QuerySet:
    """Users holding an active post of the same role and scope (who can take the tasks over)."""
    from .models import User

    same = Post.objects.filter(active_posts_q(), role=post.role, region_id=post.region_id,
                               organization_id=post.organization_id,
                               party_org_path=post.party_org_path).exclude(user_id=post.user_id)
    if not scope_for(actor).has_role(Role.ADMIN):
        return User.objects.none()
    return User.objects.filter(pk__in=same.values("user_id"), is_active=True).order_by("username")


def successor_get(*, actor, post, pk: int):
    """The account named as successor on the end-post form: one of ``successor_candidates``, else the account
    itself (the service then says why it cannot take over), or None when there is no such account."""
    from .models import User

    return (successor_candidates(actor=actor, post=post).filter(pk=pk).first()
            or User.objects.filter(pk=pk).first())


# Self-registrations waiting for a match (the community office's queue) ---------------------------------------------

def claim_visible(*, actor) -> QuerySet:
    """Registrations of the communities where the actor holds a community-office post."""
    from .models import AccountClaim

    scope = scope_for(actor)
    return AccountClaim.objects.filter(scope.region_q("community__path", roles=permissions.CLAIM_ROLES))


def claim_list(*, actor, status: str = "pending") -> QuerySet:
    from .models import ClaimStatus

    qs = claim_visible(actor=actor).select_related("community", "user", "person", "decided_by")
    if status in ClaimStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("created_at", "id")


def claim_get(*, actor, pk):
    claim = claim_list(actor=actor, status="").filter(pk=pk).first()
    if claim is None:
        raise NotFound("注册记录不存在", "Registration not found")
    return claim


def claim_candidates(*, actor, claim) -> list[Person]:
    """Persons without an account, registered in the claim's community and seen by the actor, who may be the
    registrant: the same phone, the same ID number or the same name (the surest first)."""
    base = (person_visible(actor=actor).filter(active=True, user__isnull=True)
            .filter(region__path__gte=claim.community.path, region__path__lt=claim.community.path + "\uffff"))
    q = Q(phone_index=claim.phone_index) | Q(name=claim.name)
    if claim.id_number_index:
        q |= Q(id_number_index=claim.id_number_index)
    rows = list(base.filter(q).select_related("region")[:20])

    def rank(p):
        return (p.phone_index != claim.phone_index, not claim.id_number_index
                or p.id_number_index != claim.id_number_index, p.name != claim.name, p.pk)
    return sorted(rows, key=rank)


def claim_person_get(*, actor, claim, pk) -> Person:
    person = next((p for p in claim_candidates(actor=actor, claim=claim) if p.pk == pk), None) \
        or person_visible(actor=actor).filter(pk=pk).first()
    if person is None:
        raise NotFound("人员不存在", "Person not found")
    return person


def registration_communities(*, actor=None) -> QuerySet[Region]:
    """The communities and villages a registrant chooses from (region names are public; ``actor`` may be None)."""
    return Region.objects.filter(level__in=("community", "village", "park"), active=True).order_by("path")


def registration_community_get(*, actor=None, pk) -> Region:
    region = registration_communities(actor=actor).filter(pk=pk).first()
    if region is None:
        raise NotFound("社区不存在", "Community not found")
    return region
