"""Residents' accounts, the staff side: the community office's queue of registrations to match, and invitations
(a printable PDF slip with the one-time code and the QR of a signed link to the invitation page, or the code sent
to the person's phone)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core.edges import int_param, or_404
from grassroots.core.errors import ApplicationError, NotFound

from .. import permissions, selectors, services, slips
from ..models import ClaimStatus


@login_required
def claim_list(request):
    status = request.GET.get("status", ClaimStatus.PENDING)
    status = status if status in ClaimStatus.values or status == "" else ClaimStatus.PENDING
    rows = list(selectors.claim_list(actor=request.user, status=status)[:200])
    return render(request, "people/claim_list.html", {"claims": rows, "status": status,
                                                       "statuses": ClaimStatus.choices})


def _claim_page(request, claim, error=None):
    return render(request, "people/claim_detail.html", {
        "claim": claim, "error": error,
        "candidates": selectors.claim_candidates(actor=request.user, claim=claim)
        if claim.status == ClaimStatus.PENDING else [],
        "can_decide": permissions.can_decide_claim(request.user, claim)}, status=error.status if error else 200)


@login_required
def claim_detail(request, pk: int):
    return _claim_page(request, or_404(selectors.claim_get, actor=request.user, pk=pk))


@login_required
@require_POST
def claim_confirm(request, pk: int):
    claim = or_404(selectors.claim_get, actor=request.user, pk=pk)
    try:
        person = selectors.claim_person_get(actor=request.user, claim=claim, pk=int_param(request.POST.get("person")))
        services.claim_confirm(actor=request.user, claim=claim, person=person)
    except NotFound:
        from grassroots.core.errors import ValidationFailed

        return _claim_page(request, claim, ValidationFailed("请选择要关联的人员", "Choose the person", field="person"))
    except ApplicationError as exc:
        return _claim_page(request, claim, exc)
    messages.success(request, _("已确认并关联人员"))
    return redirect("people:claim_list")


@login_required
@require_POST
def claim_reject(request, pk: int):
    claim = or_404(selectors.claim_get, actor=request.user, pk=pk)
    try:
        services.claim_reject(actor=request.user, claim=claim, reason=request.POST.get("reason", "")[:400])
    except ApplicationError as exc:
        return _claim_page(request, claim, exc)
    messages.success(request, _("已标记为不予匹配"))
    return redirect("people:claim_list")


@login_required
@require_POST
def person_invite(request, pk: int):
    """Make an invitation and show its slip once (print it, or it was sent to the person's phone)."""
    person = or_404(selectors.person_get, actor=request.user, pk=pk)
    try:
        invite, code = services.invite_create(actor=request.user, person=person,
                                              send_to_phone=request.POST.get("send") == "phone")
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("people:person_detail", pk=person.pk)
    page_url = request.build_absolute_uri(reverse("signup_invite"))
    if request.POST.get("send") == "print":  # the printable slip: a PDF with the code and a QR of a signed link
        qr_url = request.build_absolute_uri(slips.qr_path(request.user, invite, reverse("signup_invite")))
        response = HttpResponse(slips.invite_pdf(person=person, invite=invite, code=code, page_url=page_url,
                                                 qr_url=qr_url), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="invite-{invite.pk}.pdf"'
    else:
        response = render(request, "people/invite_slip.html", {
            "person": person, "invite": invite, "code": code, "redeem_url": page_url})
    response["Cache-Control"] = "no-store"
    return response
