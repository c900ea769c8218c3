"""The only readers of party data. Every function takes ``actor=`` and filters through ``scope_for(actor)``.

Visibility:
- territorial organisations (党工委 … 楼栋党小组): their region lies in the actor's region scope;
- organisation-based ones (单位党支部, 产业链党委 …): zone-level staff; staff of a community they reported in to;
  staff of a territorial organisation they sit directly under; party instructors of the region they are in; the
  organisation's own staff (department handler, enterprise contact);
- party posts (党支部书记, 党务工作者, 党(工)委干部): their organisation and every one under it, by path;
- residents: the organisation of their own membership, and only their own membership in it.
Out of scope is missing: detail selectors raise NotFound.
"""

from __future__ import annotations

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Concat

from grassroots.core import roles as R
from grassroots.core.errors import NotFound
from grassroots.core.scope import PATH_END, scope_for
from grassroots.territory.models import Level, Region

from .models import (
    BRANCH_KINDS,
    MIN_FULL_MEMBERS,
    ORGANISATION_KINDS,
    TERRITORIAL_KINDS,
    Liaison,
    Membership,
    MembershipStatus,
    OrgReportIn,
    PartyOrg,
    ReportIn,
    ReportInStatus,
    ServicePost,
    ServicePostClaim,
    ServiceRecord,
    Transfer,
    TransferState,
)
from .permissions import PARTY_VIEW_ROLES, is_zone_level

TERRITORIAL = sorted(k.value for k in TERRITORIAL_KINDS)
ORGANISATIONAL = sorted(k.value for k in ORGANISATION_KINDS)
BRANCHES = sorted(k.value for k in BRANCH_KINDS)
# The contacts of the first two liaison levels hold one of these posts (a zone leader, a department's head).
LIAISON_CONTACT_ROLES = (R.Role.ZONE_LEADER, R.Role.DEPARTMENT_HANDLER)


# ----------------------------------------------------------------------------------------------- scope filters

def _staff_org_q(actor) -> Q:
    """Organisations the actor sees through posts (not through their own membership)."""
    scope = scope_for(actor)
    if scope.is_system or not scope.is_authenticated:
        return Q(pk__in=[])
    region_q = scope.region_q("region__path", roles=PARTY_VIEW_ROLES)
    # Party posts see their organisation and those under it, in or outside the region tree.
    q = (Q(kind__in=TERRITORIAL) & region_q) | scope.party_q("path")
    if is_zone_level(actor):
        return q | Q(kind__in=ORGANISATIONAL)
    reported = OrgReportIn.objects.filter(party_org=OuterRef("pk"), status=ReportInStatus.ACTIVE).filter(
        scope.region_q("community__path", roles=PARTY_VIEW_ROLES))
    own_ids = scope.orgs_for(*R.ORGANIZATION_POSTS)
    organisational = (
        Exists(reported)
        | (Q(parent__kind__in=TERRITORIAL) & scope.region_q("parent__region__path", roles=PARTY_VIEW_ROLES))
        | scope.region_q("region__path", roles=(R.Role.PARTY_INSTRUCTOR,))
    )
    if own_ids:
        linked = PartyOrg.linked_organizations.through.objects.filter(
            partyorg_id=OuterRef("pk"), organization_id__in=sorted(own_ids))
        organisational = organisational | Q(organization_id__in=sorted(own_ids)) | Exists(linked)
    return q | (Q(kind__in=ORGANISATIONAL) & organisational)


def _org_q(actor) -> Q:
    scope = scope_for(actor)
    q = _staff_org_q(actor)
    if scope.person_id:
        mine = Membership.objects.filter(org=OuterRef("pk"), person_id=scope.person_id, active=True)
        q = q | Exists(mine)
    return q


def _membership_q(actor) -> Q:
    scope = scope_for(actor)
    visible_orgs = PartyOrg.objects.filter(_staff_org_q(actor)).values("pk")
    q = Q(org__in=visible_orgs)
    if scope.person_id:
        q = q | Q(person_id=scope.person_id)
    return q


def staff_org_ids(actor):
    """The organisations the actor sees through posts, as a subquery of pks (for the apps that keep party work:
    dues, development, transfers scope their rows by it)."""
    return PartyOrg.objects.filter(_staff_org_q(actor)).values("pk")


def member_visible(*, actor, person_id: int) -> bool:
    """The actor sees a membership (active or past) of this person."""
    return Membership.objects.filter(_membership_q(actor), person_id=person_id).exists()


def _one(qs, zh: str, en: str, **lookup):
    """The row of ``qs`` matching ``lookup``; none (missing, or outside the actor's scope) is NotFound."""
    row = qs.filter(**lookup).first()
    if row is None:
        raise NotFound(zh, en)
    return row


# ----------------------------------------------------------------------------------------------- annotations

def _subtree_members(**filters):
    """Active members of an organisation's subtree (a branch counts the members of its building groups)."""
    qs = Membership.objects.filter(active=True, org__path__gte=OuterRef("path"),
                                   org__path__lt=Concat(OuterRef("path"), Value(PATH_END)), **filters).order_by()
    return Coalesce(Subquery(qs.values("active").annotate(n=Count("pk")).values("n")[:1],
                             output_field=IntegerField()), 0)


def with_counts(qs):
    """Annotate ``member_count``, ``full_count`` (active members of the subtree) and ``flagged`` is computed by
    ``is_flagged``: a branch with fewer than three full members."""
    return qs.annotate(member_count=_subtree_members(), full_count=_subtree_members(status=MembershipStatus.FULL))


def flagged_orgs_q() -> Q:
    """Branches with fewer than three full members (apply on a queryset annotated by ``with_counts``)."""
    return Q(kind__in=BRANCHES, full_count__lt=MIN_FULL_MEMBERS)


def is_flagged(org) -> bool:
    return org.kind in BRANCH_KINDS and getattr(org, "full_count", MIN_FULL_MEMBERS) < MIN_FULL_MEMBERS


# ----------------------------------------------------------------------------------------------- organisations

def org_list(*, actor, kind: str = "", q: str = "", flagged: bool | None = None, region: Region | None = None):
    qs = with_counts(PartyOrg.objects.filter(_org_q(actor), active=True)).select_related(
        "region", "organization", "secretary", "parent")
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(name__icontains=q.strip())
    if region is not None:
        qs = qs.filter(region__path__gte=region.path, region__path__lt=region.path + PATH_END)
    if flagged is True:
        qs = qs.filter(flagged_orgs_q())
    elif flagged is False:
        qs = qs.exclude(flagged_orgs_q())
    return qs.order_by("path")


def org_tree(*, actor) -> list[dict]:
    """Visible organisations as nested dicts (roots: those whose parent the actor does not see), with subtree member
    counts and the <3-full-members flag. Two queries whatever the size."""
    orgs = list(PartyOrg.objects.filter(_org_q(actor), active=True).select_related("region").order_by("path"))
    ids = [o.pk for o in orgs]
    direct: dict[int, tuple[int, int]] = {}
    rows = (Membership.objects.filter(active=True, org_id__in=ids).values("org_id")
            .annotate(n=Count("pk"), full=Count("pk", filter=Q(status=MembershipStatus.FULL))))
    for row in rows.order_by():
        direct[row["org_id"]] = (row["n"], row["full"])
    nodes = {}
    roots = []
    for org in orgs:
        n, full = direct.get(org.pk, (0, 0))
        node = {"id": org.pk, "name": org.name, "code": org.code, "kind": org.kind,
                "kind_label": str(org.get_kind_display()), "path": org.path, "member_count": n, "full_count": full,
                "region": org.region.name if org.region_id else "", "children": []}
        nodes[org.pk] = node
        parent = nodes.get(org.parent_id)
        (parent["children"] if parent else roots).append(node)

    def roll_up(node):
        for child in node["children"]:
            roll_up(child)
            node["member_count"] += child["member_count"]
            node["full_count"] += child["full_count"]
        node["flagged"] = node["kind"] in BRANCHES and node["full_count"] < MIN_FULL_MEMBERS

    for root in roots:
        roll_up(root)
    return roots


def org_visible(*, actor, pk: int | None) -> PartyOrg | None:
    """The organisation (with counts) if the actor sees it, else None: for a parent or a filter that may lie out of
    scope."""
    if not pk:
        return None
    return with_counts(PartyOrg.objects.filter(_org_q(actor))).select_related(
        "region", "organization", "secretary", "parent").filter(pk=pk).first()


def org_detail(*, actor, pk: int) -> PartyOrg:
    org = org_visible(actor=actor, pk=pk)
    if org is None:
        raise NotFound("党组织不存在", "Party organisation not found")
    return org


def org_children(*, actor, org: PartyOrg):
    return with_counts(PartyOrg.objects.filter(_org_q(actor), parent=org, active=True)).select_related(
        "region", "organization").order_by("path")


def orgs_for_region(*, actor, region: Region):
    """Party organisations of a region (the territorial one mirroring it, and organisation-based ones located there),
    for the territory pages. Annotated with member counts; ``is_flagged(org)`` gives the flag."""
    return with_counts(PartyOrg.objects.filter(_org_q(actor), region=region, active=True)).select_related(
        "organization", "secretary").order_by("path")


def orgs_for_choice(*, actor, manageable: bool = True):
    """Organisations for a select box (no counts)."""
    return PartyOrg.objects.filter(_org_q(actor), active=True).order_by("path")


# ----------------------------------------------------------------------------------------------- members

def member_list(*, actor, org: PartyOrg | None = None, q: str = "", status: str = "", in_service: bool | None = None,
                flagged: bool | None = None, include_ended: bool = False):
    qs = Membership.objects.filter(_membership_q(actor)).select_related("person", "org", "employer")
    if not include_ended:
        qs = qs.filter(active=True)
    if org is not None:
        qs = qs.filter(org__path__gte=org.path, org__path__lt=org.path + PATH_END)
    if q:
        qs = qs.filter(person__name__icontains=q.strip())
    if status:
        qs = qs.filter(status=status)
    if in_service is not None:
        qs = qs.filter(in_service=in_service)
    if flagged is not None:
        flagged_ids = with_counts(PartyOrg.objects.filter(active=True)).filter(flagged_orgs_q()).values("pk")
        # A member of a building group belongs to the flagged branch above it.
        in_flagged = Q(org__in=flagged_ids) | (Q(org__kind="building_group") & Q(org__parent__in=flagged_ids))
        qs = qs.filter(in_flagged) if flagged else qs.exclude(in_flagged)
    return qs.order_by("org__path", "person__name", "pk")


def member_detail(*, actor, pk: int) -> Membership:
    return _one(Membership.objects.filter(_membership_q(actor)).select_related(
        "person", "org", "employer", "transferred_from__org"), "党员不存在", "Member not found", pk=pk)


def membership_history(*, actor, membership: Membership):
    """Every membership row of the person that the actor may see, oldest first."""
    return (Membership.objects.filter(_membership_q(actor), person_id=membership.person_id)
            .select_related("org").order_by("start_date", "pk"))


def my_membership(*, actor) -> Membership | None:
    scope = scope_for(actor)
    if not scope.person_id:
        return None
    return Membership.objects.filter(person_id=scope.person_id, active=True).select_related("org").first()


# ----------------------------------------------------------------------------------------------- report-ins

def _report_in_q(actor) -> Q:
    scope = scope_for(actor)
    if scope.is_system or not scope.is_authenticated:
        return Q(pk__in=[])
    q = scope.region_q("community__path", roles=PARTY_VIEW_ROLES)
    own_ids = scope.orgs_for(*R.ORGANIZATION_POSTS)
    if own_ids:
        q |= Q(employer_id__in=sorted(own_ids))
    if scope.person_id:
        q |= Q(person_id=scope.person_id)
    return q


def report_in_list(*, actor, community: Region | None = None, q: str = "", status: str = "", grid=None):
    hours = ServiceRecord.objects.filter(report_in=OuterRef("pk")).order_by().values("report_in").annotate(
        s=Sum("hours")).values("s")[:1]
    claims = ServicePostClaim.objects.filter(report_in=OuterRef("pk"), active=True).order_by().values("report_in").annotate(
        n=Count("pk")).values("n")[:1]
    qs = (ReportIn.objects.filter(_report_in_q(actor))
          .select_related("person", "employer", "community", "grid")
          .annotate(hours_total=Subquery(hours), claim_count=Coalesce(Subquery(claims, output_field=IntegerField()),
                                                                       0)))
    if community is not None:
        qs = qs.filter(community=community)
    if grid is not None:
        qs = qs.filter(grid=grid)
    if q:
        qs = qs.filter(person__name__icontains=q.strip())
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-reported_on", "-pk")


def report_in_detail(*, actor, pk: int) -> ReportIn:
    return _one(report_in_list(actor=actor), "报到记录不存在", "Report-in not found", pk=pk)


def report_in_claims(*, actor, report_in: ReportIn):
    report_in_detail(actor=actor, pk=report_in.pk)
    return ServicePostClaim.objects.filter(report_in=report_in).select_related("post").order_by("-claimed_on")


def service_posts(*, actor, community: Region | None = None):
    scope = scope_for(actor)
    q = scope.region_q("community__path", roles=PARTY_VIEW_ROLES)
    if scope.person_id:
        mine = ReportIn.objects.filter(person_id=scope.person_id, status=ReportInStatus.ACTIVE).values(
            "community_id")
        q |= Q(community_id__in=mine)
    taken = ServicePostClaim.objects.filter(post=OuterRef("pk"), active=True).order_by().values("post").annotate(
        n=Count("pk")).values("n")[:1]
    qs = ServicePost.objects.filter(q, active=True).select_related("community").annotate(
        taken=Coalesce(Subquery(taken, output_field=IntegerField()), 0))
    if community is not None:
        qs = qs.filter(community=community)
    return qs.order_by("community__path", "name")


def service_post_detail(*, actor, pk: int) -> ServicePost:
    return _one(service_posts(actor=actor), "服务岗位不存在", "Service post not found", pk=pk)


# ----------------------------------------------------------------------------------------------- org report-ins

def _org_report_in_q(actor) -> Q:
    scope = scope_for(actor)
    if scope.is_system or not scope.is_authenticated:
        return Q(pk__in=[])
    q = scope.region_q("community__path", roles=PARTY_VIEW_ROLES)
    own_ids = scope.orgs_for(*R.ORGANIZATION_POSTS)
    if own_ids:
        q |= Q(organization_id__in=sorted(own_ids)) | Q(party_org__organization_id__in=sorted(own_ids))
    return q


def org_report_in_list(*, actor, community: Region | None = None, q: str = "", status: str = ""):
    qs = OrgReportIn.objects.filter(_org_report_in_q(actor)).select_related("party_org", "organization",
                                                                            "community")
    if community is not None:
        qs = qs.filter(community=community)
    if q:
        q = q.strip()
        qs = qs.filter(Q(party_org__name__icontains=q) | Q(organization__name__icontains=q))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-reported_on", "-pk")


def org_report_in_detail(*, actor, pk: int) -> OrgReportIn:
    return _one(org_report_in_list(actor=actor), "单位报到记录不存在", "Unit report-in not found", pk=pk)


# ----------------------------------------------------------------------------------------------- liaisons

def _liaison_q(actor) -> Q:
    scope = scope_for(actor)
    if scope.is_system or not scope.is_authenticated:
        return Q(pk__in=[])
    q = (scope.region_q("region__path", roles=PARTY_VIEW_ROLES)
         | scope.region_q("compound__community__path", roles=PARTY_VIEW_ROLES))
    if scope.person_id:
        q |= Q(person_id=scope.person_id)
    q |= Q(user_id=scope.user_id)
    return q


def liaison_list(*, actor, kind: str = "", current: bool | None = True, q: str = ""):
    qs = Liaison.objects.filter(_liaison_q(actor)).select_related("person", "user", "organization", "region",
                                                                 "compound__community")
    if kind:
        qs = qs.filter(kind=kind)
    if current is True:
        qs = qs.filter(end_date__isnull=True)
    elif current is False:
        qs = qs.filter(end_date__isnull=False)
    if q:
        q = q.strip()
        qs = qs.filter(Q(person__name__icontains=q) | Q(user__display_name__icontains=q)
                       | Q(region__name__icontains=q) | Q(compound__name__icontains=q))
    return qs.order_by("kind", "-start_date", "pk")


def liaison_detail(*, actor, pk: int) -> Liaison:
    return _one(liaison_list(actor=actor, current=None), "联系关系不存在", "Liaison not found", pk=pk)


# ----------------------------------------------------------------------------------------------- lookups for forms

def communities_for(*, actor):
    scope = scope_for(actor)
    return Region.objects.filter(scope.region_q("path", roles=PARTY_VIEW_ROLES),
                                 level__in=[Level.COMMUNITY, Level.VILLAGE], active=True).order_by("path")


def community_by_code(*, actor, code: str) -> Region:
    """A community (or village) of the actor's region by code; out of scope is missing."""
    return _one(communities_for(actor=actor), "社区不存在", "Community not found", code=code)


def child_regions(*, actor, org: PartyOrg):
    """Regions a territorial child of ``org`` can mirror: the active children of its region, inside the scope."""
    if org.region_id is None or org.kind not in TERRITORIAL_KINDS:
        return Region.objects.none()
    scope = scope_for(actor)
    return Region.objects.filter(scope.region_q("path", roles=PARTY_VIEW_ROLES), parent_id=org.region_id,
                                 active=True).order_by("path")


def organization_choices(*, actor):
    """Registered organisations (reference data, no personal data) for employer and unit selects."""
    from grassroots.people.models import Organization

    scope = scope_for(actor)
    if not scope.is_authenticated or scope.is_system:
        return Organization.objects.none()
    return Organization.objects.filter(active=True).order_by("kind", "name")


def liaison_user_choices(*, actor):
    """Accounts holding a zone leader or department handler post today (contacts of the first two levels)."""
    from grassroots.core.scope import active_posts_q
    from grassroots.people.models import Post, User

    scope = scope_for(actor)
    if not scope.paths_for(*PARTY_VIEW_ROLES):
        return User.objects.none()
    posts = Post.objects.filter(active_posts_q(), role__in=LIAISON_CONTACT_ROLES).values("user_id")
    return User.objects.filter(pk__in=posts, is_active=True).order_by("username")


def liaison_region_choices(*, actor):
    scope = scope_for(actor)
    return Region.objects.filter(scope.region_q("path", roles=PARTY_VIEW_ROLES),
                                 level__in=[Level.COMMUNITY, Level.VILLAGE, Level.PARK, Level.GRID],
                                 active=True).order_by("path")


def compound_choices(*, actor):
    from grassroots.territory.models import Compound

    scope = scope_for(actor)
    return Compound.objects.filter(scope.region_q("community__path", roles=PARTY_VIEW_ROLES)).order_by("code")


def person_by_id_number(*, actor, id_number: str):
    """The registered person with this ID number in the actor's scope (the people register's), for the forms that
    name a member or a contact by ID number."""
    from grassroots.people.selectors import person_find_by_id_number

    person = person_find_by_id_number(actor=actor, id_number=id_number) if id_number else None
    if person is None:
        raise NotFound("未找到该证件号码的登记人员（或不在您的管辖范围内）",
                       "No registered person with this ID number (or outside your jurisdiction)")
    return person


def membership_by_id_number(*, actor, id_number: str) -> Membership:
    """The active membership of a person the actor may see (people register scope), found by ID number."""
    from grassroots.people.selectors import person_find_by_id_number

    person = person_find_by_id_number(actor=actor, id_number=id_number) if id_number else None
    membership = (Membership.objects.filter(person=person, active=True).select_related("person", "org").first()
                  if person is not None else None)
    if membership is None:
        raise NotFound("未找到该证件号码的党员（或不在您的管辖范围内）",
                       "No party member with this document number in your area")
    return membership


def report_in_communities(*, actor):
    """Every active community: a member reports to the one they live in, wherever their posts are."""
    if not scope_for(actor).is_authenticated:
        return Region.objects.none()
    return Region.objects.filter(level__in=[Level.COMMUNITY, Level.VILLAGE], active=True).order_by("path")


def report_in_community(*, actor, code: str) -> Region | None:
    """The community a member reports to, by code (any active one: see ``report_in_communities``)."""
    return report_in_communities(actor=actor).filter(code=code).first()


def service_records(*, actor, report_in: ReportIn):
    report_in_detail(actor=actor, pk=report_in.pk)
    return ServiceRecord.objects.filter(report_in=report_in).select_related("post").order_by("-date", "-pk")


def grid_of_community(*, community: Region, code: str) -> Region | None:
    """A grid of ``community`` by code (the caller has already resolved the community for the actor)."""
    return Region.objects.filter(parent=community, code=code, level=Level.GRID, active=True).first()


# Counters for people.dissolution (called inside organization_dissolve, which has checked the actor).


def active_party_orgs(organization, on) -> int:
    from django.db.models import Q

    from .models import PartyOrg

    return PartyOrg.objects.filter(Q(organization=organization) | Q(linked_organizations=organization),
                                   active=True).distinct().count()


def active_org_report_ins(organization, on) -> int:
    from .models import OrgReportIn, ReportInStatus

    return OrgReportIn.objects.filter(organization=organization, status=ReportInStatus.ACTIVE).count()


def current_liaisons(organization, on) -> int:
    from django.db.models import Q

    from .models import Liaison

    return Liaison.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), organization=organization).count()


def org_posts(*, actor, org: PartyOrg) -> list:
    """The current party posts held on ``org`` (党支部书记, 党务工作者, 党(工)委干部), for whoever sees the
    organisation: (role label, holder's display name, since)."""
    from grassroots.core.scope import active_posts_q
    from grassroots.people.models import Post

    if not org_visible(actor=actor, pk=org.pk):
        return []
    posts = (Post.objects.filter(active_posts_q(), party_org_path=org.path, role__in=R.PARTY_ORG_POSTS)
             .select_related("user").order_by("role", "start_date", "id"))
    return [{"role": p.get_role_display(), "holder": str(p.user), "title": p.title, "since": p.start_date}
            for p in posts]


def voting_members(org: PartyOrg, on) -> list[int]:
    """Person ids of the full members with a vote in ``org`` and the organisations under it on ``on`` (a branch
    meeting's 应到会有表决权的正式党员; probationary members attend without a vote)."""
    return list(Membership.objects.filter(
        org__path__gte=org.path, org__path__lt=org.path + PATH_END, status=MembershipStatus.FULL,
        full_member_date__lte=on, start_date__lte=on).filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .order_by().values_list("person_id", flat=True).distinct())


# ----------------------------------------------------------------------------------------------- transfers

def _transfer_q(actor) -> Q:
    scope = scope_for(actor)
    visible = staff_org_ids(actor)
    q = Q(from_org__in=visible) | Q(to_org__in=visible)
    if scope.person_id:
        q = q | Q(person_id=scope.person_id)
    return q


def transfer_list(*, actor, status: str = "", kind: str = "", q: str = "", to_receive: bool = False):
    """Transfers the actor sees (sent from or received into their organisations; a member's own). ``to_receive``:
    waiting transfers into organisations the actor manages, letters still valid."""
    qs = Transfer.objects.filter(_transfer_q(actor)).select_related("person", "from_org", "to_org")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(person__name__icontains=q.strip())
    if to_receive:
        from grassroots.core import clock

        qs = qs.filter(status=TransferState.ISSUED, kind="inside", valid_until__gte=clock.today(),
                       to_org__in=staff_org_ids(actor))
    return qs.order_by("-issued_on", "-pk")


def transfer_detail(*, actor, pk: int) -> Transfer:
    return _one(Transfer.objects.filter(_transfer_q(actor)).select_related(
        "person", "from_org", "to_org", "from_membership", "new_membership"), "转接记录不存在", "Transfer not found",
        pk=pk)


def receiving_orgs(*, actor):
    """Organisations a member may be transferred to: every active grassroots organisation (the receiving side
    may be anywhere on the platform)."""
    return PartyOrg.objects.filter(active=True).exclude(
        kind__in=["zone_working_committee", "subdistrict_working_committee"]).order_by("path")
