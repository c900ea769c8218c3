"""People API (mounted at /api/people/): persons (masked numbers only), organisations, posts. Organisations are
registered, changed and dissolved here too; everything else is read-only.

Unmasked values are never served here; the page's audited reveal is the only way to see one.
"""

from __future__ import annotations

import datetime as dt

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from grassroots.core.pagination import PageNumberPagination, RowList

from . import selectors, services
from .masking import mask_id, mask_phone

router = Router(tags=["people 人员与组织"])


class PersonOut(Schema):
    id: int
    name: str
    gender: str
    birth_date: dt.date | None = None
    age: int | None = None
    is_minor: bool
    id_type: str
    id_number_masked: str
    phone_masked: str
    region_id: int | None = None
    region_name: str = ""
    building_id: int | None = None
    room: str = ""
    relation_to_head: str = ""
    is_household_head: bool
    tags: list[str] = Field(default_factory=list)
    active: bool


def _person_row(p) -> dict:
    return {
        "id": p.pk, "name": p.name, "gender": p.gender, "birth_date": p.birth_date, "age": p.age,
        "is_minor": p.is_minor, "id_type": p.id_type, "id_number_masked": mask_id(p.id_number),
        "phone_masked": mask_phone(p.phone), "region_id": p.region_id,
        "region_name": p.region.name if p.region_id else "", "building_id": p.building_id,
        "room": p.household.room if p.household_id else "", "relation_to_head": p.relation_to_head,
        "is_household_head": p.is_household_head, "tags": [t for t in (p.tags or []) if isinstance(t, str)],
        "active": p.active,
    }


@router.get("/persons", response=list[PersonOut], operation_id="people_person_list")
@paginate(PageNumberPagination, page_size=50)
def person_list(request, q: str = "", region: int | None = None, gender: str = "", age_band: str = "",
                minors: bool = False, tag: str = "", active: str = "1"):
    filters = selectors.PersonFilters(q=q, region=region, gender=gender, age_band=age_band, minors=minors, tag=tag,
                                      active=active)
    qs = selectors.person_list(actor=request.auth, filters=filters)
    return RowList(qs, _person_row)


class PersonLookupIn(Schema):
    number: str = Field(max_length=32, description="完整的证件号码或手机号 / a full ID or phone number")


@router.post("/persons/lookup", response=list[PersonOut], operation_id="people_person_lookup")
def person_lookup(request, payload: PersonLookupIn):
    """Persons in scope with exactly this ID or phone number. The number travels in the body, never in a URL;
    ``GET /persons?q=`` matches names only."""
    return [_person_row(p) for p in selectors.person_by_number(actor=request.auth, number=payload.number)]


@router.get("/persons/{int:pk}", response=PersonOut, operation_id="people_person_detail")
def person_detail(request, pk: int):
    return _person_row(selectors.person_get(actor=request.auth, pk=pk))


class OrganizationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str
    credit_code: str
    parent_id: int | None = None
    region_id: int | None = None
    region_name: str = ""
    address: str
    phone: str
    lon: float | None = None
    lat: float | None = None
    active: bool
    dissolved_on: dt.date | None = None
    dissolved_reason: str = ""


def _organization_row(o) -> dict:
    return {"id": o.pk, "name": o.name, "short_name": o.short_name, "kind": o.kind,
            "kind_label": str(o.get_kind_display()), "credit_code": o.credit_code, "parent_id": o.parent_id,
            "region_id": o.region_id, "region_name": o.region.name if o.region_id else "", "address": o.address,
            "phone": o.phone, "lon": o.lon, "lat": o.lat, "active": o.active, "dissolved_on": o.dissolved_on,
            "dissolved_reason": o.dissolved_reason}


class OrganizationIn(Schema):
    name: str
    kind: str
    short_name: str = ""
    credit_code: str = ""
    region_id: int | None = None
    parent_id: int | None = None
    address: str = ""
    phone: str = ""
    lon: float | None = None
    lat: float | None = None


class OrganizationPatch(Schema):
    """Only the fields sent are changed; ``region_id`` / ``parent_id`` null clears them."""

    name: str | None = None
    kind: str | None = None
    short_name: str | None = None
    credit_code: str | None = None
    region_id: int | None = None
    parent_id: int | None = None
    address: str | None = None
    phone: str | None = None
    lon: float | None = None
    lat: float | None = None


class OrganizationDissolveIn(Schema):
    reason: str
    dissolved_on: dt.date | None = None


def _organization_fields(actor, data: dict) -> dict:
    """Payload fields as service arguments: region and parent resolved within the actor's scope (else 404)."""
    fields = dict(data)
    if "region_id" in fields:
        pk = fields.pop("region_id")
        fields["region"] = selectors.organization_region_get(actor=actor, pk=pk) if pk is not None else None
    if "parent_id" in fields:
        pk = fields.pop("parent_id")
        fields["parent"] = selectors.organization_get(actor=actor, pk=pk) if pk is not None else None
    return fields


@router.post("/organizations", response={201: OrganizationOut}, operation_id="people_organization_create")
def organization_create(request, payload: OrganizationIn):
    services.ensure_may_register_organizations(request.auth)
    org = services.organization_create(actor=request.auth, **_organization_fields(request.auth, payload.dict()))
    return Status(201, _organization_row(selectors.organization_get(actor=request.auth, pk=org.pk)))


@router.patch("/organizations/{int:pk}", response=OrganizationOut, operation_id="people_organization_update")
def organization_update(request, pk: int, payload: OrganizationPatch):
    org = selectors.organization_get(actor=request.auth, pk=pk)
    changes = _organization_fields(request.auth, payload.dict(exclude_unset=True))
    services.organization_update(actor=request.auth, organization=org, **changes)
    return _organization_row(selectors.organization_get(actor=request.auth, pk=pk))


@router.post("/organizations/{int:pk}/dissolve", response=OrganizationOut,
             operation_id="people_organization_dissolve")
def organization_dissolve(request, pk: int, payload: OrganizationDissolveIn):
    org = selectors.organization_get(actor=request.auth, pk=pk)
    services.organization_dissolve(actor=request.auth, organization=org, reason=payload.reason,
                                   on=payload.dissolved_on)
    return _organization_row(selectors.organization_get(actor=request.auth, pk=pk))


@router.get("/organizations", response=list[OrganizationOut], operation_id="people_organization_list")
@paginate(PageNumberPagination, page_size=50)
def organization_list(request, q: str = "", kind: str = "", region: int | None = None, active: str = "1"):
    qs = selectors.organization_list(actor=request.auth, q=q, kind=kind, region=region, active=active)
    return RowList(qs, _organization_row)


@router.get("/organizations/{int:pk}", response=OrganizationOut, operation_id="people_organization_detail")
def organization_detail(request, pk: int):
    return _organization_row(selectors.organization_get(actor=request.auth, pk=pk))


class PostOut(Schema):
    id: int
    user_id: int
    username: str
    display_name: str
    role: str
    role_label: str
    region_id: int | None = None
    organization_id: int | None = None
    party_org_path: str = ""
    title: str
    start_date: dt.date
    end_date: dt.date | None = None
    successor_id: int | None = None


def _post_row(p) -> dict:
    return {"id": p.pk, "user_id": p.user_id, "username": p.user.username, "display_name": str(p.user),
            "role": p.role, "role_label": str(p.get_role_display()), "region_id": p.region_id,
            "organization_id": p.organization_id, "party_org_path": p.party_org_path, "title": p.title, "start_date": p.start_date,
            "end_date": p.end_date, "successor_id": p.successor_id}


@router.get("/posts", response=list[PostOut], operation_id="people_post_list")
@paginate(PageNumberPagination, page_size=50)
def post_list(request, q: str = "", role: str = "", current: str = "1"):
    return RowList(selectors.post_list(actor=request.auth, q=q, role=role, current=current), _post_row)


# Residents' accounts: phone codes, registration, invitations, the community office's match queue ----------------

class PhoneCodeIn(Schema):
    phone: str = Field(max_length=20)
    purpose: str = Field(max_length=16, description="register | sign_in | reset")


class RegisterIn(Schema):
    phone: str = Field(max_length=20)
    code: str = Field(max_length=10)
    name: str = Field(max_length=64)
    community_id: int
    username: str = Field(max_length=150)
    password: str = Field(max_length=128)
    id_number: str = Field("", max_length=32)


class ClaimOut(Schema):
    id: int
    name: str
    phone_last4: str
    community_id: int
    status: str
    person_id: int | None = None
    username: str
    created_at: dt.datetime


class InviteRedeemIn(Schema):
    code: str = Field(max_length=20)
    username: str = Field(max_length=150)
    password: str = Field(max_length=128)


class ResetIn(Schema):
    phone: str = Field(max_length=20)
    code: str = Field(max_length=10)
    password: str = Field(max_length=128)


class InviteIn(Schema):
    send_to_phone: bool = False


class InviteOut(Schema):
    id: int
    code: str = Field(description="shown once")
    expires_at: dt.datetime
    sent_to_phone: bool


class ConfirmIn(Schema):
    person_id: int


class RejectIn(Schema):
    reason: str = Field(max_length=200)


class Accepted(Schema):
    ok: bool = True


def _claim_row(c) -> dict:
    return {"id": c.pk, "name": c.name, "phone_last4": c.phone_last4, "community_id": c.community_id,
            "status": c.status, "person_id": c.person_id, "username": c.user.username, "created_at": c.created_at}


@router.post("/account/phone-code", response={202: Accepted}, auth=None, operation_id="people_account_phone_code")
def account_phone_code(request, payload: PhoneCodeIn):
    """Send a registration, sign-in or reset code (limits: core.phonecodes). The answer is the same whether or not
    the phone opens an account."""
    from grassroots.core.errors import ValidationFailed

    if payload.purpose not in ("register", "sign_in", "reset"):
        raise ValidationFailed("未知的验证码用途", "Unknown code purpose", code="phone_code_purpose", field="purpose")
    services.send_phone_code(phone=payload.phone, purpose=payload.purpose)
    return Status(202, {"ok": True})


@router.post("/account/register", response={201: ClaimOut}, auth=None, operation_id="people_account_register")
def account_register(request, payload: RegisterIn):
    community = selectors.registration_community_get(pk=payload.community_id)
    claim = services.register(phone=payload.phone, code=payload.code, name=payload.name, community=community,
                              username=payload.username, password=payload.password, id_number=payload.id_number)
    return Status(201, _claim_row(claim))


@router.post("/account/invite", response={201: Accepted}, auth=None, operation_id="people_account_invite_redeem")
def account_invite_redeem(request, payload: InviteRedeemIn):
    services.invite_redeem(code=payload.code, username=payload.username, password=payload.password)
    return Status(201, {"ok": True})


@router.post("/account/password-reset", response=Accepted, auth=None, operation_id="people_account_password_reset")
def account_password_reset(request, payload: ResetIn):
    services.reset_password(phone=payload.phone, code=payload.code, password=payload.password)
    return {"ok": True}


@router.post("/persons/{int:pk}/invite", response={201: InviteOut}, operation_id="people_person_invite")
def person_invite(request, pk: int, payload: InviteIn):
    person = selectors.person_get(actor=request.auth, pk=pk)
    invite, code = services.invite_create(actor=request.auth, person=person, send_to_phone=payload.send_to_phone)
    return Status(201, {"id": invite.pk, "code": code, "expires_at": invite.expires_at,
                        "sent_to_phone": invite.sent_to_phone})


@router.get("/claims", response=list[ClaimOut], operation_id="people_claim_list")
@paginate(PageNumberPagination, page_size=50)
def claim_list(request, status: str = "pending"):
    return RowList(selectors.claim_list(actor=request.auth, status=status), _claim_row)


@router.post("/claims/{int:pk}/confirm", response=ClaimOut, operation_id="people_claim_confirm")
def claim_confirm(request, pk: int, payload: ConfirmIn):
    claim = selectors.claim_get(actor=request.auth, pk=pk)
    person = selectors.claim_person_get(actor=request.auth, claim=claim, pk=payload.person_id)
    return _claim_row(services.claim_confirm(actor=request.auth, claim=claim, person=person))


@router.post("/claims/{int:pk}/reject", response=ClaimOut, operation_id="people_claim_reject")
def claim_reject(request, pk: int, payload: RejectIn):
    claim = selectors.claim_get(actor=request.auth, pk=pk)
    return _claim_row(services.claim_reject(actor=request.auth, claim=claim, reason=payload.reason))
