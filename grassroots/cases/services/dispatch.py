"""Dispatch to units, escalation to the next tier (by hand, by whistle, by the sweep) and supervision (督办), with the
sweep's bulk moves for many breached cases at once."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Case as SqlCase
from django.db.models import F, TextField, Value, When

from grassroots.core.errors import Conflict, ValidationFailed
from grassroots.core.roles import Role

from .. import permissions, policy
from ..models import Assignment, Case
from ..states import (
    RUNNING_STAGE,
    AssignmentRole,
    AssignmentStatus,
    Stage,
    Status,
    Tier,
    next_tier,
    tier_rank,
)
from .common import (
    _check_state,
    _conflict,
    _denied,
    _end_assignments,
    _load,
    _move,
    _now,
    _organization,
    _record,
    _region_users,
    _reporter_ids,
    _require_text,
    _send,
    _still_breached,
    _unit_users,
    write_batch,
)

# ---------------------------------------------------------------------------------------------------------------
# Dispatch, escalation, supervision


def _create_assignments(actor, c: Case, lead, co_handlers, *, whistle: bool, instructions: str, now) -> dict:
    lead = _organization(lead)
    if lead is None:
        raise ValidationFailed("请选择主办单位", "Choose the lead unit", field="lead")
    co_orgs = []
    for value in co_handlers or ():
        org = _organization(value)
        if org is None:
            continue
        if org.pk == lead.pk:
            raise ValidationFailed(f"协办单位不能与主办单位相同（{lead.name}）",
                                   f"A co-handler cannot be the lead unit itself ({lead.name})",
                                   code="co_handler_is_lead", field="co_handlers")
        if org.pk not in {o.pk for o in co_orgs}:
            co_orgs.append(org)
    round_ = c.dispatch_round + 1
    rows = []
    for org, role in [(lead, AssignmentRole.LEAD)] + [(o, AssignmentRole.CO) for o in co_orgs]:
        due = (policy.whistle_due(now) if whistle
               else policy.due(c.category, c.tier, Stage.ACKNOWLEDGE, now, c.appeal_keys))
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



def _escalation_fields(c: Case, target: str, now, *, supervision_reason: str = "") -> dict:
    fields = dict(tier=target, escalated_at=now, escalation_count=c.escalation_count + 1,
                  reached_above_community=c.reached_above_community or tier_rank(target) >= 2,
                  dispatch_due=policy.due(c.category, target, Stage.DISPATCH, now, c.appeal_keys))
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
            key = (c.category_id, c.tier, c.appeal_keys)
            if key not in dues:
                dues[key] = policy.due(c.category, next_tier(c.tier), Stage.DISPATCH, now, c.appeal_keys)
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
            c.dispatch_due = c.next_due = dues[(c.category_id, from_tier, c.appeal_keys)]
            c.escalation_count += 1
            _record(None, "escalate", c, before, {
                "from_tier": from_tier, "to_tier": target, "reason": reason, "by": "sweep",
                "breached_stage": stage, "supervision": True})
            _send(_region_users(c, permissions.DISPATCHER_ROLES[target]), "escalate", c, "上级事件待派遣（督办）")
            _send(_unit_users([org for _, org in active.get(c.pk, ())]), "escalate", c,
                  "事件已上报上级，本单位任务结束")
            _send(_region_users(c, (Role.ZONE_LEADER,)), "supervise", c, "超时督办", reason)
            done.append(c.pk)
        ended = [pk for case_id in done for pk, _ in active.get(case_id, ())]
        if ended:
            Assignment.objects.filter(pk__in=ended).update(active=False, ended_at=now, end_reason="escalated",
                                                           status=AssignmentStatus.ENDED, updated_at=now)
    return done


def _flag_recipients(c: Case, active_orgs) -> set:
    recipients = set(_region_users(c, (Role.ZONE_LEADER,)))
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


def sweep_flag(*, case) -> Case:
    """One case of ``sweep_flag_many`` (Conflict when it is no longer breached)."""
    pk = getattr(case, "pk", case)
    if not sweep_flag_many([pk]):
        with transaction.atomic():
            c = _load(None, pk, system=True)
            _still_breached(c)
            raise _conflict(c.status)
    return Case.objects.select_related("category").get(pk=pk)


