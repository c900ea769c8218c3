"""Pages for red property: the rates, compounds with their firm and committee, firms, joint meetings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core import clock
from grassroots.core.edges import date_param, int_param, or_404, post_action
from grassroots.core.export_views import export_response

from . import exports, indicators, selectors, services
from .forms import CommitteeForm, ContractForm, CoverageForm, MeetingForm, MemberForm, TerminateForm
from .permissions import can_edit_compound, can_edit_firm


def _date(request):
    """The ``on`` date of the query string; today when absent or not a date."""
    return date_param(request.GET.get("on")) or clock.today()


@login_required
def rates(request):
    on = _date(request)
    overall = or_404(selectors.rates, actor=request.user, on=on)
    by_community = or_404(selectors.rates_by_community, actor=request.user, on=on)
    return render(request, "property/rates.html", {"on": on, "overall": overall, "by_community": by_community,
                                                   "definitions": indicators.DEFINITIONS})


@login_required
def rates_export(request):
    return export_response(request, exports.RATES.key, {"on": _date(request).isoformat()})


@login_required
def compound_list(request):
    qs = or_404(selectors.compounds, actor=request.user, q=request.GET.get("q", "").strip(),
                community_code=request.GET.get("community", ""), managed=request.GET.get("managed", ""),
                committee=request.GET.get("committee", ""))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "property/compound_list.html", {"page": page})


@login_required
def compound_detail(request, pk: int):
    compound = or_404(selectors.compound_detail, actor=request.user, pk=pk)
    history = selectors.compound_history(actor=request.user, compound=compound)
    return render(request, "property/compound_detail.html", {
        "compound": compound, **history, "can_edit": can_edit_compound(request.user, compound),
        "contract_form": ContractForm(), "committee_form": CommitteeForm(), "meeting_form": MeetingForm(),
        "terminate_form": TerminateForm(), "member_form": MemberForm()})


def _submit(request, form_class, action, success: str, back: str, invalid: str | None = None):
    """Validate the posted form, then run ``action(cleaned_data)`` as one service call (``core.edges.post_action``).

    An invalid form comes back as a message on ``back``: ``invalid`` if given, else each field's errors."""
    form = form_class(request.POST)
    if not form.is_valid():
        if invalid is not None:
            messages.error(request, invalid)
        else:
            for field, errs in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label} {'；'.join(errs)}")
        return redirect(back)
    return post_action(request, lambda: action(form.cleaned_data), success, back)


def _on_compound(request, pk, form_class, action, success):
    """A form posted on a compound's page: ``action(compound, cleaned_data)``, back to the page."""
    compound = or_404(selectors.compound_detail, actor=request.user, pk=pk)
    back = reverse("property:compound_detail", args=[pk])
    return _submit(request, form_class, lambda data: action(compound, data), success, back)


@login_required
@require_POST
def contract_add(request, pk: int):
    return _on_compound(request, pk, ContractForm,
                        lambda c, d: services.contract_create(actor=request.user, compound=c, **d),
                        _("已登记物业服务合同"))


@login_required
@require_POST
def contract_terminate(request, pk: int, contract_id: int):
    def act(compound, data):
        contract = selectors.contract_of(actor=request.user, compound=compound, pk=contract_id)
        services.contract_terminate(actor=request.user, contract=contract, **data)

    return _on_compound(request, pk, TerminateForm, act, _("合同已终止"))


@login_required
@require_POST
def committee_add(request, pk: int):
    return _on_compound(request, pk, CommitteeForm,
                        lambda c, d: services.committee_form(actor=request.user, compound=c, **d),
                        _("已登记业委会"))


@login_required
@require_POST
def meeting_add(request, pk: int):
    def act(compound, data):
        attended = {k: data.pop(k) for k in list(data) if k.endswith("_attended")}
        services.joint_meeting_record(actor=request.user, community=compound.community, compound=compound,
                                      attended=attended, **data)

    return _on_compound(request, pk, MeetingForm, act, _("已登记联席会议"))


@login_required
@require_POST
def member_add(request, pk: int, committee_id: int):
    def act(compound, data):
        committee = selectors.committee_of(actor=request.user, compound=compound, pk=committee_id)
        person = selectors.committee_candidate(actor=request.user, id_number=data["id_number"])
        services.committee_member_add(actor=request.user, committee=committee, person=person, role=data["role"],
                                      start_date=data["start_date"], is_party_member=data["is_party_member"])

    return _on_compound(request, pk, MemberForm, act, _("已登记业委会成员"))


@login_required
def firm_list(request):
    firms = or_404(selectors.firms, actor=request.user, on=_date(request))
    page = Paginator(firms, 30).get_page(request.GET.get("page"))
    return render(request, "property/firm_list.html", {"page": page, "can_edit": can_edit_firm(request.user),
                                                       "coverage_form": CoverageForm()})


@login_required
@require_POST
def firm_coverage(request, firm_id: int):
    firm = or_404(selectors.firm_detail, actor=request.user, pk=firm_id)

    def act(data):
        services.firm_party_coverage_set(
            actor=request.user, firm=firm, mode=data["mode"], start_date=data["start_date"],
            party_org=selectors.coverage_party_org(code=data["party_org_code"]),
            instructor=selectors.coverage_instructor(username=data["instructor_username"]))

    return _submit(request, CoverageForm, act, _("已登记党组织覆盖"), reverse("property:firms"),
                   invalid=_("请检查填写的内容"))


@login_required
def meeting_list(request):
    qs = or_404(selectors.joint_meetings, actor=request.user, community_code=request.GET.get("community", ""),
                year=int_param(request.GET.get("year", ""), minimum=1, maximum=9999))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "property/meeting_list.html", {"page": page})
