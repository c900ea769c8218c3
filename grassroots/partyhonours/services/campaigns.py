"""两优一先 writers (docs/rules/honours.md § 两优一先): a campaign with quotas handed down the party tree, nominations
with their conditions checked, the review above, the public notice with objections (``notices``), the award kept
as history and worth points (``partylife``). Each write is one transaction with an Event; nomination moves
compare-and-set along ``states.NOMINATION_TRANSITIONS``."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from grassroots.core import clock, events
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed
from grassroots.core.scope import PATH_END
from grassroots.core.transitions import compare_and_set
from grassroots.party.models import Membership, MembershipStatus, PartyOrg

from .. import permissions
from ..models import Campaign, Honour, Nomination, Quota
from ..states import (
    LIVE_NOMINATIONS,
    NOMINATION_LABELS,
    NOMINATION_TRANSITIONS,
    PERSON_TITLES,
    CampaignStatus,
    HonourTitle,
)

NOTICE_KIND = "honour_nominee"
AWARD_POINTS = {HonourTitle.OUTSTANDING_MEMBER: 10, HonourTitle.OUTSTANDING_WORKER: 10}  # [R] points of an award


def _text(value, field: str, zh: str, en: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(zh, en, field=field)
    if len(value) > max_length:
        raise ValidationFailed(f"不能超过 {max_length} 字", f"At most {max_length} characters", field=field)
    return value


def _title(title: str) -> str:
    if title not in HonourTitle.values:
        raise ValidationFailed("表彰类别无效", "Invalid title", field="title")
    return title


def _quota_value(value) -> int:
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed("名额须为整数", "A quota is a whole number", field="quota") from None
    if not 0 <= value <= 999:
        raise ValidationFailed("名额须在 0 到 999 之间", "A quota is 0 to 999", field="quota")
    return value


def campaign_create(*, actor, org: PartyOrg, year: int, name: str, nominate_until: dt.date,
                    quotas: dict) -> Campaign:
    """A campaign of ``org`` (a committee) for ``year`` with its own quota per title (``{title: n}``)."""
    if not permissions.can_run_campaign(actor, org):
        raise NotPermitted("只有本党委的干部或区域党建工作人员可以组织评选", "Only the committee's officers may run a campaign")
    name = _text(name, "name", "请填写评选名称", "The name is required", 100)
    if not isinstance(nominate_until, dt.date) or nominate_until < clock.today():
        raise ValidationFailed("推荐截止日期不能早于今天", "The nomination deadline cannot be in the past",
                               field="nominate_until")
    clean = {_title(t): _quota_value(n) for t, n in (quotas or {}).items()}
    if not any(clean.values()):
        raise ValidationFailed("请至少为一个表彰类别设置名额", "Give at least one title a quota", field="quota")
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(org=org, org_path=org.path, year=int(year), name=name,
                                               nominate_until=nominate_until,
                                               created_by=actor if getattr(actor, "is_authenticated", False) else None)
            Quota.objects.bulk_create([Quota(campaign=campaign, org=org, org_path=org.path, title=t, quota=n)
                                       for t, n in clean.items() if n])
            events.record(actor, "campaign.create", campaign, to_state=campaign.status,
                          payload={"org": org.pk, "year": campaign.year, "quotas": clean})
    except IntegrityError:
        raise ValidationFailed("该党组织本年度已有同名评选", "A campaign of that name exists this year", field="name") from None
    return campaign


def _holder(campaign: Campaign, org_path: str, title: str, *, strictly_above: bool) -> Quota | None:
    """The nearest organisation on the path (itself or above; strictly above with ``strictly_above``) that holds a
    quota for the title."""
    rows = [q for q in Quota.objects.filter(campaign=campaign, title=title)
            if org_path.startswith(q.org_path) and (q.org_path != org_path or not strictly_above)]
    return max(rows, key=lambda q: len(q.org_path)) if rows else None


def _handed_down(campaign: Campaign, holder: Quota, *, leave_out: int | None = None) -> int:
    """The quotas the holder has handed down: rows below it whose nearest holder above is this one."""
    total = 0
    for q in Quota.objects.filter(campaign=campaign, title=holder.title, org_path__gt=holder.org_path,
                                  org_path__lt=holder.org_path + PATH_END).exclude(pk=leave_out):
        if _holder(campaign, q.org_path, holder.title, strictly_above=True).pk == holder.pk:
            total += q.quota
    return total


def quota_set(*, actor, campaign: Campaign, org: PartyOrg, title: str, quota) -> Quota:
    """Hand a quota down to ``org`` (below a holder of the title's quota). The quotas a holder hands down add up
    to at most its own; a quota never drops below the nominations already made against it."""
    title, quota = _title(title), _quota_value(quota)
    if campaign.status != CampaignStatus.OPEN:
        raise Conflict("评选已结束", "The campaign is closed", code="state_conflict",
                       details={"current_state": campaign.status})
    if not permissions.can_hand_down(actor, org):
        raise NotPermitted("名额由上级党组织分配", "A quota is handed down by an organisation above")
    with transaction.atomic():
        Campaign.objects.select_for_update().get(pk=campaign.pk)  # one quota change at a time per campaign
        holder = _holder(campaign, org.path, title, strictly_above=True)
        if holder is None:
            raise ValidationFailed("上级党组织没有该类别的名额", "No organisation above holds a quota for this title",
                                   field="org")
        existing = Quota.objects.filter(campaign=campaign, org=org, title=title).first()
        left = holder.quota - _handed_down(campaign, holder, leave_out=existing.pk if existing else None)
        if quota > left:
            raise ValidationFailed(f"{holder.org.name}可分配的名额只剩 {left} 个", f"Only {left} left to hand down",
                                   field="quota", code="quota_exceeded")
        used = _used(campaign, org.path, title)
        if quota < used:
            raise ValidationFailed(f"已推荐 {used} 名，名额不能少于已推荐数", f"{used} already nominated",
                                   field="quota", code="quota_below_used")
        row, _ = Quota.objects.update_or_create(campaign=campaign, org=org, title=title,
                                                defaults={"org_path": org.path, "quota": quota})
        events.record(actor, "quota.set", row, payload={"campaign": campaign.pk, "org": org.pk, "title": title,
                                                        "quota": quota})
    return row


def _used(campaign: Campaign, org_path: str, title: str) -> int:
    return Nomination.objects.filter(campaign=campaign, title=title, org_path=org_path,
                                     status__in=LIVE_NOMINATIONS).count()


def _check_person(campaign: Campaign, title: str, org: PartyOrg, person) -> dict:
    """The conditions of a person's title, each checked and recorded (docs/rules/honours.md)."""
    from grassroots.partylife.selectors import review_grade

    membership = Membership.objects.filter(person=person, active=True, org__path__gte=org.path,
                                           org__path__lt=org.path + PATH_END).first()
    if membership is None:
        raise ValidationFailed("推荐对象须是本组织的党员", "The nominee must be a member of this organisation",
                               field="person")
    if membership.status != MembershipStatus.FULL:
        raise ValidationFailed("预备党员不能推荐为优秀共产党员或优秀党务工作者", "A probationary member cannot be nominated",
                               field="person", code="not_full_member")
    if getattr(person, "deceased_on", None):
        raise ValidationFailed("推荐对象已去世", "The nominee has died", field="person")
    checks = {"full_member": True}
    review_year = campaign.year - 1
    grade = review_grade(person.pk, campaign.year) or review_grade(person.pk, review_year)
    if title == HonourTitle.OUTSTANDING_MEMBER:
        if grade != "excellent":
            raise ValidationFailed(f"推荐对象最近一次民主评议须为“优秀”（{review_year}–{campaign.year}年无“优秀”记录）",
                                   "The nominee's latest 民主评议 grade must be excellent", field="person",
                                   code="review_not_excellent")
        checks["review_grade"] = grade
    if title == HonourTitle.OUTSTANDING_WORKER:
        from grassroots.core import roles as R
        from grassroots.core.scope import active_posts_q
        from grassroots.people.models import Post

        holds = Post.objects.filter(active_posts_q(clock.today()), user__person=person,
                                    role__in=[R.Role.PARTY_BRANCH_SECRETARY, R.Role.PARTY_AFFAIRS_WORKER,
                                              R.Role.PARTY_COMMITTEE_OFFICER]).exists()
        if not holds:
            raise ValidationFailed("优秀党务工作者须是在任的书记、党务工作者或党委委员",
                                   "The nominee must hold a party post", field="person", code="no_party_post")
        checks["party_post"] = True
        checks["review_grade"] = grade
    return checks


def _check_org(campaign: Campaign, org: PartyOrg, nominee: PartyOrg) -> dict:
    """先进基层党组织: the organisation itself or one under it, active, existing the whole previous year."""
    nominee = PartyOrg.objects.get(pk=nominee.pk)
    if not nominee.path.startswith(org.path) or not nominee.active:
        raise ValidationFailed("推荐组织须是本组织或下属的党组织", "The nominee must be this organisation or one under it",
                               field="nominee_org")
    began = nominee.founded_on or nominee.created_at.date()
    if began > dt.date(campaign.year - 1, 1, 1):
        raise ValidationFailed("先进基层党组织须成立满一年", "An advanced organisation must have existed a full year",
                               field="nominee_org", code="too_new")
    return {"existed_since": began.isoformat()}


def nomination_create(*, actor, campaign: Campaign, title: str, org: PartyOrg, reasons: str, person=None,
                      nominee_org: PartyOrg | None = None) -> Nomination:
    """A branch (or any organisation holding a quota) puts a person or an organisation forward, within its quota,
    by the deadline, with its reasons; the conditions are checked and recorded."""
    title = _title(title)
    if not permissions.can_nominate(actor, org):
        raise NotPermitted("只有本组织的书记或党务工作者可以推荐", "Only the organisation's secretary may nominate")
    if campaign.status != CampaignStatus.OPEN or clock.today() > campaign.nominate_until:
        raise Conflict("推荐已截止", "Nominations are closed", code="nominations_closed",
                       details={"current_state": campaign.status})
    reasons = _text(reasons, "reasons", "请填写推荐理由（主要事迹）", "Give the reasons", 3000)
    if title in PERSON_TITLES:
        if person is None or nominee_org is not None:
            raise ValidationFailed("请选择推荐的党员", "Choose the member", field="person")
        checks = _check_person(campaign, title, org, person)
    else:
        if nominee_org is None or person is not None:
            raise ValidationFailed("请选择推荐的党组织", "Choose the organisation", field="nominee_org")
        checks = _check_org(campaign, org, nominee_org)
    try:
        with transaction.atomic():
            quota = Quota.objects.select_for_update().filter(campaign=campaign, org=org, title=title).first()
            if quota is None or _used(campaign, org.path, title) >= quota.quota:
                raise ValidationFailed("本组织该类别的推荐名额已用完", "No quota left for this title",
                                       field="title", code="quota_used")
            row = Nomination.objects.create(
                campaign=campaign, title=title, org=org, org_path=org.path, person=person, nominee_org=nominee_org,
                reasons=reasons, checks=checks,
                nominated_by=actor if getattr(actor, "is_authenticated", False) else None)
            events.record(actor, "nomination.create", row, to_state=row.status,
                          payload={"campaign": campaign.pk, "title": title, "checks": checks})
    except IntegrityError:
        raise ValidationFailed("已推荐过该对象", "Already nominated", field="person") from None
    return row


def _move(actor, nomination: Nomination, verb: str, **fields) -> None:
    move = NOMINATION_TRANSITIONS[verb]
    compare_and_set(Nomination, nomination.pk, from_states=move.sources, to_state=move.target,
                    labels=NOMINATION_LABELS, updated_at=clock.now(), **fields)
    events.record(actor, verb, nomination, from_state=nomination.status, to_state=move.target,
                  payload={k: v for k, v in fields.items() if isinstance(v, str)})


def nomination_review(*, actor, nomination: Nomination, approve: bool, note: str = "") -> Nomination:
    if not permissions.can_review(actor, nomination):
        raise NotPermitted("由上级党组织审核，推荐人不能审核自己的推荐", "Reviewed above the nominating organisation")
    note = (note or "").strip()[:300]
    if not approve and not note:
        raise ValidationFailed("不通过须写明原因", "Give the reason", field="note")
    with transaction.atomic():
        _move(actor, nomination, "nomination.approve" if approve else "nomination.reject", review_note=note,
              reviewed_by=actor if getattr(actor, "is_authenticated", False) else None)
    nomination.refresh_from_db()
    return nomination


def _subject_line(nomination: Nomination) -> str:
    who = nomination.person.name if nomination.person_id else nomination.nominee_org.name
    return f"{nomination.get_title_display()}：{who}（{nomination.org.name}推荐）"


def nomination_notice(*, actor, nomination: Nomination, working_days: int | None = None) -> Nomination:
    """The committee running the campaign publishes an approved nomination (公示, with objections)."""
    from grassroots.notices import services as notices

    if not permissions.can_run_campaign(actor, nomination.campaign.org):
        raise NotPermitted("公示由组织评选的党委发布", "The campaign's committee publishes the notice")
    with transaction.atomic():
        _move(actor, nomination, "nomination.notice")
        notices.notice_publish(actor=actor, kind=NOTICE_KIND, subject=nomination,
                               title=f"{nomination.campaign.name}拟表彰对象公示"[:100],
                               body=f"{_subject_line(nomination)}\n推荐理由：{nomination.reasons}",
                               working_days=working_days)
    nomination.refresh_from_db()
    return nomination


def nomination_award(*, actor, nomination: Nomination, on: dt.date | None = None) -> Honour:
    """The award, after the notice period with every objection answered: kept as the person's or organisation's
    honour; a member's award is worth points (partylife's ledger, once per honour)."""
    from grassroots.notices import services as notices

    if not permissions.can_run_campaign(actor, nomination.campaign.org):
        raise NotPermitted("表彰由组织评选的党委决定", "The campaign's committee awards")
    notices.require_cleared(nomination, NOTICE_KIND, what="表彰")
    on = on or clock.today()
    with transaction.atomic():
        _move(actor, nomination, "nomination.award")
        honour = Honour.objects.create(title=nomination.title, year=nomination.campaign.year,
                                       person=nomination.person, org=nomination.nominee_org,
                                       awarded_by=nomination.campaign.org, awarded_on=on, nomination=nomination)
        events.record(actor, "honour.create", honour, payload={"title": nomination.title, "year": honour.year})
        points = AWARD_POINTS.get(nomination.title)
        if points and nomination.person_id:
            from grassroots.partylife.services import points_award

            membership = Membership.objects.filter(person_id=nomination.person_id, active=True).first()
            if membership is not None:
                points_award(actor=None, person=nomination.person, org=membership.org, points=points,
                             reason=f"{honour.year}年{nomination.get_title_display()}", source_object=honour)
    return honour


def nomination_withdraw(*, actor, nomination: Nomination, reason: str) -> Nomination:
    if not permissions.can_nominate(actor, nomination.org):
        raise NotPermitted("只有推荐组织可以撤回", "Only the nominating organisation may withdraw")
    reason = _text(reason, "reason", "请填写撤回原因", "Give the reason", 300)
    with transaction.atomic():
        _move(actor, nomination, "nomination.withdraw", review_note=reason)
    nomination.refresh_from_db()
    return nomination


def campaign_close(*, actor, campaign: Campaign) -> Campaign:
    if not permissions.can_run_campaign(actor, campaign.org):
        raise NotPermitted("只有组织评选的党委可以结束评选", "Only the campaign's committee may close it")
    with transaction.atomic():
        if not Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.OPEN).update(
                status=CampaignStatus.CLOSED, updated_at=clock.now()):
            raise Conflict("评选已结束", "The campaign is already closed", code="state_conflict")
        events.record(actor, "campaign.close", campaign, from_state=CampaignStatus.OPEN, to_state=CampaignStatus.CLOSED)
    campaign.refresh_from_db()
    return campaign

