"""The only writers of the rectification ledger. Each function runs in one transaction and records an event.

Moves follow ``states.TRANSITIONS`` (compare-and-set); ``states.SIDE`` says which side makes each one, checked
by ``permissions``. Verifying is refused to the owner side with its own reason (``owner_cannot_verify``).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from grassroots.core import attachments, clock, events, notifications
from grassroots.core import roles as R
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed
from grassroots.core.imports import export_xlsx
from grassroots.core.transitions import compare_and_set

from . import selectors
from .models import Item, Milestone
from .permissions import OWN_OFFICE_KINDS, can_raise, can_rectify, can_supervise, is_owner_side
from .states import NEEDS_REASON, OWNER, SIDE, STATUS_LABELS, SUPERVISOR, TRANSITIONS, Source, Status

MAX_DAYS = 3660  # a deadline within ten years of the day it was raised


def _text(value, field: str, zh: str, en: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(zh, en, field=field)
    if len(value) > max_length:
        raise ValidationFailed(f"不能超过 {max_length} 字", f"At most {max_length} characters", field=field)
    return value


def item_create(*, actor, title: str, source: str, owner, deadline: dt.date, region=None, responsible=None,
                description: str = "", requirement: str = "", measures: str = "", long_term: bool = False,
                case_id: int | None = None, raised_on: dt.date | None = None, subject=None) -> Item:
    """``subject``: the domain object the item is about (a key project), kept as its type and id."""
    title = _text(title, "title", "请填写问题", "Enter the problem", 200)
    if source not in Source.values:
        raise ValidationFailed("来源无效", "Invalid source", field="source")
    region = region or owner.region
    if region is None:
        raise ValidationFailed("责任单位没有所在区域，请指定区域", "The owner has no region: name one", field="region")
    raised_on = raised_on or clock.today()
    if not isinstance(deadline, dt.date) or deadline < raised_on or (deadline - raised_on).days > MAX_DAYS:
        raise ValidationFailed("整改时限须在发现日期之后、十年之内", "The deadline must follow the day raised, within ten years",
                               field="deadline")
    if case_id is not None and not (0 < int(case_id) < 2**63):
        raise ValidationFailed("事件编号无效", "Invalid case number", field="case_id")
    if not can_raise(actor, owner=owner, region=region, source=source):
        raise NotPermitted("无权在该区域登记整改事项", "You may not raise items for this region")
    with transaction.atomic():
        item = Item.objects.create(
            title=title, description=description, requirement=requirement, source=source, owner=owner, region=region,
            responsible=responsible, raised_on=raised_on, deadline=deadline, measures=measures, long_term=long_term,
            case_id=case_id, subject_type=subject._meta.label_lower if subject is not None else "",
            subject_id=subject.pk if subject is not None else None,
            raised_by=actor if getattr(actor, "is_authenticated", False) else None)
        events.record(actor, "item.create", item, to_state=item.status, payload={
            "source": source, "owner": owner.pk, "deadline": deadline.isoformat(), "case_id": case_id})
        notifications.notify(_owner_users(item), verb="rectification.raised", title=f"整改事项：{item.title}",
                             body=f"整改时限 {deadline:%Y-%m-%d}", url=_url(item), obj=item)
    return item


def _url(item: Item) -> str:
    return f"/rectification/items/{item.pk}/"


def _holders_at(path: str) -> list[int]:
    """Staff posted to exactly this region (not above it)."""
    from grassroots.people import directory
    from grassroots.territory.models import ancestor_paths

    paths = ancestor_paths(path)
    above = set(directory.region_holders(paths[-2], R.STAFF)) if len(paths) > 1 else set()
    return [u for u in directory.region_holders(path, R.STAFF) if u not in above]


def _owner_users(item: Item) -> list[int]:
    """Accounts of the owner organisation (for a region's own office, its staff) and of the responsible person."""
    from grassroots.people import directory
    from grassroots.people.models import User

    users = directory.org_holders([item.owner_id])
    if item.owner.kind in OWN_OFFICE_KINDS and item.owner.region_id:
        users += _holders_at(item.owner.region.path)
    if item.responsible_id:
        users += list(User.objects.filter(person_id=item.responsible_id, is_active=True).values_list("pk", flat=True))
    return list(dict.fromkeys(users))


def _above_users(item: Item) -> list[int]:
    """The one above the owner: staff posted to the nearest region (the item's, then upwards) that has any, other
    than the owner side's own office; and the accounts of the owner organisation's parent organisation."""
    from grassroots.people import directory
    from grassroots.territory.models import ancestor_paths

    owner = set(_owner_users(item))
    nearest: list[int] = []
    for path in reversed(ancestor_paths(item.region.path)):
        nearest = sorted(set(_holders_at(path)) - owner)
        if nearest:
            break
    parent = directory.org_holders([item.owner.parent_id]) if item.owner.parent_id else []
    return list(dict.fromkeys([*nearest, *parent]))


def _refuse(item: Item, verb: str, actor) -> None:
    side = SIDE[verb]
    if side == OWNER and not can_rectify(actor, item):
        raise NotPermitted("只有责任单位或责任人可以整改并提交", "Only the owner or the responsible person rectifies and submits")
    if side == SUPERVISOR:
        if actor is not None and is_owner_side(actor, item):
            raise NotPermitted("责任单位和责任人不能验收、退回、重新打开或延期自己的整改事项",
                               "The owner cannot verify, send back, reopen or extend its own item",
                               code="owner_cannot_verify")
        if not can_supervise(actor, item):
            raise NotPermitted("无权验收该整改事项", "You may not supervise this item")


def item_move(*, actor, item: Item, verb: str, reason: str = "", deadline: dt.date | None = None,
              measures: str | None = None) -> Item:
    """One move of the table: start, submit, verify (验收销号), send_back, reopen, extend (with a new deadline)."""
    if verb not in TRANSITIONS or SIDE[verb] not in (OWNER, SUPERVISOR):
        raise ValidationFailed("未知的操作", "Unknown action", field="verb")
    move = TRANSITIONS[verb]
    _refuse(item, verb, actor)
    reason = _text(reason, "reason", "请填写原因", "Enter the reason", 500, required=verb in NEEDS_REASON)
    fields: dict = {"last_reason": reason} if reason else {}
    to_state = move.target
    if verb == "submit":
        measures = (measures if measures is not None else item.measures or "").strip()
        if not measures:
            raise ValidationFailed("提交验收前请填写整改措施", "Record the measures before submitting", field="measures")
        fields.update(measures=measures, submitted_at=clock.now())
    if verb == "verify":
        fields.update(verified_by=actor, closed_at=clock.now())
    if verb == "extend":
        if not isinstance(deadline, dt.date) or deadline <= max(item.deadline, clock.today() - dt.timedelta(days=1)):
            raise ValidationFailed("新的整改时限须晚于原时限和今天", "The new deadline must be later than the old one and today",
                                   field="deadline")
        fields["deadline"] = deadline
        to_state = Status.IN_RECTIFICATION if item.status == Status.OVERDUE else item.status
    if verb == "reopen":
        fields.update(closed_at=None, verified_by=None, overdue_at=None)
    with transaction.atomic():
        current = Item.objects.select_for_update().get(pk=item.pk)
        if current.status not in move.sources:
            raise Conflict(f"事项当前为「{STATUS_LABELS[current.status]}」，不能{move.label}",
                           f"The item is '{current.status}': this action is not possible", code="state_conflict",
                           details={"current_state": current.status})
        compare_and_set(Item, item.pk, from_states=move.sources, to_state=to_state, labels=STATUS_LABELS, **fields)
        events.record(actor, f"item.{verb}", item, from_state=current.status, to_state=to_state,
                      payload={"reason": reason, **({"deadline": deadline.isoformat()} if verb == "extend" else {})})
        if verb in ("send_back", "reopen", "verify", "extend"):
            notifications.notify(_owner_users(current), verb=f"rectification.{verb}",
                                 title=f"整改事项{move.label}：{current.title}", body=reason, url=_url(current),
                                 obj=current)
        if verb == "submit":
            notifications.notify(_above_users(current), verb="rectification.submit",
                                 title=f"整改事项待验收：{current.title}", url=_url(current), obj=current)
    item.refresh_from_db()
    return item


def measures_set(*, actor, item: Item, measures: str) -> Item:
    if not can_rectify(actor, item):
        raise NotPermitted("只有责任单位或责任人可以填写整改措施", "Only the owner records the measures")
    measures = _text(measures, "measures", "请填写整改措施", "Enter the measures", 5000)
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        if item.status == Status.CLOSED:
            raise Conflict("已销号的事项不能修改", "A closed item cannot change", code="state_conflict",
                           details={"current_state": item.status})
        item.measures = measures
        item.save(update_fields=["measures", "updated_at"])
        events.record(actor, "item.measures", item)
    return item


def milestone_add(*, actor, item: Item, title: str, due_on: dt.date) -> Milestone:
    if not (can_rectify(actor, item) or can_supervise(actor, item)):
        raise NotPermitted("无权为该事项添加节点", "You may not add milestones to this item")
    title = _text(title, "title", "请填写节点", "Enter the milestone", 200)
    if not isinstance(due_on, dt.date) or due_on < item.raised_on:
        raise ValidationFailed("节点日期须在发现日期之后", "The milestone must follow the day raised", field="due_on")
    with transaction.atomic():
        if item.status == Status.CLOSED:
            raise Conflict("已销号的事项不能修改", "A closed item cannot change", code="state_conflict",
                           details={"current_state": item.status})
        milestone = Milestone.objects.create(item=item, title=title, due_on=due_on)
        if not item.long_term:
            Item.objects.filter(pk=item.pk).update(long_term=True)
        events.record(actor, "milestone.create", milestone, payload={"item": item.pk, "due_on": due_on.isoformat()})
    return milestone


def milestone_done(*, actor, milestone: Milestone, done_on: dt.date | None = None) -> Milestone:
    if not can_rectify(actor, milestone.item):
        raise NotPermitted("只有责任单位或责任人可以完成节点", "Only the owner completes a milestone")
    done_on = done_on or clock.today()
    with transaction.atomic():
        updated = Milestone.objects.filter(pk=milestone.pk, done_on__isnull=True).update(done_on=done_on)
        if not updated:
            raise Conflict("该节点已完成", "This milestone is done", code="state_conflict")
        events.record(actor, "milestone.done", milestone, payload={"done_on": done_on.isoformat()})
    milestone.refresh_from_db()
    return milestone


def evidence_add(*, actor, item: Item, upload):
    if not can_rectify(actor, item):
        raise NotPermitted("只有责任单位或责任人可以上传整改材料", "Only the owner attaches evidence")
    if item.status == Status.CLOSED:
        raise Conflict("已销号的事项不能修改", "A closed item cannot change", code="state_conflict",
                       details={"current_state": item.status})
    return attachments.attachment_create(actor=actor, upload=upload, obj=item)


# --- the overdue sweep --------------------------------------------------------------------------------------------
def mark_overdue(*, on: dt.date | None = None) -> int:
    """Move every item past its deadline to overdue, once, and remind its owner and the one above (the system)."""
    moved = 0
    for item in selectors.due_for_overdue(on).select_related("owner", "region"):
        with transaction.atomic():
            try:
                compare_and_set(Item, item.pk, from_states=TRANSITIONS["mark_overdue"].sources,
                                to_state=Status.OVERDUE, labels=STATUS_LABELS, overdue_at=clock.now())
            except Conflict:
                continue  # moved by someone else meanwhile
            events.record(None, "item.mark_overdue", item, from_state=item.status, to_state=Status.OVERDUE,
                          payload={"deadline": item.deadline.isoformat()})
            notifications.notify([*_owner_users(item), *_above_users(item)], verb="rectification.overdue",
                                 title=f"整改事项已逾期：{item.title}",
                                 body=f"责任单位：{item.owner.name}；整改时限 {item.deadline:%Y-%m-%d}", url=_url(item),
                                 obj=item)
            moved += 1
    return moved


# --- export -------------------------------------------------------------------------------------------------------
EXPORT_COLUMNS = ("编号", "问题", "来源", "责任单位", "责任人", "发现日期", "整改时限", "状态", "整改措施", "销号时间",
                  "关联事件编号")


def ledger_export(*, actor, filters: selectors.Filters | None = None) -> bytes:
    """The ledger the actor sees, with the list's filters, as Excel (the one place this app calls the exporter)."""
    rows = [(i.pk, i.title, i.get_source_display(), i.owner.name, i.responsible.name if i.responsible_id else "",
             i.raised_on, i.deadline, i.get_status_display(), i.measures, i.closed_at, i.case_id)
            for i in selectors.items(actor=actor, filters=filters)]
    events.record(actor, "item.export", None, object_type="rectification.item", payload={"rows": len(rows)})
    return export_xlsx(EXPORT_COLUMNS, rows, sheet_title="整改台账")


def can_see_actions(actor, item: Item) -> dict:
    """Which moves the page offers the actor (the services still decide)."""
    rectify, supervise = can_rectify(actor, item), can_supervise(actor, item)
    out = {}
    for verb, move in TRANSITIONS.items():
        if item.status in move.sources and ((SIDE.get(verb) == OWNER and rectify)
                                            or (SIDE.get(verb) == SUPERVISOR and supervise)):
            out[verb] = move.label
    return out

