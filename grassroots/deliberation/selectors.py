"""The only readers of deliberation. Every function takes ``actor=``.

Public to every visitor: topics and their outcome, resolutions, public notices with objections and answers (the
objector's name is never shown). Meetings are read by staff in scope (``scope.region_q`` on the community path) and
by residents of the meeting's community (they sign in and vote online). Secret ballots show counts only: nobody
reads who cast a ballot, and nothing stores what they chose.
"""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from grassroots.cases.models import Category
from grassroots.core.errors import NotFound, ValidationFailed
from grassroots.core.scope import PATH_END, scope_for
from grassroots.notices import selectors as notices_selectors
from grassroots.people.models import Person, User
from grassroots.territory.models import Level, Region

from . import follow_up
from .models import (
    AgendaItem,
    Attendance,
    BallotCast,
    Meeting,
    MeetingKind,
    Motion,
    Resolution,
    Topic,
    TopicSupport,
    Vote,
)
from .permissions import READ_ROLES, STAFF_ROLES, can_convene, home_community_path, is_staff_for
from .states import TopicStatus


def _subtree(field: str, path: str) -> Q:
    return Q(**{f"{field}__gte": path, f"{field}__lt": path + PATH_END})


def _home_community(actor) -> str | None:
    """The path of the community the actor lives in (first three levels of their grid's path)."""
    path = home_community_path(actor)
    if not path:
        return None
    parts = [p for p in path.split("/") if p]
    return "/" + "/".join(parts[:3]) + "/" if len(parts) >= 3 else path


is_staff_for_community = is_staff_for  # staff of the community (the pages show them the staff's forms)


def _support_count():
    return Coalesce(Subquery(TopicSupport.objects.filter(topic=OuterRef("pk")).values("topic").annotate(
        n=Count("pk")).values("n")[:1]), 0)


# --- topics (public) ----------------------------------------------------------------------------------------------
def topics(*, actor, status: str = "", community_code: str = "", scope_code: str = "", q: str = "", mine: bool = False):
    qs = Topic.objects.select_related("community", "scope_region").annotate(support_count=_support_count())
    if status in TopicStatus.values:
        qs = qs.filter(status=status)
    if community_code:
        qs = qs.filter(community__code=community_code)
    if scope_code:
        region = Region.objects.filter(code=scope_code).values_list("path", flat=True).first()
        qs = qs.filter(_subtree("scope_region__path", region)) if region else qs.none()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    if mine:
        qs = qs.filter(author_id=getattr(actor, "pk", None))
    return qs.order_by("-created_at", "-id")


def topic_detail(*, actor, pk: int) -> Topic:
    topic = topics(actor=actor).filter(pk=pk).first()
    if topic is None:
        raise NotFound()
    return topic


def topic_supported_by(*, actor, topic: Topic) -> bool:
    return getattr(actor, "is_authenticated", False) and TopicSupport.objects.filter(topic=topic, user=actor).exists()


def topic_story(*, actor, topic: Topic) -> dict:
    """The whole story of a topic: agenda and meetings, vote results, resolutions, notices with objections, how it
    is carried out (a case here; what apps above register in ``follow_up.py``, e.g. micro-projects), progress.
    Counts only for ballots."""
    items = list(AgendaItem.objects.filter(topic=topic).select_related("meeting", "meeting__kind")
                 .order_by("meeting__scheduled_at"))
    visible_meetings = set(meetings(actor=actor).filter(pk__in=[i.meeting_id for i in items]).values_list("pk", flat=True))
    motions_ = list(Motion.objects.filter(topic=topic).select_related("meeting").order_by("id"))
    resolutions_ = list(Resolution.objects.filter(topic=topic).select_related(
        "follow_up_case", "responsible").prefetch_related("updates").order_by("id"))
    parts = [way.topic_part(actor=actor, topic=topic) for way in follow_up.registered()]
    notices_ = notices_selectors.notices_about_many(actor=actor, model=Resolution, ids=[r.pk for r in resolutions_])
    notices_ = sorted(notices_ + [n for part in parts for n in part["notices"]], key=lambda n: n.starts_at)
    progress = max([r.progress for r in resolutions_] + [part["progress"] for part in parts] + [0])
    steps = _story_steps(topic)
    return {"agenda": items, "visible_meetings": visible_meetings, "motions": motions_, "resolutions": resolutions_,
            "notices": notices_, "follow_up_parts": parts, "progress": progress, "steps": steps}


STORY = [
    (TopicStatus.COLLECTED, gettext_lazy("提出")), (TopicStatus.ON_AGENDA, gettext_lazy("列入议程")),
    (TopicStatus.DELIBERATED, gettext_lazy("协商")), (TopicStatus.RESOLVED, gettext_lazy("形成决议")),
    (TopicStatus.IN_NOTICE, gettext_lazy("公示")), (TopicStatus.IN_PROGRESS, gettext_lazy("落实")),
    (TopicStatus.DONE, gettext_lazy("办结")),
]


def _story_steps(topic: Topic) -> list[dict]:
    order = [s for s, _ in STORY]
    reached = order.index(topic.status) if topic.status in order else -1
    return [{"status": s, "label": label, "done": i <= reached, "current": i == reached}
            for i, (s, label) in enumerate(STORY)]


# --- meetings -------------------------------------------------------------------------------------------------------
def meetings(*, actor, status: str = "", kind: str = "", q: str = ""):
    scope = scope_for(actor)
    visible = scope.region_q("community__path", roles=READ_ROLES)
    home = _home_community(actor)
    if home:
        visible |= Q(community__path=home)
    qs = Meeting.objects.filter(visible).select_related("kind", "community", "scope_region").annotate(
        present=Coalesce(Subquery(Attendance.objects.filter(meeting=OuterRef("pk")).values("meeting").annotate(
            n=Count("pk")).values("n")[:1]), 0))
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind__code=kind)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(location__icontains=q))
    return qs.order_by("-scheduled_at", "-id")


def meeting_detail(*, actor, pk: int) -> Meeting:
    meeting = meetings(actor=actor).filter(pk=pk).first()
    if meeting is None:
        raise NotFound()
    return meeting


def meeting_kinds(*, actor):
    return MeetingKind.objects.order_by("code")


def meeting_board(*, actor, meeting: Meeting) -> dict:
    """What the meeting page shows: agenda, 应到/实到/quorum, motions with counts; attendees only to staff."""
    from . import services

    staff = is_staff_for_community(actor, meeting.community)
    present = meeting.present
    motions_ = list(meeting.motions.select_related("topic").annotate(
        cast_count=Count("casts", distinct=True), vote_count=Count("votes", distinct=True)).order_by("id"))
    person_id = getattr(getattr(actor, "person", None), "pk", None)
    mine_attended = person_id is not None and Attendance.objects.filter(meeting=meeting, person_id=person_id).exists()
    voted = set()
    if person_id is not None:
        voted = set(BallotCast.objects.filter(motion__meeting=meeting, person_id=person_id).values_list("motion_id", flat=True))
        voted |= set(Vote.objects.filter(motion__meeting=meeting, person_id=person_id).values_list("motion_id", flat=True))
    for m in motions_:
        m.cast_total = m.cast_count if m.ballot == Motion.Ballot.SECRET else m.vote_count
        m.voted_by_me = m.pk in voted
    return {
        "agenda": list(meeting.agenda.select_related("topic").order_by("order", "id")),
        "present": present, "due": meeting.due_count, "quorum": services.quorum_met(meeting, present),
        "motions": motions_, "staff": staff, "signed_in": mine_attended,
        "attendances": list(meeting.attendances.select_related("person").order_by("signed_in_at", "id"))[:500]
        if staff else [],
        "resolutions": {r.motion_id: r for r in meeting.resolutions.all()},
    }


def agenda_candidates(*, actor, meeting: Meeting):
    """Topics of the meeting's community that can still go on an agenda."""
    if not is_staff_for_community(actor, meeting.community):
        return Topic.objects.none()
    return Topic.objects.filter(community=meeting.community, status__in=[TopicStatus.COLLECTED, TopicStatus.ON_AGENDA]) \
        .exclude(agenda_items__meeting=meeting).order_by("-created_at")[:50]


def sign_in_candidates(*, actor, meeting: Meeting, q: str, limit: int = 20):
    """Staff search among those due to attend (by name) who have not signed in yet."""
    from . import services

    if not is_staff_for_community(actor, meeting.community) or not q.strip():
        return []
    qs = services.eligible_persons(meeting).filter(name__icontains=q.strip()).exclude(
        pk__in=Attendance.objects.filter(meeting=meeting).values("person_id"))
    return list(qs.select_related("building").order_by("name", "id")[:limit])


def due_persons(*, actor, meeting: Meeting, limit: int = 201):
    from . import services

    if not is_staff_for_community(actor, meeting.community):
        raise NotFound()
    return list(services.eligible_persons(meeting).select_related("building").order_by("building__name", "name", "id")[:limit])


def due_weights(*, actor, meeting: Meeting) -> dict:
    """person id → weight on the meeting's roll (unit, area, vote), for the sign-in sheet; staff only."""
    from . import services

    if not is_staff_for_community(actor, meeting.community):
        raise NotFound()
    return services.electorate(meeting) if meeting.roll_id is not None else {}


def motion_detail(*, actor, pk: int) -> Motion:
    motion = Motion.objects.filter(pk=pk, meeting__in=meetings(actor=actor)).select_related(
        "meeting", "meeting__kind", "meeting__community", "topic").first()
    if motion is None:
        raise NotFound()
    return motion


def motion_public(*, actor, pk: int) -> Motion:
    """A motion's results (counts only) are public once it belongs to a topic or a resolution; staff and the
    meeting's residents see every motion."""
    qs = Motion.objects.select_related("meeting", "meeting__kind", "meeting__community", "topic")
    motion = qs.filter(pk=pk).filter(Q(meeting__in=meetings(actor=actor)) | Q(topic__isnull=False) |
                                     Q(resolution__isnull=False)).first()
    if motion is None:
        raise NotFound()
    return motion


def motion_results(*, actor, motion: Motion) -> dict:
    """Counts only. While a secret ballot is open, its tally is hidden (only how many ballots were cast)."""
    secret = motion.ballot == Motion.Ballot.SECRET
    if motion.status == "closed":
        yes, no, abstain = motion.yes, motion.no, motion.abstain
    elif secret:
        yes = no = abstain = None
    else:
        counts = dict(Vote.objects.filter(motion=motion).values_list("choice").annotate(n=Count("pk")))
        yes, no, abstain = counts.get("yes", 0), counts.get("no", 0), counts.get("abstain", 0)
    cast = BallotCast.objects.filter(motion=motion).count() if secret else Vote.objects.filter(motion=motion).count()
    return {"id": motion.pk, "text": motion.text, "ballot": motion.ballot, "status": motion.status,
            "result": motion.result, "yes": yes, "no": no, "abstain": abstain, "cast": cast,
            "present_at_close": motion.present_at_close, "due": motion.meeting.due_count,
            "meeting_id": motion.meeting_id, "meeting_title": motion.meeting.title}


# --- resolutions and notices (public) -------------------------------------------------------------------------------
def resolutions(*, actor, community_code: str = "", status: str = ""):
    """Each with ``follow_up_<field>_id`` for every way of carrying it out registered in ``follow_up.py``."""
    qs = Resolution.objects.select_related("meeting", "meeting__kind", "meeting__community", "motion", "topic",
                                           "responsible")
    for way in follow_up.registered():
        qs = way.annotate(qs)
    if community_code:
        qs = qs.filter(meeting__community__code=community_code)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def resolution_detail(*, actor, pk: int) -> Resolution:
    r = resolutions(actor=actor).filter(pk=pk).first()
    if r is None:
        raise NotFound()
    return r


def notices(*, actor, community_code: str = "", kind: str = "", q: str = ""):
    """Public notices (``grassroots.notices``), for the API's notice list."""
    return notices_selectors.notices(actor=actor, region_code=community_code, kind=kind, q=q)


def notice_detail(*, actor, pk: int):
    return notices_selectors.notice_detail(actor=actor, pk=pk)


def resolution_notices(*, actor, resolution: Resolution) -> list:
    return notices_selectors.notices_about(actor=actor, subject=resolution)


def resolution_follow_ups(*, actor, resolution: Resolution) -> dict:
    """What the resolution's page shows of its follow-up: the linked object of each registered way, and for staff
    the choices of the follow-up form (a case category, or a registered way's objects)."""
    staff = is_staff_for_community(actor, resolution.meeting.community)
    linked, ways = [], []
    for way in follow_up.registered():
        found = way.linked(actor=actor, resolution=resolution)
        if found is not None:
            linked.append({"label": way.linked_label, "title": found[0], "url": found[1]})
        if staff:
            ways.append({"field": way.field, "label": way.label,
                         "choices": way.choices(actor=actor, resolution=resolution)})
    return {"linked": linked, "ways": ways,
            "categories": list(Category.objects.filter(parent__isnull=False).order_by("code")[:200]) if staff else []}


def follow_up_category(*, actor, pk) -> Category | None:
    """The case category chosen in the follow-up form (None: none chosen, or no such category)."""
    return Category.objects.filter(pk=pk).first() if pk else None


def notice_objections(*, actor, notice):
    return notices_selectors.notice_objections(actor=actor, notice=notice)


def region_choice(*, actor, pk, field: str = "scope_region") -> Region:
    """The region chosen in a form; an unknown one is the form's error."""
    region = Region.objects.filter(pk=pk).first() if pk else None
    if region is None:
        raise ValidationFailed("请选择范围", "Choose a region", field=field)
    return region


def region_by_code(*, actor, code: str, field: str = "scope_code") -> Region:
    """The region an API caller names by its code; an unknown one is an input error."""
    region = Region.objects.filter(code=code).first() if code else None
    if region is None:
        raise ValidationFailed("议事范围不存在", "Unknown scope", field=field)
    return region


def meeting_regions(*, actor):
    """Where the actor may convene a meeting: communities, villages, grids and buildings of their staff scope."""
    if not can_convene(actor):
        raise NotFound()
    return Region.objects.filter(scope_for(actor).region_q("path", roles=STAFF_ROLES),
                                 level__in=[Level.COMMUNITY, Level.VILLAGE, Level.GRID, Level.BUILDING]
                                 ).order_by("path")[:300]


def topic_choice(*, actor, pk) -> Topic:
    """A topic chosen for a meeting's agenda."""
    topic = topics(actor=actor).filter(pk=pk).first() if pk else None
    if topic is None:
        raise ValidationFailed("请选择议题", "Choose a topic", field="topic")
    return topic


def agenda_topic(*, actor, meeting: Meeting, pk) -> Topic | None:
    """A topic of the meeting's agenda that a motion is about (None: none chosen or not on the agenda)."""
    return meeting.topics.filter(pk=pk).first() if pk else None


def signed_in_person(*, actor, motion: Motion, pk) -> Person:
    """The person a paper vote is entered for: one signed in to the motion's meeting."""
    attendance = Attendance.objects.filter(meeting=motion.meeting, person_id=pk).select_related("person").first() \
        if pk else None
    if attendance is None:
        raise ValidationFailed("该人员未签到", "Not signed in", field="person")
    return attendance.person


def responsible_candidates(*, actor, motion: Motion) -> list[User]:
    """Who can be made responsible for a resolution: accounts with a post in the meeting's community."""
    if not is_staff_for_community(actor, motion.meeting.community):
        raise NotFound()
    path = motion.meeting.community.path
    return list(User.objects.filter(posts__region__path__gte=path, posts__region__path__lt=path + PATH_END)
                .distinct().order_by("username")[:100])


def communities(*, actor):
    return Region.objects.filter(level__in=[Level.COMMUNITY, Level.VILLAGE]).order_by("path")


def raise_regions(*, actor):
    """Regions the actor can raise a topic for: their building, grid and community, or their staff scope."""
    scope = scope_for(actor)
    q = scope.region_q("path", roles=READ_ROLES)
    person = getattr(actor, "person", None)
    ids = []
    if person is not None:
        ids = [i for i in (person.building_id, person.region_id) if i]
        home = _home_community(actor)
        if home:
            q |= Q(path=home)
    return Region.objects.filter(q | Q(pk__in=ids)).filter(
        level__in=[Level.BUILDING, Level.GRID, Level.COMMUNITY, Level.VILLAGE]).order_by("path")[:300]
