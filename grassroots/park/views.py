"""Park pages: the enterprises (list, register, page with grid, party status, 同步 steps, appeals, visits, cards), the
instructors (figures of the month, assignments, visits), the cards to reprint, the chain committees and their joint
meetings. Thin edges: parse, call a selector or a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core import clock
from grassroots.core import roles as R
from grassroots.core.edges import bool_param, date_param, int_param, or_404, post_action
from grassroots.core.errors import ApplicationError, NotFound
from grassroots.core.export_views import export_response

from . import exports, permissions, public, selectors, services
from .states import SYNC_STEPS, EntityKind, PartyStatus


def _filters(request) -> dict:
    g = request.GET
    return {"q": g.get("q", "")[:60].strip(), "grid": int_param(g.get("grid"), minimum=1),
            "kind": g.get("kind", "") if g.get("kind", "") in EntityKind.values else "",
            "party_status": g.get("party_status", "") if g.get("party_status", "") in PartyStatus.values else "",
            "key": bool_param(g.get("key")), "late": g.get("late") == "1"}


@login_required
def profile_list(request):
    f = _filters(request)
    qs = selectors.profile_list(actor=request.user, **f)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "park/list.html", {
        "page": page, "f": f, "kinds": EntityKind.choices, "statuses": PartyStatus.choices,
        "grids": selectors.grids(actor=request.user), "may_register": selectors.parks(actor=request.user).exists()})


@login_required
def profile_export(request):
    f = {k: v for k, v in _filters(request).items() if v not in ("", None, False)}
    return export_response(request, exports.ENTERPRISES.key, f)


@login_required
def profile_register(request):
    parks = selectors.parks(actor=request.user)
    if not parks.exists():
        raise Http404()
    error, p = None, request.POST
    if request.method == "POST":
        try:
            park = parks.filter(pk=p.get("park")).first() if str(p.get("park", "")).isdigit() else None
            if park is None:
                raise NotFound("园区不存在", "Park not found")
            grid = selectors.grids(actor=request.user).filter(pk=p.get("grid")).first() if p.get("grid") else None
            profile = services.profile_register(
                actor=request.user, park=park, name=p.get("name", ""), kind=p.get("kind", ""),
                registered_on=date_param(p.get("registered_on")), credit_code=p.get("credit_code", ""),
                grid=grid, is_key=p.get("is_key") == "1", contact_name=p.get("contact_name", ""),
                contact_phone=p.get("contact_phone", ""))
        except ApplicationError as exc:
            error = exc
        else:
            messages.success(request, _("已登记"))
            return redirect("park:detail", pk=profile.pk)
    return render(request, "park/register.html", {"parks": parks, "kinds": EntityKind.choices, "error": error,
                                                  "values": p, "grids": selectors.grids(actor=request.user),
                                                  "today": clock.today()})


def _commissioners(profile):
    from grassroots.core.scope import active_posts_q
    from grassroots.people.models import Post, User

    posts = Post.objects.filter(active_posts_q(), role=R.Role.SERVICE_COMMISSIONER)
    return User.objects.filter(pk__in=posts.values("user_id"), is_active=True).order_by("username")


@login_required
def profile_detail(request, pk: int):
    from grassroots.people.masking import mask_phone

    profile = or_404(selectors.profile_detail, actor=request.user, pk=pk)
    keep = permissions.can_keep(request.user, profile.park_path)
    me = permissions.instructor_of(request.user)
    cards = list(profile.cards.select_related("link")) if keep else []
    return render(request, "park/detail.html", {
        "profile": profile, "keep": keep, "appeals": selectors.appeals(actor=request.user, profile=profile)[:50],
        "visits": selectors.visits(actor=request.user, profile=profile)[:50], "cards": cards,
        "steps": [(k, label, getattr(profile, f)) for k, f, label in SYNC_STEPS],
        "secretary_phone": mask_phone(profile.secretary_phone), "contact_phone": mask_phone(profile.contact_phone),
        "may_visit": keep or (me is not None and profile.grid_id is not None),
        "grids": selectors.grids(actor=request.user) if keep else [], "statuses": PartyStatus.choices,
        "commissioners": _commissioners(profile)[:300] if keep else [],
        "chains": selectors.committees(actor=request.user) if keep else [], "today": clock.today()})


@login_required
@require_POST
def profile_action(request, pk: int, verb: str):
    profile = or_404(selectors.profile_detail, actor=request.user, pk=pk)
    p, actor = request.POST, request.user

    def update():
        grid = selectors.grids(actor=actor).filter(pk=p.get("grid")).first() if p.get("grid") else None
        commissioner = _commissioners(profile).filter(pk=p.get("commissioner")).first() if p.get(
            "commissioner") else None
        chain = selectors.committees(actor=actor).filter(pk=p.get("chain")).first() if p.get("chain") else None
        phones = {k: p[k] for k in ("secretary_phone", "contact_phone") if p.get(k, "").strip()}  # blank: kept
        return services.profile_update(
            actor=actor, profile=profile, grid=grid, is_key=p.get("is_key") == "1",
            party_status=p.get("party_status", ""), party_org_name=p.get("party_org_name", ""),
            secretary_name=p.get("secretary_name", ""), commissioner=commissioner,
            contact_name=p.get("contact_name", ""), chain=chain, **phones)

    actions = {
        "update": (update, _("已保存")),
        "sync": (lambda: services.sync_step(actor=actor, profile=profile, step=p.get("step", ""),
                                            on=date_param(p.get("on"))), _("已记录")),
        "visit": (lambda: services.visit_log(actor=actor, profile=profile, visited_on=date_param(p.get("visited_on")),
                                             asked=p.get("asked", ""), done=p.get("done", ""),
                                             follow_up=p.get("follow_up", "")), _("走访已记录")),
        "card": (lambda: services.card_issue(actor=actor, profile=profile), _("已制作新版联系卡")),
    }
    if verb not in actions:
        raise Http404()
    run, done = actions[verb]
    return post_action(request, run, done, reverse("park:detail", args=[profile.pk]))


@login_required
def card_pdf(request, pk: int):
    from grassroots.links import services as links

    card = or_404(selectors.card_detail, actor=request.user, pk=pk)
    if not permissions.can_keep(request.user, card.profile.park_path):
        raise Http404()
    fmt = "A6" if request.GET.get("format") == "a6" else "phone"
    body = public.card_pdf(card, request.build_absolute_uri(links.path_of(card.link)), page_format=fmt)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="contact-card-{card.profile_id}-v{card.version}.pdf"'
    return response


@login_required
@require_POST
def card_revoke(request, pk: int):
    from grassroots.links import services as links

    card = or_404(selectors.card_detail, actor=request.user, pk=pk)
    if not permissions.can_keep(request.user, card.profile.park_path):
        raise Http404()
    return post_action(request, lambda: links.link_revoke(actor=request.user, link=card.link,
                                                          reason=request.POST.get("reason", "")[:200]),
                       _("已作废该版联系卡"), reverse("park:detail", args=[card.profile_id]))


@login_required
def reprint(request):
    if not selectors.parks(actor=request.user).exists():
        raise Http404()
    return render(request, "park/reprint.html", {"rows": selectors.reprint_list(actor=request.user)})


@login_required
def instructors(request):
    today = clock.today()
    rows = selectors.instructor_figures(actor=request.user, year=today.year, month=today.month)
    if not rows and not selectors.parks(actor=request.user).exists():
        raise Http404()
    error = None
    parks = selectors.parks(actor=request.user)
    if request.method == "POST":
        from grassroots.people.models import User

        try:
            park = parks.filter(pk=request.POST.get("park")).first() if str(request.POST.get("park", "")).isdigit() \
                else None
            user = User.objects.filter(username=request.POST.get("username", "").strip(), is_active=True).first()
            if park is None or user is None:
                raise NotFound("园区或账号不存在", "Park or account not found")
            services.instructor_create(actor=request.user, park=park, user=user, name=request.POST.get("name", ""),
                                       phone=request.POST.get("phone", ""),
                                       background=request.POST.get("background", ""))
        except ApplicationError as exc:
            error = exc
        else:
            messages.success(request, _("已添加党建指导员"))
            return redirect("park:instructors")
    return render(request, "park/instructors.html", {
        "rows": rows, "parks": parks, "error": error, "values": request.POST, "today": today,
        "need": selectors.setting(selectors.DAYS_KEY, selectors.DAYS_DEFAULT),
        "limit": selectors.setting(selectors.KEY_FIRMS_KEY, selectors.KEY_FIRMS_DEFAULT)})


@login_required
def instructor_detail(request, pk: int):
    instructor = or_404(selectors.instructor_detail, actor=request.user, pk=pk)
    keep = permissions.can_keep(request.user, instructor.park_path)
    if request.method == "POST" and keep:
        grid = selectors.grids(actor=request.user).filter(pk=request.POST.get("grid")).first()
        return post_action(request, lambda: services.assign(actor=request.user, instructor=instructor, grid=grid,
                                                            start=date_param(request.POST.get("start"))),
                           _("已分配网格"), reverse("park:instructor", args=[instructor.pk]))
    return render(request, "park/instructor.html", {
        "instructor": instructor, "keep": keep, "assignments": selectors.active_assignments(instructor),
        "visits": selectors.visits(actor=request.user, instructor=instructor)[:100],
        "key_firms": selectors.key_firms(instructor), "grids": selectors.grids(actor=request.user) if keep else []})


@login_required
@require_POST
def assignment_end(request, pk: int):
    from .models import GridAssignment

    row = GridAssignment.objects.filter(pk=pk).select_related("instructor").first()
    if row is None:
        raise Http404()
    or_404(selectors.instructor_detail, actor=request.user, pk=row.instructor_id)
    return post_action(request, lambda: services.assignment_end(actor=request.user, assignment=row),
                       _("分工已结束"), reverse("park:instructor", args=[row.instructor_id]))


@login_required
def chains(request):
    rows = selectors.committees(actor=request.user)
    parks = selectors.parks(actor=request.user)
    if not parks.exists():
        raise Http404()
    error = None
    if request.method == "POST":
        try:
            park = parks.filter(pk=request.POST.get("park")).first() if str(request.POST.get("park", "")).isdigit() \
                else None
            if park is None:
                raise NotFound("园区不存在", "Park not found")
            services.committee_create(actor=request.user, park=park, name=request.POST.get("name", ""),
                                      chain=request.POST.get("chain", ""), secretary=request.POST.get("secretary", ""))
        except ApplicationError as exc:
            error = exc
        else:
            messages.success(request, _("已设立"))
            return redirect("park:chains")
    return render(request, "park/chains.html", {"rows": rows, "parks": parks, "error": error, "values": request.POST})


@login_required
def chain_detail(request, pk: int):
    committee = or_404(selectors.committee_detail, actor=request.user, pk=pk)
    appeals = selectors.chain_appeals(actor=request.user, committee=committee).order_by("-reported_at")[:100]
    if request.method == "POST":
        return post_action(request, lambda: services.meeting_create(
            actor=request.user, committee=committee, held_on=date_param(request.POST.get("held_on")),
            topic=request.POST.get("topic", ""), minutes=request.POST.get("minutes", ""),
            case_ids=request.POST.getlist("cases")), _("联席会议已记录"), reverse("park:chain", args=[committee.pk]))
    return render(request, "park/chain.html", {
        "committee": committee, "members": committee.members.select_related("organization").order_by("pk"),
        "meetings": selectors.meetings(actor=request.user, committee=committee), "appeals": appeals,
        "today": clock.today()})
