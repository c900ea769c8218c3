"""Member development API under ``/api/party/development/...`` (``URL_PREFIX``; the first path segment
``development`` belongs to this app)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status

from grassroots.core.api_params import Limit, Offset
from grassroots.core.errors import ValidationFailed
from grassroots.party import selectors as party_selectors

from . import selectors, services
from .states import STEPS, Stage

URL_PREFIX = "/party/"
router = Router(tags=["party development 发展党员"])


class StepOut(Schema):
    number: int
    label: str
    done_on: dt.date
    done_by: str
    note: str
    document_id: int | None = None
    data: dict


class CaseOut(Schema):
    id: int
    person_id: int
    name: str
    branch_id: int
    branch_name: str
    stage: str
    last_step: int
    next_step: int | None = None
    applied_on: dt.date
    activist_on: dt.date | None = None
    vote_on: dt.date | None = None
    probation_ends: dt.date | None = None
    extension_months: int


class CaseDetailOut(CaseOut):
    steps: list[StepOut] = []


class StepIn(Schema):
    number: int
    done_on: dt.date
    done_by: str
    note: str = ""
    data: dict = {}


class CaseIn(Schema):
    id_number: str
    branch_id: int
    applied_on: dt.date
    done_by: str = ""
    note: str = ""


class PipelineOut(Schema):
    branch_id: int
    branch_name: str
    applicant: int
    activist: int
    candidate: int
    admission: int
    probation: int
    upper: int


def _case_out(c) -> dict:
    return {"id": c.pk, "person_id": c.person_id, "name": c.person.name, "branch_id": c.branch_id,
            "branch_name": c.branch.name, "stage": c.stage, "last_step": c.last_step, "next_step": c.next_step,
            "applied_on": c.applied_on, "activist_on": c.activist_on, "vote_on": c.vote_on,
            "probation_ends": c.probation_ends, "extension_months": c.extension_months}


def _detail(actor, pk: int) -> dict:
    case = selectors.case_detail(actor=actor, pk=pk)
    body = _case_out(case)
    body["steps"] = [{"number": s.number, "label": str(STEPS[s.number].label), "done_on": s.done_on,
                      "done_by": s.done_by, "note": s.note, "document_id": s.document_id, "data": s.data}
                     for s in selectors.case_steps(actor=actor, case=case)]
    return body


@router.get("/development/cases", response=list[CaseOut], operation_id="party_development_case_list")
def case_list(request: HttpRequest, stage: str = "", waiting: str = "", q: str = "", offset: Offset = 0,
              limit: Limit = 50):
    """Cases of the branches the caller acts for; ``waiting=upper`` the ones waiting on the committee above."""
    if stage and stage not in Stage.values:
        raise ValidationFailed("阶段无效", "Unknown stage", field="stage")
    qs = selectors.case_list(actor=request.auth, stage=stage, waiting=waiting if waiting in ("upper", "branch")
                             else "", q=q)
    return [_case_out(c) for c in qs[offset:offset + limit]]


@router.get("/development/cases/{int:case_id}", response=CaseDetailOut, operation_id="party_development_case_detail")
def case_detail(request: HttpRequest, case_id: int):
    return _detail(request.auth, case_id)


@router.post("/development/cases/{int:case_id}/steps", response={201: CaseDetailOut},
             operation_id="party_development_step_record")
def step_record(request: HttpRequest, case_id: int, payload: StepIn):
    """Record the next step; a step out of order, too early or too late is a 400 with the reason."""
    case = selectors.case_detail(actor=request.auth, pk=case_id)
    services.step_record(actor=request.auth, case=case, number=payload.number, done_on=payload.done_on,
                         done_by=payload.done_by, note=payload.note, data=payload.data)
    return Status(201, _detail(request.auth, case_id))


@router.post("/development/cases", response={201: CaseDetailOut}, operation_id="party_development_case_open")
def case_open(request: HttpRequest, payload: CaseIn):
    """Step 1: an application handed to a branch (the applicant named by ID number, 18 or older, not a member)."""
    person = party_selectors.person_by_id_number(actor=request.auth, id_number=payload.id_number)
    branch = party_selectors.org_detail(actor=request.auth, pk=payload.branch_id)
    case = services.case_open(actor=request.auth, person=person, branch=branch, applied_on=payload.applied_on,
                              done_by=payload.done_by, note=payload.note)
    return Status(201, _detail(request.auth, case.pk))


@router.get("/development/pipeline", response=list[PipelineOut], operation_id="party_development_pipeline")
def pipeline(request: HttpRequest):
    """Open cases per branch and stage, and how many wait on the committee above."""
    return [{"branch_id": r["branch_id"], "branch_name": r["branch__name"], "applicant": r["applicant"],
             "activist": r["activist"], "candidate": r["candidate"], "admission": r["admission"],
             "probation": r["probation"], "upper": r["upper"]} for r in selectors.pipeline(actor=request.auth)]
