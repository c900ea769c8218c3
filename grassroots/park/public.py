"""The enterprise contact card's QR (docs/rules/park.md § Contact cards): a signed link (``links``, purpose
``park.appeal``) that opens the appeal form with the enterprise filled in. Only someone who speaks for the enterprise
files: its contact signed in, or anyone holding the one-time code sent to the contact's registered phone (``core.
phonecodes``, purpose ``verify``) — a card in a stranger's hand cannot file for the firm. Reprints carry a new link
version; earlier versions keep working until revoked."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _

from grassroots.core import phonecodes, printing
from grassroots.core import roles as R
from grassroots.core.errors import ApplicationError, ValidationFailed
from grassroots.core.scope import scope_for

from . import permissions
from .services import PURPOSE


def can_issue(actor, profile) -> bool:
    if actor is None:  # the system (the demo)
        return True
    return getattr(actor, "is_authenticated", False) and permissions.can_keep(actor, profile.park_path)


def _contact_signed_in(request, profile) -> bool:
    return (request.user.is_authenticated
            and profile.organization_id in scope_for(request.user).orgs_for(R.Role.ENTERPRISE_CONTACT))


def appeal_view(request, link, profile):
    """GET: the enterprise and the form. POST ``step=code``: a code to the contact's phone; ``step=file``: the
    appeal (signed in as the contact, or with the code)."""
    from grassroots.cases import services as cases
    from grassroots.cases.states import AppealType, Topic
    from grassroots.people.masking import mask_phone

    signed_in = _contact_signed_in(request, profile)
    sent, filed = False, None
    values = request.POST
    if request.method == "POST":
        try:
            if request.POST.get("step") == "code":
                if not profile.contact_phone:
                    raise ValidationFailed("该企业未登记联系人手机，请联系园区", "No contact phone is registered: call the park",
                                           field="code")
                phonecodes.send_code(phone=profile.contact_phone, purpose=phonecodes.PURPOSES.VERIFY,
                                     ip=request.META.get("REMOTE_ADDR"))
                sent = True
                messages.success(request, _("验证码已发送至企业联系人手机"))
            else:
                if not signed_in:
                    if not profile.contact_phone:
                        raise ValidationFailed("请由企业联系人登录后提交", "The enterprise contact must sign in",
                                               field="code")
                    phonecodes.check_code(phone=profile.contact_phone, purpose=phonecodes.PURPOSES.VERIFY,
                                          code=request.POST.get("code", ""))
                intake = cases.case_report(
                    actor=request.user if signed_in else None, channel="enterprise",
                    category=request.POST.get("category", ""), title=request.POST.get("title", ""),
                    description=request.POST.get("description", ""), enterprise=profile.organization,
                    appeal_type=request.POST.get("appeal_type", ""), urgent=request.POST.get("urgent") == "1",
                    topics=request.POST.getlist("topics"), enterprise_verified=not signed_in,
                    reporter_name=profile.contact_name, reporter_contact=profile.contact_phone)
                filed = intake.case
                messages.success(request, _("诉求已提交"))
        except ApplicationError as exc:
            messages.error(request, exc.message)
            sent = request.POST.get("step") == "file" and not signed_in
    from grassroots.cases.models import Category

    categories = Category.objects.filter(active=True).order_by("code")[:300]
    return render(request, "park/appeal.html", {
        "profile": profile, "signed_in": signed_in, "sent": sent, "filed": filed, "values": values,
        "masked_phone": mask_phone(profile.contact_phone), "appeal_types": AppealType.choices,
        "topics": Topic.choices, "categories": categories})


def card_pdf(card, url: str, *, page_format: str = "phone") -> bytes:
    p = card.people
    lines = [f"企业：{card.profile.organization.name}"]
    if p.get("park_party"):
        lines.append(f"园区党组织：{p['park_party']}")
    if p.get("org"):
        lines.append(f"企业党组织：{p['org']}")
    if p.get("secretary"):
        lines.append(f"党组织书记：{p['secretary']} {p.get('secretary_phone', '')}".strip())
    if p.get("instructor"):
        lines.append(f"党建指导员：{p['instructor']} {p.get('instructor_phone', '')}".strip())
    if p.get("commissioner"):
        lines.append(f"服务专员：{p['commissioner']}")
    return printing.qr_sheet("企业联系卡 · 有呼必应", lines, url, page_format=page_format,
                             caption="扫码提交诉求：24小时响应、全流程跟踪",
                             footer=[f"第 {card.version} 版"])


def register() -> None:
    from grassroots.links import purposes

    purposes.register(purposes.Purpose(PURPOSE, "park.EnterpriseProfile", appeal_view, can_issue, "企业诉求",
                                       "Enterprise appeal", days=3650))
