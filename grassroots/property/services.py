"""The only writers of property governance data."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db import transaction

from grassroots.core import events
from grassroots.core.errors import NotFound, NotPermitted, ValidationFailed
from grassroots.people.models import Organization

from .models import (
    CommitteeMember,
    DemonstrationCompound,
    FirmPartyCoverage,
    JointMeeting,
    OwnersCommittee,
    ServiceContract,
)
from .permissions import (
    can_edit_community,
    can_edit_compound,
    can_edit_firm,
    can_name_demonstration,
    can_see_community,
    can_see_compound,
)


def _require_compound(actor, compound) -> None:
    if not can_see_compound(actor, compound):
        raise NotFound()
    if not can_edit_compound(actor, compound):
        raise NotPermitted("只有社区、街道或区级工作人员可以登记", "Only community, subdistrict or zone staff may record this")


def _overlaps(qs, start: dt.date, end: dt.date | None, start_field="start_date", end_field="end_date"):
    from django.db.models import Q

    q = Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": start})
    if end is not None:
        q &= Q(**{f"{start_field}__lte": end})
    return qs.filter(q)


def contract_create(*, actor, compound, kind: str, start_date: dt.date, firm: Organization | None = None,
                    end_date: dt.date | None = None, fee_per_m2=None, service_level: str = "", note: str = "") -> ServiceContract:
    _require_compound(actor, compound)
    if kind not in ServiceContract.Kind.values:
        raise ValidationFailed("合同类型不正确", "Unknown contract kind", field="kind")
    if kind in (ServiceContract.Kind.SELF_MANAGED, ServiceContract.Kind.TRANSITIONAL):
        firm = None if kind == ServiceContract.Kind.SELF_MANAGED else firm
    elif firm is None:
        raise ValidationFailed("请选择物业企业", "Choose the property firm", field="firm")
    if firm is not None and firm.kind != Organization.Kind.PROPERTY_FIRM:
        raise ValidationFailed("所选单位不是物业企业", "The organisation is not a property firm", field="firm")
    if end_date is not None and end_date < start_date:
        raise ValidationFailed("结束日期不能早于开始日期", "The end date is before the start date", field="end_date")
    with transaction.atomic():
        clash = _overlaps(ServiceContract.objects.select_for_update().filter(compound=compound, terminated_on__isnull=True),
                          start_date, end_date).first()
        if clash is not None:
            raise ValidationFailed(
                f"该小区在此期间已有物业服务合同（{clash.firm or clash.get_kind_display()}，{clash.start_date} 起），请先终止",
                "The compound already has a contract in this period; end it first", field="start_date")
        contract = ServiceContract.objects.create(compound=compound, firm=firm, kind=kind, start_date=start_date,
                                                  end_date=end_date, fee_per_m2=fee_per_m2,
                                                  service_level=service_level, note=note)
        events.record(actor, "service_contract.create", contract,
                      payload={"compound": compound.code, "firm": firm.name if firm else "", "kind": kind})
    return contract


def contract_terminate(*, actor, contract: ServiceContract, on: dt.date, reason: str) -> ServiceContract:
    _require_compound(actor, contract.compound)
    if not reason.strip():
        raise ValidationFailed("请填写终止原因", "Give a reason", field="reason")
    if on < contract.start_date:
        raise ValidationFailed("终止日期不能早于合同开始日期", "Termination precedes the start", field="on")
    with transaction.atomic():
        updated = ServiceContract.objects.filter(pk=contract.pk, terminated_on__isnull=True).update(
            terminated_on=on, note=(contract.note + f"\n终止：{reason}").strip())
        if not updated:
            raise ValidationFailed("合同已终止", "The contract is already terminated")
        events.record(actor, "service_contract.terminate", contract, payload={"on": on.isoformat(), "reason": reason})
    contract.refresh_from_db()
    return contract


def committee_form(*, actor, compound, formed_on: dt.date, kind: str = OwnersCommittee.Kind.OWNERS,
                   term_years: int = 5, filing_number: str = "") -> OwnersCommittee:
    _require_compound(actor, compound)
    if not 1 <= int(term_years) <= 5:
        raise ValidationFailed("业委会任期为1至5年", "A term is 1 to 5 years", field="term_years")
    term_end = formed_on + relativedelta(years=int(term_years)) - dt.timedelta(days=1)
    with transaction.atomic():
        current = OwnersCommittee.objects.select_for_update().filter(
            compound=compound, dissolved_on__isnull=True, term_end__gte=formed_on).first()
        if current is not None:
            raise ValidationFailed(
                f"该小区已有在任的{current.get_kind_display()}（{current.formed_on} 成立），请先办理解散或换届",
                "The compound already has a committee in office", field="formed_on")
        committee = OwnersCommittee.objects.create(compound=compound, kind=kind, formed_on=formed_on,
                                                   term_years=term_years, term_end=term_end,
                                                   filing_number=filing_number)
        events.record(actor, "owners_committee.form", committee, payload={"compound": compound.code, "kind": kind})
    return committee


def committee_dissolve(*, actor, committee: OwnersCommittee, on: dt.date, reason: str) -> None:
    _require_compound(actor, committee.compound)
    if not reason.strip():
        raise ValidationFailed("请填写原因", "Give a reason", field="reason")
    with transaction.atomic():
        if not OwnersCommittee.objects.filter(pk=committee.pk, dissolved_on__isnull=True).update(dissolved_on=on):
            raise ValidationFailed("该业委会已停止履职", "Already dissolved")
        CommitteeMember.objects.filter(committee=committee, end_date__isnull=True).update(end_date=on)
        events.record(actor, "owners_committee.dissolve", committee, payload={"on": on.isoformat(), "reason": reason})


def committee_member_add(*, actor, committee: OwnersCommittee, person, role: str, start_date: dt.date,
                         is_party_member: bool = False) -> CommitteeMember:
    _require_compound(actor, committee.compound)
    if committee.dissolved_on is not None:
        raise ValidationFailed("该业委会已停止履职", "The committee is dissolved")
    with transaction.atomic():
        if CommitteeMember.objects.filter(committee=committee, person=person, end_date__isnull=True).exists():
            raise ValidationFailed("此人已是该业委会成员", "Already a member", field="person")
        active = CommitteeMember.objects.filter(committee=committee, end_date__isnull=True)
        if role == CommitteeMember.Role.CHAIR and active.filter(role=role).exists():
            raise ValidationFailed("业委会已有主任", "The committee already has a chair", field="role")
        if active.count() >= 11:
            raise ValidationFailed("业委会成员为5至11人", "A committee has at most 11 members")
        member = CommitteeMember.objects.create(committee=committee, person=person, role=role,
                                                start_date=start_date, is_party_member=is_party_member)
        events.record(actor, "committee_member.add", member, payload={"committee": committee.pk, "role": role})
    return member


def firm_party_coverage_set(*, actor, firm: Organization, mode: str, start_date: dt.date, party_org=None,
                            instructor=None) -> FirmPartyCoverage:
    if not can_edit_firm(actor):
        raise NotPermitted("只有街道或区级工作人员可以登记物业企业党组织覆盖", "Only subdistrict or zone staff may do this")
    if firm.kind != Organization.Kind.PROPERTY_FIRM:
        raise ValidationFailed("所选单位不是物业企业", "The organisation is not a property firm", field="firm")
    if mode == FirmPartyCoverage.Mode.INSTRUCTOR and instructor is None:
        raise ValidationFailed("请指定党建指导员", "Name the party instructor", field="instructor")
    if mode in (FirmPartyCoverage.Mode.OWN, FirmPartyCoverage.Mode.JOINT) and party_org is None:
        raise ValidationFailed("请选择党组织", "Choose the party organisation", field="party_org")
    with transaction.atomic():
        FirmPartyCoverage.objects.filter(firm=firm, end_date__isnull=True, start_date__lt=start_date).update(
            end_date=start_date - dt.timedelta(days=1))
        coverage = FirmPartyCoverage.objects.create(firm=firm, mode=mode, party_org=party_org, instructor=instructor,
                                                    start_date=start_date)
        events.record(actor, "firm_party_coverage.set", coverage, payload={"firm": firm.name, "mode": mode})
    return coverage


def joint_meeting_record(*, actor, community, held_on: dt.date, topic: str, minutes: str, compound=None,
                         decisions: str = "", attended: dict | None = None) -> JointMeeting:
    if not can_see_community(actor, community):
        raise NotFound()
    if not can_edit_community(actor, community):
        raise NotPermitted("只有社区、街道或区级工作人员可以登记会议", "Only staff may record meetings")
    if compound is not None and compound.community_id != community.pk:
        raise ValidationFailed("小区不属于该社区", "The compound is not in this community", field="compound")
    if not topic.strip() or not minutes.strip():
        raise ValidationFailed("议题和会议纪要不能为空", "Topic and minutes are required", field="minutes")
    attended = attended or {}
    with transaction.atomic():
        meeting = JointMeeting.objects.create(
            community=community, compound=compound, held_on=held_on, topic=topic.strip(), minutes=minutes.strip(),
            decisions=decisions.strip(), recorded_by=actor,
            **{k: bool(attended.get(k, default)) for k, default in (
                ("party_org_attended", True), ("residents_committee_attended", True),
                ("property_committee_attended", False), ("owners_committee_attended", False),
                ("firm_attended", False))})
        events.record(actor, "joint_meeting.record", meeting, payload={"topic": meeting.topic})
    return meeting


def demonstration_name(*, actor, compound, year: int, note: str = "") -> DemonstrationCompound:
    if not can_name_demonstration(actor):
        raise NotPermitted("示范小区由街道或区级命名", "Demonstration compounds are named by subdistrict or zone")
    _require_compound(actor, compound)
    with transaction.atomic():
        row, created = DemonstrationCompound.objects.get_or_create(compound=compound, year=year, defaults={"note": note})
        if created:
            events.record(actor, "demonstration_compound.name", row, payload={"year": year})
    return row


def rates_export(*, actor, on: dt.date) -> bytes:
    """The three rates per community in the actor's scope as .xlsx, with their definitions. Audited."""
    from grassroots.core.imports import export_xlsx

    from . import indicators, selectors

    rows = [[community.code, community.name] + [x for r in rs for x in (r.numerator, r.denominator, r.percent)]
            for community, rs in selectors.rates_by_community(actor=actor, on=on)]
    columns = ["社区编码", "社区"] + [f"{name}{suffix}" for name, _ in indicators.DEFINITIONS.values()
                                      for suffix in ("（分子）", "（分母）", "")]
    body = export_xlsx(columns, rows, sheet_title="红色物业指标",
                       notes=[*((str(n), str(d)) for n, d in indicators.DEFINITIONS.values()),
                              ("统计日期", on.isoformat())])
    events.record(actor, "property_rate.export", payload={"on": on.isoformat(), "rows": len(rows)})
    return body
