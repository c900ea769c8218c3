"""Demo dues: every member has a category and base (mostly salaried, many retired, some farmers and students), bills
for the last six months, paid with receipt numbers by most; about one member in twelve has stopped paying for two
to four months (arrears), and a few hardship reductions wait for the committee above."""

from __future__ import annotations

from decimal import Decimal

from grassroots.party.models import Membership, PartyOrg
from grassroots.people.models import Person

from . import services
from .models import DuesBase, DuesBill, DuesCategory
from .states import BillStatus

MONTHS = 6
WEIGHTS = [("salaried", 55), ("retired", 22), ("farmer", 8), ("self_employed", 6), ("annual_salary", 3),
           ("student", 2), ("unemployed", 2), ("relief", 1), ("low_income", 1)]


def build(ctx):
    rng = ctx.rng
    cats = {c.code: c for c in DuesCategory.objects.all()}
    codes = [code for code, w in WEIGHTS for _ in range(w)]
    members = list(Membership.objects.filter(active=True).values_list("person_id", "org_id"))
    first = services.add_months(ctx.today.replace(day=1), -(MONTHS - 1))
    bases = []
    for person_id, _ in members:
        cat = cats[rng.choice(codes)]
        base = None
        if cat.basis == "pay":
            base = Decimal(rng.randrange(250_000, 1_600_000)) / 100
        elif cat.basis == "pension":
            base = Decimal(rng.randrange(200_000, 700_000)) / 100
        flat = Decimal(rng.choice(["0.20", "0.50", "1.00"])) if cat.code == "farmer" else None
        bases.append(DuesBase(person_id=person_id, category=cat, base=base, flat_amount=flat, valid_from=first))
    DuesBase.objects.bulk_create(bases, batch_size=2000)
    for root in PartyOrg.objects.filter(parent=None, active=True):
        for i in range(MONTHS):
            services.bills_issue(actor=None, org=root, month=services.add_months(first, i))
    behind = {pid: rng.randint(2, 4) for pid, _ in members if rng.random() < 1 / 12}
    current = ctx.today.replace(day=1)
    paid = []
    for bill in DuesBill.objects.filter(status=BillStatus.OPEN, month__gte=first).only("pk", "person_id", "month",
                                                                                         "amount", "org_id"):
        months_back = (current.year - bill.month.year) * 12 + current.month - bill.month.month
        if bill.month == current and rng.random() < 0.5:
            continue  # this month's dues: half recorded so far
        if bill.person_id in behind and months_back < behind[bill.person_id]:
            continue
        bill.status, bill.paid_amount = BillStatus.PAID, bill.amount
        bill.paid_on = min(ctx.today, bill.month.replace(day=1 + rng.randrange(20)))
        bill.receipt_no = f"{bill.month:%Y%m}-{bill.pk:06d}"
        paid.append(bill)
    DuesBill.objects.bulk_update(paid, ["status", "paid_amount", "paid_on", "receipt_no"], batch_size=2000)
    for person_id in list(behind)[:3]:
        services.reduction_propose(actor=None, person=Person.objects.get(pk=person_id), month_from=current,
                                   month_to=services.add_months(current, 5), amount="0", reason="因病长期住院，家庭困难")
    ctx.stats.update(dues_bases=len(bases), dues_bills=DuesBill.objects.count(), dues_paid=len(paid),
                     dues_members_in_arrears=len(behind))
