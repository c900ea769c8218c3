"""Pages for residents governing together: topics and their whole story, meetings (agenda, sign-in, motions,
votes, close), resolutions with notice, follow-up and progress, printable PDFs. Public notices have their own pages
(``grassroots.notices``); the old notice addresses here redirect to them (notice ids were kept when they moved)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core.edges import field_error, int_param, or_404, post_action
from grassroots.core.errors import ApplicationError, NotFound, ValidationFailed

from . import follow_up, pdf, selectors, services
from .forms import (
    CloseForm,
    DropForm,
    FollowUpForm,
    MeetingForm,
    MotionForm,
    ProgressForm,
    PublishForm,
    ResolutionForm,
    TopicForm,
)
from .permissions import can_convene
from .states import AttendanceMode, Choice, MeetingStatus, TopicStatus


def form_action(request, form, create, success: str, detail: str):
    """A POSTed form calls one service that creates something: on success the message and a redirect to the new
    object's ``detail`` page; the service's error goes next to its field (and None: the caller renders the form)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        created = create()
    except NotFound:
        raise Http404
    except ApplicationError as exc:
        field_error(form, exc)
        return None
    messages.success(request, success)
    return redirect(detail, pk=created.pk)


# --- topics --------------------------------------------------------------------------------------------------------
@login_required
def topic_list(request):
    g = request.GET
    qs = selectors.topics(actor=request.user, status=g.get("status", ""), community_code=g.get("community", ""),
                          scope_code=g.get("scope", ""), q=g.get("q", "").strip(), mine=g.get("mine") == "1")
    page = Paginator(qs, 20).get_page(g.get("page"))
    return render(request, "deliberation/topic_list.html", {
        "page": page, "statuses": TopicStatus.choices, "communities": selectors.communities(actor=request.user)})


@login_required
def topic_new(request):
    regions = list(selectors.raise_regions(actor=request.user))
    form = TopicForm(request.POST or None)

    def create():
        d = form.cleaned_data
        return services.topic_create(actor=request.user, description=d["description"], title=d["title"],
                                     scope_region=selectors.region_choice(actor=request.user, pk=d["scope_region"]))

    return form_action(request, form, create, _("议题已提出，邻居可以附议"), "deliberation:topic_detail") or \
        render(request, "deliberation/topic_form.html", {"form": form, "regions": regions})


@login_required
def topic_detail(request, pk: int):
    topic = or_404(selectors.topic_detail, actor=request.user, pk=pk)
    story = selectors.topic_story(actor=request.user, topic=topic)
    return render(request, "deliberation/topic_detail.html", {
        "topic": topic, **story, "supported": selectors.topic_supported_by(actor=request.user, topic=topic),
        "staff": selectors.is_staff_for_community(request.user, topic.community), "drop_form": DropForm()})


@login_required
@require_POST
def topic_support(request, pk: int):
    topic = or_404(selectors.topic_detail, actor=request.user, pk=pk)
    error = ""
    try:
        services.topic_support(actor=request.user, topic=topic)
    except ApplicationError as exc:
        error = exc.message
    topic = selectors.topic_detail(actor=request.user, pk=pk)
    ctx = {"topic": topic, "supported": selectors.topic_supported_by(actor=request.user, topic=topic),
           "support_error": error}
    if request.headers.get("HX-Request"):
        return render(request, "deliberation/_support.html", ctx)
    if error:
        messages.error(request, error)
    return redirect("deliberation:topic_detail", pk=pk)


@login_required
@require_POST
def topic_drop(request, pk: int):
    topic = or_404(selectors.topic_detail, actor=request.user, pk=pk)
    return post_action(request, lambda: services.topic_drop(actor=request.user, topic=topic,
                                                     reason=request.POST.get("reason", "")),
                _("已标记为不予采纳"), reverse("deliberation:topic_detail", args=[pk]))


# --- meetings ------------------------------------------------------------------------------------------------------
@login_required
def meeting_list(request):
    g = request.GET
    qs = selectors.meetings(actor=request.user, status=g.get("status", ""), kind=g.get("kind", ""),
                            q=g.get("q", "").strip())
    page = Paginator(qs, 20).get_page(g.get("page"))
    return render(request, "deliberation/meeting_list.html", {
        "page": page, "statuses": MeetingStatus.choices, "kinds": selectors.meeting_kinds(actor=request.user),
        "can_create": can_convene(request.user)})


@login_required
def meeting_new(request):
    regions = list(or_404(selectors.meeting_regions, actor=request.user))
    form = MeetingForm(request.POST or None)

    def create():
        d = form.cleaned_data
        region = selectors.region_choice(actor=request.user, pk=d["scope_region"])
        try:
            return services.meeting_create(actor=request.user, kind=d["kind"], scope_region=region, title=d["title"],
                                           scheduled_at=d["scheduled_at"], location=d["location"])
        except NotFound:
            raise ValidationFailed("范围不在您的管辖内", "The region is outside your scope", field="scope_region")

    return form_action(request, form, create, _("会议已创建"), "deliberation:meeting_detail") or \
        render(request, "deliberation/meeting_form.html", {"form": form, "regions": regions})


@login_required
def meeting_detail(request, pk: int):
    meeting = or_404(selectors.meeting_detail, actor=request.user, pk=pk)
    board = selectors.meeting_board(actor=request.user, meeting=meeting)
    q = request.GET.get("q", "")
    return render(request, "deliberation/meeting_detail.html", {
        "meeting": meeting, **board, "q": q,
        "candidates": selectors.sign_in_candidates(actor=request.user, meeting=meeting, q=q),
        "agenda_candidates": selectors.agenda_candidates(actor=request.user, meeting=meeting),
        "motion_form": MotionForm(), "close_form": CloseForm(), "choices": Choice.choices,
        "open": meeting.status == MeetingStatus.OPEN})


def _meeting(request, pk):
    return or_404(selectors.meeting_detail, actor=request.user, pk=pk)


def _back(pk):
    return reverse("deliberation:meeting_detail", args=[pk])


def _meeting_post(request, pk, service, success: str):
    """A POST that calls one service with the meeting alone; back to the meeting's page."""
    meeting = _meeting(request, pk)
    return post_action(request, lambda: service(actor=request.user, meeting=meeting), success, _back(pk))


@login_required
@require_POST
def meeting_agenda_add(request, pk: int):
    meeting = _meeting(request, pk)

    def act():
        services.agenda_add(actor=request.user, meeting=meeting,
                            topic=selectors.topic_choice(actor=request.user, pk=int_param(request.POST.get("topic"))))

    return post_action(request, act, _("已列入议程"), _back(pk))


@login_required
@require_POST
def meeting_invite(request, pk: int):
    return _meeting_post(request, pk, services.meeting_invite, _("已发出会议通知"))


@login_required
@require_POST
def meeting_open(request, pk: int):
    return _meeting_post(request, pk, services.meeting_open, _("会议已开始，可以签到"))


@login_required
@require_POST
def meeting_sign_in(request, pk: int):
    """Staff at the door sign in a person found by name; residents sign themselves in online."""
    meeting = _meeting(request, pk)

    def act():
        if request.POST.get("self") == "1":
            services.sign_in(actor=request.user, meeting=meeting, mode=AttendanceMode.ONLINE)
            return
        person = next((p for p in selectors.sign_in_candidates(actor=request.user, meeting=meeting,
                                                              q=request.POST.get("name", ""), limit=200)
                       if str(p.pk) == request.POST.get("person")), None)
        if person is None:
            raise ValidationFailed("未找到该应到人员，或已签到", "Not found among those due", field="person")
        services.sign_in(actor=request.user, meeting=meeting, person=person)

    return post_action(request, act, _("已签到"), _back(pk))


@login_required
@require_POST
def motion_new(request, pk: int):
    meeting = _meeting(request, pk)

    def act():
        topic = selectors.agenda_topic(actor=request.user, meeting=meeting, pk=int_param(request.POST.get("topic")))
        services.motion_create(actor=request.user, meeting=meeting, text=request.POST.get("text", ""),
                               ballot=request.POST.get("ballot", ""), topic=topic,
                               special=request.POST.get("special") == "1")

    return post_action(request, act, _("已提出表决事项"), _back(pk))


@login_required
@require_POST
def motion_vote(request, pk: int):
    """A resident votes online (after online sign-in); staff enter a paper vote for a person signed in."""
    motion = or_404(selectors.motion_detail, actor=request.user, pk=pk)

    def act():
        person = None
        if request.POST.get("person"):
            person = selectors.signed_in_person(actor=request.user, motion=motion,
                                                pk=int_param(request.POST["person"]))
        services.vote_cast(actor=request.user, motion=motion, choice=request.POST.get("choice", ""), person=person)

    return post_action(request, act, _("已记录投票"), _back(motion.meeting_id))


@login_required
@require_POST
def motion_close(request, pk: int):
    motion = or_404(selectors.motion_detail, actor=request.user, pk=pk)
    return post_action(request, lambda: services.motion_close(actor=request.user, motion=motion), _("表决已结束"),
                _back(motion.meeting_id))


@login_required
@require_POST
def meeting_close(request, pk: int):
    meeting = _meeting(request, pk)
    return post_action(request, lambda: services.meeting_close(actor=request.user, meeting=meeting,
                                                        minutes=request.POST.get("minutes", "")),
                _("会议已结束"), _back(pk))


@login_required
def meeting_sign_in_pdf(request, pk: int):
    meeting = _meeting(request, pk)
    persons = or_404(selectors.due_persons, actor=request.user, meeting=meeting)
    electors = selectors.due_weights(actor=request.user, meeting=meeting)
    return _pdf(pdf.sign_in_sheet(meeting, persons, electors), f"sign-in-{meeting.pk}.pdf")


@login_required
def motion_ballot_pdf(request, pk: int):
    motion = or_404(selectors.motion_detail, actor=request.user, pk=pk)
    return _pdf(pdf.ballot(motion), f"ballot-{motion.pk}.pdf")


def _pdf(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


# --- resolutions ---------------------------------------------------------------------------------------------------
@login_required
def resolution_new(request, pk: int):
    motion = or_404(selectors.motion_detail, actor=request.user, pk=pk)
    people = or_404(selectors.responsible_candidates, actor=request.user, motion=motion)
    form = ResolutionForm(request.POST or None, initial={"text": motion.text})

    def create():
        d = form.cleaned_data
        responsible = next((u for u in people if u.pk == d["responsible"]), None)
        if responsible is None:
            raise ValidationFailed("请选择责任人", "Choose who is responsible", field="responsible")
        return services.resolution_create(actor=request.user, motion=motion, text=d["text"], responsible=responsible,
                                          due_date=d["due_date"])

    return form_action(request, form, create, _("决议已形成，请发布公示"), "deliberation:resolution_detail") or \
        render(request, "deliberation/resolution_form.html", {"form": form, "motion": motion, "people": people})


def resolution_detail(request, pk: int):
    resolution = or_404(selectors.resolution_detail, actor=request.user, pk=pk)
    staff = selectors.is_staff_for_community(request.user, resolution.meeting.community)
    return render(request, "deliberation/resolution_detail.html", {
        "resolution": resolution, "staff": staff, "updates": list(resolution.updates.all()),
        "notices": selectors.resolution_notices(actor=request.user, resolution=resolution),
        **selectors.resolution_follow_ups(actor=request.user, resolution=resolution),
        "publish_form": PublishForm(), "follow_form": FollowUpForm(), "progress_form": ProgressForm()})


def _resolution(request, pk):
    return or_404(selectors.resolution_detail, actor=request.user, pk=pk)


@login_required
@require_POST
def resolution_publish(request, pk: int):
    r = _resolution(request, pk)
    raw = request.POST.get("working_days")
    days = (int_param(raw) or 0) if raw else None  # None: the policy's default; 0: the service refuses
    return post_action(request, lambda: services.resolution_publish(actor=request.user, resolution=r, working_days=days),
                _("已发布公示"), reverse("deliberation:resolution_detail", args=[pk]))


@login_required
@require_POST
def resolution_follow_up(request, pk: int):
    r = _resolution(request, pk)

    def act():
        chosen = {way.field: int_param(request.POST.get(way.field)) for way in follow_up.registered()}
        category = selectors.follow_up_category(actor=request.user, pk=int_param(request.POST.get("case_category")))
        services.resolution_follow_up(actor=request.user, resolution=r, case_category=category, **chosen)

    return post_action(request, act, _("已安排落实"), reverse("deliberation:resolution_detail", args=[pk]))


@login_required
@require_POST
def resolution_progress(request, pk: int):
    r = _resolution(request, pk)

    def act():
        form = ProgressForm(request.POST)
        if not form.is_valid():
            raise ValidationFailed("请填写进展、进度和日期", "Text, progress and date are required", field="progress")
        services.resolution_progress(actor=request.user, resolution=r, **form.cleaned_data)

    return post_action(request, act, _("已登记进展"), reverse("deliberation:resolution_detail", args=[pk]))


def resolution_pdf(request, pk: int):
    r = _resolution(request, pk)
    return _pdf(pdf.resolution(r), f"resolution-{r.pk}.pdf")


# --- notices (moved to grassroots.notices; ids kept) -------------------------------------------------------------
def notice_list(request):
    return redirect(reverse("notices:notices") + (f"?{request.GET.urlencode()}" if request.GET else ""), permanent=True)


def notice_detail(request, pk: int):
    return redirect("notices:notice_detail", pk=pk, permanent=True)
