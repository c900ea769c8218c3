"""驻区单位党组织到社区报到: a unit's report-in with the community's needs and the resources it pledges."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from grassroots.core import clock, events
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed

from .. import permissions
from ..models import TERRITORIAL_KINDS, OrgReportIn, PartyOrg, ReportInStatus
from ..states import move
from ._common import change_state, check_community

MAX_LIST_ITEMS = 50
MAX_ITEM_LENGTH = 200


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
    check_community(community)
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
        create = move("org_report_in.create")
        row = OrgReportIn.objects.create(party_org=party_org, organization=organization, community=community,
                                         reported_on=reported_on, needs=needs, pledges=pledges,
                                         status=create.target)
        events.record(actor, create.verb, row, to_state=create.target, payload={
            "community": community.pk, "party_org": party_org.pk if party_org else None,
            "organization": organization.pk if organization else None, "needs": len(needs),
            "pledges": len(pledges)})
    return row


def org_report_in_update_lists(*, actor, org_report_in: OrgReportIn, needs=None, pledges=None) -> OrgReportIn:
    if org_report_in.status not in move("org_report_in.update").sources:
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
        end = change_state(OrgReportIn, org_report_in.pk, "org_report_in.end", ended_on=on)
        events.record(actor, end.verb, org_report_in, from_state=end.sources[0], to_state=end.target)
    org_report_in.refresh_from_db()
    return org_report_in
