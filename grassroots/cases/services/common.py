"""Shared machinery of the case services: loading with a lock, the state check, the compare-and-set move, the event
and notification writers (one by one, or collected by ``write_batch``), recipients, attachments and small checks."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt

from grassroots.core import attachments as core_attachments
from grassroots.core import clock, events, notifications
from grassroots.core import context as request_context
from grassroots.core.bulk import insert_many
from grassroots.core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from grassroots.core.models import Attachment, Event, Notification
from grassroots.core.transitions import compare_and_set
from grassroots.people import directory

from .. import permissions, policy
from ..models import Assignment, Case
from ..states import STATUS_LABELS, TRANSITIONS, AssignmentRole, AssignmentStatus, event_verb

ASSIGNMENT_LABELS = {s.value: str(s.label) for s in AssignmentStatus}

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
    if case.status not in TRANSITIONS[verb].sources:
        raise _conflict(case.status)


def _still_breached(case: Case) -> None:
    """The sweep acts only while the running deadline is still past (someone may have moved the case meanwhile)."""
    if case.next_due is None or case.next_due > clock.now():
        raise _conflict(case.status, "时限未到或已处理", "The deadline has not passed or was dealt with",
                        code="not_breached")


def _move(case: Case, verb: str, *, to_state: str | None = None, **fields) -> str:
    """Compare-and-set from the observed state; returns the previous state and updates ``case`` in memory."""
    to = TRANSITIONS[verb].target_for(case.status, to_state)
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
    """The move's event ``case.<verb>``, written now or collected by ``write_batch``."""
    buffer = _batch.get()
    if buffer is None:
        events.record(actor, event_verb(verb), case, from_state=from_state, to_state=case.status,
                      payload=payload or {})
        return
    ctx = request_context.current()
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    buffer["events"].append(Event(
        at=clock.now(), actor=actor if authenticated else None, actor_label=events.actor_label(actor), verb=event_verb(verb),
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


def prepare_uploads(uploads, *, field: str, photos_only: bool, already: int = 0) -> list:
    """Check uploads before anything is written: at most ``case_photos_max`` files (policy; ``already`` counts
    attachment ids given with them) and ``case_upload_max_bytes`` in all; each file's type (photos only where
    the field asks for photos). Returns ``core.attachments.Prepared`` values (in memory) for ``store_uploads``."""
    uploads = [u for u in (uploads or ()) if u]
    limit = int(policy.setting("case_photos_max"))
    if len(uploads) + already > limit:
        raise ValidationFailed(f"最多上传 {limit} 个文件", f"At most {limit} files may be uploaded",
                               field=field, code="too_many_files")
    max_total = int(policy.setting("case_upload_max_bytes"))
    declared = sum(int(getattr(u, "size", 0) or 0) for u in uploads)
    prepared = []
    received = 0
    for upload in uploads:
        if declared > max_total or received > max_total:
            break
        try:
            item = core_attachments.prepare(upload, photos_only=photos_only)
        except ValidationFailed as exc:
            raise ValidationFailed(exc.zh, exc.en, field=field, code=exc.code) from exc
        received += item.source_size
        prepared.append(item)
    if declared > max_total or received > max_total:
        mb = max_total // (1024 * 1024)
        raise ValidationFailed(f"上传文件合计超过 {mb} MB", f"The files together exceed {mb} MB",
                               field=field, code="uploads_too_large")
    return prepared


def store_uploads(actor, prepared, case: Case) -> list[int]:
    """Store prepared uploads for ``case``; inside the service's transaction and ``removed_on_failure``."""
    return [core_attachments.store(actor=actor, prepared=p, obj=case).pk for p in prepared]


def attach(*, actor, case: Case, attachment_ids=(), prepared=()) -> list[int]:
    """Link uploaded attachments (not yet linked elsewhere) to the case and store prepared uploads for it;
    returns their ids."""
    ids = _attachments(actor, attachment_ids, str(case.pk))
    _link(case, ids)
    return ids + store_uploads(actor, prepared, case)


def _now() -> dt.datetime:
    return clock.now()


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



def normalize_tracking_code(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").upper()

