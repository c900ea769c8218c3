"""The only writers of cases: one ``case_<verb>(*, actor, case, ...)`` per row of the transition table.

Every service runs in one transaction, loads the case with a row lock, and refuses with a reason:

* the case is outside the actor's scope → ``NotFound`` (it looks missing);
* the case is not in a state that allows the verb → ``Conflict`` (409, ``details["current_state"]``);
* the actor's role may not do it → ``NotPermitted``;
* bad input → ``ValidationFailed`` (with ``field``).

The status moves by compare-and-set (``core.transitions.compare_and_set``) from the state the service observed, so
of two people acting at once exactly one wins and the other gets ``Conflict``. Each move writes one event
(``core.events.record``, object ``cases.case``, verb = the transition verb, from/to state) and notifies those
concerned (``core.notifications.notify``). ``case`` may be a ``Case`` or its id; services return the fresh case.

Intake
    ``case_report(*, actor, channel, category, title, description="", lon=None, lat=None, crs="WGS84",
    region=None, address="", anonymous=False, privacy_requested=False, hide_identity_from_staff=False,
    reporter_name="", reporter_contact="", reporter_person=None, enterprise=None, external_id="",
    idempotency_key="", attachments=(), public_summary="") -> Intake``
    ``Intake(case, created, tracking_code, notice_zh, notice_en)``: a retried submission with the same
    ``idempotency_key`` (per client and channel), or an import with a known ``external_id``, returns the first case
    with ``created=False``. ``actor`` may be ``None`` for an anonymous resident (channel ``resident``).
    Possible duplicates are suggested before filing (``selectors.nearby_open_cases``: the intake forms and
    ``GET /api/cases/nearby``) and to community staff at triage (``selectors.duplicate_candidates``).

Triage (community staff of the case's community)
    ``case_accept(*, actor, case, tier=None, category=None, public_summary=None)``
    ``case_reject(*, actor, case, reason)`` · ``case_mark_duplicate(*, actor, case, original, reason="")``
    ``case_resolve_on_site(*, actor, case, note="", evidence=())`` (the reporting grid worker)

Dispatch and tiers
    ``case_dispatch(*, actor, case, lead, co_handlers=(), instructions="")`` (dispatcher of the case's tier)
    ``case_escalate(*, actor, case, reason="", whistle=False, lead=None, co_handlers=(), by_sweep=False)``
    — 呼叫上级 by the tier's dispatcher; 吹哨 (``whistle=True`` with ``lead``) by a subdistrict officer: the
    case goes to the zone tier and is dispatched at once with a 30-minute acknowledgement; ``by_sweep=True``
    (actor ``None``) is the sweep's escalation of a breached deadline, flagged 督办.
    ``case_supervise(*, actor, case, reason)`` — flag 督办 by hand (zone leader, subdistrict officer).
    ``sweep_escalate_many(case_ids)`` / ``sweep_flag_many(case_ids)`` — the sweep's moves for many breached cases
    in one transaction (the locked chunk moves with one compare-and-set UPDATE; events and notifications are
    written in bulk through ``write_batch()``); ``sweep_flag(*, case)`` flags one.

Handling (handlers of the assigned units)
    ``case_acknowledge(*, actor, case)`` · ``case_return(*, actor, case, reason)`` (lead, 回退)
    ``case_note(*, actor, case, text)`` · ``case_part_done(*, actor, case, note="")`` (co-handler)
    ``case_handle(*, actor, case, result, evidence)`` (lead; every co-handler done; evidence = attachment ids)

Verification, rating, reopen
    ``case_verify_pass(*, actor, case, note="")`` · ``case_verify_fail(*, actor, case, reason)``
    ``case_rate(*, actor, case=None, tracking_code="", resolved, satisfaction, comment="")``
    ``case_reopen(*, actor, case, reason="")`` · ``case_decline_reopen(*, actor, case, reason)``

Clocks
    ``case_request_extension(*, actor, case, amount, unit, reason) -> Extension``
    ``case_approve_extension(*, actor, extension, note="")`` · ``case_decline_extension(*, actor, extension, note)``
    ``case_suspend(*, actor, case, reason, review_at)`` · ``case_resume(*, actor, case, by_sweep=False)``

Other
    ``handover_assignments(*, actor, post, successor) -> int`` (registered with ``people.handover``)
    ``attach(*, actor, case, attachment_ids)`` — link uploaded ``core.Attachment`` rows to a case.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Case as SqlCase
from django.db.models import F, TextField, Value, When
from django.utils import timezone

from grassroots.core import clock, events, geo, notifications
from grassroots.core import context as request_context
from grassroots.core.bulk import insert_many, insert_together
from grassroots.core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from grassroots.core.models import Attachment, Event, Notification
from grassroots.core.scope import scope_for
from grassroots.core.transitions import compare_and_set
from grassroots.people import directory

from . import permissions, policy
from .models import (
    Assignment,
    Case,
    CaseCounter,
    Extension,
    IdempotencyKey,
    Rating,
    Suspension,
)
from .states import (
    DUE_FIELD,
    RUNNING_STAGE,
    STATUS_LABELS,
    TRANSITIONS,
    AssignmentRole,
    AssignmentStatus,
    Channel,
    ExtensionStatus,
    RatingSource,
    ReopenDecision,
    Satisfaction,
    Stage,
    Status,
    Tier,
    TimeUnit,
    next_tier,
    tier_rank,
)

TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L
TRACKING_LENGTH = 12
ASSIGNMENT_LABELS = {s.value: str(s.label) for s in AssignmentStatus}


@dataclass
class Intake:
    case: Case
    created: bool
    tracking_code: str
    notice_zh: str = ""
    notice_en: str = ""


# ---------------------------------------------------------------------------------------------------------------
# Helpers


def _conflict(current: str, zh: str | None = None, en: str | None = None, code: str = "state_conflict"):
    label = STATUS_LABELS.get(current, current)
    return Conflict(zh or f"状态已变为「{label}」，无法执行此操作，请刷新后重试",
                    en or f"The state is now '{current}'; this action is not possible. Refresh and try again.",
                    code=code, details={"current_state": current})


def _denied(zh: str, en: str):
    return NotPermitted(zh, en, code="not_permitted")


def _load(actor, case, *, system: bool = False) -> Case:
    """The fresh case, locked for this transaction; NotFound outside the actor's scope."""
    pk = getattr(case, "pk", case)
    obj = Case.objects.select_for_update(of=("self",)).select_related("category").filter(pk=pk).first()
    if obj is None or (not system and not permissions.can_see(actor, obj)):
        raise NotFound("事件不存在", "Case not found")
    return obj


def _check_state(case: Case, verb: str) -> None:
    if case.status not in TRANSITIONS[verb].from_states:
        raise _conflict(case.status)


def _still_breached(case: Case) -> None:
    """The sweep acts only while the running deadline is still past (someone may have moved the case meanwhile)."""
    if case.next_due is None or case.next_due > clock.now():
        raise _conflict(case.status, "时限未到或已处理", "The deadline has not passed or was dealt with",
                        code="not_breached")


def _move(case: Case, verb: str, *, to_state: str | None = None, **fields) -> str:
    """Compare-and-set from the observed state; returns the previous state and updates ``case`` in memory."""
    to = to_state or TRANSITIONS[verb].to_state or case.status
    fields["updated_at"] = clock.now()
    compare_and_set(Case, case.pk, from_states=[case.status], to_state=to, labels=STATUS_LABELS, **fields)
    previous = case.status
    case.status = to
    for name, value in fields.items():
        setattr(case, name, value)
    return previous


_batch: contextvars.ContextVar[dict | None] = contextvars.ContextVar("case_write_batch", default=None)


@contextlib.contextmanager
def write_batch():
    """Collect the events and notifications of many moves and write them with two bulk inserts at the end
    (the sweep). Rows are the same as ``events.record`` / ``notify`` write one by one."""
    buffer = {"events": [], "notifications": []}
    token = _batch.set(buffer)
    try:
        yield buffer
    finally:
        _batch.reset(token)
    events.bulk_record(buffer["events"])
    if buffer["notifications"]:
        rows = buffer["notifications"]
        insert_many(Notification, rows)
        notifications.send_after_commit(rows)


def _record(actor, verb: str, case: Case, from_state: str, payload: dict | None = None) -> None:
    buffer = _batch.get()
    if buffer is None:
        events.record(actor, verb, case, from_state=from_state, to_state=case.status, payload=payload or {})
        return
    ctx = request_context.current()
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    buffer["events"].append(Event(
        at=clock.now(), actor=actor if authenticated else None, actor_label=events.actor_label(actor), verb=verb,
        object_type="cases.case", object_id=str(case.pk), from_state=from_state or "", to_state=case.status,
        outcome=Event.Outcome.SUCCESS, ip=ctx.ip, user_agent=ctx.user_agent[:200], payload=payload or {}))


def _region_users(case: Case, roles) -> list[int]:
    """Holders of ``roles`` posts over the case's region or above it (``people.directory``: no query)."""
    return directory.region_holders(case.region_path, roles)


def _unit_users(org_ids) -> list[int]:
    """Everyone with a post in the organisations (``people.directory``: no query)."""
    return directory.org_holders(org_ids)


def _notification_rows(recipients, verb: str, case: Case, title: str, body: str = "", *,
                       exclude=None) -> list[Notification]:
    skip = getattr(exclude, "pk", exclude)
    return notifications.build((u for u in recipients if u and u != skip), verb=f"case.{verb}",
                               title=f"{case.reference} {title}", body=body, url=f"/cases/{case.pk}/", obj=case)


def _send(recipients, verb: str, case: Case, title: str, body: str = "", *, exclude=None) -> None:
    rows = _notification_rows(recipients, verb, case, title, body, exclude=exclude)
    if not rows:
        return
    buffer = _batch.get()
    if buffer is None:
        notifications.write(rows)
    else:
        buffer["notifications"].extend(rows)


def _reporter_ids(case: Case) -> list[int]:
    return [case.reporter_id] if case.reporter_id else []


def _require_text(value: str, field_name: str, zh: str, en: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(zh, en, field=field_name, code="required")
    return value


def _organization(value):
    from grassroots.people.models import Organization

    if value is None:
        return None
    pk = getattr(value, "pk", value)
    org = Organization.objects.filter(pk=pk, active=True).first()
    if org is None:
        raise ValidationFailed("承办单位不存在或已停用", "Unknown or inactive unit", field="lead")
    return org


def _active_assignments(case: Case) -> list[Assignment]:
    return list(case.assignments.filter(active=True).select_related("organization"))


def _lead(assignments) -> Assignment | None:
    return next((a for a in assignments if a.role == AssignmentRole.LEAD), None)


def _attachments(actor, attachment_ids, object_id: str = "") -> list[int]:
    """The ids to link, checked: each uploaded by the actor and not linked yet (or linked to this case)."""
    ids = sorted({int(i) for i in attachment_ids or ()})
    if not ids:
        return []
    uploader = actor.pk if getattr(actor, "is_authenticated", False) else None
    rows = list(Attachment.objects.filter(pk__in=ids).values_list("pk", "object_type", "object_id",
                                                                  "uploaded_by_id"))
    ok = [pk for pk, ot, oid, by in rows
          if (ot == "" and by == uploader) or (object_id and ot == "cases.case" and oid == object_id)]
    if len(ok) != len(ids):
        raise ValidationFailed("附件不存在或已被使用", "An attachment is missing or already used", field="evidence")
    return ids


def _link(case: Case, ids: list[int]) -> None:
    if ids:
        Attachment.objects.filter(pk__in=ids).update(object_type="cases.case", object_id=str(case.pk))


def attach(*, actor, case: Case, attachment_ids) -> list[int]:
    """Link uploaded attachments (not yet linked elsewhere) to the case; returns their ids."""
    ids = _attachments(actor, attachment_ids, str(case.pk))
    _link(case, ids)
    return ids


def _now() -> dt.datetime:
    return clock.now()


def _take_number(now: dt.datetime) -> tuple[str, int | None]:
    """The next number of the year (2026-000123) and, on PostgreSQL, the new case's id taken from the table's
    sequence, in one statement (``UPDATE … RETURNING`` on the year's counter row).

    Intake takes the number before writing, so the counter row is locked only for that statement and concurrent
    intakes do not wait on each other; numbers are unique and increasing, and an intake that fails after taking
    one leaves a gap (as a hotline's numbering does). With the id known, the case, its event and its
    notifications are written in one statement. SQLite has no sequence: the case's INSERT gives the id there."""
    year = timezone.localtime(now).year
    qn = connection.ops.quote_name
    last = qn("last")
    sql = f"UPDATE {qn(CaseCounter._meta.db_table)} SET {last} = {last} + 1 WHERE year = %s RETURNING {last}"
    params: list = [year]
    if connection.vendor == "postgresql":
        sql = f"WITH n AS ({sql}) SELECT n.{last}, nextval(pg_get_serial_sequence(%s, %s)) FROM n"
        params += [qn(Case._meta.db_table), Case._meta.pk.column]

    def take():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()

    row = take()
    if row is None:  # the first case of the year
        try:
            with transaction.atomic():
                CaseCounter.objects.create(year=year, last=0)
        except IntegrityError:  # another intake created the row first
            pass
        row = take()
    return f"{year}-{row[0]:06d}", (row[1] if len(row) > 1 else None)


def new_tracking_code() -> str:
    """12 characters from a 31-letter alphabet (about 10^18 codes). Uniqueness is the database's: in the
    vanishing case of a collision the intake's INSERT fails and intake tries once more with a new code."""
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def normalize_tracking_code(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").upper()


def _public_position(lon, lat):
    if lon is None or lat is None:
        return None, None
    digits = int(policy.setting("public_position_decimals"))
    return round(lon, digits), round(lat, digits)


# ---------------------------------------------------------------------------------------------------------------
# Intake


def _client(actor) -> str:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return f"user:{actor.pk}"
    return "anonymous"


def _existing_intake(actor, channel: str, idempotency_key: str, external_id: str) -> Intake | None:
    case = None
    if idempotency_key:
        key = IdempotencyKey.objects.filter(client=_client(actor), channel=channel, key=idempotency_key).first()
        case = key.case if key else None
    if case is None and external_id:
        case = Case.objects.filter(channel=channel, external_id=external_id).first()
    if case is None:
        return None
    notice = policy.emergency_notice(case.category) or ("", "")
    return Intake(case=case, created=False, tracking_code=case.tracking_code, notice_zh=notice[0],
                  notice_en=notice[1])


def case_report(*, actor, channel: str, category, title: str, description: str = "", lon=None, lat=None,
                crs: str = "WGS84", region=None, address: str = "", anonymous: bool = False,
                privacy_requested: bool = False, hide_identity_from_staff: bool = False, reporter_name: str = "",
                reporter_contact: str = "", reporter_person=None, enterprise=None, external_id: str = "",
                idempotency_key: str = "", attachments=(), public_summary: str = "") -> Intake:
    """Intake through any channel (see the module docstring). Returns after the transaction commits."""
    if channel not in Channel.values:
        raise ValidationFailed("来源渠道无效", "Unknown channel", field="channel")
    idempotency_key = (idempotency_key or "").strip()[:100]
    external_id = (external_id or "").strip()[:64]
    existing = _existing_intake(actor, channel, idempotency_key, external_id)
    if existing is not None:
        return existing
    for attempt in (1, 2):
        try:
            return _report(actor=actor, channel=channel, category=category, title=title, description=description,
                           lon=lon, lat=lat, crs=crs, region=region, address=address, anonymous=anonymous,
                           privacy_requested=privacy_requested, hide_identity_from_staff=hide_identity_from_staff,
                           reporter_name=reporter_name, reporter_contact=reporter_contact,
                           reporter_person=reporter_person, enterprise=enterprise, external_id=external_id,
                           idempotency_key=idempotency_key, attachments=attachments, public_summary=public_summary)
        except IntegrityError:
            # A concurrent retry with the same key (or import of the same work order) committed first.
            existing = _existing_intake(actor, channel, idempotency_key, external_id)
            if existing is not None:
                return existing
            if attempt == 2:
                raise
            # Otherwise a tracking code collided (about once in 10^12 intakes): once more with a new one.
    raise AssertionError("unreachable")


def _report(*, actor, channel, category, title, description, lon, lat, crs, region, address, anonymous,
            privacy_requested, hide_identity_from_staff, reporter_name, reporter_contact, reporter_person,
            enterprise, external_id, idempotency_key, attachments, public_summary) -> Intake:
    from grassroots.territory.locate import area_id_for_path, locate
    from grassroots.territory.models import Level, Region

    category = policy.require_category(category)
    title = _require_text(title, "title", "请填写标题", "A title is required")[:200]
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    if not authenticated and channel != Channel.RESIDENT:
        raise _denied("请先登录", "Sign in first")
    scope = scope_for(actor)

    if lon is not None and lat is not None:
        lon, lat = geo.position(lon, lat, crs)
        region = locate(lon, lat)
    else:
        lon = lat = None
        if region is None and channel == Channel.ENTERPRISE and enterprise is not None:
            region = _organization(enterprise).region
        if region is None:
            raise ValidationFailed("请在地图上标出位置或选择网格", "Give a position or choose a grid",
                                   field="position", code="position_required")
        region = region if isinstance(region, Region) else Region.objects.filter(pk=region, active=True).first()
        if region is None:
            raise ValidationFailed("网格不存在", "Unknown grid", field="region")
        if region.level == Level.BUILDING:
            region = region.parent

    if not permissions.can_report(actor, channel, region):
        raise _denied("您不能通过该渠道在此区域上报", "You may not report through this channel here")

    if channel == Channel.ENTERPRISE:
        own = scope.orgs_for("enterprise_contact")
        if enterprise is None and len(own) == 1:
            enterprise = next(iter(own))
        enterprise = _organization(enterprise)
        if enterprise is None:
            raise ValidationFailed("请选择诉求企业", "Choose the enterprise", field="enterprise")
        served = enterprise.region is not None and scope.covers_path(enterprise.region.path, "party_instructor")
        if enterprise.pk not in own and not served:
            raise _denied("只能代本企业提出诉求", "You may file appeals only for your own enterprise")
    else:
        enterprise = None

    now = _now()
    reporter = actor if authenticated and channel in (Channel.RESIDENT, Channel.GRID_PATROL,
                                                      Channel.ENTERPRISE) else None
    if reporter_person is None and reporter is not None and channel == Channel.RESIDENT:
        reporter_person = getattr(actor, "person", None)
    community_id = area_id_for_path(region.path)
    tier = category.default_tier
    accept_due = policy.due(category, tier, Stage.ACCEPT, now)
    public_lon, public_lat = _public_position(lon, lat)

    attached = _attachments(actor, attachments)
    reference, case_id = _take_number(now)
    case = Case(
        pk=case_id, reference=reference, channel=channel, category=category, title=title,
        description=(description or "").strip(), public_summary=(public_summary or "").strip(),
        address=(address or "").strip()[:200], lon=lon, lat=lat, public_lon=public_lon, public_lat=public_lat,
        region=region, region_path=region.path, community_id=community_id, tier=tier,
        reached_above_community=tier_rank(tier) >= tier_rank(Tier.SUBDISTRICT), status=Status.REPORTED,
        is_public=bool(category.public_allowed and not privacy_requested and channel != Channel.ENTERPRISE),
        reporter=reporter, reporter_person=reporter_person, reporter_name=(reporter_name or "").strip(),
        reporter_contact=(reporter_contact or "").strip(), anonymous=anonymous,
        privacy_requested=privacy_requested, hide_identity_from_staff=anonymous and hide_identity_from_staff,
        tracking_code=new_tracking_code(), enterprise=enterprise, filed_by=actor if authenticated else None,
        external_id=external_id, accept_due=accept_due, next_due=accept_due, reported_at=now,
    )
    # With the id taken from the sequence and nothing else to update, the rows go in one statement, which is
    # atomic by itself; otherwise (SQLite, attachments to link, a caller's transaction) in a transaction.
    one_statement = case.pk is not None and not attached and not connection.in_atomic_block
    with contextlib.nullcontext() if one_statement else transaction.atomic():
        rows: list = []
        if case.pk is None:
            case.save(force_insert=True)
        else:
            rows.append(case)
        if idempotency_key:
            rows.append(IdempotencyKey(client=_client(actor), channel=channel, key=idempotency_key, case=case,
                                       created_at=now))
        rows.append(events.build(actor, "report", case, to_state=Status.REPORTED,
                                 payload={"channel": channel, "category": category.code, "tier": tier,
                                          "reference": case.reference, "attachments": attached}))
        notes = _notification_rows(_region_users(case, permissions.COMMUNITY_ROLES), "report", case,
                                   "新事件待受理", f"{category.name}", exclude=actor)
        insert_together(rows + notes)
        _link(case, attached)
        notifications.send_after_commit(notes)
    notice = policy.emergency_notice(category) or ("", "")
    return Intake(case=case, created=True, tracking_code=case.tracking_code, notice_zh=notice[0],
                  notice_en=notice[1])


# ---------------------------------------------------------------------------------------------------------------
# Triage


def case_accept(*, actor, case, tier: str | None = None, category=None, public_summary: str | None = None) -> Case:
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "accept")
        if not permissions.can_accept(actor, c):
            raise _denied("只有所在社区的工作人员可以受理", "Only the community's staff may accept")
        fields: dict = {}
        if category is not None:
            new_category = policy.require_category(category)
            if new_category.pk != c.category_id:
                fields["category"] = new_category
                c.category = new_category
        tier = tier or (c.category.default_tier if "category" in fields else c.tier)
        if tier not in Tier.values:
            raise ValidationFailed("响应层级无效", "Unknown tier", field="tier")
        now = _now()
        dispatch_due = policy.due(c.category, tier, Stage.DISPATCH, now)
        fields.update(tier=tier, accepted_at=now, dispatch_due=dispatch_due, next_due=dispatch_due,
                      reached_above_community=c.reached_above_community or tier_rank(tier) >= 2)
        if public_summary is not None:
            fields["public_summary"] = public_summary.strip()
        before = _move(c, "accept", **fields)
        _record(actor, "accept", c, before, {"tier": tier, "category": c.category.code})
        _send(_region_users(c, permissions.DISPATCHER_ROLES[tier]), "accept", c, "已立案，待派遣", exclude=actor)
    return c


def case_reject(*, actor, case, reason: str) -> Case:
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "reject")
        if not permissions.can_reject(actor, c):
            raise _denied("只有所在社区的工作人员可以不予立案", "Only the community's staff may reject")
        reason = _require_text(reason, "reason", "请说明不予立案的理由", "Give a reason")
        before = _move(c, "reject", rejected_at=_now(), rejection_reason=reason, next_due=None)
        _record(actor, "reject", c, before, {"reason": reason})
        _send(_reporter_ids(c), "reject", c, "不予立案", reason)
    return c


def case_mark_duplicate(*, actor, case, original, reason: str = "") -> Case:
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "mark_duplicate")
        if not permissions.can_mark_duplicate(actor, c):
            raise _denied("只有所在社区的工作人员可以标记重复", "Only the community's staff may mark duplicates")
        pk = getattr(original, "pk", original)
        orig = Case.objects.filter(pk=pk).first()
        if orig is None or not permissions.can_see(actor, orig):
            raise ValidationFailed("原事件不存在", "The original case was not found", field="original")
        if orig.duplicate_of_id:
            orig = orig.duplicate_of
        if orig.pk == c.pk:
            raise ValidationFailed("不能标记为自身的重复", "A case cannot duplicate itself", field="original")
        if orig.status == Status.REJECTED:
            raise ValidationFailed("原事件已不予立案", "The original case was rejected", field="original")
        reason = (reason or "").strip() or f"与 {orig.reference} 重复"
        before = _move(c, "mark_duplicate", rejected_at=_now(), rejection_reason=reason, duplicate_of=orig,
                       next_due=None)
        _record(actor, "mark_duplicate", c, before, {"original": orig.pk, "original_reference": orig.reference})
        _send(_reporter_ids(c), "mark_duplicate", c, f"与 {orig.reference} 重复，已合并办理")
    return c


def case_resolve_on_site(*, actor, case, note: str = "", evidence=()) -> Case:
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "resolve_on_site")
        if not permissions.is_reporting_grid_worker(actor, c):
            raise _denied("只有上报该事件的网格员可以现场处置", "Only the reporting grid worker may resolve on site")
        if not c.category.on_site_allowed:
            raise _denied("该类别不允许现场处置", "This category may not be resolved on site")
        now = _now()
        verify_due = policy.due(c.category, c.tier, Stage.VERIFY, now)
        before = _move(c, "resolve_on_site", resolved_on_site=True, accepted_at=now, handled_at=now,
                       first_handled_at=now, verify_due=verify_due, next_due=verify_due)
        attached = attach(actor=actor, case=c, attachment_ids=evidence)
        _record(actor, "resolve_on_site", c, before, {"note": (note or "").strip(), "evidence": attached})
        _send(_region_users(c, permissions.COMMUNITY_ROLES), "resolve_on_site", c, "网格员已现场处置，待核查",
              exclude=actor)
    return c


# ---------------------------------------------------------------------------------------------------------------
# Dispatch, escalation, supervision


def _create_assignments(actor, c: Case, lead, co_handlers, *, whistle: bool, instructions: str, now) -> dict:
    lead = _organization(lead)
    if lead is None:
        raise ValidationFailed("请选择主办单位", "Choose the lead unit", field="lead")
    co_orgs = []
    for value in co_handlers or ():
        org = _organization(value)
        if org.pk != lead.pk and org.pk not in {o.pk for o in co_orgs}:
            co_orgs.append(org)
    round_ = c.dispatch_round + 1
    rows = []
    for org, role in [(lead, AssignmentRole.LEAD)] + [(o, AssignmentRole.CO) for o in co_orgs]:
        due = policy.whistle_due(now) if whistle else policy.due(c.category, c.tier, Stage.ACKNOWLEDGE, now)
        rows.append(Assignment(case=c, organization=org, role=role, round=round_, tier=c.tier, whistle=whistle,
                               instructions=(instructions or "").strip(),
                               dispatched_by=actor if getattr(actor, "is_authenticated", False) else None,
                               dispatched_at=now, acknowledge_due=due))
    return {"lead": lead, "co": co_orgs, "rows": rows, "round": round_}


def _dispatch(actor, c: Case, lead, co_handlers, *, whistle: bool, instructions: str) -> None:
    now = _now()
    plan = _create_assignments(actor, c, lead, co_handlers, whistle=whistle, instructions=instructions, now=now)
    lead_due = plan["rows"][0].acknowledge_due
    before = _move(c, "dispatch", dispatch_round=plan["round"], dispatched_at=now, acknowledge_due=lead_due,
                   next_due=lead_due)
    Assignment.objects.bulk_create(plan["rows"])
    _record(actor, "dispatch", c, before, {
        "round": plan["round"], "whistle": whistle, "lead": plan["lead"].pk, "lead_name": plan["lead"].name,
        "co_handlers": [o.pk for o in plan["co"]], "co_handler_names": [o.name for o in plan["co"]],
        "acknowledge_due": lead_due.isoformat()})
    title = "吹哨报到：请在 30 分钟内报到" if whistle else "新派遣任务，请及时报到"
    _send(_unit_users([plan["lead"].pk] + [o.pk for o in plan["co"]]), "dispatch", c, title, exclude=actor)


def case_dispatch(*, actor, case, lead, co_handlers=(), instructions: str = "") -> Case:
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "dispatch")
        if not permissions.can_dispatch(actor, c):
            raise _denied("只有本层级的派遣人员可以派遣", "Only the dispatcher of this tier may dispatch")
        _dispatch(actor, c, lead, co_handlers, whistle=False, instructions=instructions)
    return c


def _end_assignments(c: Case, reason: str, now, *, lead_status: str = AssignmentStatus.ENDED) -> list[int]:
    active = list(c.assignments.filter(active=True).values_list("pk", "organization_id", "role"))
    if not active:
        return []
    lead_ids = [pk for pk, _, role in active if role == AssignmentRole.LEAD]
    other_ids = [pk for pk, _, role in active if role != AssignmentRole.LEAD]
    Assignment.objects.filter(pk__in=lead_ids).update(active=False, ended_at=now, end_reason=reason,
                                                      status=lead_status, updated_at=now)
    Assignment.objects.filter(pk__in=other_ids).update(active=False, ended_at=now, end_reason=reason,
                                                       status=AssignmentStatus.ENDED, updated_at=now)
    return [org for _, org, _ in active]


def _escalation_fields(c: Case, target: str, now, *, supervision_reason: str = "") -> dict:
    fields = dict(tier=target, escalated_at=now, escalation_count=c.escalation_count + 1,
                  reached_above_community=c.reached_above_community or tier_rank(target) >= 2,
                  dispatch_due=policy.due(c.category, target, Stage.DISPATCH, now))
    fields["next_due"] = fields["dispatch_due"]
    if supervision_reason:
        fields.update(supervision=True, supervised_at=now, supervision_reason=supervision_reason)
    return fields


def case_escalate(*, actor, case, reason: str = "", whistle: bool = False, lead=None, co_handlers=(),
                  by_sweep: bool = False) -> Case:
    if by_sweep:
        pk = getattr(case, "pk", case)
        if not sweep_escalate_many([pk]):
            with transaction.atomic():
                c = _load(None, pk, system=True)
                _check_state(c, "escalate")
                _still_breached(c)
                raise ValidationFailed("已是最高层级，无法继续上报", "The case is already at the top tier",
                                       code="top_tier", field="tier")
        return Case.objects.select_related("category").get(pk=pk)
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "escalate")
        target = next_tier(c.tier)
        if target is None:
            raise ValidationFailed("已是最高层级，无法继续上报", "The case is already at the top tier",
                                   code="top_tier", field="tier")
        if whistle:
            if not permissions.can_whistle(actor, c):
                raise _denied("只有街道干部可以对街道层级的事件吹哨", "Only a subdistrict officer may blow the whistle")
            if lead is None:
                raise ValidationFailed("吹哨需指定报到的区级部门", "Name the zone department to call",
                                       field="lead")
        elif not permissions.can_escalate(actor, c):
            raise _denied("只有本层级的派遣人员可以上报上级", "Only the dispatcher of this tier may escalate")
        now = _now()
        from_tier = c.tier
        ended_orgs = _end_assignments(c, "escalated", now)
        before = _move(c, "escalate", **_escalation_fields(c, target, now))
        _record(actor, "escalate", c, before, {
            "from_tier": from_tier, "to_tier": target, "reason": (reason or "").strip(),
            "by": "whistle" if whistle else "hand", "breached_stage": "", "supervision": False})
        if not whistle:
            _send(_region_users(c, permissions.DISPATCHER_ROLES[target]), "escalate", c, "上级事件待派遣",
                  exclude=actor)
        _send(_unit_users(ended_orgs), "escalate", c, "事件已上报上级，本单位任务结束", exclude=actor)
        if whistle:
            _dispatch(actor, c, lead, co_handlers, whistle=True, instructions=reason)
    return c


def _breach_reason_expression():
    """SQL CASE: the 督办 reason for the clock that ran in each status (``派遣超时`` …)."""
    return SqlCase(*[When(status=status, then=Value(f"{Stage(stage).label}超时"))
                     for status, stage in RUNNING_STAGE.items()], default=Value(""), output_field=TextField())


def _bulk_compare_and_set(ids, from_states, now, **fields) -> int:
    """Compare-and-set for a chunk of cases the caller has locked: UPDATE … WHERE id IN (…) AND status IN (…) AND
    next_due <= now. Anything but every row moving means someone moved first → Conflict (the chunk rolls back)."""
    updated = Case.objects.filter(pk__in=ids, status__in=list(from_states), next_due__lte=now).update(**fields)
    if updated != len(ids):
        raise Conflict("事件状态已变化，请重试", "Cases moved meanwhile; try again", code="state_conflict",
                       details={"current_state": "changed"})
    return updated


def sweep_escalate_many(case_ids) -> list[int]:
    """The sweep's escalation (then flagged 督办) of breached cases below the zone tier, in one transaction.

    The same move as ``case_escalate`` by hand: the case goes to the next tier as ``accepted``, open assignments
    end, the next tier's dispatch deadline starts (policy per category × tier), an ``escalate`` event, notifications
    to the next tier's dispatchers, the ended units and the zone leaders. For speed the chunk is locked
    (``SELECT … FOR UPDATE``), moved with one compare-and-set UPDATE, and its events and notifications are written
    in bulk. Cases no longer breached (moved meanwhile) are left alone. Returns the ids escalated.
    """
    done: list[int] = []
    with transaction.atomic(), write_batch():
        now = _now()
        from_states = [Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS]
        cases = list(Case.objects.select_for_update(of=("self",)).select_related("category")
                     .filter(pk__in=list(case_ids), next_due__lte=now, status__in=from_states)
                     .exclude(tier=Tier.ZONE).order_by("pk"))
        if not cases:
            return done
        dues: dict[tuple, dt.datetime] = {}
        groups: dict[tuple, list[int]] = {}  # (current tier, new dispatch deadline) → case ids
        for c in cases:
            key = (c.category_id, c.tier)
            if key not in dues:
                dues[key] = policy.due(c.category, next_tier(c.tier), Stage.DISPATCH, now)
            groups.setdefault((c.tier, dues[key]), []).append(c.pk)
        for (tier, due), ids in groups.items():
            target = next_tier(tier)
            reached = {"reached_above_community": True} if tier_rank(target) >= 2 else {}
            _bulk_compare_and_set(
                ids, from_states, now, status=Status.ACCEPTED, tier=target, dispatch_due=due, next_due=due,
                escalation_count=F("escalation_count") + 1, escalated_at=now, supervision=True, supervised_at=now,
                supervision_reason=_breach_reason_expression(), updated_at=now, **reached)
        active: dict[int, list] = {}
        for pk, case_id, org_id in Assignment.objects.filter(case_id__in=[c.pk for c in cases], active=True) \
                .values_list("pk", "case_id", "organization_id"):
            active.setdefault(case_id, []).append((pk, org_id))
        for c in cases:
            before, stage = c.status, RUNNING_STAGE[c.status]
            from_tier, target = c.tier, next_tier(c.tier)
            reason = f"{Stage(stage).label}超时"
            c.status, c.tier, c.supervision, c.supervision_reason = Status.ACCEPTED, target, True, reason
            c.dispatch_due = c.next_due = dues[(c.category_id, from_tier)]
            c.escalation_count += 1
            _record(None, "escalate", c, before, {
                "from_tier": from_tier, "to_tier": target, "reason": reason, "by": "sweep",
                "breached_stage": stage, "supervision": True})
            _send(_region_users(c, permissions.DISPATCHER_ROLES[target]), "escalate", c, "上级事件待派遣（督办）")
            _send(_unit_users([org for _, org in active.get(c.pk, ())]), "escalate", c,
                  "事件已上报上级，本单位任务结束")
            _send(_region_users(c, ("zone_leader",)), "supervise", c, "超时督办", reason)
            done.append(c.pk)
        ended = [pk for case_id in done for pk, _ in active.get(case_id, ())]
        if ended:
            Assignment.objects.filter(pk__in=ended).update(active=False, ended_at=now, end_reason="escalated",
                                                           status=AssignmentStatus.ENDED, updated_at=now)
    return done


def _flag_recipients(c: Case, active_orgs) -> set:
    recipients = set(_region_users(c, ("zone_leader",)))
    if c.status == Status.REPORTED:
        recipients |= set(_region_users(c, permissions.COMMUNITY_ROLES))
    elif c.status == Status.HANDLED:
        recipients |= set(_region_users(c, permissions.COMMUNITY_ROLES)) | set(_reporter_ids(c))
    elif c.status == Status.ACCEPTED:
        recipients |= set(_region_users(c, permissions.DISPATCHER_ROLES[c.tier]))
    else:
        recipients |= set(_unit_users(active_orgs))
    return recipients


def _flag(c: Case, actor, reason: str) -> None:
    """督办 by hand: flagged, with an event and notifications (the clocks keep running)."""
    now = _now()
    before = _move(c, "supervise", supervision=True, supervised_at=now, supervision_reason=reason)
    _record(actor, "supervise", c, before, {"reason": reason, "by": "hand", "breached_stage": ""})
    active_orgs = list(c.assignments.filter(active=True).values_list("organization_id", flat=True))
    _send(_flag_recipients(c, active_orgs), "supervise", c, "督办", reason, exclude=actor)


def case_supervise(*, actor, case, reason: str) -> Case:
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "supervise")
        if not permissions.can_supervise(actor, c):
            raise _denied("只有区领导或街道干部可以督办", "Only zone leaders or subdistrict officers may supervise")
        reason = _require_text(reason, "reason", "请说明督办原因", "Give a reason")
        _flag(c, actor, reason)
    return c


def sweep_flag_many(case_ids) -> list[int]:
    """The sweep's 督办 for breaches that cannot be escalated (accept or verify deadline, or the zone tier):
    flagged, ``next_due`` cleared (status unchanged), a ``supervise`` event and notifications to those concerned;
    locked and written in bulk like ``sweep_escalate_many``."""
    done: list[int] = []
    with transaction.atomic(), write_batch():
        now = _now()
        states = list(RUNNING_STAGE)
        cases = list(Case.objects.select_for_update(of=("self",)).select_related("category")
                     .filter(pk__in=list(case_ids), next_due__lte=now, status__in=states).order_by("pk"))
        if not cases:
            return done
        _bulk_compare_and_set([c.pk for c in cases], states, now, supervision=True, supervised_at=now,
                              supervision_reason=_breach_reason_expression(), next_due=None, updated_at=now)
        active: dict[int, list] = {}
        for case_id, org_id in Assignment.objects.filter(case_id__in=[c.pk for c in cases], active=True) \
                .values_list("case_id", "organization_id"):
            active.setdefault(case_id, []).append(org_id)
        for c in cases:
            stage = RUNNING_STAGE[c.status]
            reason = f"{Stage(stage).label}超时"
            c.supervision, c.supervision_reason, c.supervised_at, c.next_due = True, reason, now, None
            _record(None, "supervise", c, c.status, {"reason": reason, "by": "sweep", "breached_stage": stage})
            _send(_flag_recipients(c, active.get(c.pk, [])), "supervise", c, "督办", reason)
            done.append(c.pk)
    return done


def sweep_flag(*, case, stage: str = "") -> Case:
    """One case of ``sweep_flag_many`` (Conflict when it is no longer breached)."""
    pk = getattr(case, "pk", case)
    if not sweep_flag_many([pk]):
        with transaction.atomic():
            c = _load(None, pk, system=True)
            _still_breached(c)
            raise _conflict(c.status)
    return Case.objects.select_related("category").get(pk=pk)


# ---------------------------------------------------------------------------------------------------------------
# Handling


def case_acknowledge(*, actor, case) -> Case:
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "acknowledge")
        assignments = _active_assignments(c)
        mine = permissions.unit_of(actor, assignments)
        if mine is None:
            raise _denied("只有承办单位的办理人可以报到", "Only a handler of an assigned unit may acknowledge")
        if mine.status != AssignmentStatus.DISPATCHED:
            raise _conflict(c.status, "本单位已报到", "Your unit has already acknowledged", code="already_acknowledged")
        now = _now()
        compare_and_set(Assignment, mine.pk, from_states=[AssignmentStatus.DISPATCHED],
                        to_state=AssignmentStatus.ACKNOWLEDGED, labels=ASSIGNMENT_LABELS, acknowledged_at=now,
                        acknowledged_by=actor, handler=actor, updated_at=now)
        if mine.role == AssignmentRole.LEAD:
            handle_due = policy.due(c.category, c.tier, Stage.HANDLE, now)
            before = _move(c, "acknowledge", to_state=Status.IN_PROGRESS, acknowledged_at=now, handle_due=handle_due,
                           next_due=handle_due)
        else:
            before = _move(c, "acknowledge")
        _record(actor, "acknowledge", c, before, {"assignment": mine.pk, "role": mine.role,
                                                  "unit": mine.organization_id, "unit_name": mine.organization.name,
                                                  "on_time": bool(mine.acknowledge_due and now <= mine.acknowledge_due)})
        if mine.dispatched_by_id:
            _send([mine.dispatched_by_id], "acknowledge", c, f"{mine.organization.name}已报到", exclude=actor)
    return c


def case_return(*, actor, case, reason: str) -> Case:
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "return")
        assignments = _active_assignments(c)
        if not permissions.can_return(actor, c, assignments):
            raise _denied("只有主办单位可以回退", "Only the lead unit may return a case")
        reason = _require_text(reason, "reason", "请说明回退理由", "Give a reason")
        now = _now()
        dispatch_due = policy.due(c.category, c.tier, Stage.DISPATCH, now)
        ended = _end_assignments(c, "returned", now, lead_status=AssignmentStatus.RETURNED)
        before = _move(c, "return", dispatch_due=dispatch_due, next_due=dispatch_due)
        lead = _lead(assignments)
        _record(actor, "return", c, before, {"reason": reason, "unit": lead.organization_id if lead else None})
        recipients = set(_region_users(c, permissions.DISPATCHER_ROLES[c.tier])) | set(_unit_users(ended))
        if lead and lead.dispatched_by_id:
            recipients.add(lead.dispatched_by_id)
        _send(recipients, "return", c, "主办单位回退，请重新派遣", reason, exclude=actor)
    return c


def case_note(*, actor, case, text: str) -> Case:
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "note")
        assignments = _active_assignments(c)
        if not permissions.can_note(actor, c, assignments):
            raise _denied("只有承办单位或派遣人员可以记录", "Only assigned units or the dispatcher may add notes")
        text = _require_text(text, "text", "请填写办理记录", "Write the note")
        before = _move(c, "note")
        mine = permissions.unit_of(actor, assignments)
        _record(actor, "note", c, before, {"text": text, "unit": mine.organization_id if mine else None})
        lead = _lead(assignments)
        if lead and (mine is None or mine.pk != lead.pk):
            _send(_unit_users([lead.organization_id]), "note", c, "新的办理记录", text[:200], exclude=actor)
    return c


def case_part_done(*, actor, case, note: str = "") -> Case:
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "part_done")
        assignments = _active_assignments(c)
        mine = permissions.unit_of(actor, assignments, role=AssignmentRole.CO)
        if mine is None:
            raise _denied("只有协办单位可以提交协办完成", "Only a co-handler may report its part done")
        if mine.status != AssignmentStatus.ACKNOWLEDGED:
            zh = "请先报到" if mine.status == AssignmentStatus.DISPATCHED else "本单位已提交协办完成"
            raise _conflict(c.status, zh, "Acknowledge first" if mine.status == AssignmentStatus.DISPATCHED
                            else "Your part is already done", code="assignment_state")
        now = _now()
        compare_and_set(Assignment, mine.pk, from_states=[AssignmentStatus.ACKNOWLEDGED],
                        to_state=AssignmentStatus.PART_DONE, labels=ASSIGNMENT_LABELS, part_done_at=now,
                        updated_at=now)
        before = _move(c, "part_done")
        _record(actor, "part_done", c, before, {"assignment": mine.pk, "unit": mine.organization_id,
                                                "unit_name": mine.organization.name, "note": (note or "").strip()})
        lead = _lead(assignments)
        if lead:
            _send(_unit_users([lead.organization_id]), "part_done", c, f"{mine.organization.name}协办完成",
                  exclude=actor)
    return c


def case_handle(*, actor, case, result: str, evidence=()) -> Case:
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "handle")
        assignments = _active_assignments(c)
        lead = permissions.unit_of(actor, assignments, role=AssignmentRole.LEAD)
        if lead is None:
            raise _denied("只有主办单位可以办结", "Only the lead unit may report the case handled")
        result = _require_text(result, "result", "请填写办理结果", "Describe the result")
        pending = [a for a in assignments if a.role == AssignmentRole.CO and a.status != AssignmentStatus.PART_DONE]
        if pending:
            names = "、".join(a.organization.name for a in pending)
            raise Conflict(f"协办单位尚未完成：{names}", "Co-handlers have not finished their parts",
                           code="co_handlers_pending",
                           details={"current_state": c.status, "pending": [a.organization_id for a in pending]})
        if not evidence:
            raise ValidationFailed("请上传处置后的照片或材料", "Attach evidence of the result", field="evidence",
                                   code="evidence_required")
        now = _now()
        attached = attach(actor=actor, case=c, attachment_ids=evidence)
        verify_due = policy.due(c.category, c.tier, Stage.VERIFY, now)
        before = _move(c, "handle", handled_at=now, first_handled_at=c.first_handled_at or now,
                       verify_due=verify_due, next_due=verify_due)
        Assignment.objects.filter(pk=lead.pk).update(status=AssignmentStatus.HANDLED, handled_at=now, updated_at=now)
        _record(actor, "handle", c, before, {"result": result, "evidence": attached, "unit": lead.organization_id,
                                             "on_time": bool(c.handle_due and now <= c.handle_due),
                                             "rework": c.rework_count})
        recipients = set(_region_users(c, permissions.COMMUNITY_ROLES))
        if c.channel == Channel.GRID_PATROL:
            recipients |= set(_reporter_ids(c))
        else:  # the grid's worker verifies reports that did not come from patrol
            recipients |= set(_region_users(c, ("grid_worker",)))
        _send(recipients, "handle", c, "已办结，待核查", exclude=actor)
    return c


# ---------------------------------------------------------------------------------------------------------------
# Verification, rating, reopen


def _can_verify(actor, c: Case) -> bool:
    if c.resolved_on_site:  # the worker who fixed it does not verify their own fix
        return permissions.is_community_staff(actor, c)
    return permissions.can_verify(actor, c)


def case_verify_pass(*, actor, case, note: str = "") -> Case:
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "verify_pass")
        if not _can_verify(actor, c):
            raise _denied("只有上报网格员或社区工作人员可以核查", "Only the reporting grid worker or community staff may verify")
        now = _now()
        ended = _end_assignments(c, "closed", now, lead_status=AssignmentStatus.HANDLED)
        before = _move(c, "verify_pass", verified_at=now, closed_at=now, next_due=None)
        _record(actor, "verify_pass", c, before, {"note": (note or "").strip()})
        _send(_reporter_ids(c), "verify_pass", c, "已结案，请评价", exclude=actor)
        _send(_unit_users(ended), "verify_pass", c, "核查通过，已结案", exclude=actor)
    return c


def case_verify_fail(*, actor, case, reason: str) -> Case:
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "verify_fail")
        if not _can_verify(actor, c):
            raise _denied("只有上报网格员或社区工作人员可以核查", "Only the reporting grid worker or community staff may verify")
        reason = _require_text(reason, "reason", "请说明核查不通过的理由", "Give a reason")
        now = _now()
        assignments = _active_assignments(c)
        lead = _lead(assignments)
        if lead is None:
            # resolved on site: nobody was dispatched — it goes back to the community for dispatch
            dispatch_due = policy.due(c.category, c.tier, Stage.DISPATCH, now)
            before = _move(c, "verify_fail", to_state=Status.ACCEPTED, verified_at=now,
                           rework_count=c.rework_count + 1, dispatch_due=dispatch_due, next_due=dispatch_due)
        else:
            handle_due = policy.due(c.category, c.tier, Stage.HANDLE, now)
            before = _move(c, "verify_fail", verified_at=now, rework_count=c.rework_count + 1,
                           handle_due=handle_due, next_due=handle_due)
            Assignment.objects.filter(pk=lead.pk).update(status=AssignmentStatus.ACKNOWLEDGED, handled_at=None,
                                                         updated_at=now)
        _record(actor, "verify_fail", c, before, {"reason": reason, "rework_count": c.rework_count})
        _send(_unit_users([lead.organization_id]) if lead else _region_users(c, permissions.COMMUNITY_ROLES),
              "verify_fail", c, "核查不通过，请返工", reason, exclude=actor)
    return c


def case_rate(*, actor, case=None, tracking_code: str = "", resolved: bool, satisfaction: str,
              comment: str = "") -> Rating:
    if satisfaction not in Satisfaction.values:
        raise ValidationFailed("请选择满意度", "Choose a satisfaction level", field="satisfaction")
    with transaction.atomic():
        if tracking_code:
            code = normalize_tracking_code(tracking_code)
            c = Case.objects.select_for_update(of=("self",)).select_related("category").filter(
                tracking_code=code).first()
            if c is None or (case is not None and getattr(case, "pk", case) != c.pk):
                raise NotFound("查询码无效", "Unknown tracking code")
            source = RatingSource.TRACKING_CODE
        else:
            c = _load(actor, case)
            if not permissions.can_rate(actor, c):
                raise _denied("只有报告人或热线回访人员可以评价", "Only the reporter or a hotline callback may rate")
            source = RatingSource.CALLBACK if permissions.is_callback(actor, c) else RatingSource.REPORTER
        _check_state(c, "rate")
        now = _now()
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    case=c, round=c.rating_round, resolved=bool(resolved), satisfaction=satisfaction,
                    comment=(comment or "").strip(), source=source,
                    rated_by=actor if getattr(actor, "is_authenticated", False) else None, rated_at=now)
        except IntegrityError:
            raise _conflict(c.status, "本轮已评价，不能重复评价", "This case has already been rated",
                            code="already_rated")
        before = _move(c, "rate")
        _record(actor, "rate", c, before, {"resolved": bool(resolved), "satisfaction": satisfaction,
                                           "source": source, "round": c.rating_round})
        if permissions.is_unsatisfied(rating):
            _send(_region_users(c, permissions.COMMUNITY_ROLES), "rate", c, "收到不满意评价，请确认是否重启",
                  exclude=actor)
    return rating


def _open_unsatisfied_rating(c: Case) -> Rating:
    rating = c.ratings.filter(round=c.rating_round).first()
    if rating is None or not permissions.is_unsatisfied(rating):
        raise _conflict(c.status, "没有待处理的不满意评价", "There is no unsatisfied rating to act on",
                        code="no_unsatisfied_rating")
    if rating.reopen_decision:
        raise _conflict(c.status, "该评价已处理", "This rating has already been dealt with", code="already_decided")
    window = dt.timedelta(days=int(policy.setting("reopen_window_days")))
    if _now() > rating.rated_at + window:
        raise _conflict(c.status, f"已超过 {window.days} 天的重启期限", f"The {window.days}-day reopen window has passed",
                        code="reopen_window_passed")
    return rating


def _decide(rating: Rating, decision: str, actor, reason: str) -> None:
    updated = Rating.objects.filter(pk=rating.pk, reopen_decision="").update(
        reopen_decision=decision, reopen_decided_by=actor, reopen_decided_at=_now(), reopen_reason=reason,
        updated_at=_now())
    if not updated:
        raise Conflict("该评价已被他人处理", "Someone else has dealt with this rating", code="already_decided",
                       details={"current_state": Status.CLOSED})


def case_reopen(*, actor, case, reason: str = "") -> Case:
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "reopen")
        if not permissions.can_reopen(actor, c):
            raise _denied("只有社区工作人员可以确认重启", "Only community staff may reopen")
        rating = _open_unsatisfied_rating(c)
        _decide(rating, ReopenDecision.CONFIRMED, actor, (reason or "").strip())
        now = _now()
        lead = c.assignments.filter(role=AssignmentRole.LEAD, round=c.dispatch_round).first() \
            if c.dispatch_round else None
        common = dict(closed_at=None, rating_round=c.rating_round + 1, reopen_count=c.reopen_count + 1)
        if lead is None:
            dispatch_due = policy.due(c.category, c.tier, Stage.DISPATCH, now)
            before = _move(c, "reopen", to_state=Status.ACCEPTED, dispatch_due=dispatch_due, next_due=dispatch_due,
                           **common)
        else:
            handle_due = policy.due(c.category, c.tier, Stage.HANDLE, now)
            before = _move(c, "reopen", handle_due=handle_due, next_due=handle_due, **common)
            Assignment.objects.filter(pk=lead.pk).update(active=True, ended_at=None, end_reason="",
                                                         status=AssignmentStatus.ACKNOWLEDGED, handled_at=None,
                                                         updated_at=now)
        _record(actor, "reopen", c, before, {"reason": (reason or "").strip(), "rating": rating.pk})
        _send(_unit_users([lead.organization_id]) if lead else [], "reopen", c, "群众不满意，事件已重启", reason,
              exclude=actor)
        _send(_reporter_ids(c), "reopen", c, "您的不满意评价已受理，事件重新办理")
    return c


def case_decline_reopen(*, actor, case, reason: str) -> Case:
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "decline_reopen")
        if not permissions.can_reopen(actor, c):
            raise _denied("只有社区工作人员可以处理重启", "Only community staff may decide on reopening")
        reason = _require_text(reason, "reason", "请说明不予重启的理由", "Give a reason")
        rating = _open_unsatisfied_rating(c)
        _decide(rating, ReopenDecision.DECLINED, actor, reason)
        before = _move(c, "decline_reopen")
        _record(actor, "decline_reopen", c, before, {"reason": reason, "rating": rating.pk})
        _send(_reporter_ids(c), "decline_reopen", c, "不予重启", reason)
    return c


# ---------------------------------------------------------------------------------------------------------------
# Extensions and suspensions


def case_request_extension(*, actor, case, amount: int, unit: str, reason: str) -> Extension:
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "request_extension")
        assignments = _active_assignments(c)
        if not permissions.can_request_extension(actor, c, assignments):
            raise _denied("只有当前环节的责任单位可以申请延期", "Only the unit responsible for this stage may ask")
        reason = _require_text(reason, "reason", "请说明延期理由", "Give a reason")
        if unit not in TimeUnit.values:
            raise ValidationFailed("时限单位无效", "Unknown unit", field="unit")
        try:
            amount = int(amount)
        except (TypeError, ValueError):
            amount = 0
        if amount <= 0:
            raise ValidationFailed("延长时间必须大于零", "The extension must be positive", field="amount")
        stage = RUNNING_STAGE[c.status]
        current_due = getattr(c, DUE_FIELD[stage])
        try:
            with transaction.atomic():
                ext = Extension.objects.create(case=c, stage=stage, amount=amount, unit=unit, reason=reason,
                                               requested_by=actor, requested_at=_now(), previous_due=current_due)
        except IntegrityError:
            raise _conflict(c.status, "已有待审批的延期申请", "An extension request is already pending",
                            code="extension_pending")
        before = _move(c, "request_extension")
        _record(actor, "request_extension", c, before, {"extension": ext.pk, "stage": stage, "amount": amount,
                                                        "unit": unit, "reason": reason})
        _send(_region_users(c, permissions.APPROVER_ROLES[c.tier]), "request_extension", c, "延期申请待审批",
              reason, exclude=actor)
    return ext


def _load_extension(actor, extension) -> tuple[Extension, Case]:
    pk = getattr(extension, "pk", extension)
    ext = Extension.objects.filter(pk=pk).first()
    if ext is None:
        raise NotFound("延期申请不存在", "Extension request not found")
    c = _load(actor, ext.case_id)
    ext = Extension.objects.get(pk=pk)
    return ext, c


def case_approve_extension(*, actor, extension, note: str = "") -> Case:
    with transaction.atomic():
        ext, c = _load_extension(actor, extension)
        _check_state(c, "approve_extension")
        if not permissions.can_approve_extension(actor, c) or ext.requested_by_id == actor.pk:
            raise _denied("延期须由上一层级审批", "The tier above approves extensions")
        if ext.status != ExtensionStatus.PENDING:
            raise _conflict(c.status, "该申请已处理", "This request has already been decided", code="already_decided")
        if RUNNING_STAGE.get(c.status) != ext.stage:
            raise _conflict(c.status, "事件已进入其他环节，延期申请失效", "The case has moved on; the request lapsed",
                            code="extension_lapsed")
        now = _now()
        due_field = DUE_FIELD[ext.stage]
        current = getattr(c, due_field) or now
        new_due = policy.extended_due(current, ext.amount, ext.unit)
        compare_and_set(Extension, ext.pk, from_states=[ExtensionStatus.PENDING], to_state=ExtensionStatus.APPROVED,
                        decided_by=actor, decided_at=now, decision_note=(note or "").strip(), new_due=new_due,
                        updated_at=now)
        before = _move(c, "approve_extension", **{due_field: new_due, "next_due": new_due,
                                                  "extensions_approved": c.extensions_approved + 1})
        if ext.stage == Stage.ACKNOWLEDGE:
            Assignment.objects.filter(case=c, active=True, role=AssignmentRole.LEAD).update(acknowledge_due=new_due)
        _record(actor, "approve_extension", c, before, {"extension": ext.pk, "stage": ext.stage,
                                                        "previous_due": current.isoformat(),
                                                        "new_due": new_due.isoformat()})
        _send([ext.requested_by_id], "approve_extension", c, "延期申请已批准", exclude=actor)
    return c


def case_decline_extension(*, actor, extension, note: str) -> Case:
    with transaction.atomic():
        ext, c = _load_extension(actor, extension)
        _check_state(c, "decline_extension")
        if not permissions.can_approve_extension(actor, c) or ext.requested_by_id == actor.pk:
            raise _denied("延期须由上一层级审批", "The tier above decides on extensions")
        note = _require_text(note, "note", "请说明不批准的理由", "Give a reason")
        now = _now()
        compare_and_set(Extension, ext.pk, from_states=[ExtensionStatus.PENDING], to_state=ExtensionStatus.DECLINED,
                        decided_by=actor, decided_at=now, decision_note=note, updated_at=now)
        before = _move(c, "decline_extension")
        _record(actor, "decline_extension", c, before, {"extension": ext.pk, "note": note})
        _send([ext.requested_by_id], "decline_extension", c, "延期申请未批准", note, exclude=actor)
    return c


def _review_moment(review_at) -> dt.datetime:
    if isinstance(review_at, dt.datetime):
        return review_at if timezone.is_aware(review_at) else timezone.make_aware(review_at)
    if isinstance(review_at, dt.date):
        return timezone.make_aware(dt.datetime.combine(review_at, dt.time.min))
    raise ValidationFailed("请填写复核日期", "Give a review date", field="review_at")


def case_suspend(*, actor, case, reason: str, review_at) -> Case:
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "suspend")
        if not permissions.can_suspend(actor, c):
            raise _denied("挂账须由街道干部批准", "A subdistrict officer approves suspensions")
        reason = _require_text(reason, "reason", "请说明挂账理由", "Give a reason")
        now = _now()
        review = _review_moment(review_at)
        if review <= now:
            raise ValidationFailed("复核日期须晚于今天", "The review date must be in the future", field="review_at")
        remaining = {}
        for name in ("dispatch_due", "acknowledge_due", "handle_due"):
            stage_due = getattr(c, name)
            if stage_due is not None and DUE_FIELD[RUNNING_STAGE[c.status]] == name:
                remaining[name] = max(0, int((stage_due - now).total_seconds()))
        for pk, due in c.assignments.filter(active=True, status=AssignmentStatus.DISPATCHED).values_list(
                "pk", "acknowledge_due"):
            if due is not None:
                remaining[f"assignment:{pk}"] = max(0, int((due - now).total_seconds()))
        Suspension.objects.create(case=c, from_status=c.status, reason=reason, approved_by=actor, suspended_at=now,
                                  review_at=review, remaining=remaining)
        before = _move(c, "suspend", suspended_from=c.status, suspended_at=now, resume_at=review, next_due=review)
        _record(actor, "suspend", c, before, {"reason": reason, "review_at": review.isoformat(),
                                              "remaining": remaining})
        orgs = list(c.assignments.filter(active=True).values_list("organization_id", flat=True))
        _send(set(_unit_users(orgs)) | set(_region_users(c, permissions.COMMUNITY_ROLES)), "suspend", c,
              "事件挂账", reason, exclude=actor)
    return c


def case_resume(*, actor, case, by_sweep: bool = False) -> Case:
    with transaction.atomic():
        c = _load(actor, case, system=by_sweep)
        _check_state(c, "resume")
        if by_sweep:
            _still_breached(c)
        if by_sweep:
            actor = None
        elif not permissions.can_resume(actor, c):
            raise _denied("恢复须由街道干部批准", "A subdistrict officer resumes suspended cases")
        suspension = c.suspensions.filter(resumed_at__isnull=True).first()
        now = _now()
        remaining = suspension.remaining if suspension else {}
        fields = {"suspended_from": "", "suspended_at": None, "resume_at": None}
        for name, seconds in remaining.items():
            if not name.startswith("assignment:"):
                fields[name] = now + dt.timedelta(seconds=seconds)
        back = c.suspended_from
        running = DUE_FIELD.get(RUNNING_STAGE.get(back))
        fields["next_due"] = fields.get(running, getattr(c, running) if running else None)
        for name, seconds in remaining.items():
            if name.startswith("assignment:"):
                Assignment.objects.filter(pk=int(name.split(":")[1]), active=True).update(
                    acknowledge_due=now + dt.timedelta(seconds=seconds), updated_at=now)
        if suspension:
            Suspension.objects.filter(pk=suspension.pk).update(resumed_at=now, resumed_by=actor, updated_at=now)
        before = _move(c, "resume", to_state=back, **fields)
        _record(actor, "resume", c, before, {"by": "sweep" if by_sweep else "hand", "remaining": remaining})
        orgs = list(c.assignments.filter(active=True).values_list("organization_id", flat=True))
        _send(set(_unit_users(orgs)) | set(_region_users(c, permissions.COMMUNITY_ROLES)), "resume", c,
              "挂账事件已恢复办理", exclude=actor)
    return c


# ---------------------------------------------------------------------------------------------------------------
# Handover (交接)


def handover_assignments(*, actor, post, successor) -> int:
    """Open assignments personally held by the post's user at the post's organisation move to the successor."""
    if not post.organization_id:
        return 0
    qs = Assignment.objects.filter(active=True, organization_id=post.organization_id, handler_id=post.user_id)
    if successor is None:
        return qs.count()
    rows = list(qs.values_list("pk", "case_id"))
    if not rows:
        return 0
    now = _now()
    qs.update(handler=successor, updated_at=now)
    for pk, case_id in rows:
        events.record(actor, "handover", object_type="cases.case", object_id=case_id,
                      payload={"assignment": pk, "from_user": post.user_id, "to_user": successor.pk})
    notifications.notify([successor.pk], verb="case.handover", title=f"已接手 {len(rows)} 件办理任务", body="", url="/cases/")
    return len(rows)
