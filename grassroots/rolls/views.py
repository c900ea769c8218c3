"""Pages for rolls: the list (and a new roll), a roll with who is on it today and its history, adding a person,
ending an entry, and the Excel import with its template."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core.edges import date_param, or_404, post_action
from grassroots.core.errors import ApplicationError
from grassroots.territory.models import Compound

from . import selectors, services
from .forms import EndForm, EntryForm, RollForm
from .models import KEPT_KINDS, RollKind
from .permissions import can_create

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form_errors(request, form) -> None:
    for field, errs in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label} {'；'.join(errs)}")


@login_required
def roll_list(request):
    kind = request.GET.get("kind", "")
    return render(request, "rolls/roll_list.html", {
        "rolls": list(selectors.rolls(actor=request.user, kind=kind)[:300]), "kind": kind,
        "kinds": [c for c in RollKind.choices if c[0] in KEPT_KINDS], "can_create": can_create(request.user),
        "regions": selectors.regions_for_rolls(actor=request.user)})


@login_required
def terms_ending(request):
    """Entries whose term runs out soon, on the rolls the user keeps (what the workbench counts)."""
    from django.core.paginator import Paginator

    first, last = selectors.term_ending_window()
    page = Paginator(selectors.terms_ending(actor=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "rolls/terms_ending.html", {"page": page, "first": first, "last": last})


@login_required
@require_POST
def roll_new(request):
    form = RollForm(request.POST)
    back = reverse("rolls:rolls")
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(back)
    data = form.cleaned_data
    region = selectors.regions_for_rolls(actor=request.user).filter(pk=data["region"]).first()
    if region is None:
        raise Http404
    compound = None
    if data["compound"]:
        compound = Compound.objects.filter(code=data["compound"].strip()).first()
        if compound is None:
            messages.error(request, _("没有该编码的小区"))
            return redirect(back)
    created = {}

    def create():
        created["roll"] = services.roll_create(actor=request.user, kind=data["kind"], region=region,
                                               name=data["name"], compound=compound)

    response = post_action(request, create, _("名册已建立"), back)
    return redirect("rolls:roll_detail", created["roll"].pk) if "roll" in created else response


@login_required
def roll_detail(request, pk: int):
    roll = or_404(selectors.roll_detail, actor=request.user, pk=pk)
    on = date_param(request.GET.get("on"))
    return render(request, "rolls/roll_detail.html", {
        "roll": roll, **selectors.roll_entries(actor=request.user, roll=roll, on=on), "on": on,
        "entry_form": EntryForm(), "end_form": EndForm(), "Kind": RollKind})


@login_required
@require_POST
def entry_add(request, pk: int):
    roll = or_404(selectors.roll_detail, actor=request.user, pk=pk)
    back = reverse("rolls:roll_detail", args=[pk])
    form = EntryForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(back)
    d = form.cleaned_data
    return post_action(request, lambda: services.entry_add_named(
        actor=request.user, roll=roll, name=d["name"], id_number=d["id_number"], households_text=d["households"],
        start_date=d["start_date"], term_ends=d["term_ends"], unit=d["unit"], area=d["area"],
        extra_votes=d["extra_votes"] or 0, voting=not d["probationary"]), _("已加入名册"), back)


@login_required
@require_POST
def entry_end(request, pk: int):
    entry = or_404(selectors.entry_detail, actor=request.user, pk=pk)
    back = reverse("rolls:roll_detail", args=[entry.roll_id])
    form = EndForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(back)
    return post_action(request, lambda: services.entry_end(actor=request.user, entry=entry,
                                                           end_date=form.cleaned_data["end_date"],
                                                           reason=form.cleaned_data["reason"]), _("已退出名册"), back)


@login_required
def roll_import(request, pk: int):
    roll = or_404(selectors.roll_detail, actor=request.user, pk=pk)
    report, error = None, ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("请选择 .xlsx 文件")
        else:
            try:
                report = services.roll_import(actor=request.user, roll=roll, file=upload,
                                              dry_run=request.POST.get("dry_run") == "1")
            except ApplicationError as err:
                error = err.message
    return render(request, "rolls/roll_import.html", {"roll": roll, "report": report, "error": error,
                                                      "columns": services.import_columns(roll.kind)})


@login_required
def roll_template(request, pk: int):
    roll = or_404(selectors.roll_detail, actor=request.user, pk=pk)
    response = HttpResponse(services.import_template(roll), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="roll-{roll.kind}-template.xlsx"'
    return response
