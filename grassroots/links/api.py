"""API: signed links for staff — issue a link of a purpose to an object, list an object's links, revoke one.

Who may is each purpose's own rule (``purposes.Purpose.can_issue``, the owning app's scope): an object the caller
may not issue links for is not found, as is an unknown purpose. The public address ``/s/<address>/`` is a page.
"""

import datetime as dt

from django.apps import apps
from ninja import Query, Router, Schema, Status

from grassroots.core.errors import NotFound

from . import purposes, selectors, services

router = Router(tags=["links 签名链接"])


class SignedLinkOut(Schema):
    id: int
    purpose: str
    target_id: int
    version: int
    address: str
    path: str
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    revoked_reason: str
    valid: bool

    @staticmethod
    def resolve_address(obj):
        return services.token_of(obj)

    @staticmethod
    def resolve_path(obj):
        return services.path_of(obj)

    @staticmethod
    def resolve_valid(obj):
        from grassroots.core import clock

        return obj.revoked_at is None and obj.expires_at > clock.now()


class SignedLinkFilters(Schema):
    purpose: str
    target_id: int


class SignedLinkIn(Schema):
    purpose: str
    target_id: int
    days: int | None = None
    new_version: bool = False


class SignedLinkRevokeIn(Schema):
    reason: str = ""


def _target(actor, purpose: str, target_id: int):
    """The purpose's object ``target_id`` if the actor may issue links for it; anything else is not found."""
    kind = purposes.get(purpose[:64])
    if kind is None or not (1 <= target_id <= 2**63 - 1):
        raise NotFound()
    app_label, model_name = kind.model.split(".", 1)
    target = apps.get_model(app_label, model_name).objects.filter(pk=target_id).first()
    if target is None or not kind.can_issue(actor, target):
        raise NotFound()
    return target


@router.get("/links", response=list[SignedLinkOut], operation_id="links_list")
def link_list(request, filters: Query[SignedLinkFilters]):
    target = _target(request.user, filters.purpose, filters.target_id)
    return list(selectors.links_for(actor=request.user, target=target, purpose=filters.purpose))


@router.post("/links", response={200: SignedLinkOut, 201: SignedLinkOut}, operation_id="links_issue")
def link_issue(request, payload: SignedLinkIn):
    """The object's current link of the purpose (200), or a new one (201: none yet, or ``new_version``)."""
    target = _target(request.user, payload.purpose, payload.target_id)
    before = set(selectors.links_for(actor=request.user, target=target, purpose=payload.purpose)
                 .values_list("pk", flat=True))
    link = services.link_issue(actor=request.user, purpose=payload.purpose, target=target, days=payload.days,
                               new_version=payload.new_version)
    return Status(200 if link.pk in before else 201, link)


@router.post("/links/{link_id}/revoke", response=SignedLinkOut, operation_id="links_revoke")
def link_revoke(request, link_id: int, payload: SignedLinkRevokeIn):
    link = selectors.link_get(actor=request.user, pk=link_id)
    return services.link_revoke(actor=request.user, link=link, reason=payload.reason[:200])
