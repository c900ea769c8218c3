"""What several party writers share: the refusal for an organisation the actor may not manage, the community check
of both report-ins, and the move through the transition table (``party.states``)."""

from __future__ import annotations

from grassroots.core.errors import NotPermitted, ValidationFailed
from grassroots.core.transitions import Transition, compare_and_set
from grassroots.territory.models import Level

from .. import states

COMMUNITY_LEVELS = {Level.COMMUNITY, Level.VILLAGE}


def deny():
    raise NotPermitted("您无权管理该党组织", "You may not manage this party organisation")


def check_community(community, field="community"):
    if community is None or community.level not in COMMUNITY_LEVELS:
        raise ValidationFailed("请选择报到的社区或村", "Choose the community (or village) to report to", field=field)


def change_state(model, pk, verb: str, **fields) -> Transition:
    """Compare-and-set the row along ``verb``'s move of the transition table; returns the move."""
    move = states.move(verb)
    compare_and_set(model, pk, from_states=move.sources, to_state=move.target, status_field=move.field,
                    labels=states.labels(verb), **fields)
    return move
