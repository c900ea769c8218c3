"""Intake (``case_report`` through any channel, with its number, tracking code and idempotency) and triage by the
community's staff (accept, reject, mark a duplicate) or the reporting grid worker (resolve on site)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from grassroots.core import attachments as core_attachments
from grassroots.core import events, geo, notifications
from grassroots.core.bulk import insert_together
from grassroots.core.errors import Conflict, ValidationFailed
from grassroots.core.roles import Role
from grassroots.core.scope import scope_for

from .. import permissions, policy
from ..models import Case, CaseCounter, IdempotencyKey, appeal_keys
from ..states import AppealType, Channel, Stage, Status, Tier, Topic, event_verb, tier_rank
from .common import (
    _attachments,
    _check_state,
    _denied,
    _link,
    _load,
    _move,
    _notification_rows,
    _now,
    _organization,
    _record,
    _region_users,
    _reporter_ids,
    _require_text,
    _send,
    attach,
    prepare_uploads,
    store_uploads,
)

TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L
TRACKING_LENGTH = 12
IDEMPOTENCY_KEY_MAX = 100  # the column's length
EXTERNAL_ID_MAX = 64


@dataclass
class Intake:
    case: Case
    created: bool
    tracking_code: str
    notice_zh: str = ""
    notice_en: str = ""



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


def _existing_intake(actor, channel: str, idempotency_key: str, external_id: str,
                     fingerprint: str = "") -> Intake | None:
    case = None
    if idempotency_key:
        key = (IdempotencyKey.objects.filter(client=_client(actor), channel=channel, key=idempotency_key)
               .select_related("case").first())
        if key is not None:
            case = key.case
            if key.fingerprint and fingerprint and key.fingerprint != fingerprint:
                raise Conflict(
                    f"该幂等键已用于另一份上报（编号 {case.reference}），内容不同",
                    f"This Idempotency-Key was used for a different report ({case.reference})",
                    code="idempotency_key_reused",
                    details={"current_state": case.status, "reference": case.reference, "id": case.pk})
    if case is None and external_id:
        case = Case.objects.filter(channel=channel, external_id=external_id).first()
    if case is None:
        return None
    notice = policy.emergency_notice(case.category) or ("", "")
    return Intake(case=case, created=False, tracking_code=case.tracking_code, notice_zh=notice[0],
                  notice_en=notice[1])


def _fingerprint(**fields) -> str:
    """A digest of what was submitted, to tell a retry (same body) from a reused key (another body)."""
    def plain(value):
        if hasattr(value, "pk"):
            return value.pk
        if hasattr(value, "name") and hasattr(value, "read"):  # an upload: its name and size
            return [value.name, getattr(value, "size", None)]
        return value

    body = {k: ([plain(v) for v in value] if isinstance(value, list | tuple) else plain(value))
            for k, value in sorted(fields.items())}
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def _check_key(idempotency_key: str, external_id: str) -> tuple[str, str]:
    idempotency_key = (idempotency_key or "").strip()
    external_id = (external_id or "").strip()
    if len(idempotency_key) > IDEMPOTENCY_KEY_MAX:
        raise ValidationFailed(f"幂等键不能超过 {IDEMPOTENCY_KEY_MAX} 个字符",
                               f"The Idempotency-Key may not be longer than {IDEMPOTENCY_KEY_MAX} characters",
                               field="idempotency_key", code="idempotency_key_too_long")
    if len(external_id) > EXTERNAL_ID_MAX:
        raise ValidationFailed(f"外部编号不能超过 {EXTERNAL_ID_MAX} 个字符",
                               f"The external id may not be longer than {EXTERNAL_ID_MAX} characters",
                               field="external_id")
    return idempotency_key, external_id


def check_description(description: str) -> str:
    """The reporter's description, at most ``case_description_max_chars`` (policy) through every channel."""
    description = (description or "").strip()
    limit = int(policy.setting("case_description_max_chars"))
    if len(description) > limit:
        raise ValidationFailed(f"详细描述不能超过 {limit} 字", f"The description may not exceed {limit} characters",
                               field="description", code="description_too_long")
    return description


def case_report(*, actor, channel: str, category, title: str, description: str = "", lon=None, lat=None,
                crs: str = "WGS84", region=None, address: str = "", anonymous: bool = False,
                privacy_requested: bool = False, hide_identity_from_staff: bool = False, reporter_name: str = "",
                reporter_contact: str = "", reporter_person=None, enterprise=None, external_id: str = "",
                idempotency_key: str = "", attachments=(), uploads=(), public_summary: str = "",
                appeal_type: str = "", urgent: bool = False, topics=(), enterprise_verified: bool = False) -> Intake:
    """Intake through any channel (see the module docstring). Returns after the transaction commits.

    An enterprise appeal (channel ``enterprise``) carries its type (``AppealType``; 求助 when none is given), the urgent flag and
    topic tags (``Topic``); they key its time limits (``policy.limit``). ``enterprise_verified``: the caller (the
    enterprise contact card's page) has verified by a phone code sent to the enterprise contact's registered phone
    that an anonymous filer speaks for ``enterprise``; the appeal is then filed without an account.

    ``uploads``: photo files (``read()`` and ``name``) stored with the report, in its transaction, and only if
    it is written. A retry with the same ``idempotency_key`` and the same fields returns the first case; the same
    key with other fields is a ``Conflict`` naming the first case."""
    if channel not in Channel.values:
        raise ValidationFailed("来源渠道无效", "Unknown channel", field="channel")
    idempotency_key, external_id = _check_key(idempotency_key, external_id)
    fields = dict(channel=channel, category=getattr(category, "code", category), title=title,
                  description=description, lon=lon, lat=lat, crs=crs, region=region, address=address,
                  anonymous=anonymous, privacy_requested=privacy_requested,
                  hide_identity_from_staff=hide_identity_from_staff, reporter_name=reporter_name,
                  reporter_contact=reporter_contact, enterprise=enterprise, external_id=external_id,
                  attachments=list(attachments or ()), uploads=list(uploads or ()), public_summary=public_summary,
                  appeal_type=appeal_type, urgent=bool(urgent), topics=sorted(topics or ()))
    fingerprint = _fingerprint(**fields) if idempotency_key else ""
    existing = _existing_intake(actor, channel, idempotency_key, external_id, fingerprint)
    if existing is not None:
        return existing
    for attempt in (1, 2):
        try:
            return _report(actor=actor, channel=channel, category=category, title=title, description=description,
                           lon=lon, lat=lat, crs=crs, region=region, address=address, anonymous=anonymous,
                           privacy_requested=privacy_requested, hide_identity_from_staff=hide_identity_from_staff,
                           reporter_name=reporter_name, reporter_contact=reporter_contact,
                           reporter_person=reporter_person, enterprise=enterprise, external_id=external_id,
                           idempotency_key=idempotency_key, attachments=attachments, uploads=uploads,
                           public_summary=public_summary, fingerprint=fingerprint, appeal_type=appeal_type,
                           urgent=urgent, topics=topics, enterprise_verified=enterprise_verified)
        except IntegrityError:
            # A concurrent retry with the same key (or import of the same work order) committed first.
            existing = _existing_intake(actor, channel, idempotency_key, external_id, fingerprint)
            if existing is not None:
                return existing
            if attempt == 2:
                raise
            # Otherwise a tracking code collided (about once in 10^12 intakes): once more with a new one.
    raise AssertionError("unreachable")


def _report(*, actor, channel, category, title, description, lon, lat, crs, region, address, anonymous,
            privacy_requested, hide_identity_from_staff, reporter_name, reporter_contact, reporter_person,
            enterprise, external_id, idempotency_key, attachments, uploads, public_summary, fingerprint,
            appeal_type="", urgent=False, topics=(), enterprise_verified=False) -> Intake:
    from grassroots.territory.locate import area_id_for_path, locate
    from grassroots.territory.models import Level, Region

    category = policy.require_category(category)
    title = _require_text(title, "title", "请填写标题", "A title is required")[:200]
    description = check_description(description)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    verified = bool(enterprise_verified and not authenticated and channel == Channel.ENTERPRISE
                    and enterprise is not None)
    if not authenticated and channel != Channel.RESIDENT and not verified:
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

    if not verified and not permissions.can_report(actor, channel, region):
        raise _denied("您不能通过该渠道在此区域上报", "You may not report through this channel here")

    if verified:
        enterprise = _organization(enterprise)
        if enterprise is None:
            raise ValidationFailed("请选择诉求企业", "Choose the enterprise", field="enterprise")
    elif channel == Channel.ENTERPRISE:
        own = scope.orgs_for(Role.ENTERPRISE_CONTACT)
        if enterprise is None and len(own) == 1:
            enterprise = next(iter(own))
        enterprise = _organization(enterprise)
        if enterprise is None:
            raise ValidationFailed("请选择诉求企业", "Choose the enterprise", field="enterprise")
        served = enterprise.region is not None and scope.covers_path(enterprise.region.path, Role.PARTY_INSTRUCTOR)
        if enterprise.pk not in own and not served:
            raise _denied("只能代本企业提出诉求", "You may file appeals only for your own enterprise")
    else:
        enterprise = None
    if channel == Channel.ENTERPRISE:
        appeal_type = appeal_type or AppealType.HELP  # filed without a type (an import, an old client): 求助
        if appeal_type not in AppealType.values:
            raise ValidationFailed("请选择诉求类型", "Choose the appeal's type", field="appeal_type")
        topics = sorted(set(topics or ()))
        if any(t not in Topic.values for t in topics):
            raise ValidationFailed("诉求主题无效", "Invalid topic", field="topics")
        urgent = bool(urgent)
    else:
        appeal_type, urgent, topics = "", False, []

    now = _now()
    reporter = actor if authenticated and channel in (Channel.RESIDENT, Channel.GRID_PATROL,
                                                      Channel.ENTERPRISE) else None
    if reporter_person is None and reporter is not None and channel == Channel.RESIDENT:
        reporter_person = getattr(actor, "person", None)
    community_id = area_id_for_path(region.path)
    tier = category.default_tier
    accept_due = policy.due(category, tier, Stage.ACCEPT, now, appeal_keys(appeal_type, urgent))
    public_lon, public_lat = _public_position(lon, lat)

    attached = _attachments(actor, attachments)
    prepared = prepare_uploads(uploads, field="photos", photos_only=True, already=len(attached))
    reference, case_id = _take_number(now)
    case = Case(
        pk=case_id, reference=reference, channel=channel, category=category, title=title,
        description=description, public_summary=(public_summary or "").strip(),
        address=(address or "").strip()[:200], lon=lon, lat=lat, public_lon=public_lon, public_lat=public_lat,
        region=region, region_path=region.path, community_id=community_id, tier=tier,
        reached_above_community=tier_rank(tier) >= tier_rank(Tier.SUBDISTRICT), status=Status.REPORTED,
        is_public=bool(category.public_allowed and not privacy_requested and channel != Channel.ENTERPRISE),
        reporter=reporter, reporter_person=reporter_person, reporter_name=(reporter_name or "").strip(),
        reporter_contact=(reporter_contact or "").strip(), anonymous=anonymous,
        privacy_requested=privacy_requested, hide_identity_from_staff=anonymous and hide_identity_from_staff,
        tracking_code=new_tracking_code(), enterprise=enterprise, filed_by=actor if authenticated else None,
        appeal_type=appeal_type, urgent=urgent, appeal_topics=topics,
        external_id=external_id, accept_due=accept_due, next_due=accept_due, reported_at=now,
    )
    # With the id taken from the sequence and nothing else to write, the rows go in one statement, which is
    # atomic by itself; otherwise (SQLite, attachments, a caller's transaction) in a transaction. Uploaded files
    # are written inside it and deleted again if it fails: a refused report leaves no file and no row.
    one_statement = case.pk is not None and not attached and not prepared and not connection.in_atomic_block
    with core_attachments.removed_on_failure(), (
            contextlib.nullcontext() if one_statement else transaction.atomic()):
        rows: list = []
        stored: list[int] = []
        if case.pk is None:
            case.save(force_insert=True)
        else:
            rows.append(case)
        if prepared:
            if rows:  # the case row first: the attachments' events name it
                insert_together(rows)
                rows = []
            stored = store_uploads(actor, prepared, case)
        if idempotency_key:
            rows.append(IdempotencyKey(client=_client(actor), channel=channel, key=idempotency_key, case=case,
                                       created_at=now, fingerprint=fingerprint))
        rows.append(events.build(actor, event_verb("report"), case, to_state=Status.REPORTED,
                                 payload={"channel": channel, "category": category.code, "tier": tier,
                                          "reference": case.reference, "attachments": attached + stored}))
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
        dispatch_due = policy.due(c.category, tier, Stage.DISPATCH, now, c.appeal_keys)
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


def case_resolve_on_site(*, actor, case, note: str = "", evidence=(), uploads=()) -> Case:
    prepared = prepare_uploads(uploads, field="evidence", photos_only=True, already=len(set(evidence or ())))
    with core_attachments.removed_on_failure(), transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "resolve_on_site")
        if not permissions.can_resolve_on_site(actor, c):
            if not permissions.is_reporting_grid_worker(actor, c):
                raise _denied("只有上报该事件的网格员可以现场处置", "Only the reporting grid worker may resolve on site")
            raise _denied("该类别不允许现场处置", "This category may not be resolved on site")
        now = _now()
        verify_due = policy.due(c.category, c.tier, Stage.VERIFY, now, c.appeal_keys)
        before = _move(c, "resolve_on_site", resolved_on_site=True, accepted_at=now, handled_at=now,
                       first_handled_at=now, verify_due=verify_due, next_due=verify_due)
        attached = attach(actor=actor, case=c, attachment_ids=evidence, prepared=prepared)
        _record(actor, "resolve_on_site", c, before, {"note": (note or "").strip(), "evidence": attached})
        _send(_region_users(c, permissions.COMMUNITY_ROLES), "resolve_on_site", c, "网格员已现场处置，待核查",
              exclude=actor)
    return c


