"""The printed notice of a 为群众办实事 project and its rating page, opened by a signed link (``links``): the QR on
the notice opens the project's public summary and the rating form. A resident rates once, anonymously: signed in
(their account), or with a one-time code sent to their phone (``core.phonecodes``, purpose ``verify``); only a
keyed blind index of the account or phone is kept."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from grassroots.core import phonecodes, printing
from grassroots.core.errors import ApplicationError

from . import permissions, selectors, services
from .states import Rating

PURPOSE = "serviceprojects.rating"


def can_issue(actor, project) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False) and permissions.can_keep(actor,
                                                                                                    project.org)


def rating_view(request, link, project):
    """GET: the summary and the form. POST ``step=code`` sends a code to the phone; ``step=rate`` records the
    rating (signed in: as the account; else with the phone and its code)."""
    phone = (request.POST.get("phone") or "").strip()
    sent = False
    if request.method == "POST":
        try:
            if request.POST.get("step") == "code":
                phonecodes.send_code(phone=phone, purpose=phonecodes.PURPOSES.VERIFY)
                sent = True
                messages.success(request, _("验证码已发送"))
            else:
                if request.user.is_authenticated:
                    key = services.voter_key_for_account(request.user)
                else:
                    phonecodes.check_code(phone=phone, purpose=phonecodes.PURPOSES.VERIFY,
                                          code=request.POST.get("code", ""))
                    key = services.voter_key_for_phone(phonecodes.phone_index(phonecodes.normalize_mobile(phone)))
                services.rating_submit(project=project, rating=request.POST.get("rating", ""), voter_key=key)
                messages.success(request, _("感谢您的评价"))
                return redirect(request.path)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            sent = request.POST.get("step") == "rate" and not request.user.is_authenticated
    return render(request, "serviceprojects/public.html", {
        "project": project, "counts": selectors.rating_counts(project), "ratings": Rating.choices,
        "phone": phone, "sent": sent, "signed_in": request.user.is_authenticated})


def notice_pdf(project, url: str) -> bytes:
    lines = [f"实事：{project.title}", f"党组织：{project.org.name}", f"责任人：{project.owner}",
             f"计划办结：{project.due:%Y-%m-%d}"]
    return printing.qr_sheet("我为群众办实事 · 群众评价", lines, url, caption="扫码查看进展并评价（满意 / 基本满意 / 不满意）")


def register() -> None:
    from grassroots.links import purposes

    purposes.register(purposes.Purpose(PURPOSE, "serviceprojects.ServiceProject", rating_view, can_issue,
                                       "办实事评价", "Service project rating", days=730))
