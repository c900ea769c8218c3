"""The people list (search, filters, export), person detail with the audited reveal, registering, editing and
moving a person."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grassroots.core.edges import field_error, int_param, or_404
from grassroots.core.errors import ApplicationError, NotFound
from grassroots.core.export_views import export_response

from .. import exports, permissions, selectors, services
from ..forms import PersonCreateForm, PersonEditForm, PersonMoveForm
from ..models import Person
from .common import PAGE_SIZE


def _filters(request) -> selectors.PersonFilters:
    g = request.GET
    return selectors.PersonFilters(
        q=g.get("q", "").strip()[:64], region=int_param(g.get("region")), gender=g.get("gender", "")[:1],
        age_band=g.get("age", ""), minors=g.get("minors") == "1", tag=g.get("tag", "").strip()[:16],
        active=g.get("active", "1") if g.get("active", "1") in ("0", "1", "") else "1",
    )


@login_required
def person_list(request):
    filters = _filters(request)
    qs = selectors.person_list(actor=request.user, filters=filters)
    return _render_list(request, Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")), filters)


@login_required
@require_POST
def person_lookup(request):
    """Look a person up by a full ID or phone number, sent by POST so that it never appears in a URL."""
    number = request.POST.get("number", "").strip()[:32]
    found = list(selectors.person_by_number(actor=request.user, number=number)) if number else []
    return _render_list(request, Paginator(found, PAGE_SIZE).get_page(1), selectors.PersonFilters(),
                        lookup=True)


def _render_list(request, page, filters, *, lookup: bool = False):
    return render(request, "people/person_list.html", {
        "page": page, "filters": filters, "lookup": lookup, "age_bands": selectors.AGE_BANDS,
        "regions": list(selectors.region_choices(actor=request.user)),
        "tags": selectors.person_tags(actor=request.user), "genders": Person.Gender.choices,
        "can_export": permissions.can_export_people(request.user),
        "can_export_unmasked": permissions.can_export_people(request.user) and permissions.can_unmask_any(
            request.user),
        "can_import": permissions.can_import_people(request.user),
        "can_register": permissions.can_register_somewhere(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def person_export(request):
    """Masked by default (GET); full numbers only by POST with ``unmask=1`` and a ``purpose``."""
    return export_response(request, exports.PEOPLE.key, exports.filters_json(_filters(request)))


def _detail_context(request, person, revealed=None, error=None):
    return {
        "person": person, "revealed": revealed or {}, "reveal_error": error,
        "can_reveal_id": permissions.can_unmask(request.user, person, "id_number"),
        "can_reveal_phone": permissions.can_unmask(request.user, person, "phone"),
        "can_edit": permissions.can_edit_person(request.user, person),
        "can_invite": permissions.can_invite(request.user, person) and person.active
        and not hasattr(person, "user"),
        "household_members": selectors.household_members(actor=request.user, person=person),
    }


@login_required
def person_detail(request, pk: int):
    person = or_404(selectors.person_get, actor=request.user, pk=pk)
    return render(request, "people/person_detail.html", _detail_context(request, person))


@login_required
@require_POST
def person_reveal(request, pk: int):
    person = or_404(selectors.person_get, actor=request.user, pk=pk)
    field = request.POST.get("field", "")
    try:
        value = services.person_reveal(actor=request.user, person=person, field=field)
    except NotFound:
        raise Http404 from None
    except ApplicationError as exc:
        return render(request, "people/person_detail.html", _detail_context(request, person, error=exc.message),
                      status=exc.status)
    response = render(request, "people/person_detail.html", _detail_context(request, person, {field: value}))
    response["Cache-Control"] = "no-store"
    return response


@login_required
def person_create(request):
    buildings = selectors.register_buildings(actor=request.user)
    if not buildings.exists():
        raise Http404()
    form = PersonCreateForm(request.POST or None, buildings=buildings)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            field_error(form, exc)
        else:
            messages.success(request, _("已登记 %(name)s") % {"name": person.name})
            return redirect("people:person_detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "title": _("登记人员")},
                  status=400 if form.errors else 200)


@login_required
def person_edit(request, pk: int):
    person = or_404(selectors.person_get, actor=request.user, pk=pk)
    if not permissions.can_edit_person(request.user, person):
        raise Http404()
    initial = {"name": person.name, "id_type": person.id_type, "id_number": person.id_number, "phone": person.phone,
               "relation_to_head": person.relation_to_head, "tags": "、".join(person.tags or []),
               "active": person.active}
    form = PersonEditForm(request.POST or None, initial=initial)
    move_form = PersonMoveForm(buildings=selectors.register_buildings(actor=request.user),
                               initial={"building": person.building_id})
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v != initial.get(k)}
        try:
            if changes:
                services.person_update(actor=request.user, person=person, **changes)
        except ApplicationError as exc:
            field_error(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("people:person_detail", pk=person.pk)
    response = render(request, "people/person_edit.html", {"form": form, "move_form": move_form, "person": person},
                      status=400 if form.errors else 200)
    response["Cache-Control"] = "no-store"  # the form holds the full numbers
    return response


@login_required
@require_POST
def person_move(request, pk: int):
    person = or_404(selectors.person_get, actor=request.user, pk=pk)
    if not permissions.can_edit_person(request.user, person):
        raise Http404()
    move_form = PersonMoveForm(request.POST, buildings=selectors.register_buildings(actor=request.user))
    if move_form.is_valid():
        try:
            services.person_move(actor=request.user, person=person, **move_form.cleaned_data)
        except ApplicationError as exc:
            field_error(move_form, exc)
        else:
            messages.success(request, _("已变更居住楼栋"))
            return redirect("people:person_detail", pk=person.pk)
    return render(request, "people/person_edit.html", {"form": None, "move_form": move_form, "person": person},
                  status=400)
