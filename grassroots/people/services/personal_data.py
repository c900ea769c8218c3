"""Personal data leaving the register, each time an audit event: one unmasked number (``person_reveal``). The
exported people list is ``people.exports`` (the shared exporter: masked by default, full numbers with a purpose)."""

from __future__ import annotations

from django.db import transaction

from grassroots.core import events
from grassroots.core.errors import NotPermitted, ValidationFailed

from .. import permissions, selectors
from ..models import Person


def person_reveal(*, actor, person: Person, field: str) -> str:
    """The unmasked value of ``field`` ("id_number" or "phone"), recorded as an audit event ``person.reveal``.

    NotFound outside the actor's scope; NotPermitted (and a ``denied`` event) for posts that may not unmask.
    """
    person = selectors.person_get(actor=actor, pk=person.pk)
    if field not in permissions.REVEALABLE_FIELDS:
        raise ValidationFailed("只能查看证件号码或手机号", "Only the ID number or phone can be revealed",
                               code="reveal_field", field="field")
    if not permissions.can_unmask(actor, person, field):
        events.record(actor, "person.reveal", person, outcome="denied", payload={"field": field})
        if person.is_minor:
            raise NotPermitted("未满十四周岁人员的信息仅社区书记可查看", "Only the community secretary may see a minor's data",
                               code="reveal_minor_denied")
        raise NotPermitted("您的岗位无权查看完整号码", "Your post may not see the full number", code="reveal_denied")
    with transaction.atomic():
        events.record(actor, "person.reveal", person, payload={"field": field, "minor": person.is_minor})
    return getattr(person, field) or ""
