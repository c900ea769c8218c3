"""People pages: the people list (search, filters, export), person detail with audited reveal, roster import,
organisations, posts with ending and handover. Thin: parse, call one selector or service, render."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core import clock, crypto
from grassroots.core.edges import date_param, field_error, int_param, or_404
from grassroots.core.errors import ApplicationError, NotFound, NotPermitted, ValidationFailed

from . import imports, permissions, selectors, services
from .forms import OrganizationForm, PersonCreateForm, PersonEditForm, PersonMoveForm
from .models import Organization, Person, Role

PAGE_SIZE = 30
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_DIR = "people-imports"
MAX_UPLOAD = 10 * 1024 * 1024


def _filters(request) -> selectors.PersonFilters:
    g = request.GET
    return selectors.PersonFilters(
        q=g.get("q", "").strip()[:64], region=int_param(g.get("region")), gender=g.get("gender", "")[:1],
        age_band=g.get("age", ""), minors=g.get("minors") == "1", tag=g.get("tag", "").strip()[:16],
        active=g.get("active", "1") if g.get("active", "1") in ("0", "1", "") else "1",
    )


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


# People --------------------------------------------------------------------------------------------------------

@login_required
def person_list(request):
    filters = _filters(request)
    qs = selectors.person_list(actor=request.user, filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/person_list.html", {
        "page": page, "filters": filters, "age_bands": selectors.AGE_BANDS,
        "regions": list(selectors.region_choices(actor=request.user)),
        "tags": selectors.person_tags(actor=request.user), "genders": Person.Gender.choices,
        "can_export": permissions.can_export_people(request.user),
        "can_import": permissions.can_import_people(request.user),
        "can_register": permissions.can_register_somewhere(request.user),
    })


@login_required
def person_export(request):
    try:
        data = services.person_export(actor=request.user, filters=_filters(request))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("people:person_list")
    return _xlsx(data, f"people-{clock.today():%Y%m%d}.xlsx")


def _detail_context(request, person, revealed=None, error=None):
    return {
        "person": person, "revealed": revealed or {}, "reveal_error": error,
        "can_reveal_id": permissions.can_unmask(request.user, person, "id_number"),
        "can_reveal_phone": permissions.can_unmask(request.user, person, "phone"),
        "can_edit": permissions.can_edit_person(request.user, person),
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


# Roster import -------------------------------------------------------------------------------------------------

def _import_path(token: str) -> Path:
    return Path(settings.MEDIA_ROOT) / IMPORT_DIR / f"{token}.xlsx"


def _clean_stale_imports(folder: Path, max_age_seconds: int = 3600) -> None:
    """Uploads never confirmed are removed after an hour."""
    limit = time.time() - max_age_seconds
    for stale in folder.glob("*.xlsx"):
        try:
            if stale.stat().st_mtime < limit:
                stale.unlink(missing_ok=True)
        except OSError:
            continue


@login_required
def person_import(request):
    if not permissions.can_import_people(request.user):
        raise Http404()
    context = {"columns": imports.COLUMNS}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or not upload.name.lower().endswith(".xlsx"):
            context["error"] = _("请选择 Excel .xlsx 文件")
        elif upload.size > MAX_UPLOAD:
            context["error"] = _("文件过大（最大 10 MB）")
        else:
            data = upload.read()
            try:
                report = services.person_import(actor=request.user, file=data, dry_run=True)
            except ApplicationError as exc:
                context["error"] = exc.message
            else:
                context["report"] = report
                context["filename"] = upload.name
                if report.ok:
                    token = secrets.token_urlsafe(16)
                    path = _import_path(token)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    _clean_stale_imports(path.parent)
                    path.write_bytes(crypto.cipher().encrypt(data))  # personal data: never plaintext on disk
                    request.session["people_import"] = {"token": token, "name": upload.name}
                    context["token"] = token
                    context["preview"] = [
                        {"row": r.row, "name": r["name"], "id_number": r["_person"].id_number_masked,
                         "building_code": r["building_code"], "room": r.get("room") or "",
                         "relation_to_head": r.get("relation_to_head") or ""} for r in report.rows[:20]]
    return render(request, "people/person_import.html", context)


@login_required
@require_POST
def person_import_confirm(request):
    if not permissions.can_import_people(request.user):
        raise Http404()
    pending = request.session.get("people_import") or {}
    token = request.POST.get("token", "")
    if not token or pending.get("token") != token or not _import_path(token).exists():
        messages.error(request, _("导入已过期，请重新上传文件"))
        return redirect("people:person_import")
    path = _import_path(token)
    try:
        report = services.person_import(actor=request.user, file=crypto.cipher().decrypt(path.read_bytes()))
    except (ApplicationError, InvalidToken) as exc:
        messages.error(request, exc.message if isinstance(exc, ApplicationError) else _("导入已过期，请重新上传文件"))
        return redirect("people:person_import")
    finally:
        path.unlink(missing_ok=True)
        request.session.pop("people_import", None)
    if not report.ok:
        return render(request, "people/person_import.html", {"columns": imports.COLUMNS, "report": report,
                                                             "filename": pending.get("name", "")})
    messages.success(request, _("已导入 %(n)d 人") % {"n": report.written})
    return redirect("people:person_list")


@login_required
def person_import_template(request):
    if not permissions.can_import_people(request.user):
        raise Http404()
    return _xlsx(imports.template(), "people-template.xlsx")


# Organisations -------------------------------------------------------------------------------------------------

@login_required
def organization_list(request):
    g = request.GET
    q, kind, active = g.get("q", "").strip()[:64], g.get("kind", ""), g.get("active", "1")
    qs = selectors.organization_list(actor=request.user, q=q, kind=kind, region=int_param(g.get("region")),
                                     active=active)
    page = Paginator(qs, PAGE_SIZE).get_page(g.get("page"))
    return render(request, "people/organization_list.html", {
        "page": page, "q": q, "kind": kind, "active": active, "kinds": Organization.Kind.choices,
        "regions": list(selectors.region_choices(actor=request.user)), "region": int_param(g.get("region")),
        "can_create": permissions.can_manage_organizations(request.user),
    })


def _forbidden(request, exc: NotPermitted):
    return render(request, "core/forbidden.html", {"error": exc}, status=403)


def _organization_context(request, org, **extra):
    return {
        "org": org, "posts": selectors.organization_posts(actor=request.user, organization=org),
        "children": selectors.organization_children(actor=request.user, organization=org),
        "can_manage": permissions.can_manage_organization(request.user, organization=org), **extra,
    }


@login_required
def organization_detail(request, pk: int):
    org = or_404(selectors.organization_get, actor=request.user, pk=pk)
    return render(request, "people/organization_detail.html", _organization_context(request, org))


def _organization_form(request, data=None, initial=None, exclude=None):
    """The organisation form; editing keeps the organisation's current region on offer (``exclude`` is the one
    edited: it cannot be its own parent)."""
    keep = exclude.region_id if exclude is not None else None
    return OrganizationForm(data, initial=initial, kinds=permissions.organization_kinds_for(request.user),
                            regions=selectors.organization_regions(actor=request.user, keep=keep),
                            parents=selectors.organization_parents(actor=request.user, exclude=exclude))


@login_required
def organization_create(request):
    try:
        services.ensure_may_register_organizations(request.user)
    except NotPermitted as exc:
        return _forbidden(request, exc)
    form = _organization_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organization_create(actor=request.user, **form.cleaned_data)
        except NotFound:
            raise Http404() from None
        except ApplicationError as exc:
            field_error(form, exc)
        else:
            messages.success(request, _("已登记组织 %(name)s") % {"name": org.name})
            return redirect("people:organization_detail", pk=org.pk)
    return render(request, "people/organization_form.html", {"form": form, "title": _("登记组织")},
                  status=400 if form.errors else 200)


@login_required
def organization_edit(request, pk: int):
    org = or_404(selectors.organization_get, actor=request.user, pk=pk)
    if not permissions.can_manage_organization(request.user, organization=org):
        return _forbidden(request, NotPermitted("无权修改该组织", "You may not change this organisation"))
    if not org.active:
        messages.error(request, _("该组织已撤销，不能修改"))
        return redirect("people:organization_detail", pk=org.pk)
    fields = ("name", "short_name", "kind", "credit_code", "region", "parent", "address", "phone", "lon", "lat")
    initial = {f: getattr(org, f) for f in fields}
    form = _organization_form(request, request.POST or None, initial=initial, exclude=org)
    if org.kind not in dict(form.fields["kind"].choices):
        form.fields["kind"].choices = [*form.fields["kind"].choices, (org.kind, org.get_kind_display())]
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v != initial.get(k)}
        try:
            if changes:
                services.organization_update(actor=request.user, organization=org, **changes)
        except NotFound:
            raise Http404() from None
        except ApplicationError as exc:
            field_error(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("people:organization_detail", pk=org.pk)
    return render(request, "people/organization_form.html", {"form": form, "org": org, "title": _("修改组织")},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def organization_dissolve(request, pk: int):
    org = or_404(selectors.organization_get, actor=request.user, pk=pk)
    try:
        services.organization_dissolve(actor=request.user, organization=org,
                                       reason=request.POST.get("reason", "")[:1000])
    except NotFound:
        raise Http404 from None
    except NotPermitted as exc:
        return _forbidden(request, exc)
    except ApplicationError as exc:
        return render(request, "people/organization_detail.html",
                      _organization_context(request, org, error=exc, form=request.POST), status=exc.status)
    messages.success(request, _("组织已撤销"))
    return redirect("people:organization_detail", pk=org.pk)


# Posts ---------------------------------------------------------------------------------------------------------

@login_required
def post_list(request):
    g = request.GET
    q, role, current = g.get("q", "").strip()[:64], g.get("role", ""), g.get("current", "1")
    qs = selectors.post_list(actor=request.user, q=q, role=role, current=current)
    page = Paginator(qs, PAGE_SIZE).get_page(g.get("page"))
    return render(request, "people/post_list.html", {
        "page": page, "q": q, "role": role, "current": current, "roles": Role.choices,
        "can_manage": permissions.can_manage_posts(request.user),
    })


def _post_context(request, post, **extra):
    return {"post": post, "can_end": permissions.can_end_post(request.user, post) and post.end_date is None,
            "candidates": selectors.successor_candidates(actor=request.user, post=post),
            "today": clock.today(), **extra}


@login_required
def post_detail(request, pk: int):
    post = or_404(selectors.post_get, actor=request.user, pk=pk)
    return render(request, "people/post_detail.html", _post_context(request, post))


@login_required
@require_POST
def post_end(request, pk: int):
    post = or_404(selectors.post_get, actor=request.user, pk=pk)
    successor = None
    successor_id = int_param(request.POST.get("successor"))
    raw_end = request.POST.get("end_date")
    end_date = date_param(raw_end) if raw_end else clock.today()
    try:
        if end_date is None:
            raise ValidationFailed("结束日期格式不正确", "The end date is not valid", field="end_date")
        if successor_id:
            successor = selectors.successor_get(actor=request.user, post=post, pk=successor_id)
            if successor is None:
                raise ValidationFailed("接任人不存在", "Successor not found", field="successor")
        services.post_end(actor=request.user, post=post, end_date=end_date, successor=successor,
                          note=request.POST.get("note", "")[:2000])
    except NotFound:
        raise Http404 from None
    except ApplicationError as exc:
        return render(request, "people/post_detail.html",
                      _post_context(request, post, error=exc, form=request.POST), status=exc.status)
    messages.success(request, _("岗位已结束"))
    return redirect("people:post_detail", pk=post.pk)
