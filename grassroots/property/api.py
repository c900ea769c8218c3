"""API: compounds with their firm and committee, property firms, joint meetings, and the three rates."""


import datetime as dt

from ninja import Router, Schema
from ninja.pagination import paginate

from grassroots.core.api_params import Year
from grassroots.core.pagination import PageNumberPagination

from . import selectors

router = Router(tags=["property 红色物业"])


class PropertyCompoundOut(Schema):
    id: int
    code: str
    name: str
    community_code: str
    community_name: str
    firms: list[str]
    has_professional_service: bool
    has_committee: bool

    @staticmethod
    def resolve_community_code(obj):
        return obj.community.code

    @staticmethod
    def resolve_community_name(obj):
        return obj.community.name

    @staticmethod
    def resolve_firms(obj):
        return [c.firm.name for c in getattr(obj, "current_contracts", []) if c.firm_id]


class FirmOut(Schema):
    id: int
    name: str
    compound_count: int
    covered: bool
    coverage_modes: list[str]

    @staticmethod
    def resolve_coverage_modes(obj):
        return [c.mode for c in obj.current_coverage]


class JointMeetingOut(Schema):
    id: int
    held_on: dt.date
    community_code: str
    compound_code: str | None
    topic: str
    parties_present: int

    @staticmethod
    def resolve_community_code(obj):
        return obj.community.code

    @staticmethod
    def resolve_compound_code(obj):
        return obj.compound.code if obj.compound_id else None


class PropertyRateOut(Schema):
    code: str
    name: str
    numerator: int
    denominator: int
    value: float | None
    as_of: dt.date
    definition: str


@router.get("/compounds", response=list[PropertyCompoundOut], operation_id="property_compound_list")
@paginate(PageNumberPagination, page_size=50)
def compound_list(request, q: str = "", community: str = "", managed: str = "", committee: str = ""):
    return selectors.compounds(actor=request.user, q=q, community_code=community, managed=managed,
                 committee=committee)


@router.get("/compounds/{compound_id}", response=PropertyCompoundOut, operation_id="property_compound_detail")
def compound_detail(request, compound_id: int):
    return selectors.compound_summary(actor=request.user, pk=compound_id)


@router.get("/firms", response=list[FirmOut], operation_id="property_firm_list")
@paginate(PageNumberPagination, page_size=50)
def firm_list(request, on: dt.date | None = None):
    return selectors.firms(actor=request.user, on=on)


@router.get("/meetings", response=list[JointMeetingOut], operation_id="property_meeting_list")
@paginate(PageNumberPagination, page_size=50)
def meeting_list(request, community: str = "", year: Year | None = None):
    return selectors.joint_meetings(actor=request.user, community_code=community, year=year)


@router.get("/rates", response=list[PropertyRateOut], operation_id="property_rates")
def rates(request, on: dt.date | None = None, region: str = ""):
    return selectors.rates(actor=request.user, on=on, region_code=region)
