"""The community fund ledger: donations, disbursements to approved projects, compensating corrections.

Every entry runs in one transaction that (1) moves the fund's stored balance with a conditional UPDATE
(``… WHERE balance >= amount``), so the balance can never go below zero even under concurrent disbursements,
(2) appends the ledger entry with the balance after it, and (3) updates the monthly rollup the public page reads.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from grassroots.core import clock, events
from grassroots.core.errors import NotFound, NotPermitted, ValidationFailed
from grassroots.core.scope import scope_for

from .models import CommunityFund, LedgerEntry, LedgerMonthTotal, MicroProject, ProhibitedUse
from .permissions import FUND_OPENER_ROLES, can_keep_ledger
from .states import PAYABLE

CENT = Decimal("0.01")


def money(value, field: str = "amount") -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationFailed("金额格式不正确", "Invalid amount", field=field)
    if not amount.is_finite() or amount <= 0:
        raise ValidationFailed("金额必须大于零", "The amount must be positive", field=field)
    if amount != amount.quantize(CENT):
        raise ValidationFailed("金额最多保留两位小数", "At most two decimals", field=field)
    if amount >= Decimal("1000000000"):
        raise ValidationFailed("金额过大", "The amount is too large", field=field)
    return amount


def fund_open(*, actor, region, name: str = "", custodian: str = "") -> CommunityFund:
    if not scope_for(actor).covers_path(region.path, *FUND_OPENER_ROLES):
        raise NotPermitted("只有社区书记或区领导可以设立基金", "Only the community secretary or a zone leader may open a fund")
    if region.level not in ("community", "village", "zone"):
        raise ValidationFailed("基金设在社区（村）或开发区", "Funds belong to a community, village or the zone", field="region")
    with transaction.atomic():
        if CommunityFund.objects.filter(region=region).exists():
            raise ValidationFailed("该社区已设立基金", "This community already has a fund", field="region")
        fund = CommunityFund.objects.create(region=region, name=name or f"{region.name}社区基金", custodian=custodian)
        events.record(actor, "fund.open", fund)
    return fund


def _check_keeper(actor, fund) -> None:
    """Funds and their ledgers are public; only the community's secretary and staff (zone leaders for the zone
    fund) write to them."""
    if not can_keep_ledger(actor, fund):
        raise NotPermitted("只有本社区书记或社区工作者可以记账", "Only this community's staff keep the ledger")


def _month(at: dt.datetime) -> dt.date:
    local = timezone.localtime(at)
    return dt.date(local.year, local.month, 1)


def _rollup(fund_id: int, at: dt.datetime, kind: str, donor_kind: str, amount: Decimal, count: int) -> None:
    """Add to the month's total for (kind, donor kind). A correction counts against its original's kind (count -1),
    so that totals by kind and donor kind are net of corrections and still add up to the entries."""
    key = {"fund_id": fund_id, "month": _month(at), "kind": kind, "donor_kind": donor_kind}
    if LedgerMonthTotal.objects.filter(**key).update(amount=F("amount") + amount, count=F("count") + count):
        return
    try:
        with transaction.atomic():
            LedgerMonthTotal.objects.create(**key, amount=amount, count=max(count, 0))
    except IntegrityError:  # created meanwhile by a concurrent entry; the fund row lock makes this rare
        LedgerMonthTotal.objects.filter(**key).update(amount=F("amount") + amount, count=F("count") + count)


def _append(actor, fund: CommunityFund, *, kind: str, amount: Decimal, purpose: str, **fields) -> LedgerEntry:
    """Move the balance (conditionally) and append the entry. Call inside transaction.atomic()."""
    delta_fields = {"balance": F("balance") + amount, "entry_count": F("entry_count") + 1}
    if kind == LedgerEntry.Kind.DONATION:
        delta_fields["donations_total"] = F("donations_total") + amount
    elif kind == LedgerEntry.Kind.DISBURSEMENT:
        delta_fields["disbursed_total"] = F("disbursed_total") - amount
    qs = CommunityFund.objects.filter(pk=fund.pk)
    if amount < 0:
        qs = qs.filter(balance__gte=-amount)
    if not qs.update(**delta_fields):
        current = CommunityFund.objects.filter(pk=fund.pk).values_list("balance", flat=True).first()
        raise ValidationFailed(f"基金余额不足（当前余额 {current} 元），未记账",
                               f"Insufficient balance ({current}); nothing was recorded", code="insufficient_balance",
                               field="amount", details={"balance": str(current)})
    balance, count = CommunityFund.objects.filter(pk=fund.pk).values_list("balance", "entry_count").get()
    now = clock.now()
    local = _month(now)
    receipt = fields.pop("receipt_no", "") or f"{fund.region.code}-{local:%Y}-{count:06d}"
    entry = LedgerEntry.objects.create(fund=fund, kind=kind, amount=amount, balance_after=balance, purpose=purpose,
                                       receipt_no=receipt, recorded_at=now, recorded_by=actor, **fields)
    original = entry.corrects if kind == LedgerEntry.Kind.CORRECTION else entry
    _rollup(fund.pk, now, original.kind, original.donor_kind, amount, -1 if original is not entry else 1)
    return entry


def donation_record(*, actor, fund: CommunityFund, amount, donor_kind: str, donor_name: str = "",
                    donor_organization=None, anonymous: bool = False, intended_use: str = "",
                    receipt_no: str = "") -> LedgerEntry:
    _check_keeper(actor, fund)
    amount = money(amount)
    if donor_kind not in (LedgerEntry.DonorKind.ORGANIZATION, LedgerEntry.DonorKind.PERSON):
        raise ValidationFailed("请选择捐赠方类型", "Choose the donor kind", field="donor_kind")
    if donor_kind == LedgerEntry.DonorKind.ORGANIZATION and donor_organization is None and not donor_name.strip():
        raise ValidationFailed("请填写捐赠单位", "Name the donor organisation", field="donor_name")
    if donor_kind == LedgerEntry.DonorKind.PERSON and not donor_name.strip():
        raise ValidationFailed("请填写捐赠人姓名（公开时可匿名）", "Name the donor (may be anonymous in public)",
                               field="donor_name")
    with transaction.atomic():
        if receipt_no and LedgerEntry.objects.filter(fund=fund, receipt_no=receipt_no).exists():
            raise ValidationFailed("票据号已使用", "The receipt number is already used", field="receipt_no")
        entry = _append(actor, fund, kind=LedgerEntry.Kind.DONATION, amount=amount,
                        purpose=f"捐赠：{intended_use or '社区基金'}", donor_kind=donor_kind,
                        donor_name=donor_name.strip(), donor_organization=donor_organization,
                        donor_anonymous=anonymous, intended_use=intended_use, receipt_no=receipt_no)
        events.record(actor, "fund.donation", entry, payload={"fund": fund.pk, "amount": str(amount)})
    return entry


def prohibited_use(purpose: str, use_category: str = "") -> ProhibitedUse | None:
    for rule in ProhibitedUse.objects.filter(active=True):
        if use_category and use_category == rule.code:
            return rule
        if any(k and k in purpose for k in rule.keywords):
            return rule
    return None


def disbursement_record(*, actor, fund: CommunityFund, project: MicroProject, amount, purpose: str,
                        use_category: str = "", receipt_no: str = "") -> LedgerEntry:
    """Pay a tranche to an approved project (in progress). Refused without writing anything when the project is
    not approved, the amount exceeds what remains of the approved amount or the balance, or the use is on the
    negative list."""
    _check_keeper(actor, fund)
    amount = money(amount)
    if not purpose.strip():
        raise ValidationFailed("请填写支出摘要", "Describe the payment", field="purpose")
    if project.community_id != fund.region_id and fund.region.level != "zone":
        raise ValidationFailed("只能支付本社区的项目", "Only projects of this community", field="project")
    rule = prohibited_use(purpose, use_category)
    if rule is not None:
        raise ValidationFailed(f"该支出属于负面清单「{rule.name}」，不得从社区基金列支",
                               f"This use is on the negative list ({rule.code})", code="prohibited_use",
                               field="purpose")
    with transaction.atomic():
        moved = MicroProject.objects.filter(
            pk=project.pk, status__in=PAYABLE,
            disbursed_total__lte=F("approved_amount") - amount).update(disbursed_total=F("disbursed_total") + amount)
        if not moved:
            current = MicroProject.objects.filter(pk=project.pk).values("status", "approved_amount", "disbursed_total").first()
            if current is None:
                raise NotFound()
            if current["status"] not in PAYABLE:
                raise ValidationFailed("只能向已批准并在实施中的项目拨付", "Only approved projects in progress can be paid",
                                       code="project_not_approved", field="project")
            remaining = current["approved_amount"] - current["disbursed_total"]
            raise ValidationFailed(f"超出项目剩余可拨付额度（{remaining} 元）",
                                   f"Exceeds the project's remaining approved amount ({remaining})",
                                   code="over_approved", field="amount")
        entry = _append(actor, fund, kind=LedgerEntry.Kind.DISBURSEMENT, amount=-amount, purpose=purpose.strip(),
                        project=project, use_category=use_category, receipt_no=receipt_no)
        events.record(actor, "fund.disbursement", entry,
                      payload={"fund": fund.pk, "project": project.pk, "amount": str(amount)})
    project.refresh_from_db(fields=["disbursed_total"])
    return entry


def correction_record(*, actor, entry: LedgerEntry, reason: str) -> LedgerEntry:
    """Reverse an entry with a compensating entry (the original stays). Each entry can be corrected once."""
    fund = entry.fund
    _check_keeper(actor, fund)
    if not reason.strip():
        raise ValidationFailed("请填写冲正原因", "Give the reason", field="reason")
    if entry.kind == LedgerEntry.Kind.CORRECTION:
        raise ValidationFailed("冲正记录不能再冲正，请另行记账", "A correction cannot be corrected")
    with transaction.atomic():
        if LedgerEntry.objects.filter(corrects=entry).exists():
            raise ValidationFailed("该记录已冲正", "This entry is already corrected")
        amount = -entry.amount
        if entry.kind == LedgerEntry.Kind.DISBURSEMENT and entry.project_id:
            MicroProject.objects.filter(pk=entry.project_id).update(disbursed_total=F("disbursed_total") + entry.amount)
        if entry.kind == LedgerEntry.Kind.DONATION:
            CommunityFund.objects.filter(pk=fund.pk).update(donations_total=F("donations_total") - entry.amount)
        else:
            CommunityFund.objects.filter(pk=fund.pk).update(disbursed_total=F("disbursed_total") + entry.amount)
        correction = _append(actor, fund, kind=LedgerEntry.Kind.CORRECTION, amount=amount,
                             purpose=f"冲正 {entry.receipt_no}：{reason.strip()}"[:200], corrects=entry,
                             project_id=entry.project_id)
        events.record(actor, "fund.correction", correction, payload={"corrects": entry.pk, "reason": reason})
    return correction


def reconcile(fund: CommunityFund) -> dict:
    """Stored figures against the entries; an empty ``problems`` list means the books agree."""
    fund.refresh_from_db()
    entries = LedgerEntry.objects.filter(fund=fund)
    # SQLite sums decimals in floating point: round back to cents before comparing
    total = Decimal(entries.aggregate(s=Sum("amount"))["s"] or 0).quantize(CENT)
    rollup = Decimal(LedgerMonthTotal.objects.filter(fund=fund).aggregate(s=Sum("amount"))["s"] or 0).quantize(CENT)
    count = entries.count()
    problems = []
    if total != fund.balance:
        problems.append(f"余额 {fund.balance} 与台账合计 {total} 不一致")
    if rollup != total:
        problems.append(f"月度汇总 {rollup} 与台账合计 {total} 不一致")
    if count != fund.entry_count:
        problems.append(f"笔数 {fund.entry_count} 与台账 {count} 不一致")
    if entries.filter(balance_after__lt=0).exists() or fund.balance < 0:
        problems.append("出现负余额")
    last = entries.order_by("-recorded_at", "-id").values_list("balance_after", flat=True).first()
    if last is not None and last != fund.balance:
        problems.append(f"最后一笔记账后余额 {last} 与当前余额 {fund.balance} 不一致")
    return {"fund": fund, "balance": fund.balance, "entries_total": total, "rollup_total": rollup,
            "entry_count": count, "problems": problems}
