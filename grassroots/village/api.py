"""API of the village collective: collectives, the year's statement, contracts, rents due, entries booked, members
confirmed, disclosures, a household's statement and alliances. Scope as on the pages."""

import datetime as dt
from decimal import Decimal

from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from grassroots.core import clock
from grassroots.core.errors import NotFound
from grassroots.core.pagination import PageNumberPagination

from . import selectors, services, tier

router = Router(tags=["village 村集体经济"])


class VillageCollectiveOut(Schema):
    id: int
    name: str
    region_code: str
    retained_rate: Decimal
    collective_share_rate: Decimal

    @staticmethod
    def resolve_region_code(obj):
        return obj.region.code


class VillageContractOut(Schema):
    id: int
    collective_id: int
    counterparty: str
    object_kind: str
    object: str
    area: Decimal | None
    annual_rent: Decimal
    starts_on: dt.date
    ends_on: dt.date


class VillagePaymentOut(Schema):
    id: int
    contract_id: int
    due_on: dt.date
    amount: Decimal
    paid_on: dt.date | None


class VillageEntryIn(Schema):
    booked_on: dt.date
    category: str
    amount: Decimal
    note: str = ""


class VillageEntryOut(Schema):
    id: int
    booked_on: dt.date
    category: str
    amount: Decimal
    note: str


class VillageDisclosureOut(Schema):
    id: int
    collective_id: int
    period: str
    starts_on: dt.date
    ends_on: dt.date
    published_at: dt.datetime
    snapshot: dict


class VillageMemberIn(Schema):
    person_id: int
    confirmed_on: dt.date
    basis: str
    resolution: str
    shares: int = 1


class VillageMemberOut(Schema):
    id: int
    person_id: int
    household_id: int
    confirmed_on: dt.date
    basis: str
    resolution: str
    shares: int
    exited_on: dt.date | None
    exit_reason: str


class VillageAllianceOut(Schema):
    id: int
    name: str
    kind: str
    formed_on: dt.date
    purpose: str


class VillageRentFilters(Schema):
    due: str = ""


class VillageYear(Schema):
    year: int | None = None


@router.get("/", response=list[VillageCollectiveOut], operation_id="village_collective_list")
@paginate(PageNumberPagination, page_size=50)
def collective_list(request):
    return selectors.collectives(actor=request.user)


@router.get("/{collective_id}/statement", response=dict, operation_id="village_statement")
def statement(request, collective_id: int, filters: Query[VillageYear]):
    c = selectors.kept_collective(actor=request.user, pk=collective_id)
    year = filters.year or clock.today().year
    t = tier.second_tier(c, year)
    est = tier.per_villager_estimate(c, year)
    return {"statement": selectors.year_statement(c, year).as_json(),
            "second_tier": {"received": f"{t.received:.2f}", "retained": f"{t.retained:.2f}",
                            "collective_share": f"{t.collective_share:.2f}",
                            "to_households": f"{t.to_households:.2f}", "total_shares": t.total_shares},
            "per_villager_estimate": {"estimate": True, "total": f"{est['total']:.2f}", "villagers": est["villagers"],
                                      "per_villager": f"{est['per_villager']:.2f}" if est["per_villager"] is not None
                                      else None}}


@router.post("/{collective_id}/entries", response={201: VillageEntryOut}, operation_id="village_entry_create")
def entry_create(request, collective_id: int, payload: VillageEntryIn):
    c = selectors.kept_collective(actor=request.user, pk=collective_id)
    return Status(201, services.entry_book(actor=request.user, collective=c, booked_on=payload.booked_on,
                                           category=payload.category, amount=payload.amount, note=payload.note))


@router.get("/{collective_id}/contracts", response=list[VillageContractOut], operation_id="village_contract_list")
@paginate(PageNumberPagination, page_size=100)
def contract_list(request, collective_id: int):
    c = selectors.kept_collective(actor=request.user, pk=collective_id)
    return selectors.contracts(actor=request.user, collective=c)


@router.get("/rents", response=list[VillagePaymentOut], operation_id="village_rent_list")
@paginate(PageNumberPagination, page_size=100)
def rent_list(request, filters: Query[VillageRentFilters]):
    due = filters.due if filters.due in ("soon", "overdue") else ""
    qs = selectors.payments(actor=request.user, due=due, today=clock.today())
    return qs if due else qs.filter(paid_on__isnull=True)


@router.get("/contracts/{contract_id}/payments", response=list[VillagePaymentOut],
            operation_id="village_contract_payments")
def contract_payments(request, contract_id: int):
    k = selectors.contract(actor=request.user, pk=contract_id)
    return list(k.payments.order_by("due_on", "id"))


@router.get("/{collective_id}/members", response=list[VillageMemberOut], operation_id="village_member_list")
@paginate(PageNumberPagination, page_size=100)
def member_list(request, collective_id: int):
    c = selectors.kept_collective(actor=request.user, pk=collective_id)
    return selectors.members(actor=request.user, collective=c)


@router.post("/{collective_id}/members", response={201: VillageMemberOut}, operation_id="village_member_confirm")
def member_confirm(request, collective_id: int, payload: VillageMemberIn):
    from grassroots.core.errors import NotFound
    from grassroots.people.models import Person

    c = selectors.kept_collective(actor=request.user, pk=collective_id)
    person = Person.objects.filter(pk=payload.person_id).first()
    if person is None:
        raise NotFound("没有这个人", "No such person")
    return Status(201, services.member_confirm(actor=request.user, collective=c, person=person,
                                               confirmed_on=payload.confirmed_on, basis=payload.basis,
                                               resolution=payload.resolution, shares=payload.shares))


@router.get("/{collective_id}/disclosures", response=list[VillageDisclosureOut],
            operation_id="village_disclosure_list")
@paginate(PageNumberPagination, page_size=50)
def disclosure_list(request, collective_id: int):
    c = selectors.collective(actor=request.user, pk=collective_id)
    return selectors.disclosures(actor=request.user, collective=c)


@router.get("/{collective_id}/households/{household_id}", response=dict, operation_id="village_household_statement")
def household_statement(request, collective_id: int, household_id: int, filters: Query[VillageYear]):
    c = selectors.collective(actor=request.user, pk=collective_id)
    hid = selectors.household(actor=request.user, collective=c, household_id=household_id)
    year = filters.year or clock.today().year
    t = tier.second_tier(c, year)
    line = t.households.get(hid) or {"shares": 0, "payout": Decimal("0.00")}
    return {"year": year, "received": f"{t.received:.2f}", "retained": f"{t.retained:.2f}",
            "collective_share": f"{t.collective_share:.2f}", "to_households": f"{t.to_households:.2f}",
            "total_shares": t.total_shares, "shares": line["shares"], "payout": f"{line['payout']:.2f}"}


@router.get("/alliances", response=list[VillageAllianceOut], operation_id="village_alliance_list")
@paginate(PageNumberPagination, page_size=50)
def alliance_list(request):
    return selectors.alliances(actor=request.user)


class VillageAllianceIn(Schema):
    name: str
    kind: str
    formed_on: dt.date
    collective_ids: list[int]
    organization_ids: list[int] = []
    purpose: str = ""


@router.post("/alliances", response={201: VillageAllianceOut}, operation_id="village_alliance_create")
def alliance_create(request, payload: VillageAllianceIn):
    """An alliance (联合社, 联盟) or a 村企联建 link: the collectives whose books the caller keeps, with cooperatives
    and enterprises the caller sees."""
    chosen = [selectors.collective(actor=request.user, pk=pk) for pk in payload.collective_ids]
    partners = list(selectors.alliance_partners(actor=request.user).filter(pk__in=payload.organization_ids))
    if len(partners) != len(set(payload.organization_ids)):
        raise NotFound("组织不存在", "Organisation not found")
    return Status(201, services.alliance_create(actor=request.user, name=payload.name, kind=payload.kind,
                                                collectives=chosen, organizations=partners,
                                                formed_on=payload.formed_on, purpose=payload.purpose))


@router.get("/alliances/{alliance_id}", response=VillageAllianceOut, operation_id="village_alliance_detail")
def alliance_detail(request, alliance_id: int):
    return selectors.alliance(actor=request.user, pk=alliance_id)
