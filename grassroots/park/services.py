"""Park writers (docs/rules/park.md § Enterprise service): each one transaction with an Event."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from grassroots.core import clock, events, notifications
from grassroots.core import roles as R
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed

from . import permissions, selectors
from .models import (
    ChainCommittee,
    ContactCard,
    EnterpriseProfile,
    GridAssignment,
    Instructor,
    JointMeeting,
    Visit,
)
from .states import SYNC_STEPS, EntityKind, PartyStatus

PURPOSE = "park.appeal"


def _text(value, field: str, zh: str, en: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(zh, en, field=field)
    if len(value) > max_length:
        raise ValidationFailed(f"不能超过 {max_length} 字", f"At most {max_length} characters", field=field)
    return value


def _phone(value, field: str) -> str:
    from grassroots.core import phonecodes

    value = (value or "").strip()
    if not value:
        return ""
    try:
        return phonecodes.normalize_mobile(value)
    except ValidationFailed:
        raise ValidationFailed("手机号码格式不正确", "Invalid mobile number", field=field) from None


def _keep(actor, park_path: str) -> None:
    if not permissions.can_keep(actor, park_path):
        raise NotPermitted("只有园区党委或园区工作人员可以办理", "Only the park's party committee or staff may do this")


def _grid(park, grid):
    if grid is None:
        return None
    if grid.level != "grid" or grid.grid_kind != "enterprise" or not grid.path.startswith(park.path):
        raise ValidationFailed("请选择本园区的企业网格", "Choose an enterprise grid of this park", field="grid")
    return grid


def _check_key_limit(grid, *, adding: int = 0) -> None:
    """Every instructor of ``grid`` stays within the policy limit on key enterprises."""
    if grid is None:
        return
    limit = selectors.setting(selectors.KEY_FIRMS_KEY, selectors.KEY_FIRMS_DEFAULT)
    for a in GridAssignment.objects.filter(grid=grid, ended_on__isnull=True).select_related("instructor"):
        if selectors.key_firms(a.instructor) + adding > limit:
            raise ValidationFailed(f"党建指导员{a.instructor.name}联系的重点企业将超过 {limit} 家",
                                   f"Instructor {a.instructor.name} would serve more than {limit} key enterprises",
                                   field="is_key", code="key_firm_limit")


def profile_create(*, actor, organization, park, registered_on: dt.date, kind: str = EntityKind.ENTERPRISE,
                   **fields) -> EnterpriseProfile:
    """An enterprise, project or site arriving in the park (or already there), optionally entered into a grid."""
    _keep(actor, park.path)
    if park.level != "park":
        raise ValidationFailed("请选择园区", "Choose a park", field="park")
    if kind not in EntityKind.values:
        raise ValidationFailed("类别无效", "Invalid kind", field="kind")
    if not isinstance(registered_on, dt.date) or registered_on > clock.today():
        raise ValidationFailed("落户日期无效", "Invalid arrival date", field="registered_on")
    if EnterpriseProfile.objects.filter(organization=organization).exists():
        raise ValidationFailed("该单位已登记", "This organisation is already registered", field="organization")
    with transaction.atomic():
        profile = EnterpriseProfile.objects.create(organization=organization, park=park, park_path=park.path,
                                                   kind=kind, registered_on=registered_on)
        events.record(actor, "park_profile.create", profile, payload={"kind": kind,
                                                                      "registered_on": registered_on.isoformat()})
        if fields:
            profile = profile_update(actor=actor, profile=profile, **fields)
    return profile


def profile_register(*, actor, park, name: str, kind: str, registered_on: dt.date, credit_code: str = "",
                     **fields) -> EnterpriseProfile:
    """A new enterprise, project or site: its organisation and its profile together."""
    from grassroots.people.models import Organization

    _keep(actor, park.path)
    name = _text(name, "name", "请填写名称", "Enter the name", 150)
    with transaction.atomic():
        if Organization.objects.filter(kind=Organization.Kind.ENTERPRISE, name=name).exists():
            raise ValidationFailed("同名企业已存在", "An enterprise of this name exists", field="name")
        org = Organization.objects.create(name=name, kind=Organization.Kind.ENTERPRISE, region=park,
                                          credit_code=(credit_code or "").strip()[:18])
        return profile_create(actor=actor, organization=org, park=park, registered_on=registered_on, kind=kind,
                              **fields)


UPDATABLE = ("grid", "is_key", "party_status", "party_org_name", "secretary_name", "secretary_phone", "commissioner",
             "contact_name", "contact_phone", "chain")


def profile_update(*, actor, profile: EnterpriseProfile, **data) -> EnterpriseProfile:
    """Grid, key flag, party organisation status and people, commissioner, contact, chain. The first grid sets the
    day it was entered; a key enterprise keeps every instructor of its grid within the policy limit."""
    _keep(actor, profile.park_path)
    unknown = set(data) - set(UPDATABLE)
    if unknown:
        raise ValidationFailed("字段无效", "Unknown field", field=sorted(unknown)[0])
    values = {k: data[k] for k in UPDATABLE if k in data}
    if "grid" in values:
        values["grid"] = _grid(profile.park, values["grid"])
        if values["grid"] is None and profile.entered_on is not None:
            raise ValidationFailed("已纳入网格的企业只能改换网格，不能移出", "An entered enterprise changes grid, it is never "
                                   "taken out of the grids", field="grid", code="grid_required")
    if "party_status" in values and values["party_status"] not in PartyStatus.values:
        raise ValidationFailed("请选择党组织覆盖情况", "Choose the party organisation status", field="party_status")
    for key, zh, en, n in (("party_org_name", "", "", 80), ("secretary_name", "", "", 40),
                           ("contact_name", "", "", 40)):
        if key in values:
            values[key] = _text(values[key], key, zh, en, n, required=False)
    for key in ("secretary_phone", "contact_phone"):
        if key in values:
            values[key] = _phone(values[key], key)
    if "chain" in values and values["chain"] is not None and values["chain"].park_id != profile.park_id:
        raise ValidationFailed("产业链党委不属于本园区", "The chain committee belongs to another park", field="chain")
    if "commissioner" in values and values["commissioner"] is not None:
        from grassroots.core.scope import scope_for

        if not scope_for(values["commissioner"]).paths_for(R.Role.SERVICE_COMMISSIONER) and not scope_for(
                values["commissioner"]).orgs_for(R.Role.SERVICE_COMMISSIONER):
            raise ValidationFailed("服务专员须持有企业服务专员岗位", "The commissioner needs a service commissioner post",
                                   field="commissioner")
    new_grid = values.get("grid", profile.grid)
    key = bool(values.get("is_key", profile.is_key))
    if key and (new_grid != profile.grid or not profile.is_key):
        _check_key_limit(new_grid, adding=1)
    changed = {k: v for k, v in values.items() if getattr(profile, k) != v}
    if "is_key" in changed:
        changed["is_key"] = bool(changed["is_key"])
    if changed.get("grid") is not None and profile.entered_on is None:
        changed["entered_on"] = clock.today()
    if not changed:
        return profile
    with transaction.atomic():
        for k, v in changed.items():
            setattr(profile, k, v)
        profile.save()
        events.record(actor, "park_profile.update", profile, payload={
            k: (getattr(v, "pk", v) if not isinstance(v, dt.date) else v.isoformat())
            for k, v in changed.items() if k not in ("secretary_phone", "contact_phone")})
    return profile


def sync_step(*, actor, profile: EnterpriseProfile, step: str, on: dt.date | None = None) -> EnterpriseProfile:
    """Record one of the three 同步 steps (筹建党组织, 开展活动, 发挥作用) as done on a day."""
    _keep(actor, profile.park_path)
    fields = {k: f for k, f, _label in SYNC_STEPS}
    if step not in fields:
        raise ValidationFailed("步骤无效", "Unknown step", field="step")
    on = on or clock.today()
    if on > clock.today() or on < profile.registered_on:
        raise ValidationFailed("日期须在落户之后、不晚于今天", "The day lies between arrival and today", field="on")
    with transaction.atomic():
        setattr(profile, fields[step], on)
        profile.save(update_fields=[fields[step], "updated_at"])
        events.record(actor, "park_profile.sync", profile, payload={"step": step, "on": on.isoformat()})
    return profile


def instructor_create(*, actor, park, user, name: str, phone: str = "", background: str = "") -> Instructor:
    _keep(actor, park.path)
    name = _text(name, "name", "请填写姓名", "Enter the name", 40)
    try:
        with transaction.atomic():
            row = Instructor.objects.create(user=user, park=park, park_path=park.path, name=name,
                                            phone=_phone(phone, "phone"),
                                            background=_text(background, "background", "", "", 200, False))
            events.record(actor, "park_instructor.create", row, payload={"user": user.pk})
    except IntegrityError:
        raise ValidationFailed("该账号已是党建指导员", "This account is already an instructor", field="user") from None
    return row


def assign(*, actor, instructor: Instructor, grid, start: dt.date | None = None) -> GridAssignment:
    """An instructor takes a grid for a term (policy ``park.instructor_term_years``); the key enterprises of all
    their grids stay within the policy limit (``park.instructor_key_firms``)."""
    _keep(actor, instructor.park_path)
    grid = _grid(instructor.park, grid)
    if grid is None:
        raise ValidationFailed("请选择企业网格", "Choose an enterprise grid", field="grid")
    start = start or clock.today()
    limit = selectors.setting(selectors.KEY_FIRMS_KEY, selectors.KEY_FIRMS_DEFAULT)
    if selectors.key_firms(instructor, extra_grid=grid) > limit:
        raise ValidationFailed(f"联系的重点企业将超过 {limit} 家", f"More than {limit} key enterprises to serve",
                               field="grid", code="key_firm_limit")
    years = selectors.setting(selectors.TERM_KEY, selectors.TERM_DEFAULT)
    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + years, day=28)
    try:
        with transaction.atomic():
            row = GridAssignment.objects.create(instructor=instructor, grid=grid, start=start, end=end)
            events.record(actor, "park_assignment.create", row, payload={"instructor": instructor.pk,
                                                                          "grid": grid.pk, "end": end.isoformat()})
    except IntegrityError:
        raise ValidationFailed("已负责该网格", "Already assigned to this grid", field="grid") from None
    return row


def assignment_end(*, actor, assignment: GridAssignment, on: dt.date | None = None) -> GridAssignment:
    _keep(actor, assignment.instructor.park_path)
    on = on or clock.today()
    with transaction.atomic():
        if not GridAssignment.objects.filter(pk=assignment.pk, ended_on__isnull=True).update(ended_on=on,
                                                                                            updated_at=clock.now()):
            raise Conflict("该分工已结束", "This assignment has ended", code="state_conflict")
        events.record(actor, "park_assignment.end", assignment, payload={"on": on.isoformat()})
    assignment.refresh_from_db()
    return assignment


def visit_log(*, actor, profile: EnterpriseProfile, visited_on: dt.date, asked: str, done: str,
              follow_up: str = "", instructor: Instructor | None = None) -> Visit:
    """A day on site, by the instructor of the enterprise's grid (or recorded for them by a keeper)."""
    me = permissions.instructor_of(actor)
    if instructor is None:
        instructor = me
    if instructor is None:
        raise ValidationFailed("请选择党建指导员", "Choose the instructor", field="instructor")
    if me is None or me.pk != instructor.pk:
        _keep(actor, profile.park_path)
    if not GridAssignment.objects.filter(instructor=instructor, grid_id=profile.grid_id).exists():
        raise ValidationFailed("该企业不在指导员负责的网格", "The enterprise is not in the instructor's grids",
                               field="profile")
    if not isinstance(visited_on, dt.date) or visited_on > clock.today():
        raise ValidationFailed("走访日期不能晚于今天", "The visit cannot be in the future", field="visited_on")
    asked = _text(asked, "asked", "请填写企业所提问题或需求", "What did the enterprise ask?", 2000)
    done = _text(done, "done", "请填写指导帮办情况", "What was done?", 2000)
    with transaction.atomic():
        row = Visit.objects.create(instructor=instructor, profile=profile, visited_on=visited_on, asked=asked,
                                   done=done, follow_up=_text(follow_up, "follow_up", "", "", 300, False))
        events.record(actor, "park_visit.create", row, payload={"profile": profile.pk,
                                                                "visited_on": visited_on.isoformat()})
    return row


def card_issue(*, actor, profile: EnterpriseProfile) -> ContactCard:
    """Print a new version of the enterprise's contact card: the people on it now and a new signed link version;
    earlier versions keep working until revoked."""
    from grassroots.links import services as links

    _keep(actor, profile.park_path)
    with transaction.atomic():
        first = not ContactCard.objects.filter(profile=profile).exists()
        link = links.link_issue(actor=actor, purpose=PURPOSE, target=profile, new_version=not first)
        card = ContactCard.objects.create(profile=profile, version=link.version, people=selectors.card_people(profile),
                                          link=link, issued_by=actor if getattr(actor, "is_authenticated", False)
                                          else None)
        events.record(actor, "park_card.issue", card, payload={"profile": profile.pk, "version": card.version})
    return card


def committee_create(*, actor, park, name: str, chain: str, secretary: str) -> ChainCommittee:
    _keep(actor, park.path)
    try:
        with transaction.atomic():
            row = ChainCommittee.objects.create(
                park=park, park_path=park.path, name=_text(name, "name", "请填写名称", "Enter the name", 80),
                chain=_text(chain, "chain", "请填写产业链", "Name the chain", 40),
                secretary=_text(secretary, "secretary", "请填写书记", "Name the secretary", 40))
            events.record(actor, "park_chain.create", row, payload={"name": name})
    except IntegrityError:
        raise ValidationFailed("已有同名产业链党委", "A committee of this name exists", field="name") from None
    return row


def meeting_create(*, actor, committee: ChainCommittee, held_on: dt.date, topic: str, minutes: str = "",
                   case_ids=()) -> JointMeeting:
    """A joint meeting that takes chain-wide appeals: every case named must be a chain appeal (topic 产业链) of the
    committee's member enterprises that the actor sees."""
    _keep(actor, committee.park_path)
    if not isinstance(held_on, dt.date) or held_on > clock.today() + dt.timedelta(days=60):
        raise ValidationFailed("会议日期无效", "Invalid meeting day", field="held_on")
    topic = _text(topic, "topic", "请填写议题", "Enter the topic", 200)
    raw = list(case_ids or ())
    if any(not (str(i).isdigit() and int(i) < 2**63) for i in raw):
        raise ValidationFailed("诉求编号无效", "Invalid appeal id", field="case_ids")
    ids = sorted({int(i) for i in raw})
    allowed = set(selectors.chain_appeals(actor=actor, committee=committee).filter(pk__in=ids)
                  .values_list("pk", flat=True))
    if set(ids) - allowed:
        raise ValidationFailed("只能研究本产业链成员企业的产业链诉求", "Only chain appeals of member enterprises",
                               field="case_ids")
    with transaction.atomic():
        row = JointMeeting.objects.create(committee=committee, held_on=held_on, topic=topic,
                                          minutes=_text(minutes, "minutes", "", "", 5000, False), case_ids=ids)
        events.record(actor, "park_meeting.create", row, payload={"cases": ids})
    return row


def entry_alerts(*, today: dt.date | None = None) -> int:
    """The sweep: an enterprise, project or site not entered into a grid by the deadline (policy
    ``park.entry_days`` after it arrived) alerts the park's keepers once. Returns how many were alerted."""
    from django.urls import reverse

    from grassroots.core.scope import active_posts_q
    from grassroots.people.models import Post

    today = today or clock.today()
    late = list(EnterpriseProfile.objects.filter(selectors.late_q(today), late_alerted_on__isnull=True)
                .select_related("organization", "park"))
    for profile in late:
        with transaction.atomic():
            if not EnterpriseProfile.objects.filter(pk=profile.pk, late_alerted_on__isnull=True).update(
                    late_alerted_on=today, updated_at=clock.now()):
                continue
            posts = Post.objects.filter(active_posts_q(), role__in=["community_staff", "community_secretary"],
                                        region_id=profile.park_id)
            officers = _committee_officers(profile.park_id)
            recipients = sorted(set(posts.values_list("user_id", flat=True)) | officers)
            notifications.notify(recipients, verb="park.entry_late",
                                 title=f"{profile.organization.name}落户已超期未纳入企业网格",
                                 body="请尽快纳入网格并同步筹建党组织、同步开展活动、同步发挥作用",
                                 url=reverse("park:detail", args=[profile.pk]), obj=profile)
            events.record(None, "park_profile.entry_late", profile, payload={"registered_on":
                                                                            profile.registered_on.isoformat()})
    return len(late)


def _committee_officers(park_id) -> set[int]:
    from grassroots.core.scope import active_posts_q
    from grassroots.party.models import PartyOrg
    from grassroots.people.models import Post

    paths = list(PartyOrg.objects.filter(region_id=park_id, active=True).values_list("path", flat=True))
    return set(Post.objects.filter(active_posts_q(), role="party_committee_officer", party_org_path__in=paths)
               .values_list("user_id", flat=True))
