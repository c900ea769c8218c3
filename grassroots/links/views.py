"""The one public entry of signed links: ``/s/<address>/`` opens what the link's purpose allows, and nothing more;
and the revocation of a link by those who may issue it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core.edges import or_404, post_action
from grassroots.core.errors import NotFound

from . import purposes, selectors, services


def open_link(request, token: str):
    """Verify the address and hand the request to its purpose's view with the link's own target."""
    try:
        link, target = services.resolve(token)
    except NotFound:
        raise Http404
    kind = purposes.get(link.purpose)
    response = kind.view(request, link, target)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"  # the address is the key: never leak it to another site
    return response


@login_required
@require_POST
def revoke(request, pk: int):
    link = or_404(selectors.link_get, actor=request.user, pk=pk)
    back = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    return post_action(request, lambda: services.link_revoke(actor=request.user, link=link,
                                                             reason=request.POST.get("reason", "")),
                       _("链接已撤销"), back)
