"""The only readers of micro-projects, funds, partners and volunteers. Every function takes ``actor=``.

Public: project summaries (not drafts or withdrawn applications), each fund's public ledger (balance, monthly totals,
donor kinds, spending by project, entries with anonymous donors shown as 爱心人士/爱心单位), partners and their
contributions, volunteer totals. Staff in scope (``scope.region_q`` on the community path) also read drafts, reviews,
the full ledger with donors' names, and reconciliation.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext

from grassroots.core import keyset
from grassroots.core.attachments import attachments_for
from grassroots.core.errors import NotFound, ValidationFailed
from grassroots.core.keyset import KeysetPage
from grassroots.core.scope import scope_for
from grassroots.notices import selectors as notices_selectors
from grassroots.territory.models import Level, Region

from .models import (
    CommunityFund,
    Contribution,
    LedgerEntry,
    LedgerMonthTotal,
    MicroProject,
    Milestone,
    Partner,
    Volunteer,
)
from .permissions import READ_ROLES, STAFF_ROLES, is_staff_for
from .states import ProjectStatus

PRIVATE_STATES = (ProjectStatus.DRAFT, ProjectStatus.WITHDRAWN)


# --- micro-projects ---------------------------------------------------------------------------------------------------
def projects(*, actor, status: str = "", community_code: str = "", q: str = ""):
    scope = scope_for(actor)
    visible = ~Q(status__in=PRIVATE_STATES) | scope.region_q("community__path", roles=READ_ROLES)
    if getattr(actor, "is_authenticated", False):
        visible |= Q(applicant_id=actor.pk)
    qs = MicroProject.objects.filter(visible).select_related("community")
    if status in ProjectStatus.values:
        qs = qs.filter(status=status)
    if community_code:
        qs = qs.filter(community__code=community_code)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(goals__icontains=q))
    return qs.order_by("-created_at", "-id")


def project_detail(*, actor, pk: int) -> MicroProject:
    p = projects(actor=actor).filter(pk=pk).select_related("applicant", "applicant_organization", "topic").first()
    if p is None:
        raise NotFound()
    return p


def milestone_owner(actor, object_id) -> MicroProject:
    """The project owning a milestone's photos, if the actor may read it (``core.attachments`` asks)."""
    project_id = Milestone.objects.filter(pk=object_id).values_list("project_id", flat=True).first()
    if project_id is None:
        raise NotFound()
    return project_detail(actor=actor, pk=project_id)


def project_page(*, actor, project: MicroProject) -> dict:
    """What the project's page shows; each milestone with its ``photos``."""
    staff = is_staff_for(actor, project.community)
    milestones = list(project.milestones.order_by("happened_on", "id"))
    for m in milestones:
        m.photos = list(attachments_for(actor=actor, obj=m))
    return {
        "staff": staff,
        "budget_lines": list(project.budget_lines.order_by("id")),
        "milestones": milestones,
        "reviews": list(project.reviews.select_related("reviewer").order_by("id")) if staff else [],
        "review_count": project.reviews.count(),
        "notices": notices_selectors.notices_about(actor=actor, subject=project),
        "payments": list(project.ledger_entries.filter(kind__in=["disbursement", "correction"])
                         .order_by("recorded_at", "id")),
        "fund": CommunityFund.objects.filter(region_id=project.community_id).first(),
    }


def project_fund(*, actor, project: MicroProject) -> CommunityFund:
    """The fund of the project's community, which pays its tranches."""
    fund = CommunityFund.objects.filter(region_id=project.community_id).select_related("region").first()
    if fund is None:
        raise ValidationFailed("本社区尚未设立社区基金", "The community has no fund")
    return fund


def application_communities(*, actor) -> list[Region]:
    """Where the actor may apply: the community they live in first, then those of their staff scope."""
    choices = list(staff_communities(actor=actor))
    person = getattr(actor, "person", None)
    if person is not None and person.region_id:
        parts = [p for p in person.region.path.split("/") if p]
        home = Region.objects.filter(path="/" + "/".join(parts[:3]) + "/").first()
        if home is not None and home not in choices:
            choices.insert(0, home)
    return choices


# --- follow-up of resolutions (registered with deliberation in follow_up.py) -----------------------------------------
def follow_up_project(*, actor, resolution) -> MicroProject | None:
    """The micro-project that carries the resolution out (shown to everyone who reads the resolution)."""
    return MicroProject.objects.filter(resolution=resolution).order_by("pk").first()


def follow_up_candidates(*, actor, resolution) -> list[MicroProject]:
    """Projects of the resolution's community that can still carry it out."""
    return list(MicroProject.objects.filter(community_id=resolution.meeting.community_id).exclude(
        status__in=[ProjectStatus.WITHDRAWN, ProjectStatus.REJECTED, ProjectStatus.CLOSED]).order_by("-created_at")[:50])


def follow_up_choice(*, actor, resolution, pk) -> MicroProject:
    """The project chosen on the resolution's page: one of its community."""
    project = MicroProject.objects.filter(pk=pk, community_id=resolution.meeting.community_id).first() if pk else None
    if project is None:
        raise ValidationFailed("请选择以微项目或事件的方式落实", "Follow up as a micro-project or as a case",
                               field="project")
    return project


def topic_projects(*, actor, topic) -> list[MicroProject]:
    """Projects raised from the topic or carrying out one of its resolutions (applications and withdrawn ones
    aside), with their milestones."""
    return list(MicroProject.objects.filter(Q(resolution__topic=topic) | Q(topic=topic)).exclude(
        status__in=PRIVATE_STATES).prefetch_related("milestones").order_by("id"))


# --- funds -------------------------------------------------------------------------------------------------------------
def funds(*, actor):
    return CommunityFund.objects.select_related("region").order_by("region__path")


def fund_public(*, actor, community_code: str) -> CommunityFund:
    """Funds and their public ledgers can be read by anyone, without signing in."""
    fund = CommunityFund.objects.select_related("region").filter(region__code=community_code).first()
    if fund is None:
        raise NotFound()
    return fund


def fund_for_staff(*, actor, pk: int) -> CommunityFund:
    fund = CommunityFund.objects.select_related("region").filter(pk=pk).first()
    if fund is None or not scope_for(actor).covers_path(fund.region.path, *READ_ROLES):
        raise NotFound()
    return fund


def funds_for_staff(*, actor):
    return CommunityFund.objects.filter(scope_for(actor).region_q("region__path", roles=READ_ROLES)) \
        .select_related("region").order_by("region__path")


def fund_summary(*, actor, fund: CommunityFund) -> dict:
    """From rollups only: by month, by donor kind, by project."""
    months = {}
    by_donor = {"organization": Decimal(0), "person": Decimal(0)}
    for row in LedgerMonthTotal.objects.filter(fund=fund).order_by("-month"):
        m = months.setdefault(row.month, {"month": row.month, "income": Decimal(0), "spending": Decimal(0)})
        amount = Decimal(row.amount)
        if row.kind == "donation":
            m["income"] += amount
            if row.donor_kind in by_donor:
                by_donor[row.donor_kind] += amount
        else:
            m["spending"] += -amount
    by_project = list(MicroProject.objects.filter(community_id=fund.region_id, disbursed_total__gt=0)
                      .order_by("-disbursed_total", "id").values("id", "title", "approved_amount", "disbursed_total",
                                                                 "status")[:50])
    return {"fund": fund, "months": list(months.values())[:24], "by_donor": by_donor, "by_project": by_project}


def ledger_entries(*, actor, fund: CommunityFund, kind: str = ""):
    qs = LedgerEntry.objects.filter(fund=fund).select_related("donor_organization", "project")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-recorded_at", "-id")


LEDGER_ORDER = ("-recorded_at", "-id")


def ledger_page(*, actor, fund: CommunityFund, cursor: str | None = None, per_page: int = 30) -> KeysetPage:
    """A page of entries newest first, found by key (core.keyset: the last page costs what the first does); the
    total is the fund's stored entry_count, so no COUNT(*) runs over the ledger."""
    return keyset.paginate(ledger_entries(actor=actor, fund=fund), order=LEDGER_ORDER, cursor=cursor, size=per_page)


def public_entry(entry: LedgerEntry) -> dict:
    return {"id": entry.pk, "receipt_no": entry.receipt_no, "kind": entry.kind, "kind_label": entry.get_kind_display(),
            "amount": entry.amount, "balance_after": entry.balance_after, "recorded_at": entry.recorded_at,
            "donor": entry.public_donor, "purpose": entry.purpose if entry.kind != "donation" else
            (entry.intended_use or gettext("社区基金")), "project_id": entry.project_id,
            "project_title": entry.project.title if entry.project_id else ""}


def ledger_entry_for_staff(*, actor, pk: int) -> LedgerEntry:
    e = LedgerEntry.objects.select_related("fund", "fund__region").filter(pk=pk).first()
    if e is None or not is_staff_for(actor, e.fund.region):
        raise NotFound()
    return e


def reconcile_report(*, actor, fund: CommunityFund) -> dict:
    from .fund import reconcile

    if not is_staff_for(actor, fund.region):
        raise NotFound()
    return reconcile(fund)


# --- partners ----------------------------------------------------------------------------------------------------------
def partners(*, actor, community_code: str = "", q: str = ""):
    qs = Partner.objects.select_related("organization", "community").annotate(
        contribution_total=Sum("contributions__value"), contribution_count=Count("contributions"))
    if community_code:
        qs = qs.filter(community__code=community_code)
    if q:
        qs = qs.filter(organization__name__icontains=q)
    return qs.order_by("community__path", "organization__name", "id")


def partner_detail(*, actor, pk: int) -> Partner:
    p = partners(actor=actor).filter(pk=pk).first()
    if p is None:
        raise NotFound()
    return p


def partner_contributions(*, actor, partner: Partner):
    return list(Contribution.objects.filter(partner=partner).order_by("-given_on", "-id"))


# --- volunteers ----------------------------------------------------------------------------------------------------------
def volunteers(*, actor, community_code: str = "", q: str = "", talent: str = "", skill: str = ""):
    """Staff in scope only (names are personal data)."""
    qs = Volunteer.objects.filter(scope_for(actor).region_q("community__path", roles=READ_ROLES)) \
        .select_related("person", "community")
    if community_code:
        qs = qs.filter(community__code=community_code)
    if q:
        qs = qs.filter(Q(person__name__icontains=q) | Q(talent_title__icontains=q))
    if talent == "yes":
        qs = qs.filter(is_talent=True)
    if skill:
        qs = qs.filter(Q(skills__icontains=skill) | Q(talent_title__icontains=skill))
    return qs.order_by("-hours_total", "id")


def volunteer_detail(*, actor, pk: int) -> Volunteer:
    v = volunteers(actor=actor).filter(pk=pk).first()
    if v is None:
        raise NotFound()
    return v


def rank_individuals() -> bool:
    from grassroots.core.policy import setting

    return bool(setting("volunteer.rank_individuals", True))


def leaderboard(*, actor, community_code: str = "", limit: int = 20) -> dict:
    """Community totals always; individual rankings (given name + surname initial only) when the policy allows."""
    totals = list(Volunteer.objects.values("community__code", "community__name").annotate(
        hours=Sum("hours_total"), people=Count("pk")).order_by("-hours", "community__code"))
    individuals = []
    if rank_individuals():
        qs = Volunteer.objects.select_related("person", "community").filter(hours_total__gt=0)
        if community_code:
            qs = qs.filter(community__code=community_code)
        for v in qs.order_by("-hours_total", "id")[:limit]:
            individuals.append({"name": public_name(v.person.name), "community": v.community.name,
                                "hours": v.hours_total, "talent": v.talent_title if v.is_talent else ""})
    return {"communities": totals, "individuals": individuals, "ranked": rank_individuals()}


def public_name(name: str) -> str:
    """张三丰 → 张**: the surname only, for public lists."""
    return (name[:1] + "*" * max(len(name) - 1, 1)) if name else ""


def communities(*, actor):
    return Region.objects.filter(level__in=[Level.COMMUNITY, Level.VILLAGE]).order_by("path")


def staff_communities(*, actor):
    return Region.objects.filter(scope_for(actor).region_q("path", roles=STAFF_ROLES),
                                 level__in=[Level.COMMUNITY, Level.VILLAGE]).order_by("path")
