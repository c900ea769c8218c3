"""Readers of honours; every one takes the actor. The year's medal list is read from the register the actor sees
(``party.selectors.member_list``): outside one's scope a member or an award looks missing."""

from __future__ import annotations

from django.db.models import OuterRef, Q, QuerySet, Subquery

from grassroots.core.errors import NotFound
from grassroots.core.scope import PATH_END
from grassroots.party import selectors as party_selectors
from grassroots.party.models import Membership, MembershipStatus

from . import rules
from .models import MedalAward
from .states import MedalStatus

PENDING = "pending"  # on the list, no award yet
STATUS_FILTERS = (PENDING, *[c for c, _ in MedalStatus.choices if c != MedalStatus.WITHDRAWN])


def _live_award(field: str, year: int | None = None):
    qs = MedalAward.objects.filter(person_id=OuterRef("person_id")).exclude(status=MedalStatus.WITHDRAWN)
    if year is not None:
        qs = qs.filter(year=year)
    return Subquery(qs.order_by("-year").values(field)[:1])


def _members(actor, org=None, q: str = "", include_ended: bool = False) -> QuerySet:
    """The register the actor sees (``None``: the system sees all of it)."""
    if actor is not None:
        return party_selectors.member_list(actor=actor, org=org, q=q, include_ended=include_ended)
    qs = Membership.objects.select_related("person", "org")
    if not include_ended:
        qs = qs.filter(active=True)
    if org is not None:
        qs = qs.filter(org__path__gte=org.path, org__path__lt=org.path + PATH_END)
    if q:
        qs = qs.filter(person__name__icontains=q.strip())
    return qs


def medal_list(*, actor, year: int, org=None, status: str = "", q: str = "") -> QuerySet:
    """The year's 光荣在党50年 list as memberships the actor sees: active full members, alive, whose full-member date
    gives fifty full years by 1 July of ``year``, without a medal of an earlier year. Each row carries its award of
    this year, if any (``award_id``, ``award_status``)."""
    qs = (_members(actor, org, q)
          .filter(status=MembershipStatus.FULL, full_member_date__lte=rules.latest_full_member_date(year),
                  person__deceased_on__isnull=True)
          .annotate(award_id=_live_award("pk", year), award_status=_live_award("status", year),
                    earlier=_live_award("year"))
          .filter(Q(earlier__isnull=True) | Q(earlier__gte=year)))
    if status == PENDING:
        qs = qs.filter(award_id__isnull=True)
    elif status in STATUS_FILTERS:
        qs = qs.filter(award_status=status)
    return qs.order_by("org__path", "full_member_date", "pk")


def medal_counts(*, actor, year: int) -> dict:
    """How many of the year's list wait for each step (one aggregate query)."""
    from django.db.models import Count

    return medal_list(actor=actor, year=year).aggregate(
        pending=Count("pk", filter=Q(award_id__isnull=True)),
        confirmed=Count("pk", filter=Q(award_status=MedalStatus.CONFIRMED)),
        approved=Count("pk", filter=Q(award_status=MedalStatus.APPROVED)),
        issued=Count("pk", filter=Q(award_status=MedalStatus.ISSUED)))


def membership_for_medal(*, actor, pk: int) -> Membership:
    return party_selectors.member_detail(actor=actor, pk=pk)


def awards(*, actor) -> QuerySet:
    seen = _members(actor, include_ended=True).values("pk")
    return MedalAward.objects.filter(membership__in=seen).select_related("person", "org")


def award_detail(*, actor, pk: int) -> MedalAward:
    award = awards(actor=actor).filter(pk=pk).first()
    if award is None:
        raise NotFound("纪念章记录不存在", "Medal award not found")
    return award


def person_awards(*, actor, person_id: int) -> QuerySet:
    return awards(actor=actor).filter(person_id=person_id).exclude(status=MedalStatus.WITHDRAWN)


# --- 两优一先 -------------------------------------------------------------------------------------------------------
def _staff_q(actor, field: str = "org"):
    return Q(**{f"{field}__in": party_selectors.staff_org_ids(actor)})


def campaigns(*, actor):
    """Campaigns the actor sees: those of committees they see as party staff, and those above an organisation
    they see (a branch sees the campaign it nominates in)."""
    from .models import Campaign, Quota

    if actor is None:
        return Campaign.objects.all().select_related("org")
    in_reach = Quota.objects.filter(_staff_q(actor)).values("campaign_id")
    return Campaign.objects.filter(_staff_q(actor) | Q(pk__in=in_reach)).select_related("org").order_by(
        "-year", "org_path", "-pk")


def campaign_detail(*, actor, pk: int):
    row = campaigns(actor=actor).filter(pk=pk).first()
    if row is None:
        raise NotFound("评选不存在", "Campaign not found")
    return row


def quotas(*, actor, campaign):
    """The campaign's quotas of organisations the actor sees (all of them for the committee running it)."""
    from . import permissions
    from .models import Quota

    qs = Quota.objects.filter(campaign=campaign).select_related("org")
    if actor is not None and not permissions.can_run_campaign(actor, campaign.org):
        qs = qs.filter(_staff_q(actor))
    return qs.order_by("org_path", "title")


def nominations(*, actor, campaign=None, status: str = ""):
    """Nominations of organisations the actor sees (the committee running a campaign sees all of its own)."""
    from . import permissions
    from .models import Nomination

    qs = Nomination.objects.select_related("campaign__org", "org", "person", "nominee_org")
    if actor is not None:
        running = [c.pk for c in campaigns(actor=actor) if permissions.can_run_campaign(actor, c.org)]
        qs = qs.filter(_staff_q(actor) | Q(campaign_id__in=running))
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("title", "org_path", "pk")


def nomination_detail(*, actor, pk: int):
    row = nominations(actor=actor).filter(pk=pk).first()
    if row is None:
        raise NotFound("推荐不存在", "Nomination not found")
    return row


def to_review(*, actor):
    """Nominations waiting for the actor's review (above the nominating organisation, not their own)."""
    from . import permissions

    ids = [n.pk for n in nominations(actor=actor, status="nominated")[:500] if permissions.can_review(actor, n)]
    return nominations(actor=actor).filter(pk__in=ids)


def person_honours(*, person_id: int):
    from .models import Honour

    return Honour.objects.filter(person_id=person_id).select_related("awarded_by").order_by("-awarded_on")


def org_honours(*, org_id: int):
    from .models import Honour

    return Honour.objects.filter(org_id=org_id).select_related("awarded_by").order_by("-awarded_on")


def _honour_rows(rows, medals=()) -> list[str]:
    out = [f"{h.year} · {h.get_title_display()} · {h.awarded_by.name}" for h in rows]
    out += [f"{m.year} · {m._meta.verbose_name}" for m in medals]
    return out


def member_honours_panel(actor, membership):
    """The member page's honours (the party page shows it; the membership came from its selector)."""
    from django.utils.translation import gettext as _

    from grassroots.party.panels import Panel

    medals = person_awards(actor=actor, person_id=membership.person_id).filter(status=MedalStatus.ISSUED) \
        if actor is not None else []
    return Panel(title=_("荣誉"), rows=_honour_rows(person_honours(person_id=membership.person_id), medals),
                 empty=_("暂无荣誉记录"))


def org_honours_panel(actor, org):
    from django.utils.translation import gettext as _

    from grassroots.party.panels import Panel

    return Panel(title=_("荣誉"), rows=_honour_rows(org_honours(org_id=org.pk)), empty=_("暂无荣誉记录"))


def campaign_orgs(*, actor):
    """Committees the actor may run a campaign for (choices of the new-campaign form)."""
    from grassroots.party.models import PartyOrg

    from . import permissions

    seen = PartyOrg.objects.filter(_staff_q(actor, "pk") if actor is not None else Q(), active=True).exclude(
        kind__in=["grid_branch", "org_branch", "joint_branch", "building_group"]).order_by("path")[:300]
    return [o for o in seen if permissions.can_run_campaign(actor, o)]


def campaign_org(*, actor, pk):
    org = next((o for o in campaign_orgs(actor=actor) if str(o.pk) == str(pk)), None)
    if org is None:
        raise NotFound()
    return org


def hand_down_orgs(*, actor, campaign) -> list:
    """Organisations under the campaign's committee the actor may give a quota to (someone above them)."""
    from grassroots.party.models import PartyOrg

    from . import permissions

    rows = PartyOrg.objects.filter(_staff_q(actor, "pk"), active=True, path__gt=campaign.org_path,
                                   path__lt=campaign.org_path + PATH_END).exclude(kind="building_group") \
        .order_by("path")[:300]
    return [o for o in rows if permissions.can_hand_down(actor, o)]


def hand_down_org(*, actor, campaign, pk):
    org = next((o for o in hand_down_orgs(actor=actor, campaign=campaign) if str(o.pk) == str(pk)), None)
    if org is None:
        raise NotFound()
    return org


def quota_for_nominating(*, actor, campaign, pk):
    """A quota of the campaign held by an organisation the actor nominates for."""
    from . import permissions

    row = quotas(actor=actor, campaign=campaign).filter(pk=pk).first() if str(pk).isdigit() else None
    if row is None or not permissions.can_nominate(actor, row.org):
        raise NotFound()
    return row


def nominable_members(*, actor, campaign):
    """Active members in the actor's sight under the campaign's committee (choices of the nomination form)."""
    return _members(actor).filter(org__path__gte=campaign.org_path,
                                  org__path__lt=campaign.org_path + PATH_END).select_related("person", "org")


def nominable_person(*, actor, campaign, pk):
    m = nominable_members(actor=actor, campaign=campaign).filter(person_id=pk).first() if str(pk).isdigit() else None
    if m is None:
        raise NotFound()
    return m.person


def nomination_notices(*, nominations) -> dict:
    """{nomination id: its latest notice} for nominations the caller already read through ``nominations``."""
    from django.contrib.contenttypes.models import ContentType

    from grassroots.notices.models import Notice

    from .models import Nomination

    ct = ContentType.objects.get_for_model(Nomination)
    ids = [n.pk for n in nominations]
    out = {}
    for notice in Notice.objects.filter(subject_type=ct, subject_id__in=ids).order_by("starts_at", "pk"):
        out[notice.subject_id] = notice
    return out
