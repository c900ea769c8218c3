"""Brand API under ``/api/party/brands`` (``URL_PREFIX``; operation ids ``party_brand_…``): the same selectors and
services as the pages, the same scope (out of scope: 404)."""

import datetime as dt

from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from grassroots.core.pagination import PageNumberPagination

from . import selectors, services

URL_PREFIX = "/party/"
router = Router(tags=["party brands 党建品牌"])


class PartyBrandOut(Schema):
    id: int
    org_id: int
    org_name: str
    sector: str
    name: str
    has_logo: bool
    connotation: str
    carriers: str
    results: str
    status: str
    applied_on: dt.date | None
    level: str
    rated_by_org_id: int | None
    rated_by_body: str
    rated_year: int | None
    rated_on: dt.date | None
    return_reason: str
    revoked_on: dt.date | None
    revoke_reason: str

    @staticmethod
    def resolve_org_name(obj):
        return obj.org.name

    @staticmethod
    def resolve_has_logo(obj):
        return obj.logo_id is not None


class PartyBrandIn(Schema):
    org_id: int
    sector: str
    name: str
    connotation: str = ""
    carriers: str = ""
    results: str = ""


class PartyBrandEditIn(Schema):
    name: str | None = None
    sector: str | None = None
    connotation: str | None = None
    carriers: str | None = None
    results: str | None = None


class PartyBrandReviewersIn(Schema):
    reviewer_ids: list[int]


class PartyBrandOpinionIn(Schema):
    score: int
    opinion: str


class PartyBrandReasonIn(Schema):
    reason: str


class PartyBrandRateIn(Schema):
    level: str
    rated_on: dt.date | None = None
    rated_by_body: str = ""


class PartyBrandReviewOut(Schema):
    reviewer: str
    score: int | None
    opinion: str
    reviewed_at: dt.datetime | None

    @staticmethod
    def resolve_reviewer(obj):
        return obj.reviewer.get_username()


@router.get("/brands", response=list[PartyBrandOut], operation_id="party_brand_list")
@paginate(PageNumberPagination, page_size=50)
def brand_list(request, sector: str = "", status: str = "", level: str = "", q: str = ""):
    """Brands the caller sees (their organisations' and those they review), filtered by sector, status, rating."""
    return selectors.brand_list(actor=request.user, sector=sector[:12], status=status[:10], level=level[:14],
                                q=q[:60])


@router.get("/brands/{brand_id}", response=PartyBrandOut, operation_id="party_brand_detail")
def brand_detail(request, brand_id: int):
    return selectors.brand_detail(actor=request.user, pk=brand_id)


@router.get("/brands/{brand_id}/reviews", response=list[PartyBrandReviewOut], operation_id="party_brand_reviews")
def brand_reviews(request, brand_id: int):
    return list(selectors.reviews(brand=selectors.brand_detail(actor=request.user, pk=brand_id)))


@router.post("/brands", response={201: PartyBrandOut}, operation_id="party_brand_create")
def brand_create(request, payload: PartyBrandIn):
    org = selectors.keepable_org(actor=request.user, pk=payload.org_id)
    return Status(201, services.brand_create(actor=request.user, org=org, sector=payload.sector, name=payload.name,
                                             connotation=payload.connotation, carriers=payload.carriers,
                                             results=payload.results))


@router.patch("/brands/{brand_id}", response=PartyBrandOut, operation_id="party_brand_update")
def brand_update(request, brand_id: int, payload: PartyBrandEditIn):
    brand = selectors.brand_detail(actor=request.user, pk=brand_id)
    return services.brand_update(actor=request.user, brand=brand, **payload.dict())


@router.post("/brands/{brand_id}/logo", response=PartyBrandOut, operation_id="party_brand_logo")
def brand_logo(request, brand_id: int, logo: File[UploadedFile]):
    """The brand's logo (an image; multipart form field ``logo``), while the brand is a draft."""
    brand = selectors.brand_detail(actor=request.user, pk=brand_id)
    return services.brand_update(actor=request.user, brand=brand, logo=logo)


@router.post("/brands/{brand_id}/apply", response=PartyBrandOut, operation_id="party_brand_apply")
def brand_apply(request, brand_id: int):
    """申报: refused with the missing fields until the 五有 are complete."""
    return services.brand_apply(actor=request.user, brand=selectors.brand_detail(actor=request.user, pk=brand_id))


@router.post("/brands/{brand_id}/review-open", response=PartyBrandOut, operation_id="party_brand_review_open")
def brand_review_open(request, brand_id: int, payload: PartyBrandReviewersIn):
    brand = selectors.brand_detail(actor=request.user, pk=brand_id)
    return services.brand_review_open(actor=request.user, brand=brand, reviewer_ids=payload.reviewer_ids)


@router.post("/brands/{brand_id}/review", response=PartyBrandReviewOut, operation_id="party_brand_review")
def brand_review(request, brand_id: int, payload: PartyBrandOpinionIn):
    brand = selectors.brand_detail(actor=request.user, pk=brand_id)
    return services.brand_review_submit(actor=request.user, brand=brand, score=payload.score,
                                        opinion=payload.opinion)


@router.post("/brands/{brand_id}/return", response=PartyBrandOut, operation_id="party_brand_return")
def brand_return(request, brand_id: int, payload: PartyBrandReasonIn):
    brand = selectors.brand_detail(actor=request.user, pk=brand_id)
    return services.brand_return(actor=request.user, brand=brand, reason=payload.reason)


@router.post("/brands/{brand_id}/rate", response=PartyBrandOut, operation_id="party_brand_rate")
def brand_rate(request, brand_id: int, payload: PartyBrandRateIn):
    brand = selectors.brand_detail(actor=request.user, pk=brand_id)
    return services.brand_rate(actor=request.user, brand=brand, level=payload.level, rated_on=payload.rated_on,
                               rated_by_body=payload.rated_by_body)


@router.post("/brands/{brand_id}/revoke", response=PartyBrandOut, operation_id="party_brand_revoke")
def brand_revoke(request, brand_id: int, payload: PartyBrandReasonIn):
    brand = selectors.brand_detail(actor=request.user, pk=brand_id)
    return services.brand_revoke(actor=request.user, brand=brand, reason=payload.reason)
