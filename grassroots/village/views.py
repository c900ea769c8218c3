"""Pages of the village collective: the list, the collective (staff: the year's statement, the operating income, the
per-villager estimate, the second tier, contracts, members, disclosures; residents: the published disclosures), a
contract with its schedule, rents falling due and overdue, a disclosure, a household's statement and the alliances."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core import clock
from grassroots.core.edges import date_param, int_param, or_404, post_action
from grassroots.core.errors import NotFound
from grassroots.core.export_views import export_response
from grassroots.people.models import Person

from . import selectors, services, tier
from .models import Alliance, Category, Contract, Payment, VillageMember


def _year(request) -> int:
    return int_param(request.GET.get("year"), minimum=2000, maximum=2100) or clock.today().year


@login_required
def collective_list(request):
    return render(request, "village/list.html", {
        "collectives": selectors.collectives(actor=request.user), "mine": selectors.my_households(actor=request.user)})


@login_required
def collective_detail(request, pk: int):
    c = or_404(selectors.collective, actor=request.user, pk=pk)
    ctx = {"c": c, "books": selectors.sees_books(request.user, c),
           "disclosures": selectors.disclosures(actor=request.user, collective=c)}
    if ctx["books"]:
        year = _year(request)
        t = tier.second_tier(c, year)
        ctx.update(year=year, statement=selectors.year_statement(c, year), tier=t,
                   estimate=tier.per_villager_estimate(c, year),
                   contracts=selectors.contracts(actor=request.user, collective=c),
                   members=selectors.members(actor=request.user, collective=c),
                   entries=selectors.entries(actor=request.user, collective=c, year=year)[:50],
                   categories=Category.choices, kinds=Contract.ObjectKind.choices)
    return render(request, "village/detail.html", ctx)


@login_required
@require_POST
def entry_add(request, pk: int):
    c = or_404(selectors.kept_collective, actor=request.user, pk=pk)
    p = request.POST
    return post_action(request, lambda: services.entry_book(
        actor=request.user, collective=c, booked_on=date_param(p.get("booked_on")) or clock.today(),
        category=p.get("category", ""), amount=p.get("amount", ""), note=p.get("note", "")),
        _("已记账"), reverse("village:detail", args=[c.pk]))


@login_required
@require_POST
def contract_add(request, pk: int):
    c = or_404(selectors.kept_collective, actor=request.user, pk=pk)
    p = request.POST

    def act():
        starts, ends = date_param(p.get("starts_on")), date_param(p.get("ends_on"))
        if not starts or not ends:
            from grassroots.core.errors import ValidationFailed

            raise ValidationFailed("须填写合同起止日期", "The contract's dates are required")
        due = [date_param(x) for x in p.get("due_dates", "").split()]
        services.contract_create(actor=request.user, collective=c, counterparty=p.get("counterparty", ""),
                                 object_kind=p.get("object_kind", ""), object=p.get("object", ""),
                                 annual_rent=p.get("annual_rent", ""), starts_on=starts, ends_on=ends,
                                 schedule=[(d, p.get("amount", "")) for d in due if d])
    return post_action(request, act, _("已登记合同"), reverse("village:detail", args=[c.pk]))


@login_required
def contract_detail(request, pk: int):
    contract = or_404(selectors.contract, actor=request.user, pk=pk)
    return render(request, "village/contract.html", {"contract": contract, "today": clock.today(),
                                                     "payments": contract.payments.order_by("due_on", "id")})


@login_required
@require_POST
def payment_pay(request, pk: int):
    payment = Payment.objects.filter(pk=pk).select_related("contract").first()
    if payment is None:
        raise Http404
    or_404(selectors.contract, actor=request.user, pk=payment.contract_id)
    return post_action(request, lambda: services.payment_record(
        actor=request.user, payment=payment, paid_on=date_param(request.POST.get("paid_on")) or clock.today()),
        _("已记录收款"), reverse("village:contract", args=[payment.contract_id]))


@login_required
def rents(request):
    due = request.GET.get("due", "")
    due = due if due in ("soon", "overdue") else ""
    rows = selectors.payments(actor=request.user, due=due or "open", today=clock.today())
    if not due:
        rows = rows.filter(paid_on__isnull=True)
    return render(request, "village/rents.html", {"payments": rows[:500], "due": due,
                                                  "days": selectors.remind_days()})


@login_required
@require_POST
def disclosure_publish(request, pk: int):
    c = or_404(selectors.kept_collective, actor=request.user, pk=pk)
    return post_action(request, lambda: services.disclosure_publish(
        actor=request.user, collective=c, period=request.POST.get("period", "").strip()),
        _("已公开"), reverse("village:detail", args=[c.pk]))


@login_required
def disclosure_detail(request, pk: int):
    d = or_404(selectors.disclosure, actor=request.user, pk=pk)
    labels = dict(Category.choices)
    snap = d.snapshot
    rows = [(labels[k], v, snap["year_to_date"]["lines"].get(k)) for k, v in snap["period"]["lines"].items()
            if k in labels]
    return render(request, "village/disclosure.html", {"d": d, "rows": rows, "snap": snap})


@login_required
@require_POST
def member_confirm(request, pk: int):
    c = or_404(selectors.kept_collective, actor=request.user, pk=pk)
    p = request.POST

    def act():
        person = Person.objects.filter(pk=int_param(p.get("person"), minimum=1) or 0).first()
        if person is None:
            raise NotFound("没有这个人", "No such person")
        services.member_confirm(actor=request.user, collective=c, person=person,
                                confirmed_on=date_param(p.get("confirmed_on")) or clock.today(),
                                basis=p.get("basis", ""), resolution=p.get("resolution", ""),
                                shares=int_param(p.get("shares"), minimum=0) or 1)
    return post_action(request, act, _("已确认成员"), reverse("village:detail", args=[c.pk]))


@login_required
@require_POST
def member_exit(request, pk: int):
    m = or_404(selectors.member, actor=request.user, pk=pk)
    return post_action(request, lambda: services.member_exit(
        actor=request.user, member=m, exited_on=date_param(request.POST.get("exited_on")) or clock.today(),
        reason=request.POST.get("reason", "")), _("已记录退出"), reverse("village:detail", args=[m.collective_id]))


@login_required
def household_statement(request, pk: int, household: int):
    c = or_404(selectors.collective, actor=request.user, pk=pk)
    hid = or_404(selectors.household, actor=request.user, collective=c, household_id=household)
    year = _year(request)
    t = tier.second_tier(c, year)
    line = t.households.get(hid)
    members = VillageMember.objects.filter(collective=c, household_id=hid).select_related("person").order_by("id")
    return render(request, "village/household.html", {"c": c, "year": year, "t": t, "line": line,
                                                      "members": members})


@login_required
def statement_export(request, pk: int):
    or_404(selectors.kept_collective, actor=request.user, pk=pk)
    return export_response(request, "village.statement", {"collective": pk, "year": _year(request)})


@login_required
def alliance_list(request):
    keepable = selectors.keepable_collectives(actor=request.user)
    return render(request, "village/alliances.html", {
        "alliances": selectors.alliances(actor=request.user), "keepable": keepable,
        "partners": selectors.alliance_partners(actor=request.user)[:500] if keepable else [],
        "kinds": Alliance.Kind.choices})


@login_required
@require_POST
def alliance_create(request):
    p = request.POST

    def create():
        chosen = [selectors.collective(actor=request.user, pk=pk) for pk in p.getlist("collectives") if pk.isdigit()]
        partners = selectors.alliance_partners(actor=request.user).filter(
            pk__in=[pk for pk in p.getlist("organizations") if pk.isdigit()])
        services.alliance_create(actor=request.user, name=p.get("name", ""), kind=p.get("kind", ""),
                                 collectives=chosen, organizations=list(partners),
                                 formed_on=date_param(p.get("formed_on")), purpose=p.get("purpose", ""))

    return post_action(request, create, _("已登记"), reverse("village:alliances"))


@login_required
def alliance_detail(request, pk: int):
    a = or_404(selectors.alliance, actor=request.user, pk=pk)
    return render(request, "village/alliance.html", {"a": a})


@login_required
def rents_export(request):
    due = request.GET.get("due", "")
    return export_response(request, "village.rents", {"due": due if due in ("soon", "overdue") else ""})
