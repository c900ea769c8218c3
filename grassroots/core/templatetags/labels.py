"""Labels for stored codes, in the reader's language: ``{% load labels %}{{ post.role|role_label }}``.

A page never shows a stored code (``community_staff``, ``in_progress``): a model field shows its choice label with
``get_<field>_display``; a bare code that reaches a template goes through one of these filters.
"""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from grassroots.core.roles import Role

register = template.Library()


@register.filter
def role_label(value) -> str:
    """The role's name (社区工作者 / Community worker); an unknown code is shown as it is."""
    return str(Role(value).label) if value in Role.values else value


# Chinese punctuation written between template values, and what English writes instead.
PUNCTUATION = {"：": ": ", "，": ", ", "；": "; ", "、": ", ", "（": " (", "）": ")", "。": ". ", "）：": "): "}


@register.simple_tag
def punct(mark: str) -> str:
    """``{% punct "：" %}``: the Chinese mark in Chinese pages, its English counterpart (``": "``) in English ones."""
    return mark if get_language() != "en" else PUNCTUATION.get(mark, mark)
