"""The only readers of grading data; every one takes the actor.

A scheme is visible to those who manage it and to those who see at least one of its targets; an assessment to
those who manage its scheme and to those who see its target (the target kind's own selector decides). Out of scope
is missing (``NotFound``). Entries: a manager reads all of an assessment's entries, an assessor their own.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from grassroots.core.errors import NotFound
from grassroots.core.scope import scope_for

from . import targets
from .models import Assessment, Entry, Indicator, Scheme
from .permissions import can_manage_scheme


def _managed_q(actor, prefix: str = "") -> Q:
    scope = scope_for(actor)
    q = Q(pk__in=[])
    for kind in targets.all_kinds():
        q |= Q(**{f"{prefix}target_type": kind.key}) & scope.region_q(f"{prefix}region__path", roles=kind.manager_roles)
    return q


def _visible_assessments_q(actor) -> Q:
    """Assessments whose target the actor sees, through each kind's selector."""
    q = Q(pk__in=[])
    for kind in targets.all_kinds():
        q |= Q(scheme__target_type=kind.key, target_ct=kind.content_type(),
               target_id__in=kind.visible(actor).values("pk"))
    return q


def _assessments_q(actor) -> Q:
    return _managed_q(actor, "scheme__") | _visible_assessments_q(actor)


def _check_actor(actor) -> None:
    scope = scope_for(actor)
    if not scope.is_authenticated or scope.is_system:
        raise NotFound()


def schemes(*, actor, year: int | None = None, target_type: str = "", status: str = ""):
    _check_actor(actor)
    seen = Assessment.objects.filter(_visible_assessments_q(actor), scheme=OuterRef("pk"))
    qs = Scheme.objects.filter(_managed_q(actor) | Q(Exists(seen))).select_related("region")
    if year:
        qs = qs.filter(year=year)
    if target_type:
        qs = qs.filter(target_type=target_type)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-year", "name", "id")


def scheme_get(*, actor, pk: int) -> Scheme:
    scheme = schemes(actor=actor).filter(pk=pk).first()
    if scheme is None:
        raise NotFound("考核方案不存在", "Assessment scheme not found")
    return scheme


def indicator_tree(*, actor, scheme: Scheme) -> list[tuple[Indicator, int]]:
    """The scheme's indicators in tree order, each with its depth (0 at the top)."""
    scheme_get(actor=actor, pk=scheme.pk)
    rows = list(scheme.indicators.all())
    children: dict = {}
    for i in rows:
        children.setdefault(i.parent_id, []).append(i)
    out: list[tuple[Indicator, int]] = []

    def walk(parent_id, depth):
        for i in children.get(parent_id, ()):
            out.append((i, depth))
            walk(i.pk, depth + 1)

    walk(None, 0)
    return out


def assessments(*, actor, scheme: Scheme | None = None):
    _check_actor(actor)
    qs = Assessment.objects.filter(_assessments_q(actor)).select_related("scheme", "grade")
    if scheme is not None:
        qs = qs.filter(scheme=scheme)
    return qs.order_by("scheme_id", "rank", "target_label", "id")


def assessment_get(*, actor, pk: int) -> Assessment:
    found = assessments(actor=actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("考核对象不存在", "Assessment not found")
    return found


def entries(*, actor, assessment: Assessment):
    """Entries of an assessment the actor sees: all for a scheme manager, else the actor's own."""
    assessment_get(actor=actor, pk=assessment.pk)
    qs = Entry.objects.filter(assessment=assessment).select_related("indicator", "assessor")
    if not can_manage_scheme(actor, assessment.scheme):
        qs = qs.filter(assessor_id=getattr(actor, "pk", None))
    return qs.order_by("indicator__order", "indicator__code", "assessor_id")


def entry_get(*, actor, pk: int) -> Entry:
    entry = Entry.objects.filter(pk=pk).select_related("assessment__scheme", "indicator").first()
    if entry is None:
        raise NotFound()
    if not entries(actor=actor, assessment=entry.assessment).filter(pk=pk).exists():
        raise NotFound()
    return entry


def entry_for_attachment(actor, object_id) -> Entry:
    """``core.attachments`` owner lookup: evidence of an entry opens for whoever sees the entry."""
    try:
        pk = int(object_id)
    except (TypeError, ValueError):
        raise NotFound()
    return entry_get(actor=actor, pk=pk)


def target_choices(*, actor, scheme: Scheme, limit: int = 500):
    """Targets of the scheme's kind the actor sees and that are not assessed in it yet (for the add-target form)."""
    scheme_get(actor=actor, pk=scheme.pk)
    kind = targets.get(scheme.target_type)
    taken = scheme.assessments.values("target_id")
    return kind.visible(actor).exclude(pk__in=taken).order_by("pk")[:limit]


def results(*, actor, scheme: Scheme):
    """The scheme's results the actor sees, best rank first (ranks are over the whole scheme)."""
    scheme_get(actor=actor, pk=scheme.pk)
    return assessments(actor=actor, scheme=scheme).order_by("rank", "target_label", "id")
