"""Organisations: list, detail, register, edit, dissolve."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core.edges import field_error, int_param, or_404
from grassroots.core.errors import ApplicationError, NotFound, NotPermitted

from .. import permissions, selectors, services
from ..forms import OrganizationForm
from ..models import Organization
from .common import PAGE_SIZE, forbidden_page


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
        return forbidden_page(request, exc)
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
        return forbidden_page(request, NotPermitted("无权修改该组织", "You may not change this organisation"))
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
        return forbidden_page(request, exc)
    except ApplicationError as exc:
        return render(request, "people/organization_detail.html",
                      _organization_context(request, org, error=exc, form=request.POST), status=exc.status)
    messages.success(request, _("组织已撤销"))
    return redirect("people:organization_detail", pk=org.pk)
