"""Pages for red property: the rates, compounds with their firm and committee, firms, joint meetings."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core import clock, events
from grassroots.core.edges import or_404
from grassroots.core.errors import ApplicationError, NotFound
from grassroots.core.imports import export_xlsx

from . import indicators, selectors, services
from .forms import CommitteeForm, ContractForm, CoverageForm, MeetingForm, MemberForm, TerminateForm
from .models import ServiceContract
from .permissions import can_edit_compound


def _date(request) -> dt.date:
    raw = request.GET.get("on", "")
    try:
        return dt.date.fromisoformat(raw) if raw else clock.today()
    except ValueError:
        return clock.today()


@login_required
def rates(request):
    on = _date(request)
    overall = or_404(selectors.rates, actor=request.user, on=on)
    by_community = or_404(selectors.rates_by_community, actor=request.user, on=on)
    return render(request, "property/rates.html", {"on": on, "overall": overall, "by_community": by_community,
                                                   "definitions": indicators.DEFINITIONS})


@login_required
def rates_export(request):
    on = _date(request)
    rows = []
    for community, rs in or_404(selectors.rates_by_community, actor=request.user, on=on):
        rows.append([community.code, community.name] + [x for r in rs for x in (r.numerator, r.denominator, r.percent)])
    columns = ["社区编码", "社区"] + [f"{r[0]}{suffix}" for r in indicators.DEFINITIONS.values()
                                      for suffix in ("（分子）", "（分母）", "")]
    events.record(request.user, "property.rates_export", payload={"on": on.isoformat(), "rows": len(rows)})
    body = export_xlsx(columns, rows, sheet_title="红色物业指标",
                       notes=[(v[0], v[1]) for v in indicators.DEFINITIONS.values()] + [("统计日期", on.isoformat())])
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="property-rates-{on:%Y%m%d}.xlsx"'
    return response


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


def _post(request, pk, form_class, action, success):
    compound = or_404(selectors.compound_detail, actor=request.user, pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        for field, errs in form.errors.items():
            messages.error(request, f"{form.fields[field].label if field in form.fields else ''} {'；'.join(errs)}")
        return redirect("property:compound_detail", pk=pk)
    try:
        action(compound, form.cleaned_data)
    except NotFound:
        raise Http404
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("property:compound_detail", pk=pk)


@login_required
@require_POST
def contract_add(request, pk: int):
    return _post(request, pk, ContractForm, lambda c, d: services.contract_create(actor=request.user, compound=c, **d),
                 _("已登记物业服务合同"))


@login_required
@require_POST
def contract_terminate(request, pk: int, contract_id: int):
    def act(compound, data):
        contract = ServiceContract.objects.filter(pk=contract_id, compound=compound).first()
        if contract is None:
            raise NotFound()
        services.contract_terminate(actor=request.user, contract=contract, **data)

    return _post(request, pk, TerminateForm, act, _("合同已终止"))


@login_required
@require_POST
def committee_add(request, pk: int):
    return _post(request, pk, CommitteeForm, lambda c, d: services.committee_form(actor=request.user, compound=c, **d),
                 _("已登记业委会"))


@login_required
@require_POST
def meeting_add(request, pk: int):
    def act(compound, data):
        attended = {k: data.pop(k) for k in list(data) if k.endswith("_attended")}
        services.joint_meeting_record(actor=request.user, community=compound.community, compound=compound,
                                      attended=attended, **data)

    return _post(request, pk, MeetingForm, act, _("已登记联席会议"))


@login_required
def firm_list(request):
    from .permissions import can_edit_firm

    firms = or_404(selectors.firms, actor=request.user, on=_date(request))
    page = Paginator(firms, 30).get_page(request.GET.get("page"))
    return render(request, "property/firm_list.html", {"page": page, "can_edit": can_edit_firm(request.user),
                                                       "coverage_form": CoverageForm()})


@login_required
def meeting_list(request):
    year = request.GET.get("year", "")
    qs = or_404(selectors.joint_meetings, actor=request.user, community_code=request.GET.get("community", ""),
               year=int(year) if year.isdigit() else None)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "property/meeting_list.html", {"page": page})


@login_required
@require_POST
def member_add(request, pk: int, committee_id: int):
    def act(compound, data):
        from grassroots.people.selectors import person_find_by_id_number

        committee = compound.owners_committees.filter(pk=committee_id).first()
        if committee is None:
            raise NotFound()
        person = person_find_by_id_number(actor=request.user, id_number=data["id_number"])
        if person is None:
            from grassroots.core.errors import ValidationFailed

            raise ValidationFailed("未找到该证件号码对应的居民", "No resident with this ID number", field="id_number")
        services.committee_member_add(actor=request.user, committee=committee, person=person, role=data["role"],
                                      start_date=data["start_date"], is_party_member=data["is_party_member"])

    return _post(request, pk, MemberForm, act, _("已登记业委会成员"))


@login_required
@require_POST
def firm_coverage(request, firm_id: int):
    from grassroots.party.models import PartyOrg
    from grassroots.people.models import User

    firm = or_404(selectors.firm_detail, actor=request.user, pk=firm_id)
    form = CoverageForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        org = PartyOrg.objects.filter(code=data["party_org_code"]).first() if data["party_org_code"] else None
        instructor = User.objects.filter(username=data["instructor_username"]).first() if data["instructor_username"] else None
        try:
            services.firm_party_coverage_set(actor=request.user, firm=firm, mode=data["mode"], party_org=org,
                                             instructor=instructor, start_date=data["start_date"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已登记党组织覆盖"))
    else:
        messages.error(request, _("请检查填写的内容"))
    return redirect("property:firms")
