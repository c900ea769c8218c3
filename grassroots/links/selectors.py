"""Readers of signed links: the links of an object, for the page of an actor who may issue them."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from grassroots.core.errors import NotFound

from . import purposes
from .models import SignedLink


def links_for(*, actor, target, purpose: str):
    """The links of ``purpose`` to ``target`` (``target`` from the caller's selector); none if the actor may not
    issue them."""
    kind = purposes.get(purpose)
    if kind is None or not kind.can_issue(actor, target):
        return SignedLink.objects.none()
    ct = ContentType.objects.get_for_model(target)
    return SignedLink.objects.filter(purpose=purpose, target_ct=ct, target_id=target.pk).order_by("-version")


def link_get(*, actor, pk: int) -> SignedLink:
    """A link the actor may manage (issue and revoke for its target); anything else is missing."""
    from .services import _target

    link = SignedLink.objects.select_related("target_ct").filter(pk=pk).first()
    kind = purposes.get(link.purpose) if link else None
    target = _target(link) if kind else None
    if target is None or not kind.can_issue(actor, target):
        raise NotFound()
    return link
