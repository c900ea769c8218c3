"""为群众办实事 API under ``/api/party/service-projects`` (``URL_PREFIX``; operation ids ``party_service_project_…``):
the same selectors and services as the pages, the same scope (out of scope: 404). Ratings are given on the
printed notice's page, not through the API."""

import datetime as dt

from ninja import Router, Schema, Status
from ninja.pagination import paginate

from grassroots.core.api_params import Year
from grassroots.core.pagination import PageNumberPagination

from . import selectors, services

URL_PREFIX = "/party/"
router = Router(tags=["service projects 为群众办实事"])


class ServiceProjectOut(Schema):
    id: int
    org_id: int
    org_name: str
    title: str
    description: str
    source: str
    source_ref: str
    owner: str
    start: dt.date
    due: dt.date
    status: str
    progress: int
    progress_note: str
    done_on: dt.date | None
    result: str
    hearts: bool
    ratings: dict

    @staticmethod
    def resolve_org_name(obj):
        return obj.org.name

    @staticmethod
    def resolve_ratings(obj):
        return selectors.rating_counts(obj)


class ServiceProjectIn(Schema):
    org_id: int
    title: str
    source: str
    owner: str
    start: dt.date
    due: dt.date
    description: str = ""
    source_ref: str = ""
    hearts: bool = False


class ServiceProgressIn(Schema):
    progress: int
    note: str = ""


class ServiceMilestoneIn(Schema):
    title: str
    due_on: dt.date


class ServiceMilestoneOut(Schema):
    id: int
    title: str
    due_on: dt.date
    done_on: dt.date | None


class ServiceFinishIn(Schema):
    result: str
    done_on: dt.date | None = None


class ServiceCancelIn(Schema):
    reason: str


class ServiceCompletionOut(Schema):
    org_id: int
    org_name: str
    total: int
    done: int
    rate: float | None

    @staticmethod
    def resolve_org_name(obj):
        return obj["org__name"]


@router.get("/service-projects", response=list[ServiceProjectOut], operation_id="party_service_project_list")
@paginate(PageNumberPagination, page_size=50)
def project_list(request, status: str = "", source: str = "", q: str = "", year: Year | None = None):
    return selectors.project_list(actor=request.user, status=status[:12], source=source[:12], q=q[:60], year=year)


@router.get("/service-projects/completion", response=list[ServiceCompletionOut],
            operation_id="party_service_project_completion")
def project_completion(request, year: Year | None = None):
    """办结率 per organisation the caller sees (cancelled projects left out)."""
    return selectors.completion(actor=request.user, year=year)


@router.get("/service-projects/{project_id}", response=ServiceProjectOut, operation_id="party_service_project_detail")
def project_detail(request, project_id: int):
    return selectors.project_detail(actor=request.user, pk=project_id)


@router.post("/service-projects", response={201: ServiceProjectOut}, operation_id="party_service_project_create")
def project_create(request, payload: ServiceProjectIn):
    org = selectors.keepable_org(actor=request.user, pk=payload.org_id)
    data = payload.dict()
    data.pop("org_id")
    return Status(201, services.project_create(actor=request.user, org=org, **data))


@router.post("/service-projects/{project_id}/progress", response=ServiceProjectOut,
             operation_id="party_service_project_progress")
def project_progress(request, project_id: int, payload: ServiceProgressIn):
    project = selectors.project_detail(actor=request.user, pk=project_id)
    return services.project_progress(actor=request.user, project=project, progress=payload.progress,
                                     note=payload.note)


@router.post("/service-projects/{project_id}/milestones", response={201: ServiceMilestoneOut},
             operation_id="party_service_project_milestone_add")
def milestone_add(request, project_id: int, payload: ServiceMilestoneIn):
    project = selectors.project_detail(actor=request.user, pk=project_id)
    return Status(201, services.milestone_add(actor=request.user, project=project, title=payload.title,
                                              due_on=payload.due_on))


@router.post("/service-projects/milestones/{milestone_id}/done", response=ServiceMilestoneOut,
             operation_id="party_service_project_milestone_done")
def milestone_done(request, milestone_id: int):
    milestone = selectors.milestone_detail(actor=request.user, pk=milestone_id)
    return services.milestone_done(actor=request.user, milestone=milestone)


@router.post("/service-projects/{project_id}/finish", response=ServiceProjectOut,
             operation_id="party_service_project_finish")
def project_finish(request, project_id: int, payload: ServiceFinishIn):
    project = selectors.project_detail(actor=request.user, pk=project_id)
    return services.project_finish(actor=request.user, project=project, result=payload.result,
                                   done_on=payload.done_on)


@router.post("/service-projects/{project_id}/cancel", response=ServiceProjectOut,
             operation_id="party_service_project_cancel")
def project_cancel(request, project_id: int, payload: ServiceCancelIn):
    project = selectors.project_detail(actor=request.user, pk=project_id)
    return services.project_cancel(actor=request.user, project=project, reason=payload.reason)
