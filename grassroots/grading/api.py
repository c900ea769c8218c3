"""API: schemes with their indicators and bands, targets, entries, results with ranking."""


from decimal import Decimal

from ninja import Router, Schema, Status
from ninja.pagination import paginate

from grassroots.core.api_params import Year
from grassroots.core.errors import NotFound
from grassroots.core.pagination import PageNumberPagination

from . import selectors, services

router = Router(tags=["grading 考核评价"])


class GradingBandOut(Schema):
    id: int
    code: str
    name: str
    min_score: Decimal


class GradingIndicatorOut(Schema):
    id: int
    parent_id: int | None
    code: str
    name: str
    kind: str
    method: str
    max_score: Decimal
    unit_score: Decimal


class GradingSchemeOut(Schema):
    id: int
    name: str
    year: int
    target_type: str
    region_code: str
    status: str
    bonus_limit: Decimal | None
    deduction_limit: Decimal | None
    veto_grade_id: int | None

    @staticmethod
    def resolve_region_code(obj):
        return obj.region.code


class GradingSchemeDetailOut(GradingSchemeOut):
    indicators: list[GradingIndicatorOut]
    bands: list[GradingBandOut]

    @staticmethod
    def resolve_indicators(obj):
        return list(obj.indicators.all())

    @staticmethod
    def resolve_bands(obj):
        return list(obj.bands.all())


class GradingSchemeIn(Schema):
    name: str
    year: Year
    target_type: str
    region_code: str
    bonus_limit: Decimal | None = None
    deduction_limit: Decimal | None = None


class GradingIndicatorIn(Schema):
    code: str
    name: str
    method: str
    max_score: Decimal
    kind: str = "standard"
    unit_score: Decimal = Decimal(0)
    parent_id: int | None = None
    guidance: str = ""


class GradingBandIn(Schema):
    code: str
    name: str
    min_score: Decimal


class GradingLimitsIn(Schema):
    bonus_limit: Decimal | None = None
    deduction_limit: Decimal | None = None
    veto_grade_id: int | None = None


class GradingAssessmentIn(Schema):
    target_id: int


class GradingResultOut(Schema):
    id: int
    scheme_id: int
    target_id: int
    target_label: str
    base_score: Decimal
    bonus_score: Decimal
    deduction_score: Decimal
    total_score: Decimal
    vetoed: bool
    grade: str | None
    rank: int | None

    @staticmethod
    def resolve_grade(obj):
        return obj.grade.name if obj.grade_id else None


class GradingEntryIn(Schema):
    indicator_id: int
    value: Decimal
    note: str = ""


class GradingEntriesIn(Schema):
    entries: list[GradingEntryIn]


class GradingEntryOut(Schema):
    id: int
    indicator_id: int
    assessor_id: int
    value: Decimal
    note: str


@router.get("/schemes", response=list[GradingSchemeOut], operation_id="grading_scheme_list")
@paginate(PageNumberPagination, page_size=50)
def scheme_list(request, year: Year | None = None, target_type: str = "", status: str = ""):
    return selectors.schemes(actor=request.user, year=year, target_type=target_type, status=status)


@router.post("/schemes", response={201: GradingSchemeDetailOut}, operation_id="grading_scheme_create")
def scheme_create(request, payload: GradingSchemeIn):
    from grassroots.territory.models import Region

    region = Region.objects.filter(code=payload.region_code).first()
    if region is None:
        raise NotFound("区域不存在", "Region not found", field="region_code")
    return Status(201, services.scheme_create(actor=request.user, name=payload.name, year=payload.year,
                                       target_type=payload.target_type, region=region,
                                       bonus_limit=payload.bonus_limit, deduction_limit=payload.deduction_limit))


@router.get("/schemes/{scheme_id}", response=GradingSchemeDetailOut, operation_id="grading_scheme_detail")
def scheme_detail(request, scheme_id: int):
    return selectors.scheme_get(actor=request.user, pk=scheme_id)


@router.post("/schemes/{scheme_id}/indicators", response={201: GradingIndicatorOut}, operation_id="grading_indicator_add")
def indicator_add(request, scheme_id: int, payload: GradingIndicatorIn):
    scheme = selectors.scheme_get(actor=request.user, pk=scheme_id)
    parent = None
    if payload.parent_id is not None:
        parent = scheme.indicators.filter(pk=payload.parent_id).first()
        if parent is None:
            raise NotFound("上级指标不存在", "Parent indicator not found", field="parent_id")
    return Status(201, services.indicator_add(actor=request.user, scheme=scheme, code=payload.code, name=payload.name,
                                       method=payload.method, max_score=payload.max_score, kind=payload.kind,
                                       unit_score=payload.unit_score, parent=parent, guidance=payload.guidance))


@router.post("/schemes/{scheme_id}/bands", response=GradingBandOut, operation_id="grading_band_set")
def band_set(request, scheme_id: int, payload: GradingBandIn):
    scheme = selectors.scheme_get(actor=request.user, pk=scheme_id)
    return services.band_set(actor=request.user, scheme=scheme, code=payload.code, name=payload.name,
                             min_score=payload.min_score)


@router.post("/schemes/{scheme_id}/limits", response=GradingSchemeOut, operation_id="grading_scheme_limits")
def scheme_limits(request, scheme_id: int, payload: GradingLimitsIn):
    scheme = selectors.scheme_get(actor=request.user, pk=scheme_id)
    veto = None
    if payload.veto_grade_id is not None:
        veto = scheme.bands.filter(pk=payload.veto_grade_id).first()
        if veto is None:
            raise NotFound("等次不存在", "Grade band not found", field="veto_grade_id")
    return services.scheme_limits_set(actor=request.user, scheme=scheme, bonus_limit=payload.bonus_limit,
                                      deduction_limit=payload.deduction_limit, veto_grade=veto)


@router.post("/schemes/{scheme_id}/open", response=GradingSchemeOut, operation_id="grading_scheme_open")
def scheme_open(request, scheme_id: int):
    return services.scheme_open(actor=request.user, scheme=selectors.scheme_get(actor=request.user, pk=scheme_id))


@router.post("/schemes/{scheme_id}/close", response=GradingSchemeOut, operation_id="grading_scheme_close")
def scheme_close(request, scheme_id: int):
    return services.scheme_close(actor=request.user, scheme=selectors.scheme_get(actor=request.user, pk=scheme_id))


@router.post("/schemes/{scheme_id}/reopen", response=GradingSchemeOut, operation_id="grading_scheme_reopen")
def scheme_reopen(request, scheme_id: int):
    return services.scheme_reopen(actor=request.user, scheme=selectors.scheme_get(actor=request.user, pk=scheme_id))


@router.post("/schemes/{scheme_id}/assessments", response={201: GradingResultOut}, operation_id="grading_assessment_add")
def assessment_add(request, scheme_id: int, payload: GradingAssessmentIn):
    scheme = selectors.scheme_get(actor=request.user, pk=scheme_id)
    return Status(201, services.assessment_add(actor=request.user, scheme=scheme, target_id=payload.target_id))


@router.get("/schemes/{scheme_id}/results", response=list[GradingResultOut], operation_id="grading_results")
@paginate(PageNumberPagination, page_size=100)
def results(request, scheme_id: int):
    scheme = selectors.scheme_get(actor=request.user, pk=scheme_id)
    return selectors.results(actor=request.user, scheme=scheme)


@router.get("/assessments/{assessment_id}", response=GradingResultOut, operation_id="grading_assessment_detail")
def assessment_detail(request, assessment_id: int):
    return selectors.assessment_get(actor=request.user, pk=assessment_id)


@router.post("/assessments/{assessment_id}/entries", response=list[GradingEntryOut], operation_id="grading_entries_record")
def entries_record(request, assessment_id: int, payload: GradingEntriesIn):
    assessment = selectors.assessment_get(actor=request.user, pk=assessment_id)
    return services.entries_record(actor=request.user, assessment=assessment,
                                   values={e.indicator_id: e.value for e in payload.entries},
                                   notes={e.indicator_id: e.note for e in payload.entries})
