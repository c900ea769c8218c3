"""The only writers of party data. Each function runs in one transaction, checks permissions and records an event.

Bulk generators (demo) that skip these functions must keep the same invariants: build ``path`` with
``org_path(parent, serial)`` and ``code`` with ``org_code(path)``, give serials 1, 2, … under each parent, mirror the
region tree for territorial kinds (parent org's region == region.parent), keep at most one active membership and one
active report-in per person, and set ``full_member_date`` for full members.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max

from grassroots.core import clock, events
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed
from grassroots.core.transitions import compare_and_set
from grassroots.territory.models import Level

from . import permissions
from .models import (
    PATH_SERIAL_WIDTH,
    TERRITORIAL_KINDS,
    TERRITORIAL_LEVELS,
    Liaison,
    Membership,
    MembershipStatus,
    OrgKind,
    OrgReportIn,
    PartyOrg,
    ReportIn,
    ReportInStatus,
    ServicePost,
    ServicePostClaim,
    ServiceRecord,
)

COMMUNITY_LEVELS = {Level.COMMUNITY, Level.VILLAGE}
MAX_LIST_ITEMS = 50
MAX_ITEM_LENGTH = 200


# ----------------------------------------------------------------------------------------------- paths and codes

def org_path(parent: PartyOrg | None, serial: int) -> str:
    """Materialized path of the ``serial``-th organisation under ``parent`` (a root when parent is None)."""
    if serial < 1 or serial >= 10 ** PATH_SERIAL_WIDTH:
        raise ValidationFailed("该上级党组织下的编号已用尽", "No serials left under this party organisation",
                               field="parent")
    segment = str(serial).zfill(PATH_SERIAL_WIDTH)
    return f"{parent.path if parent else '/'}{segment}/"


def org_code(path: str) -> str:
    """Default 党组织编码 derived from the path (unique because paths are)."""
    return "D" + path.replace("/", "")


def _next_serial(parent: PartyOrg | None) -> int:
    qs = PartyOrg.objects.filter(parent=parent) if parent else PartyOrg.objects.filter(parent__isnull=True)
    return (qs.aggregate(m=Max("serial"))["m"] or 0) + 1


def _deny():
    raise NotPermitted("您无权管理该党组织", "You may not manage this party organisation")


# ----------------------------------------------------------------------------------------------- organisations

def party_org_create(*, actor, kind: str, name: str, parent: PartyOrg | None = None, region=None,
                     organization=None, linked_organizations=(), secretary=None, founded_on: dt.date | None = None,
                     term_end: dt.date | None = None, code: str = "") -> PartyOrg:
    """Create a party organisation. Territorial kinds mirror the territory: the region has the kind's level and the
    parent is the organisation of the parent region."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("名称不能为空", "Name is required", field="name")
    if kind not in OrgKind.values:
        raise ValidationFailed("党组织类型无效", "Unknown party organisation kind", field="kind")
    kind_label = OrgKind(kind).label
    linked_organizations = list(linked_organizations or [])
    if kind == OrgKind.ZONE_WORKING_COMMITTEE:
        if parent is not None:
            raise ValidationFailed("党工委是最高层级，不能有上级党组织", "A zone working committee has no parent",
                                   field="parent")
    elif parent is None:
        raise ValidationFailed("请选择上级党组织", "A parent party organisation is required", field="parent")
    if parent is not None:
        if not parent.active:
            raise ValidationFailed("上级党组织已撤销", "The parent party organisation is dissolved", field="parent")
        if parent.kind == OrgKind.BUILDING_GROUP:
            raise ValidationFailed("楼栋党小组之下不能再设党组织", "A building party group has no sub-organisations",
                                   field="parent")
    if kind in TERRITORIAL_KINDS:
        levels = TERRITORIAL_LEVELS[kind]
        if region is None or region.level not in levels:
            raise ValidationFailed(f"「{kind_label}」必须对应一个{'/'.join(sorted(_level_labels(levels)))}",
                                   f"A {kind} must mirror a region of level {'/'.join(sorted(levels))}",
                                   field="region")
        if not region.active:
            raise ValidationFailed("该区域已撤销", "The region is retired", field="region")
        if parent is not None and (parent.kind not in TERRITORIAL_KINDS or parent.region_id != region.parent_id):
            raise ValidationFailed(
                f"「{kind_label}」的上级必须是「{region.parent.name if region.parent else ''}」的党组织",
                "The parent must be the party organisation of the parent region", field="parent")
        if PartyOrg.objects.filter(region=region, kind__in=sorted(TERRITORIAL_KINDS), active=True).exists():
            raise ValidationFailed(f"「{region.name}」已有党组织", f"{region.name} already has a party organisation",
                                   field="region")
    else:
        if kind in {OrgKind.ORG_BRANCH, OrgKind.GENERAL_BRANCH, OrgKind.ORG_COMMITTEE} and organization is None:
            raise ValidationFailed(f"「{kind_label}」需要所在单位", f"A {kind} needs its organisation",
                                   field="organization")
        if kind in {OrgKind.INDUSTRY_CHAIN_COMMITTEE, OrgKind.JOINT_BRANCH} and not (
                organization or linked_organizations):
            raise ValidationFailed(f"「{kind_label}」至少需要联系一家企业", f"A {kind} links at least one enterprise",
                                   field="linked_organizations")
        if region is None and organization is not None:
            region = organization.region
    if term_end and founded_on and term_end <= founded_on:
        raise ValidationFailed("任期届满日期应晚于成立日期", "The term end must be after the founding date",
                               field="term_end")
    code = (code or "").strip()
    if code and PartyOrg.objects.filter(code=code).exists():
        raise ValidationFailed(f"党组织编码「{code}」已存在", f"Party organisation code {code} already exists",
                               field="code")
    # Permission: the parent's managers create children; a root needs a zone-level post.
    if parent is not None:
        if not permissions.can_manage_org(actor, parent):
            _deny()
    elif not (permissions.is_zone_level(actor, permissions.PARTY_STAFF_ROLES)
              or permissions.can_manage_region(actor, region)):
        _deny()
    with transaction.atomic():
        serial = _next_serial(parent)
        path = org_path(parent, serial)
        org = PartyOrg.objects.create(
            code=code or org_code(path), name=name, kind=kind, parent=parent, serial=serial, path=path,
            region=region, organization=organization, secretary=secretary, founded_on=founded_on,
            term_end=term_end)
        if linked_organizations:
            org.linked_organizations.set(linked_organizations)
        events.record(actor, "party_org.create", org, payload={
            "code": org.code, "name": name, "kind": kind, "parent": parent.pk if parent else None,
            "region": region.pk if region else None, "organization": organization.pk if organization else None,
            "linked_organizations": [o.pk for o in linked_organizations]})
    return org


def _level_labels(levels) -> list[str]:
    return [str(Level(level).label) for level in levels]


# ----------------------------------------------------------------------------------------------- memberships

def _check_dates(*, status: str, admission_date, full_member_date, today) -> None:
    if status not in MembershipStatus.values:
        raise ValidationFailed("党员状态应为预备党员或正式党员", "Status must be probationary or full", field="status")
    if admission_date is None:
        raise ValidationFailed("请填写入党日期", "The admission date is required", field="admission_date")
    if admission_date > today:
        raise ValidationFailed("入党日期不能晚于今天", "The admission date cannot be in the future",
                               field="admission_date")
    if status == MembershipStatus.FULL and full_member_date is None:
        raise ValidationFailed("正式党员需要填写转正日期", "A full member needs a full-membership date",
                               field="full_member_date")
    if status == MembershipStatus.PROBATIONARY and full_member_date is not None:
        raise ValidationFailed("预备党员不应有转正日期", "A probationary member has no full-membership date",
                               field="full_member_date")
    if full_member_date is not None:
        if full_member_date < admission_date:
            raise ValidationFailed("转正日期不能早于入党日期", "The full-membership date cannot precede admission",
                                   field="full_member_date")
        if full_member_date > today:
            raise ValidationFailed("转正日期不能晚于今天", "The full-membership date cannot be in the future",
                                   field="full_member_date")


def membership_validate(*, person, org: PartyOrg, status: str, admission_date, full_member_date=None,
                        in_service: bool = False, employer=None) -> None:
    """All checks of ``membership_add`` that need no actor (the roster import validates every row with it)."""
    _check_dates(status=status, admission_date=admission_date, full_member_date=full_member_date,
                 today=clock.today())
    if not org.active:
        raise ValidationFailed("该党组织已撤销", "The party organisation is dissolved", field="org")
    if org.kind in {OrgKind.ZONE_WORKING_COMMITTEE, OrgKind.SUBDISTRICT_WORKING_COMMITTEE}:
        raise ValidationFailed("党员应编入基层党组织，而不是党工委", "Members belong to a grassroots organisation",
                               field="org")
    if Membership.objects.filter(person=person, active=True).exists():
        raise ValidationFailed(f"「{person.name}」已有党组织关系，请使用组织关系转接",
                               f"{person.name} already has an active membership; transfer it instead",
                               field="person", code="already_member")
    if employer is not None and not in_service:
        raise ValidationFailed("只有在职党员需要填写工作单位", "Only in-service members have an employer",
                               field="employer")


def membership_add(*, actor, person, org: PartyOrg, status: str, admission_date: dt.date,
                   full_member_date: dt.date | None = None, start_date: dt.date | None = None,
                   in_service: bool = False, employer=None) -> Membership:
    membership_validate(person=person, org=org, status=status, admission_date=admission_date,
                        full_member_date=full_member_date, in_service=in_service, employer=employer)
    if not permissions.can_manage_org(actor, org):
        _deny()
    with transaction.atomic():
        membership = Membership.objects.create(
            person=person, org=org, status=status, admission_date=admission_date,
            full_member_date=full_member_date, start_date=start_date or clock.today(), in_service=in_service,
            employer=employer)
        events.record(actor, "membership.add", membership, to_state=status, payload={
            "person": person.pk, "org": org.pk, "in_service": in_service,
            "employer": employer.pk if employer else None})
    return membership


def membership_transfer(*, actor, membership: Membership, to_org: PartyOrg, on: dt.date | None = None,
                        in_service: bool | None = None, employer=...) -> Membership:
    """组织关系转接: end this membership and start one in ``to_org`` with the same status and dates."""
    on = on or clock.today()
    if not membership.active:
        raise Conflict("该组织关系已结束", "This membership has already ended", code="membership_ended")
    if to_org.pk == membership.org_id:
        raise ValidationFailed("转入党组织与当前党组织相同", "The member already belongs to this organisation",
                               field="to_org")
    if not to_org.active:
        raise ValidationFailed("转入的党组织已撤销", "The receiving organisation is dissolved", field="to_org")
    if to_org.kind in {OrgKind.ZONE_WORKING_COMMITTEE, OrgKind.SUBDISTRICT_WORKING_COMMITTEE}:
        raise ValidationFailed("党员应编入基层党组织，而不是党工委", "Members belong to a grassroots organisation",
                               field="to_org")
    if on < membership.start_date or on > clock.today():
        raise ValidationFailed("转接日期无效", "Invalid transfer date", field="on")
    if not (permissions.can_manage_org(actor, membership.org) or permissions.can_manage_org(actor, to_org)):
        _deny()
    in_service = membership.in_service if in_service is None else in_service
    employer = membership.employer if employer is ... else employer
    with transaction.atomic():
        compare_and_set(Membership, membership.pk, from_states=[True], to_state=False, status_field="active",
                        end_date=on, end_reason=Membership.EndReason.TRANSFER)
        new = Membership.objects.create(
            person_id=membership.person_id, org=to_org, status=membership.status,
            admission_date=membership.admission_date, full_member_date=membership.full_member_date,
            start_date=on, in_service=in_service, employer=employer if in_service else None,
            transferred_from=membership)
        ReportIn.objects.filter(membership=membership, status=ReportInStatus.ACTIVE).update(membership=new)
        events.record(actor, "membership.transfer", new, payload={
            "from_membership": membership.pk, "from_org": membership.org_id, "to_org": to_org.pk,
            "on": on.isoformat()})
    membership.refresh_from_db()
    return new


def membership_promote(*, actor, membership: Membership, full_member_date: dt.date) -> Membership:
    """预备党员转正: probationary → full, from ``full_member_date`` (党龄 counts from it)."""
    if membership.status != MembershipStatus.PROBATIONARY:
        raise Conflict("只有预备党员可以转正", "Only a probationary member can become a full member",
                       code="not_probationary", details={"current_state": membership.status})
    if not membership.active:
        raise Conflict("该组织关系已结束", "This membership has already ended", code="membership_ended")
    _check_dates(status=MembershipStatus.FULL, admission_date=membership.admission_date,
                 full_member_date=full_member_date, today=clock.today())
    if not permissions.can_manage_org(actor, membership.org):
        _deny()
    with transaction.atomic():
        compare_and_set(Membership, membership.pk, from_states=[MembershipStatus.PROBATIONARY],
                        to_state=MembershipStatus.FULL, full_member_date=full_member_date,
                        labels=dict(MembershipStatus.choices))
        events.record(actor, "membership.promote", membership, from_state=MembershipStatus.PROBATIONARY,
                      to_state=MembershipStatus.FULL, payload={"full_member_date": full_member_date.isoformat()})
    membership.refresh_from_db()
    return membership


# ----------------------------------------------------------------------------------------------- member report-in

def _check_community(community, field="community"):
    if community is None or community.level not in COMMUNITY_LEVELS:
        raise ValidationFailed("请选择报到的社区或村", "Choose the community (or village) to report to", field=field)


def report_in_create(*, actor, membership: Membership, community, grid=None, reported_on: dt.date | None = None,
                     employer=None) -> ReportIn:
    """双报到: an in-service member reports to the community where they live."""
    reported_on = reported_on or clock.today()
    _check_community(community)
    person = membership.person
    if not membership.active:
        raise ValidationFailed("该组织关系已结束", "This membership has ended", field="membership")
    if not membership.in_service:
        raise ValidationFailed("只有在职党员需要到社区报到", "Only in-service members report in to a community",
                               field="membership")
    home = person.region
    if home is None:
        raise ValidationFailed(f"「{person.name}」没有登记居住网格，无法确认居住社区",
                               f"{person.name} has no registered home grid; the community of residence is unknown",
                               field="community")
    if not home.path.startswith(community.path):
        raise ValidationFailed(
            f"在职党员应到居住地社区报到：「{person.name}」住在「{home.name}」，不属于「{community.name}」",
            f"A member reports to the community where they live: {person.name} lives in {home.name}, "
            f"which is not in {community.name}", field="community", code="not_resident")
    if grid is None and home.level == Level.GRID:
        grid = home
    if grid is not None and (grid.level != Level.GRID or grid.parent_id != community.pk):
        raise ValidationFailed("下沉网格必须是该社区的网格", "The grid must be a grid of this community", field="grid")
    if reported_on > clock.today():
        raise ValidationFailed("报到日期不能晚于今天", "The report-in date cannot be in the future",
                               field="reported_on")
    if ReportIn.objects.filter(person=person, status=ReportInStatus.ACTIVE).exists():
        raise Conflict(f"「{person.name}」已在社区报到，请先结束原报到", f"{person.name} has already reported in",
                       code="already_reported_in")
    if not permissions.can_report_in(actor, membership, community):
        raise NotPermitted("您无权为该党员办理报到", "You may not record this member's report-in")
    employer = employer or membership.employer
    with transaction.atomic():
        report_in = ReportIn.objects.create(person=person, membership=membership, employer=employer,
                                            community=community, grid=grid, reported_on=reported_on)
        events.record(actor, "report_in.create", report_in, to_state=ReportInStatus.ACTIVE, payload={
            "person": person.pk, "community": community.pk, "grid": grid.pk if grid else None,
            "employer": employer.pk if employer else None})
    return report_in


def report_in_end(*, actor, report_in: ReportIn, on: dt.date | None = None) -> ReportIn:
    on = on or clock.today()
    if on < report_in.reported_on:
        raise ValidationFailed("结束日期不能早于报到日期", "The end date cannot precede the report-in", field="on")
    if not permissions.can_manage_report_in(actor, report_in):
        raise NotPermitted("您无权结束该报到", "You may not end this report-in")
    with transaction.atomic():
        compare_and_set(ReportIn, report_in.pk, from_states=[ReportInStatus.ACTIVE], to_state=ReportInStatus.ENDED,
                        ended_on=on, labels=dict(ReportInStatus.choices))
        ServicePostClaim.objects.filter(report_in=report_in, active=True).update(active=False, released_on=on)
        events.record(actor, "report_in.end", report_in, from_state=ReportInStatus.ACTIVE,
                      to_state=ReportInStatus.ENDED, payload={"on": on.isoformat()})
    report_in.refresh_from_db()
    return report_in


def service_post_create(*, actor, community, name: str, description: str = "", capacity: int = 1) -> ServicePost:
    _check_community(community)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("岗位名称不能为空", "The post name is required", field="name")
    if capacity is None or int(capacity) < 1:
        raise ValidationFailed("名额至少为 1", "Capacity must be at least 1", field="capacity")
    if ServicePost.objects.filter(community=community, name=name).exists():
        raise ValidationFailed(f"「{name}」岗位已存在", f"The post {name} already exists", field="name")
    if not permissions.can_manage_region(actor, community):
        raise NotPermitted("您无权管理该社区的服务岗位", "You may not manage this community's service posts")
    with transaction.atomic():
        post = ServicePost.objects.create(community=community, name=name, description=description.strip(),
                                          capacity=int(capacity))
        events.record(actor, "service_post.create", post, payload={"community": community.pk, "name": name,
                                                                   "capacity": post.capacity})
    return post


def service_post_claim(*, actor, report_in: ReportIn, post: ServicePost, on: dt.date | None = None
                       ) -> ServicePostClaim:
    """A reported-in member claims one of the community's posts (认岗), up to the post's capacity."""
    on = on or clock.today()
    if report_in.status != ReportInStatus.ACTIVE:
        raise ValidationFailed("报到已结束，不能认领岗位", "The report-in has ended", field="report_in")
    if post.community_id != report_in.community_id:
        raise ValidationFailed("只能认领报到社区的岗位", "Claim a post of the community reported to", field="post")
    if not post.active:
        raise ValidationFailed("该岗位已停用", "This post is no longer open", field="post")
    if not permissions.can_manage_report_in(actor, report_in):
        raise NotPermitted("您无权为该党员认领岗位", "You may not claim posts for this member")
    with transaction.atomic():
        # Lock the post (PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers) before counting.
        locked = ServicePost.objects.select_for_update().get(pk=post.pk)
        if ServicePostClaim.objects.filter(post=locked, report_in=report_in, active=True).exists():
            raise Conflict("已认领该岗位", "This post is already claimed by the member", code="already_claimed")
        taken = ServicePostClaim.objects.filter(post=locked, active=True).count()
        if taken >= locked.capacity:
            raise Conflict(f"「{locked.name}」名额已满（{locked.capacity} 人）",
                           f"{locked.name} is full ({locked.capacity} places)", code="post_full")
        claim = ServicePostClaim.objects.create(post=locked, report_in=report_in, claimed_on=on)
        events.record(actor, "service_post.claim", claim, payload={"post": post.pk, "report_in": report_in.pk})
    return claim


def service_record_add(*, actor, report_in: ReportIn, hours, date: dt.date, description: str,
                       post: ServicePost | None = None) -> ServiceRecord:
    try:
        hours = Decimal(str(hours)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationFailed("服务时长应为数字", "Hours must be a number", field="hours")
    if hours <= 0 or hours > 24:
        raise ValidationFailed("服务时长应在 0 到 24 小时之间", "Hours must be between 0 and 24", field="hours")
    if date is None or date > clock.today() or date < report_in.reported_on:
        raise ValidationFailed("服务日期应在报到之后、今天之前", "The date must lie between the report-in and today",
                               field="date")
    description = (description or "").strip()
    if not description:
        raise ValidationFailed("请填写服务内容", "Describe the service", field="description")
    if post is not None and post.community_id != report_in.community_id:
        raise ValidationFailed("岗位不属于报到社区", "The post belongs to another community", field="post")
    if not permissions.can_record_service(actor, report_in):
        raise NotPermitted("您无权登记服务时长", "You may not record service hours here")
    with transaction.atomic():
        record = ServiceRecord.objects.create(person_id=report_in.person_id, report_in=report_in, post=post,
                                              date=date, hours=hours, description=description[:300],
                                              recorded_by=actor if getattr(actor, "is_authenticated", False)
                                              else None)
        events.record(actor, "service_record.add", record, payload={"report_in": report_in.pk,
                                                                    "hours": str(hours)})
    return record


# ----------------------------------------------------------------------------------------------- org report-in

def clean_items(items, field: str) -> list[str]:
    """Text items of a needs or pledges list: strings (or one per line), trimmed, no empties or duplicates."""
    if isinstance(items, str):
        items = items.splitlines()
    result: list[str] = []
    for item in items or []:
        text = str(item).strip()
        if not text or text in result:
            continue
        if len(text) > MAX_ITEM_LENGTH:
            raise ValidationFailed(f"每项不超过 {MAX_ITEM_LENGTH} 字", f"Each item has at most {MAX_ITEM_LENGTH} "
                                   "characters", field=field)
        result.append(text)
    if len(result) > MAX_LIST_ITEMS:
        raise ValidationFailed(f"清单最多 {MAX_LIST_ITEMS} 项", f"At most {MAX_LIST_ITEMS} items", field=field)
    return result


def org_report_in_create(*, actor, community, party_org: PartyOrg | None = None, organization=None,
                         reported_on: dt.date | None = None, needs=(), pledges=()) -> OrgReportIn:
    """驻区单位党组织到社区报到, with the community's needs and the resources the unit pledges."""
    reported_on = reported_on or clock.today()
    _check_community(community)
    if party_org is None and organization is None:
        raise ValidationFailed("请选择报到的党组织或单位", "Choose the reporting party organisation or unit",
                               field="party_org")
    if party_org is not None and party_org.kind in TERRITORIAL_KINDS:
        raise ValidationFailed("区域党组织无需到社区报到", "Territorial party organisations do not report in",
                               field="party_org")
    if organization is None and party_org is not None:
        organization = party_org.organization
    if reported_on > clock.today():
        raise ValidationFailed("报到日期不能晚于今天", "The report-in date cannot be in the future",
                               field="reported_on")
    needs = clean_items(needs, "needs")
    pledges = clean_items(pledges, "pledges")
    duplicate = OrgReportIn.objects.filter(community=community, status=ReportInStatus.ACTIVE)
    duplicate = duplicate.filter(party_org=party_org) if party_org else duplicate.filter(organization=organization)
    if duplicate.exists():
        raise Conflict("该单位已在本社区报到", "This unit has already reported in to the community",
                       code="already_reported_in")
    if not permissions.can_manage_org_report_in(actor, community=community, party_org=party_org,
                                                 organization=organization):
        raise NotPermitted("您无权办理该单位报到", "You may not record this unit's report-in")
    with transaction.atomic():
        row = OrgReportIn.objects.create(party_org=party_org, organization=organization, community=community,
                                         reported_on=reported_on, needs=needs, pledges=pledges)
        events.record(actor, "org_report_in.create", row, to_state=ReportInStatus.ACTIVE, payload={
            "community": community.pk, "party_org": party_org.pk if party_org else None,
            "organization": organization.pk if organization else None, "needs": len(needs),
            "pledges": len(pledges)})
    return row


def org_report_in_update_lists(*, actor, org_report_in: OrgReportIn, needs=None, pledges=None) -> OrgReportIn:
    if org_report_in.status != ReportInStatus.ACTIVE:
        raise Conflict("报到已结束", "The report-in has ended", code="report_in_ended",
                       details={"current_state": org_report_in.status})
    if not permissions.can_manage_org_report_in(actor, community=org_report_in.community,
                                                 party_org=org_report_in.party_org,
                                                 organization=org_report_in.organization):
        raise NotPermitted("您无权修改该单位报到", "You may not change this unit's report-in")
    fields = {}
    if needs is not None:
        fields["needs"] = clean_items(needs, "needs")
    if pledges is not None:
        fields["pledges"] = clean_items(pledges, "pledges")
    with transaction.atomic():
        OrgReportIn.objects.filter(pk=org_report_in.pk).update(**fields, updated_at=clock.now())
        events.record(actor, "org_report_in.update", org_report_in,
                      payload={k: len(v) for k, v in fields.items()})
    org_report_in.refresh_from_db()
    return org_report_in


def org_report_in_end(*, actor, org_report_in: OrgReportIn, on: dt.date | None = None) -> OrgReportIn:
    on = on or clock.today()
    if on < org_report_in.reported_on:
        raise ValidationFailed("结束日期不能早于报到日期", "The end date cannot precede the report-in", field="on")
    if not permissions.can_manage_org_report_in(actor, community=org_report_in.community,
                                                 party_org=org_report_in.party_org,
                                                 organization=org_report_in.organization):
        raise NotPermitted("您无权结束该单位报到", "You may not end this unit's report-in")
    with transaction.atomic():
        compare_and_set(OrgReportIn, org_report_in.pk, from_states=[ReportInStatus.ACTIVE],
                        to_state=ReportInStatus.ENDED, ended_on=on, labels=dict(ReportInStatus.choices))
        events.record(actor, "org_report_in.end", org_report_in, from_state=ReportInStatus.ACTIVE,
                      to_state=ReportInStatus.ENDED)
    org_report_in.refresh_from_db()
    return org_report_in


# ----------------------------------------------------------------------------------------------- liaisons

def liaison_create(*, actor, kind: str, person=None, user=None, region=None, compound=None, organization=None,
                   start_date: dt.date | None = None, note: str = "") -> Liaison:
    """三级联系: a zone leader ↔ a community, a department head ↔ a compound, an in-service member ↔ a grid."""
    start_date = start_date or clock.today()
    if kind not in Liaison.Kind.values:
        raise ValidationFailed("联系类型无效", "Unknown liaison kind", field="kind")
    if person is None and user is None:
        raise ValidationFailed("请选择联系人", "Choose the liaison person", field="person")
    if kind == Liaison.Kind.LEADER_COMMUNITY:
        if region is None or region.level not in {Level.COMMUNITY, Level.VILLAGE, Level.PARK}:
            raise ValidationFailed("区级领导联系的对象应为社区、村或园区", "A zone leader is linked to a community",
                                   field="region")
        compound = None
    elif kind == Liaison.Kind.HEAD_COMPOUND:
        if compound is None:
            raise ValidationFailed("请选择联系的小区", "Choose the compound", field="compound")
        region = None
    else:
        if region is None or region.level != Level.GRID:
            raise ValidationFailed("在职党员联系的对象应为网格", "An in-service member is linked to a grid",
                                   field="region")
        if person is None and user is not None:
            person = user.person
        member = (Membership.objects.filter(person=person, active=True).first() if person else None)
        if member is None or not member.in_service:
            raise ValidationFailed("联系网格的应为在职党员", "Only an in-service party member is linked to a grid",
                                   field="person")
        compound = None
    target_region = region if region is not None else compound.community
    if not target_region.active:
        raise ValidationFailed("该区域已撤销", "The region is retired", field="region")
    if start_date > clock.today() + dt.timedelta(days=366):
        raise ValidationFailed("开始日期无效", "Invalid start date", field="start_date")
    duplicate = Liaison.objects.filter(kind=kind, end_date__isnull=True, region=region, compound=compound)
    duplicate = duplicate.filter(person=person) if person is not None else duplicate.filter(user=user)
    if duplicate.exists():
        raise Conflict("该联系关系已存在", "This liaison already exists", code="liaison_exists")
    if not permissions.can_manage_liaison(actor, region=region, compound=compound):
        raise NotPermitted("您无权建立该联系关系", "You may not create this liaison")
    with transaction.atomic():
        liaison = Liaison.objects.create(kind=kind, person=person, user=user, organization=organization,
                                         region=region, compound=compound, start_date=start_date,
                                         note=(note or "").strip()[:200])
        events.record(actor, "liaison.create", liaison, payload={
            "kind": kind, "person": person.pk if person else None, "user": user.pk if user else None,
            "region": region.pk if region else None, "compound": compound.pk if compound else None})
    return liaison


def liaison_end(*, actor, liaison: Liaison, on: dt.date | None = None) -> Liaison:
    on = on or clock.today()
    if on < liaison.start_date:
        raise ValidationFailed("结束日期不能早于开始日期", "The end date cannot precede the start", field="on")
    if not permissions.can_manage_liaison(actor, region=liaison.region, compound=liaison.compound):
        raise NotPermitted("您无权结束该联系关系", "You may not end this liaison")
    with transaction.atomic():
        updated = Liaison.objects.filter(pk=liaison.pk, end_date__isnull=True).update(end_date=on,
                                                                                     updated_at=clock.now())
        if not updated:
            raise Conflict("该联系关系已结束", "This liaison has already ended", code="liaison_ended")
        events.record(actor, "liaison.end", liaison, payload={"on": on.isoformat()})
    liaison.refresh_from_db()
    return liaison


# ----------------------------------------------------------------------------------------------- roster import/export

def member_import(*, actor, file, dry_run: bool = False, progress: bool = False):
    """Import party members (.xlsx, columns in ``party.imports.COLUMNS``): every row is checked first and every bad
    row reported with its row number; nothing is written on any error. Persons are matched by ID number through the
    people register's blind index (within the actor's scope). Returns ``core.imports.ImportReport``."""
    from grassroots.core import crypto
    from grassroots.core import imports as xl
    from grassroots.people import idnumbers
    from grassroots.people.models import Organization
    from grassroots.people.selectors import person_visible

    from . import imports as roster
    from .selectors import orgs_for_choice

    if actor is not None and not permissions.can_import(actor):
        raise NotPermitted("您的岗位无权导入党员名册", "Your post may not import party members", code="import_denied")

    def check(rows: list[xl.ParsedRow]) -> list[xl.RowError]:
        errors: list[xl.RowError] = []
        index_of: dict[int, str] = {}
        for r in rows:
            number = idnumbers.normalize(r.get("id_number"))
            if number:
                index_of[r.row] = crypto.blind_index(number, purpose="id_number")
        persons = {}
        indexes = sorted(set(index_of.values()))
        visible = person_visible(actor=actor) if actor is not None else _all_persons()
        for start in range(0, len(indexes), 500):
            for p in visible.filter(id_number_index__in=indexes[start:start + 500]).select_related("region"):
                persons[p.id_number_index] = p
        org_qs = orgs_for_choice(actor=actor) if actor is not None else PartyOrg.objects.filter(active=True)
        codes = {r["org_code"] for r in rows if r.get("org_code")}
        names = {r["org_name"] for r in rows if r.get("org_name") and not r.get("org_code")}
        by_code = {o.code: o for o in org_qs.filter(code__in=codes)}
        by_name: dict[str, list] = {}
        for o in org_qs.filter(name__in=names):
            by_name.setdefault(o.name, []).append(o)
        employer_names = {r["employer"] for r in rows if r.get("employer")}
        employers: dict[str, list] = {}
        for o in Organization.objects.filter(name__in=employer_names, active=True):
            employers.setdefault(o.name, []).append(o)
        first_row: dict[int, int] = {}
        manageable: dict[int, bool] = {}
        for r in rows:
            if r.row not in index_of:
                continue
            person = persons.get(index_of[r.row])
            if person is None:
                errors.append(xl.RowError(r.row, "证件号码", "未找到该证件号码的登记人员（或不在您的管辖范围内）",
                                          "No registered person with this document number in your area"))
                continue
            if r.get("name") and r["name"] != person.name:
                errors.append(xl.RowError(r.row, "姓名", f"姓名与登记信息「{person.name}」不一致",
                                          "The name differs from the registered one"))
                continue
            if person.pk in first_row:
                errors.append(xl.RowError(r.row, "证件号码", f"与第 {first_row[person.pk]} 行是同一人",
                                          f"Same person as row {first_row[person.pk]}"))
                continue
            first_row[person.pk] = r.row
            if r.get("org_code"):
                org = by_code.get(r["org_code"])
                if org is None:
                    errors.append(xl.RowError(r.row, "党组织编码", f"党组织编码「{r['org_code']}」不存在或不在您的管辖范围内",
                                              f"Party organisation {r['org_code']!r} not found in your area"))
                    continue
            elif r.get("org_name"):
                found = by_name.get(r["org_name"], [])
                if len(found) != 1:
                    errors.append(xl.RowError(
                        r.row, "党组织名称",
                        f"党组织「{r['org_name']}」{'不存在或不在您的管辖范围内' if not found else '有重名，请填写党组织编码'}",
                        "Party organisation not found" if not found else "Ambiguous name; give the code"))
                    continue
                org = found[0]
            else:
                errors.append(xl.RowError(r.row, "党组织编码", "党组织编码和名称至少填一项",
                                          "Give the party organisation's code or name"))
                continue
            employer = None
            if r.get("employer"):
                found = employers.get(r["employer"], [])
                if len(found) != 1:
                    errors.append(xl.RowError(
                        r.row, "工作单位", f"工作单位「{r['employer']}」{'未登记' if not found else '有重名'}",
                        "Employer not registered" if not found else "Ambiguous employer name"))
                    continue
                employer = found[0]
            if org.pk not in manageable:
                manageable[org.pk] = permissions.can_manage_org(actor, org)
            if not manageable[org.pk]:
                errors.append(xl.RowError(r.row, "党组织编码", f"您无权管理「{org.name}」的党员",
                                          f"You may not manage the members of {org.name}"))
                continue
            try:
                membership_validate(person=person, org=org, status=r["status"], admission_date=r["admission_date"],
                                    full_member_date=r.get("full_member_date"), in_service=bool(r.get("in_service")),
                                    employer=employer)
            except ValidationFailed as exc:
                errors.append(xl.RowError(r.row, roster.FIELD_HEADERS.get(exc.field or "", ""), exc.zh, exc.en))
                continue
            r.values.update(_person=person, _org=org, _employer=employer)
        return errors

    def write(rows: list[xl.ParsedRow]) -> int:
        bar = xl.progress_bar(len(rows), "写入 / writing", enabled=progress)
        for r in rows:
            membership_add(actor=actor, person=r["_person"], org=r["_org"], status=r["status"],
                           admission_date=r["admission_date"], full_member_date=r.get("full_member_date"),
                           in_service=bool(r.get("in_service")), employer=r["_employer"])
            bar.update(1)
        bar.close()
        events.record(actor, "membership.import", None, object_type="party.membership",
                      payload={"rows": len(rows)})
        return len(rows)

    return xl.run_import(file, roster.COLUMNS, write=write, check=check, dry_run=dry_run, progress=progress)


def _all_persons():
    from grassroots.people.models import Person

    return Person.objects.all()


def member_export(*, actor, **filters) -> bytes:
    """The visible member list as .xlsx (ID numbers masked). Audited."""
    from grassroots.core.imports import export_xlsx
    from grassroots.people.masking import mask_id

    from .imports import EXPORT_HEADERS
    from .selectors import member_list

    today = clock.today()
    rows = []
    for m in member_list(actor=actor, **filters).iterator(chunk_size=2000):
        rows.append([m.person.name, mask_id(m.person.id_number), m.org.code, m.org.name, m.get_status_display(),
                     m.admission_date, m.full_member_date, m.party_age_years(on=today),
                     "是" if m.in_service else "否", m.employer.name if m.employer_id else "", m.start_date])
    data = export_xlsx(EXPORT_HEADERS, rows, sheet_title="党员名册")
    with transaction.atomic():
        events.record(actor, "membership.export", None, object_type="party.membership",
                      payload={"rows": len(rows), "filters": {k: str(v) for k, v in filters.items() if v}})
    return data


# ----------------------------------------------------------------------------------------------- bulk (generators)

TERRITORIAL_KIND_OF_LEVEL = {
    Level.ZONE: OrgKind.ZONE_WORKING_COMMITTEE, Level.SUBDISTRICT: OrgKind.SUBDISTRICT_WORKING_COMMITTEE,
    Level.COMMUNITY: OrgKind.COMMUNITY_PARTY_COMMITTEE, Level.VILLAGE: OrgKind.COMMUNITY_PARTY_COMMITTEE,
    Level.PARK: OrgKind.COMMUNITY_PARTY_COMMITTEE, Level.GRID: OrgKind.GRID_BRANCH,
    Level.BUILDING: OrgKind.BUILDING_GROUP,
}
NAME_SUFFIX = {
    OrgKind.ZONE_WORKING_COMMITTEE: "党工委", OrgKind.SUBDISTRICT_WORKING_COMMITTEE: "党工委",
    OrgKind.COMMUNITY_PARTY_COMMITTEE: "党委", OrgKind.GRID_BRANCH: "党支部", OrgKind.BUILDING_GROUP: "党小组",
}


def party_tree_bulk_create(*, actor, zone, founded_on: dt.date | None = None, include_buildings: bool = True,
                           batch_size: int = 2000) -> dict[int, PartyOrg]:
    """Mirror the whole region tree under ``zone`` with territorial party organisations in a few bulk inserts
    (one per depth), for generators and first set-up. Refuses if any territorial organisation already exists
    under the zone. Returns {region id: PartyOrg}; one ``party_org.bulk_create`` event."""
    from grassroots.territory.models import Region, subtree_q

    if zone.level != Level.ZONE:
        raise ValidationFailed("请从开发区（区）一级开始建立", "Start from a zone", field="zone")
    if not permissions.is_zone_level(actor, permissions.PARTY_STAFF_ROLES):
        _deny()
    levels = [lv for lv in TERRITORIAL_KIND_OF_LEVEL if include_buildings or lv != Level.BUILDING]
    with transaction.atomic():
        if PartyOrg.objects.filter(subtree_q(zone.path, "region__path"), kind__in=sorted(TERRITORIAL_KINDS)).exists():
            raise Conflict("该区域下已有党组织，不能批量建立", "Party organisations already exist under this zone",
                           code="party_tree_exists")
        regions = list(Region.objects.filter(subtree_q(zone.path), active=True, level__in=levels)
                       .only("id", "name", "level", "parent_id", "path").order_by("path"))
        by_region: dict[int, PartyOrg] = {}
        serials: dict[int | None, int] = {}
        root_serial = _next_serial(None)
        by_depth: dict[int, list] = {}
        for region in regions:
            by_depth.setdefault(region.path.count("/"), []).append(region)
        for depth in sorted(by_depth):
            rows = []
            for region in by_depth[depth]:
                parent = by_region.get(region.parent_id) if region.level != Level.ZONE else None
                if region.level != Level.ZONE and parent is None:
                    continue  # parent level skipped (e.g. a building whose grid is retired)
                key = parent.pk if parent else None
                serial = serials[key] = serials.get(key, 0 if parent else root_serial - 1) + 1
                path = org_path(parent, serial)
                kind = TERRITORIAL_KIND_OF_LEVEL[region.level]
                rows.append(PartyOrg(code=org_code(path), name=f"{region.name}{NAME_SUFFIX[kind]}", kind=kind,
                                     parent=parent, serial=serial, path=path, region=region,
                                     founded_on=founded_on))
            created = PartyOrg.objects.bulk_create(rows, batch_size=batch_size)
            if any(o.pk is None for o in created):  # backends without RETURNING
                pks = dict(PartyOrg.objects.filter(path__in=[o.path for o in created]).values_list("path", "pk"))
                for o in created:
                    o.pk = pks[o.path]
            for org in created:
                by_region[org.region_id] = org
        events.record(actor, "party_org.bulk_create", None, object_type="party.partyorg",
                      payload={"zone": zone.pk, "created": len(by_region)})
    return by_region
