"""Terms (换届): each organisation's current term, its length by kind and place (policy defaults), extensions
proposed by the organisation and approved above it (at most a year), and the current term's end written to the
register through ``party.services.party_org_term_end_set`` (docs/rules/party-life.md § Terms)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from grassroots.core import clock, events
from grassroots.core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from grassroots.party.models import OrgKind, PartyOrg
from grassroots.party.services import party_org_term_end_set

from .. import periods, permissions, policy
from ..models import Term
from ..states import ExtensionStatus
from ._common import text

# 党工委, 基层党委 and 村、社区 organisations: five years; other 总支 and 支部: three (选举工作条例 2020).
FIVE_YEAR_KINDS = {OrgKind.ZONE_WORKING_COMMITTEE, OrgKind.SUBDISTRICT_WORKING_COMMITTEE,
                   OrgKind.COMMUNITY_PARTY_COMMITTEE, OrgKind.ORG_COMMITTEE, OrgKind.INDUSTRY_CHAIN_COMMITTEE}


def default_years(org: PartyOrg) -> int:
    """Five for committees and for village and community organisations (a grid branch under a community
    committee included), three for other general branches and branches."""
    if org.kind in FIVE_YEAR_KINDS:
        return int(policy.get("partylife.term_years_rural_urban"))
    parts = [p for p in org.path.split("/") if p]
    ancestors = ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts) - 1)]
    rural_urban = org.kind == OrgKind.GRID_BRANCH or PartyOrg.objects.filter(
        path__in=ancestors, kind=OrgKind.COMMUNITY_PARTY_COMMITTEE).exists()
    key = "partylife.term_years_rural_urban" if rural_urban else "partylife.term_years_other"
    return int(policy.get(key))


def _may_keep(actor, org) -> None:
    if permissions.can_act(actor, org) or permissions.can_remind(actor, org):
        return
    if permissions.can_see(actor, org):
        raise NotPermitted("无权登记该组织的届期", "You may not record this organisation's term")
    raise NotFound()


def term_start(*, actor, org: PartyOrg, start: dt.date, years: int | None = None) -> Term:
    """A new term from ``start`` (the election); the current one closes that day."""
    _may_keep(actor, org)
    if org.kind == OrgKind.BUILDING_GROUP:
        raise ValidationFailed("党小组不设届期", "A party group has no term", field="org")
    if not isinstance(start, dt.date) or start > clock.today():
        raise ValidationFailed("本届开始日期不能晚于今天", "The term cannot start in the future", field="start")
    years = default_years(org) if years in (None, "") else years
    try:
        years = int(years)
    except (TypeError, ValueError):
        raise ValidationFailed("任期年数无效", "Invalid number of years", field="years") from None
    if not 1 <= years <= 5:
        raise ValidationFailed("任期须为 1 到 5 年", "A term is 1 to 5 years", field="years")
    end = periods.add_months(start, 12 * years)
    with transaction.atomic():
        current = Term.objects.select_for_update().filter(org=org, closed_on__isnull=True).first()
        if current is not None:
            if start <= current.start:
                raise ValidationFailed("新一届须在本届开始之后", "The new term must start after the current one",
                                       field="start")
            Term.objects.filter(pk=current.pk).update(closed_on=start)
            events.record(actor, "term.close", current, payload={"closed_on": start.isoformat()})
        term = Term.objects.create(org=org, start=start, years=years, end=end)
        events.record(actor, "term.start", term, payload={"start": start.isoformat(), "years": years})
        party_org_term_end_set(actor=actor, org=org, term_end=end)
    return term


def term_extend_propose(*, actor, term: Term, to: dt.date, reason: str) -> Term:
    """The organisation asks to extend its term (at most a year past its end, policy), with the reason."""
    if not permissions.can_see(actor, term.org):
        raise NotFound()
    if not permissions.can_act(actor, term.org):
        raise NotPermitted("只有本组织可以申请延期换届", "Only the organisation asks for an extension")
    reason = text(reason, "reason", "请填写延期理由", "Enter the reason", 300)
    limit = periods.add_months(term.end, int(policy.get("partylife.term_extension_max_months")))
    if not isinstance(to, dt.date) or not term.end < to <= limit:
        raise ValidationFailed(f"延期须在届满之后、{limit:%Y-%m-%d} 之前", "An extension runs past the end, at most a "
                               "year", field="to", code="extension_limit")
    with transaction.atomic():
        updated = Term.objects.filter(pk=term.pk, closed_on__isnull=True).exclude(
            extension_status=ExtensionStatus.PROPOSED).update(
            extension_status=ExtensionStatus.PROPOSED, extension_proposed_to=to, extension_reason=reason)
        if not updated:
            raise Conflict("该届期已换届或已有待批准的延期申请", "The term is closed or has a pending request",
                           code="state_conflict")
        events.record(actor, "term.extend_propose", term, to_state=ExtensionStatus.PROPOSED,
                      payload={"to": to.isoformat()})
    term.refresh_from_db()
    return term


def term_extend_decide(*, actor, term: Term, approve: bool) -> Term:
    """The organisation above approves or refuses the extension."""
    if not permissions.can_see(actor, term.org):
        raise NotFound()
    if not permissions.can_decide(actor, term.org):
        raise NotPermitted("延期换届须由上级党组织批准", "The organisation above approves an extension",
                           code="extension_own_approval")
    status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    with transaction.atomic():
        current = Term.objects.select_for_update().get(pk=term.pk)
        if current.extension_status != ExtensionStatus.PROPOSED or current.closed_on is not None:
            raise Conflict("没有待批准的延期申请", "No extension waits for a decision", code="state_conflict")
        fields = {"extension_status": status,
                  "extension_decided_by": actor if getattr(actor, "is_authenticated", False) else None}
        if approve:
            fields["extended_to"] = current.extension_proposed_to
        Term.objects.filter(pk=term.pk).update(**fields)
        events.record(actor, f"term.extend_{'approve' if approve else 'refuse'}", term,
                      from_state=ExtensionStatus.PROPOSED, to_state=status)
        if approve:
            party_org_term_end_set(actor=actor, org=term.org, term_end=current.extension_proposed_to)
    term.refresh_from_db()
    return term
