"""Ways of carrying a resolution out that apps above deliberation provide (a micro-project does).

Deliberation never imports those apps. They subclass ``FollowUp`` and ``register`` it in their ``AppConfig.ready``
(projects: ``projects/follow_up.py``); the resolution's page, the topic's story, the follow-up service and the API
ask the registry. With nothing registered, a resolution is carried out as a case only.
"""

from __future__ import annotations

from django.db.models import QuerySet


class FollowUp:
    """One way of carrying a resolution out. ``field`` names the follow-up form's choice and the API's
    ``follow_up_<field>_id``."""

    field = ""
    label = ""  # the form's label, e.g. 以微项目落实
    linked_label = ""  # beside the linked object on the resolution's page, e.g. 落实微项目

    def annotate(self, resolutions: QuerySet) -> QuerySet:
        """Add ``follow_up_<field>_id`` (the linked object's id or None) to a queryset of resolutions."""
        raise NotImplementedError

    def linked(self, *, actor, resolution) -> tuple[str, str] | None:
        """(title, url) of the object that carries the resolution out, if any."""
        raise NotImplementedError

    def choices(self, *, actor, resolution) -> list[tuple[int, str]]:
        """What staff may choose from on the resolution's page: (value, text)."""
        raise NotImplementedError

    def attach(self, *, actor, resolution, value) -> tuple[str, int]:
        """Link the chosen object (``value``: it or its id) to the resolution, inside the follow-up's transaction;
        return how the topic's note names it (e.g. 微项目「…」) and its id. Raise ``ValidationFailed`` for a choice
        that cannot carry the resolution out."""
        raise NotImplementedError

    def topic_part(self, *, actor, topic) -> dict:
        """What the topic's story shows of it: ``template`` (included with ``part``), ``items``, ``progress``
        (the highest of the items, 0 without) and ``notices`` (public notices about the items)."""
        raise NotImplementedError


_registry: dict[str, FollowUp] = {}


def register(follow_up: FollowUp) -> None:
    _registry[follow_up.field] = follow_up


def registered() -> list[FollowUp]:
    return list(_registry.values())


def get(field: str) -> FollowUp | None:
    return _registry.get(field)
