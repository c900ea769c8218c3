"""Which kinds of object can be assessed, and who sees and assesses them: a registry the apps above fill.

Grading sits below the domains, so it cannot know a party organisation or a cooperative. Each app that assesses its
objects registers a ``TargetKind`` in its ``AppConfig.ready()`` (the way apps register attachment owners with
``core.attachments``): the model, and three functions of the actor — the targets it sees (its own selector, so the
app's scope applies), the targets it may enter scores for, and whether it may manage schemes of this kind for a
region. Grading registers the two kinds it can read itself: organisations and persons (``people``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from grassroots.core import roles as R
from grassroots.core.errors import ValidationFailed
from grassroots.core.scope import scope_for

# Those who organise assessments for a region by default: the subdistrict and the zone.
MANAGER_ROLES = (R.Role.SUBDISTRICT_OFFICER, R.Role.ZONE_LEADER)


@dataclass(frozen=True)
class TargetKind:
    key: str
    model: str                                   # "app_label.ModelName"
    label_zh: str
    label_en: str
    visible: Callable[[object], QuerySet]        # actor → the targets it sees
    assessable: Callable[[object], QuerySet]     # actor → the targets it may enter scores for
    manager_roles: tuple[str, ...] = MANAGER_ROLES

    @property
    def model_class(self):
        return apps.get_model(self.model)

    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model_class)

    def label(self) -> str:
        from django.utils import translation

        return self.label_en if (translation.get_language() or "").startswith("en") else self.label_zh


_kinds: dict[str, TargetKind] = {}


def register(kind: TargetKind) -> None:
    _kinds[kind.key] = kind


def get(key: str) -> TargetKind:
    kind = _kinds.get(key)
    if kind is None:
        raise ValidationFailed("未知的考核对象类型", "Unknown target type", field="target_type", code="unknown_target_type")
    return kind


def all_kinds() -> list[TargetKind]:
    return sorted(_kinds.values(), key=lambda k: k.key)


def _staff_regions(actor, field: str):
    return scope_for(actor).region_q(field, roles=R.STAFF)


def _organizations_visible(actor):
    from grassroots.people.selectors import organization_visible

    return organization_visible(actor=actor)


def _organizations_assessable(actor):
    from grassroots.people.models import Organization

    return Organization.objects.filter(_staff_regions(actor, "region__path"))


def _persons_visible(actor):
    from grassroots.people.selectors import person_visible

    return person_visible(actor=actor)


def _persons_assessable(actor):
    from grassroots.people.models import Person

    return Person.objects.filter(_staff_regions(actor, "region__path"))


def register_defaults() -> None:
    register(TargetKind("organization", "people.Organization", "单位", "Organisation",
                        _organizations_visible, _organizations_assessable))
    register(TargetKind("person", "people.Person", "个人", "Person", _persons_visible, _persons_assessable))
