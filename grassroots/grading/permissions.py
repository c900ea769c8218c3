"""Who may manage a scheme and who may enter scores; the target kinds (``grading.targets``) say who sees what.

``actor=None`` is the system (the demo generator) and may do everything.
"""

from __future__ import annotations

from grassroots.core.scope import scope_for

from . import targets
from .states import SchemeStatus


def can_manage_region(actor, kind: targets.TargetKind, region) -> bool:
    """Create and edit schemes of ``kind`` organised for ``region``: the kind's manager posts over that region."""
    if actor is None:
        return True
    return region is not None and scope_for(actor).covers_path(region.path, *kind.manager_roles)


def can_manage_scheme(actor, scheme) -> bool:
    return can_manage_region(actor, targets.get(scheme.target_type), scheme.region)


def can_assess(actor, assessment) -> bool:
    """Enter scores: the scheme is open, and the actor manages it or the target kind lets it assess this target."""
    scheme = assessment.scheme
    if scheme.status != SchemeStatus.OPEN:
        return False
    if can_manage_scheme(actor, scheme):
        return True
    if actor is None:
        return True
    kind = targets.get(scheme.target_type)
    return kind.assessable(actor).filter(pk=assessment.target_id).exists()
