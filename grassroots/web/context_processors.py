"""Navigation by role: the menu collected from every app's ``menu.ENTRIES`` (``web.navigation``)."""

from __future__ import annotations

from django.conf import settings

from grassroots.core.scope import scope_for

from .navigation import menu_for, sections_for


def navigation(request):
    user = getattr(request, "user", None)
    scope = scope_for(user)
    unread = 0
    if user is not None and user.is_authenticated:
        from grassroots.core.notifications import unread_count

        unread = unread_count(actor=user)
    items = menu_for(scope) if user is not None and user.is_authenticated else []
    return {
        "unread_count": unread,
        "nav_items": items,
        "nav_sections": sections_for(items, request.path),
        "actor_scope": scope,
        "platform_name": settings.SITE_NAME,  # not "site_name": auth views set that to the host
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_crs": settings.MAP_TILE_CRS,
    }
