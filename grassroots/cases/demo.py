"""A year of synthetic case history for the demo zone (``grassroots.demo`` calls ``build(ctx)``).

The cases are written in bulk, but every case follows the transition table step by step (each move's new state is
the row's of ``states.TRANSITIONS``, and a move the table does not have stops the build), with the deadlines the
core's policy gives (``policy.limit`` + ``core.workdays.deadline``, the same as ``policy.due``) and one event per
move written the way the services write them (object ``cases.case``, verb ``case.<verb>``, from/to state, actor,
payload). Late steps are handled the way the sweep handles them: below the zone tier an overdue dispatch,
acknowledgement or handling escalates the case to the next tier flagged 督办 (actor none, ``by: sweep``); an overdue
acceptance or verification, or anything late at the zone tier, is flagged 督办. The walk stops at ``ctx.now``, so the last weeks
leave open cases in every state, their running deadline in ``next_due`` as the services leave it.

Mix: grid patrol 42 %, residents (信息直通车) 20 %, hotline 14 %, 12345 work orders 6 %, enterprises (有呼必应)
6 %, staff entries 9 %, inspections 3 %; about 5 % rejected, a third of eligible patrol finds resolved on the
spot, one in five dispatches with a co-handler, about 8 % reworked after a failed verification, a few reopened after an
unsatisfied rating. Every closed case with someone to call back is rated: by the reporter with an account, most of
the time, else by the hotline's callback (回访) a day or two after closure, so the callback queue holds only the last
days' cases (``permissions.has_someone_to_call_back``). How a case comes out — late acknowledgement or handling, a
satisfied or unsatisfied rating — follows propensities drawn per unit (lead unit, community, grid) from one
distribution (``QUALITY_BETA``), not figures typed in per unit: rankings spread from A to C as real ones do.
Size: ``full`` about 50,000 cases, ``small`` about 500.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections import defaultdict

from django.db import connection
from django.utils import timezone

from grassroots.core import workdays
from grassroots.core.roles import Role
from grassroots.people.models import Organization, Post

from . import permissions, policy
from .demo_writer import Writer
from .models import Assignment, Case, CaseCounter, Category, Rating
from .services import TRACKING_ALPHABET, TRACKING_LENGTH
from .states import (
    TRANSITIONS,
    AssignmentRole,
    AssignmentStatus,
    Channel,
    RatingSource,
    Satisfaction,
    Stage,
    Status,
    Tier,
    next_tier,
    tier_rank,
)

SIZES = {"small": 500, "full": 50_000}
RESET_MODELS = ("cases.CaseCounter",)  # refers to no core table; --reset clears it with the cases
DAYS = 365
CHANNEL_MIX = [(Channel.GRID_PATROL, 42), (Channel.RESIDENT, 20), (Channel.HOTLINE, 14),
               (Channel.IMPORT_12345, 6), (Channel.ENTERPRISE, 6), (Channel.STAFF, 9), (Channel.INSPECTION, 3)]
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 13, 11, 8, 9, 12, 13, 12, 10, 8, 6, 5, 3, 2, 1]
TITLES = ["{place}{cat}", "{place}发现{cat}问题", "反映{place}{cat}", "{cat}，请尽快处理", "{place}附近{cat}"]
DESCRIPTIONS = ["已持续多日，影响居民出行。", "附近居民多次反映，希望尽快处理。", "现场已拍照，请相关单位核实。",
                "夜间尤为明显，影响休息。", "存在安全隐患，请尽快处置。", "", ""]
RESULTS = ["已到现场处置完毕。", "已协调责任单位整改到位。", "已清理并加强巡查。", "已维修恢复正常。",
           "已约谈当事人并完成整改。"]
REJECT_REASONS = ["不属于受理范围", "信息不全，无法核实", "重复反映，已合并办理", "已由其他渠道办理"]
FAIL_REASONS = ["现场复核未整改到位", "群众反映问题仍存在", "处置照片与现场不符"]
SATISFACTION = [(Satisfaction.SATISFIED, 85), (Satisfaction.BASICALLY, 15)]  # of the cases that came out well
QUALITY_BETA = (5.5, 1.5)  # units' propensities: mean 0.79, a long tail of weaker units
CALLBACK_DELAY_HOURS = (20, 60)  # the hotline calls back a day or two after closure
HOURS = list(enumerate(HOUR_WEIGHTS))
SWEEP_LAG = dt.timedelta(minutes=5)  # the sweep runs every few minutes


_CUMULATIVE: dict = {}


def _weighted(rng, pairs):
    key = id(pairs)
    table = _CUMULATIVE.get(key)
    if table is None or table[0] is not pairs:
        values = [v for v, _ in pairs]
        cumulative = list(itertools.accumulate(w for _, w in pairs))
        table = _CUMULATIVE[key] = (pairs, values, cumulative)
    _, values, cumulative = table
    return values[bisect.bisect_left(cumulative, rng.random() * cumulative[-1])]


class _Clock:
    """Deadlines as ``policy.due`` computes them (``policy.limit`` + the ``workdays.deadline`` rules), memoised:
    minutes and hours are wall clock; a working-day deadline depends on the local start day only."""

    def __init__(self):
        self.limits: dict = {}
        self.workday_ends: dict = {}
        self.tz = timezone.get_current_timezone()

    def due(self, category, tier: str, stage: str, start: dt.datetime) -> dt.datetime:
        key = (category.pk, tier, stage)
        limit = self.limits.get(key)
        if limit is None:
            limit = self.limits[key] = policy.limit(category, tier, stage)
        amount, unit = limit
        if unit == "minutes":
            return start + dt.timedelta(minutes=amount)
        if unit == "hours":
            return start + dt.timedelta(hours=amount)
        local = start.astimezone(self.tz)
        day = local.date() - dt.timedelta(days=local.time() == dt.time.min)  # workdays.day_of: 00:00 is 24:00
        end = self.workday_ends.get((day, amount))
        if end is None:
            end = self.workday_ends[(day, amount)] = workdays.deadline(start, amount, unit)
        return end


class _Walk:
    """One case's life, move by move, stopping at ``now``."""

    def __init__(self, gen, *, category, channel, grid, reported_at, reporter_id, reporter_label):
        self.g = gen
        self.category = category
        self.channel = channel
        self.grid = grid
        self.now = gen.now
        self.events: list[tuple] = []  # (at, actor_id, actor_label, verb, from, to, payload)
        self.assignments: list[dict] = []
        self.ratings: list[dict] = []
        self.f = {
            "status": Status.REPORTED, "tier": category.default_tier, "reported_at": reported_at,
            "supervision": False, "supervision_reason": "", "supervised_at": None, "rework_count": 0,
            "reopen_count": 0, "escalation_count": 0, "dispatch_round": 0, "rating_round": 1,
            "resolved_on_site": False, "reached_above_community": tier_rank(category.default_tier) >= 2,
            "accept_due": None, "dispatch_due": None, "acknowledge_due": None, "handle_due": None,
            "verify_due": None, "next_due": None, "accepted_at": None, "rejected_at": None, "dispatched_at": None,
            "acknowledged_at": None, "first_handled_at": None, "handled_at": None, "verified_at": None,
            "closed_at": None, "escalated_at": None, "rejection_reason": "",
        }
        self.stopped = False
        self.reporter_id = reporter_id
        self.reporter_label = reporter_label
        self.callable = channel in (Channel.HOTLINE, Channel.IMPORT_12345)  # set by the caller for others

    # -- helpers ------------------------------------------------------------------------------------------------
    def due(self, stage, start):
        return self.g.clock.due(self.category, self.f["tier"], stage, start)

    def emit(self, at, actor, verb, payload=None, *, to=None):
        """Record the table's move ``verb`` at ``at`` (``to``: one of the row's alternatives) unless that is after
        now (then the walk stops and nothing more happens)."""
        if self.stopped or at > self.now:
            self.stopped = True
            return False
        move = TRANSITIONS[verb]
        if move.sources:
            before = self.f["status"]
            self.f["status"] = move.target_for(before, to)
        else:  # intake creates the case
            before, self.f["status"] = "", move.target
        actor_id, label = actor if actor else (None, "anonymous")
        self.events.append((at, actor_id, label, verb, before, self.f["status"], payload or {}))
        return True

    def duration(self, start, due, late_share):
        """When a step started at ``start`` is done: mostly well within the limit, sometimes late."""
        span = max((due - start).total_seconds(), 60.0)
        rng = self.g.rng
        if rng.random() < late_share:
            factor = rng.uniform(1.05, 2.5)
        else:
            factor = 0.02 + 0.94 * rng.random() ** 1.7
        return start + dt.timedelta(seconds=max(60.0, span * factor))

    def breach(self, due, stage, done):
        """The sweep's move when ``due`` passed before the step was done; True when the case was escalated."""
        at = due + SWEEP_LAG
        if done <= at:  # done before the sweep came round
            return False
        status = self.f["status"]
        if status in (Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS) and self.f["tier"] != Tier.ZONE:
            return self.escalate(at, None, by_sweep=True, stage=stage)
        if self.f["supervision"]:
            return False
        reason = f"{Stage(stage).label}超时"
        if self.emit(at, None, "supervise", payload={"reason": reason, "by": "sweep", "breached_stage": stage}):
            self.f.update(supervision=True, supervised_at=at, supervision_reason=reason, next_due=None)
        return False

    def end_assignments(self, at, reason, lead_status=AssignmentStatus.ENDED):
        for a in self.assignments:
            if a["active"]:
                a.update(active=False, ended_at=at, end_reason=reason,
                         status=lead_status if a["role"] == AssignmentRole.LEAD else AssignmentStatus.ENDED)

    def escalate(self, at, actor, *, by_sweep, stage="", reason=""):
        target = next_tier(self.f["tier"])
        from_tier = self.f["tier"]
        if target is None:
            return False
        payload = {"from_tier": from_tier, "to_tier": target, "reason": reason, "by": "sweep" if by_sweep else "hand",
                   "breached_stage": stage, "supervision": by_sweep}
        if not self.emit(at, actor, "escalate", payload):
            return False
        self.end_assignments(at, "escalated")
        self.f["tier"] = target
        dispatch_due = self.due(Stage.DISPATCH, at)
        self.f.update(escalated_at=at, escalation_count=self.f["escalation_count"] + 1,
                      reached_above_community=self.f["reached_above_community"] or tier_rank(target) >= 2,
                      dispatch_due=dispatch_due, next_due=dispatch_due)
        if by_sweep:
            self.f.update(supervision=True, supervised_at=at, supervision_reason=f"{Stage(stage).label}超时")
        return True

    # -- the life ---------------------------------------------------------------------------------------------
    def run(self):
        result = self.life()
        # A sweep flag (督办, no state change) is written when the deadline passes; steps of units that do not
        # move the case (a co-handler's part) may come before it. Keep the events in time order.
        self.events.sort(key=lambda e: e[0])
        return result

    def life(self):
        g, rng, f = self.g, self.g.rng, self.f
        t = f["reported_at"]
        f["accept_due"] = f["next_due"] = self.due(Stage.ACCEPT, t)
        self.emit(t, getattr(self, "filer", None), "report", {
            "channel": self.channel, "category": self.category.code, "tier": f["tier"], "reference": "",
            "attachments": []})
        staff = g.staff_of(self.grid)
        # 小事不出网格: the reporting grid worker fixes it on the spot
        if (self.channel == Channel.GRID_PATROL and self.category.on_site_allowed and rng.random() < 0.35):
            t = t + dt.timedelta(minutes=rng.randint(5, 90))
            verify_due = self.due(Stage.VERIFY, t)
            if self.emit(t, (self.reporter_id, self.reporter_label), "resolve_on_site",
                         {"note": "已现场处置", "evidence": []}):
                f.update(resolved_on_site=True, accepted_at=t, handled_at=t, first_handled_at=t,
                         verify_due=verify_due, next_due=verify_due)
                return self.verify(t, staff)
            return None
        # accept or reject
        done = self.duration(t, f["accept_due"], 0.06)
        self.breach(f["accept_due"], Stage.ACCEPT, done)
        if rng.random() < 0.05:
            reason = rng.choice(REJECT_REASONS)
            if self.emit(done, staff, "reject", {"reason": reason}):
                f.update(rejected_at=done, rejection_reason=reason, next_due=None)
            return None
        tier = f["tier"]
        if self.category.default_tier == Tier.GRID and rng.random() < 0.3:
            tier = Tier.COMMUNITY
        dispatch_due = self.g.clock.due(self.category, tier, Stage.DISPATCH, done)
        if not self.emit(done, staff, "accept", {"tier": tier, "category": self.category.code}):
            return None
        f.update(tier=tier, accepted_at=done, dispatch_due=dispatch_due, next_due=dispatch_due,
                 reached_above_community=f["reached_above_community"] or tier_rank(tier) >= 2)
        t = done
        # 呼叫上级 by hand now and then
        if f["tier"] in (Tier.GRID, Tier.COMMUNITY) and rng.random() < 0.06:
            t = t + dt.timedelta(minutes=rng.randint(20, 240))
            if not self.escalate(t, staff, by_sweep=False, reason="超出社区处置能力"):
                return None
        return self.dispatch_loop(t)

    def dispatch_loop(self, t):
        g, rng, f = self.g, self.g.rng, self.f
        for _ in range(6):  # dispatch → acknowledge → handle; an escalation starts over at the next tier
            if self.stopped:
                return None
            done = self.duration(t, f["dispatch_due"], 0.04)
            if self.breach(f["dispatch_due"], Stage.DISPATCH, done):
                t = f["escalated_at"]
                continue
            if self.stopped:
                return None
            lead = g.lead_for(self.category, self.grid, f["tier"])
            co = g.co_handler(lead) if rng.random() < 0.2 else None
            dispatcher = g.dispatcher(self.grid, f["tier"])
            round_ = f["dispatch_round"] + 1
            ack_due = self.due(Stage.ACKNOWLEDGE, done)
            payload = {"round": round_, "whistle": False, "lead": lead.pk, "lead_name": lead.name,
                       "co_handlers": [co.pk] if co else [], "co_handler_names": [co.name] if co else [],
                       "acknowledge_due": ack_due.isoformat()}
            if not self.emit(done, dispatcher, "dispatch", payload):
                return None
            f.update(dispatch_round=round_, dispatched_at=done, acknowledge_due=ack_due, next_due=ack_due)
            units = [(lead, AssignmentRole.LEAD)] + ([(co, AssignmentRole.CO)] if co else [])
            mine = []
            for org, role in units:
                a = {"organization_id": org.pk, "role": role, "round": round_, "tier": f["tier"],
                     "status": AssignmentStatus.DISPATCHED, "active": True,
                     "dispatched_by_id": dispatcher[0] if dispatcher else None,
                     "dispatched_at": done, "acknowledge_due": ack_due, "acknowledged_at": None,
                     "acknowledged_by_id": None, "handler_id": None, "part_done_at": None, "handled_at": None,
                     "ended_at": None, "end_reason": "", "org": org}
                self.assignments.append(a)
                mine.append(a)
            result = self.handling(done, mine)
            if result == "escalated":
                t = f["escalated_at"]
                continue
            return result
        return None

    def handling(self, t, mine):
        g, rng, f = self.g, self.g.rng, self.f
        lead = mine[0]
        # the co-handler acknowledges on its own clock; the lead's acknowledgement starts the handling
        weakness = 1.0 - g.quality("unit", lead["organization_id"])
        ack_lead = self.duration(t, f["acknowledge_due"], 0.01 + 0.3 * weakness)
        if self.breach(f["acknowledge_due"], Stage.ACKNOWLEDGE, ack_lead):
            return "escalated"
        for a in mine[1:]:  # co-handlers acknowledge around the lead's time
            a["_ack_at"] = max(t + dt.timedelta(minutes=1), ack_lead + dt.timedelta(minutes=rng.uniform(-40, 30)))
        handler = g.handler_of(lead["org"])
        # events in time order: co acknowledgements before the lead's are written first
        for a in sorted(mine[1:], key=lambda x: x["_ack_at"]):
            if a["_ack_at"] < ack_lead:
                self.acknowledge(a, a["_ack_at"])
        if not self.acknowledge(lead, ack_lead, handler):
            return None
        for a in mine[1:]:
            if a["_ack_at"] >= ack_lead:
                self.acknowledge(a, a["_ack_at"])
        t = ack_lead
        while not self.stopped:
            start = t
            done = self.duration(start, f["handle_due"], 0.02 + 0.35 * weakness)
            parts = {}
            for a in mine[1:]:
                if a["status"] == AssignmentStatus.ACKNOWLEDGED:
                    parts[id(a)] = max(a["acknowledged_at"], start) + (done - start) * rng.uniform(0.3, 0.9)
                    done = max(done, parts[id(a)] + dt.timedelta(minutes=10))
            if self.breach(f["handle_due"], Stage.HANDLE, done):
                return "escalated"
            for a in sorted(mine[1:], key=lambda x: parts.get(id(x), start)):
                if id(a) in parts:
                    at = parts[id(a)]
                    if not self.emit(at, g.handler_of(a["org"]), "part_done",
                                     {"assignment": None, "unit": a["organization_id"], "unit_name": a["org"].name,
                                      "note": "协办事项已完成"}):
                        return None
                    a.update(status=AssignmentStatus.PART_DONE, part_done_at=at)
            if any(a["status"] != AssignmentStatus.PART_DONE for a in mine[1:]):
                return None
            verify_due = self.due(Stage.VERIFY, done)
            if not self.emit(done, handler, "handle",
                             {"result": rng.choice(RESULTS), "evidence": [], "unit": lead["organization_id"],
                              "on_time": done <= f["handle_due"], "rework": f["rework_count"]}):
                return None
            f.update(handled_at=done, first_handled_at=f["first_handled_at"] or done, verify_due=verify_due,
                     next_due=verify_due)
            lead.update(status=AssignmentStatus.HANDLED, handled_at=done)
            outcome = self.verify(done, g.staff_of(self.grid), mine)
            if outcome != "rework":
                return outcome
            t = f["verified_at"]
        return None

    def acknowledge(self, a, at, handler=None):
        f = self.f
        handler = handler or self.g.handler_of(a["org"])
        lead = a["role"] == AssignmentRole.LEAD
        to_state = Status.IN_PROGRESS if lead else None
        payload = {"assignment": None, "role": a["role"], "unit": a["organization_id"], "unit_name": a["org"].name,
                   "on_time": at <= a["acknowledge_due"]}
        if not self.emit(at, handler, "acknowledge", payload, to=to_state):
            return False
        a.update(status=AssignmentStatus.ACKNOWLEDGED, acknowledged_at=at,
                 acknowledged_by_id=handler[0] if handler else None, handler_id=handler[0] if handler else None)
        if lead:
            handle_due = self.due(Stage.HANDLE, at)
            f.update(acknowledged_at=at, handle_due=handle_due, next_due=handle_due)
        return True

    def verify(self, t, staff, mine=()):
        rng, f = self.g.rng, self.f
        verifier = staff
        if self.channel == Channel.GRID_PATROL and not f["resolved_on_site"]:
            verifier = (self.reporter_id, self.reporter_label)
        done = self.duration(t, f["verify_due"], 0.04)
        self.breach(f["verify_due"], Stage.VERIFY, done)
        if mine and rng.random() < 0.08 and f["rework_count"] < 2:
            reason = rng.choice(FAIL_REASONS)
            handle_due = self.due(Stage.HANDLE, done)
            if not self.emit(done, verifier, "verify_fail",
                             {"reason": reason, "rework_count": f["rework_count"] + 1}):
                return None
            f.update(verified_at=done, rework_count=f["rework_count"] + 1, handle_due=handle_due,
                     next_due=handle_due)
            mine[0].update(status=AssignmentStatus.ACKNOWLEDGED, handled_at=None)
            return "rework"
        if not self.emit(done, verifier, "verify_pass", {"note": ""}):
            return None
        f.update(verified_at=done, closed_at=done, next_due=None)
        self.end_assignments(done, "closed", lead_status=AssignmentStatus.HANDLED)
        return self.rate(done, mine)

    def rate(self, t, mine):
        """The rating of a closed case. Whoever reported with an account rates it themselves, most of the time, within
        three days; everyone else the hotline has a number for (callers, named residents, enterprises) is called back
        (回访) a day or two after closure, so only cases closed in the last days wait in the callback queue. Cases
        found by staff have nobody to call back; an anonymous resident may rate by tracking code."""
        g, rng, f = self.g, self.g.rng, self.f
        if self.channel not in (Channel.HOTLINE, Channel.IMPORT_12345, Channel.RESIDENT, Channel.ENTERPRISE):
            return "closed"
        if self.reporter_id and self.channel != Channel.HOTLINE and rng.random() < 0.7:
            source, actor = RatingSource.REPORTER, (self.reporter_id, self.reporter_label)
            at = t + dt.timedelta(hours=rng.uniform(2, 72))
        elif self.callable:
            source, actor = RatingSource.CALLBACK, g.hotline
            at = t + dt.timedelta(hours=rng.uniform(*CALLBACK_DELAY_HOURS))
        elif rng.random() < 0.5:
            source, actor = RatingSource.TRACKING_CODE, None
            at = t + dt.timedelta(hours=rng.uniform(2, 72))
        else:
            return "closed"
        if rng.random() < g.service(mine[0]["organization_id"] if mine else None, self.grid):
            satisfaction = _weighted(rng, SATISFACTION)
            resolved = rng.random() < 0.97
        else:  # it did not come out well
            satisfaction = Satisfaction.UNSATISFIED if rng.random() < 0.85 else Satisfaction.BASICALLY
            resolved = rng.random() < 0.25
        if not self.emit(at, actor, "rate", {"resolved": resolved, "satisfaction": satisfaction,
                                             "source": source, "round": f["rating_round"]}):
            return "closed"
        rating = {"round": f["rating_round"], "resolved": resolved, "satisfaction": satisfaction,
                  "source": source, "rated_by_id": actor[0] if actor else None, "rated_at": at,
                  "reopen_decision": "", "reopen_decided_by_id": None, "reopen_decided_at": None,
                  "reopen_reason": ""}
        self.ratings.append(rating)
        unsatisfied = satisfaction == Satisfaction.UNSATISFIED or not resolved
        if not unsatisfied or not mine:
            return "closed"
        staff = g.staff_of(self.grid)
        at2 = at + dt.timedelta(hours=rng.uniform(1, 48))
        if rng.random() < 0.5 and f["reopen_count"] == 0:
            handle_due = self.due(Stage.HANDLE, at2)
            if not self.emit(at2, staff, "reopen", {"reason": "群众不满意，重新办理", "rating": None}):
                return "closed"
            rating.update(reopen_decision="confirmed", reopen_decided_by_id=staff[0] if staff else None, reopen_decided_at=at2,
                          reopen_reason="群众不满意，重新办理")
            f.update(closed_at=None, rating_round=f["rating_round"] + 1, reopen_count=f["reopen_count"] + 1,
                     handle_due=handle_due, next_due=handle_due)
            lead = mine[0]
            lead.update(active=True, ended_at=None, end_reason="", status=AssignmentStatus.ACKNOWLEDGED,
                        handled_at=None)
            return self.rework_after_reopen(at2, mine)
        if self.emit(at2, staff, "decline_reopen", {"reason": "已按政策答复", "rating": None}):
            rating.update(reopen_decision="declined", reopen_decided_by_id=staff[0] if staff else None, reopen_decided_at=at2,
                          reopen_reason="已按政策答复")
        return "closed"

    def rework_after_reopen(self, t, mine):
        g, rng, f = self.g, self.g.rng, self.f
        lead = mine[0]
        handler = g.handler_of(lead["org"])
        done = self.duration(t, f["handle_due"], 0.05)
        if self.breach(f["handle_due"], Stage.HANDLE, done):
            return "escalated"
        verify_due = self.due(Stage.VERIFY, done)
        if not self.emit(done, handler, "handle",
                         {"result": rng.choice(RESULTS), "evidence": [], "unit": lead["organization_id"],
                          "on_time": done <= f["handle_due"], "rework": f["rework_count"]}):
            return None
        f.update(handled_at=done, verify_due=verify_due, next_due=verify_due)
        lead.update(status=AssignmentStatus.HANDLED, handled_at=done)
        staff = g.staff_of(self.grid)
        done2 = self.duration(done, verify_due, 0.03)
        verifier = (self.reporter_id, self.reporter_label) if self.channel == Channel.GRID_PATROL else staff
        if self.emit(done2, verifier, "verify_pass", {"note": ""}):
            f.update(verified_at=done2, closed_at=done2, next_due=None)
            self.end_assignments(done2, "closed", lead_status=AssignmentStatus.HANDLED)
            return self.rate(done2, mine)  # the new round is rated too (a second reopen is declined)
        return "closed"


class _Generator:
    def __init__(self, ctx):
        self.ctx = ctx
        self.rng = ctx.rng
        self.now = ctx.now
        self.clock = _Clock()
        posts = list(Post.objects.filter(end_date__isnull=True).values_list(
            "role", "region_id", "organization_id", "user_id", "user__username").order_by("id"))
        self.by_region: dict = defaultdict(dict)
        self.by_org: dict = {}
        self.first: dict = {}
        for role, region_id, org_id, user_id, username in posts:
            self.first.setdefault(role, (user_id, username))
            if region_id:
                self.by_region[region_id].setdefault(role, (user_id, username))
            if org_id and role == Role.DEPARTMENT_HANDLER:
                self.by_org.setdefault(org_id, (user_id, username))
        self.hotline = self.first.get(Role.HOTLINE_OPERATOR)
        self.zone_leader = self.first.get(Role.ZONE_LEADER)
        self.departments = list(Organization.objects.filter(kind=Organization.Kind.DEPARTMENT, active=True)
                                .order_by("id"))
        self.committees = {o.region_id: o for o in Organization.objects.filter(
            kind__in=[Organization.Kind.RESIDENTS_COMMITTEE, Organization.Kind.VILLAGE_COMMITTEE], active=True)}
        self.offices = {o.region_id: o for o in Organization.objects.filter(
            kind=Organization.Kind.SUBDISTRICT_OFFICE, active=True)}
        self.dept_by_id = {o.pk: o for o in self.departments}
        self.parent = {}  # region id -> parent region (grid -> area -> subdistrict)
        self.qualities: dict = {}
        self.quality_rng = random.Random(ctx.rng.random())  # its own stream: drawing a unit's does not shift the rest

    def quality(self, kind: str, key) -> float:
        """A unit's propensity to serve well (0–1), drawn once per unit (a lead unit, a community, a grid) from
        ``QUALITY_BETA``: most units do well, a few clearly less so. Nothing is typed in per unit."""
        found = self.qualities.get((kind, key))
        if found is None:
            found = self.qualities[(kind, key)] = self.quality_rng.betavariate(*QUALITY_BETA)
        return found

    def service(self, lead_org_id, grid) -> float:
        """How likely a case comes out well: the lead unit's, the community's and the grid's propensities."""
        lead = self.quality("unit", lead_org_id) if lead_org_id else self.quality("grid", grid.pk)
        return 0.5 * lead + 0.35 * self.quality("area", grid.parent_id) + 0.15 * self.quality("grid", grid.pk)

    def area_of(self, grid):
        return grid.parent

    def subdistrict_of(self, grid):
        area = grid.parent
        return area.parent if area is not None and area.level != "subdistrict" else area

    def staff_of(self, grid):
        area = grid.parent
        return (self.by_region.get(area.pk, {}).get(Role.COMMUNITY_STAFF)
                or self.by_region.get(area.pk, {}).get(Role.COMMUNITY_SECRETARY) or self.first.get(Role.COMMUNITY_STAFF))

    def dispatcher(self, grid, tier):
        if tier in (Tier.GRID, Tier.COMMUNITY):
            return self.staff_of(grid)
        if tier == Tier.SUBDISTRICT:
            sub = self.subdistrict_of(grid)
            return (self.by_region.get(sub.pk, {}).get(Role.SUBDISTRICT_OFFICER) if sub else None) or self.first.get(
                Role.SUBDISTRICT_OFFICER)
        return self.hotline or self.zone_leader

    def lead_for(self, category, grid, tier):
        if tier in (Tier.GRID, Tier.COMMUNITY):
            committee = self.committees.get(grid.parent_id)
            if committee is not None and (category.default_department_id is None or self.rng.random() < 0.5):
                return committee
        if tier == Tier.SUBDISTRICT and self.rng.random() < 0.3:
            sub = self.subdistrict_of(grid)
            office = self.offices.get(sub.pk) if sub else None
            if office is not None:
                return office
        dept = self.dept_by_id.get(category.default_department_id)
        return dept or self.rng.choice(self.departments)

    def co_handler(self, lead):
        options = [d for d in self.departments if d.pk != lead.pk]
        return self.rng.choice(options) if options else None

    def handler_of(self, org):
        """A handler of the unit: its department handler, or the staff / officer acting for a committee or office."""
        found = self.by_org.get(org.pk)
        if found is None and org.region_id:
            roles = self.by_region.get(org.region_id, {})
            found = roles.get(Role.COMMUNITY_STAFF) or roles.get(Role.SUBDISTRICT_OFFICER)
        return found


def _ensure_categories():
    if Category.objects.exists():
        return
    from .data import catalog

    catalog.load(actor=None, doc=catalog.read())


def _point_in(rng, grid, shapes):
    import shapely

    polygon, (x0, y0, x1, y1), (cx, cy) = shapes[grid.pk]
    for _ in range(4):
        x = cx + (rng.random() - 0.5) * (x1 - x0) * 0.7
        y = cy + (rng.random() - 0.5) * (y1 - y0) * 0.7
        if shapely.contains_xy(polygon, x, y):
            return round(x, 6), round(y, 6)
    return round(cx, 6), round(cy, 6)


def _grid_shapes(grids):
    from shapely.geometry import shape

    out = {}
    for grid in grids:
        if grid.geometry:
            poly = shape(grid.geometry)
            p = poly.representative_point()
            out[grid.pk] = (poly, poly.bounds, (p.x, p.y))
        elif grid.lon is not None:
            import shapely

            out[grid.pk] = (shapely.box(grid.lon - 0.001, grid.lat - 0.001, grid.lon + 0.001, grid.lat + 0.001),
                            (grid.lon - 0.001, grid.lat - 0.001, grid.lon + 0.001, grid.lat + 0.001),
                            (grid.lon, grid.lat))
    return out


def build(ctx) -> None:
    """Write the history (see the module docstring). The cyclic garbage collector is paused meanwhile: the build
    holds hundreds of thousands of small tuples and dicts, which would make every collection walk them all."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    sqlite = connection.vendor == "sqlite"
    if sqlite:  # a larger page cache for this connection while the big tables and their indexes grow
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            cache_size = cursor.fetchone()[0]
            cursor.execute("PRAGMA cache_size = -262144")
    try:
        _build(ctx)
    finally:
        if enabled:
            gc.enable()
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")


def _build(ctx) -> None:
    rng = ctx.rng
    count = SIZES.get(ctx.size, SIZES["small"])
    _ensure_categories()
    leaf_ids = set(Category.objects.filter(active=True, children__isnull=True).values_list("pk", flat=True))
    all_categories = list(Category.objects.filter(active=True).order_by("code"))
    categories = [c for c in all_categories if c.pk in leaf_ids]
    enterprise_categories = [c for c in categories if c.code.startswith("S04")] or categories
    emergency = [c for c in categories if c.emergency]
    general = [c for c in categories if not c.emergency and not c.code.startswith("S04")]
    # The usual mix: city-management events and components most, social matters next, emergencies rare.
    weights = [(c, 6 if c.kind == "event" else 4 if c.kind == "component" else 3) for c in general]
    weights += [(c, 0.4) for c in emergency]

    grids = [g for g in ctx.grids if g.geometry or g.lon is not None]
    from grassroots.territory.models import Region

    regions = {r.pk: r for r in Region.objects.filter(level__in=["zone", "subdistrict", "community", "village",
                                                                 "park", "grid"])}
    for r in regions.values():
        if r.parent_id:
            r.parent = regions.get(r.parent_id)
    grids = [regions[g.pk] for g in grids if g.pk in regions]
    park_grids = [g for g in grids if g.grid_kind == "enterprise"]
    home_grids = [g for g in grids if g.grid_kind != "enterprise"] or grids
    shapes = _grid_shapes(grids)
    gen = _Generator(ctx)
    enterprises_by_grid = defaultdict(list)
    for org in ctx.enterprises:
        if org.region_id:
            enterprises_by_grid[org.region_id].append(org)
    enterprise_grids = [g for g in park_grids if enterprises_by_grid.get(g.pk)] or park_grids
    contacts = {}
    for org_id, user_id, username in Post.objects.filter(
            role=Role.ENTERPRISE_CONTACT, end_date__isnull=True).values_list("organization_id", "user_id",
                                                                           "user__username"):
        contacts.setdefault(org_id, (user_id, username))
    residents = {u.person_id: (u.pk, u.username) for u in ctx.users.get(Role.RESIDENT, []) if u.person_id}
    digits = int(policy.setting("public_position_decimals"))

    start = ctx.now - dt.timedelta(days=DAYS)
    tz = timezone.get_current_timezone()
    cases: list[Case] = []
    walks: list[_Walk] = []
    codes: set[str] = set()
    bar = ctx.progress(total=count, desc="cases", unit="case")
    for i in range(count):
        day = start + dt.timedelta(days=DAYS * (i + rng.random()) / count)
        local = timezone.localtime(day, tz)
        hour = _weighted(rng, HOURS)
        reported_at = local.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60), microsecond=0)
        if reported_at > ctx.now:
            reported_at = ctx.now - dt.timedelta(minutes=rng.randint(1, 120))
        channel = _weighted(rng, CHANNEL_MIX)
        if channel == Channel.ENTERPRISE and enterprise_grids:
            grid = rng.choice(enterprise_grids)
            category = rng.choice(enterprise_categories)
        else:
            if channel == Channel.ENTERPRISE:
                channel = Channel.RESIDENT
            grid = rng.choice(home_grids)
            category = _weighted(rng, weights)
        enterprise = None
        reporter_id, reporter_label, reporter_person_id = None, "anonymous", None
        reporter_name = reporter_contact = ""
        anonymous = privacy = hide = False
        filer = None
        external_id = ""
        if channel == Channel.GRID_PATROL:
            worker = ctx.grid_workers.get(grid.pk)
            if worker is None:
                channel = Channel.STAFF
            else:
                reporter_id, reporter_label = worker.pk, worker.username
                filer = (worker.pk, worker.username)
        if channel == Channel.RESIDENT:
            roll = rng.random()
            persons = ctx.person_ids_by_grid.get(grid.pk) or []
            if roll < 0.3:
                anonymous = True
                hide = rng.random() < 0.3
            elif persons:
                reporter_person_id = rng.choice(persons)
                account = residents.get(reporter_person_id)
                if account:
                    reporter_id, reporter_label = account
                    filer = account
            privacy = rng.random() < 0.12
        elif channel in (Channel.HOTLINE, Channel.IMPORT_12345):
            filer = gen.hotline
            reporter_name = ctx.faker.last_name() + rng.choice(["先生", "女士"])
            reporter_contact = f"1{rng.choice('3578')}{rng.randrange(10 ** 9):09d}"
            privacy = rng.random() < 0.15
            if channel == Channel.IMPORT_12345:
                external_id = f"12345-{reported_at:%Y%m%d}-{i:06d}"
        elif channel == Channel.ENTERPRISE:
            enterprise = rng.choice(enterprises_by_grid.get(grid.pk) or ctx.enterprises)
            contact = contacts.get(enterprise.pk)
            if contact:
                reporter_id, reporter_label = contact
                filer = contact
            reporter_name = ctx.faker.name()
        elif channel in (Channel.STAFF, Channel.INSPECTION):
            filer = gen.staff_of(grid) if channel == Channel.STAFF else gen.dispatcher(grid, Tier.SUBDISTRICT)
        lon, lat = _point_in(rng, grid, shapes)
        walk = _Walk(gen, category=category, channel=channel, grid=grid, reported_at=reported_at,
                     reporter_id=reporter_id if channel in (Channel.GRID_PATROL, Channel.RESIDENT,
                                                            Channel.ENTERPRISE) else None,
                     reporter_label=reporter_label)
        walk.filer = filer  # the report event's actor is whoever filed it
        walk.callable = permissions.has_someone_to_call_back(channel=channel, anonymous=anonymous,
                                                             reporter_id=reporter_id,
                                                             reporter_person_id=reporter_person_id)
        walk.run()
        while True:
            code = "".join(rng.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))
            if code not in codes:
                codes.add(code)
                break
        place = rng.choice(ctx.buildings_by_grid.get(grid.pk) or [grid]).name
        f = walk.f
        case = dict(
            f, reference="", channel=channel, category_id=category.pk,
            title=rng.choice(TITLES).format(place=place, cat=category.name)[:200],
            description=rng.choice(DESCRIPTIONS), public_summary="", address=f"{place}附近"[:200],
            lon=lon, lat=lat, public_lon=round(lon, digits), public_lat=round(lat, digits), region_id=grid.pk,
            region_path=grid.path, community_id=grid.parent_id,
            is_public=bool(category.public_allowed and not privacy and channel != Channel.ENTERPRISE),
            reporter_id=walk.reporter_id, reporter_person_id=reporter_person_id, reporter_name=reporter_name,
            reporter_contact=reporter_contact, anonymous=anonymous, privacy_requested=privacy,
            hide_identity_from_staff=anonymous and hide, tracking_code=code,
            enterprise_id=enterprise.pk if enterprise else None, filed_by_id=filer[0] if filer else None,
            external_id=external_id,
        )
        if case["status"] == Status.CLOSED and case["is_public"]:
            case["public_summary"] = f"{category.name}问题已处置完毕"
        cases.append(case)
        walks.append(walk)
        if i % 500 == 0:
            bar.update(min(500, count - i))
    bar.close()

    # references in the order of reporting, per year
    order = sorted(range(len(cases)), key=lambda k: (cases[k]["reported_at"], k))
    serial: dict[int, int] = defaultdict(int)
    tz = timezone.get_current_timezone()
    for k in order:
        year = cases[k]["reported_at"].astimezone(tz).year
        serial[year] += 1
        cases[k]["reference"] = f"{year}-{serial[year]:06d}"
    if Case.objects.exists():
        raise RuntimeError("demo cases need an empty case table")
    CaseCounter.objects.all().delete()
    CaseCounter.objects.bulk_create([CaseCounter(year=y, last=n) for y, n in sorted(serial.items())])
    ordered = [cases[k] for k in order]
    walks = [walks[k] for k in order]
    writer = Writer(ctx.now)
    writer.insert(Case, ordered)

    assignments, ratings = [], []
    for case, walk in zip(ordered, walks, strict=True):
        for a in walk.assignments:
            row = {k: v for k, v in a.items() if k not in ("org", "_ack_at")}
            row["case_id"] = case["id"]
            assignments.append(row)
        for r in walk.ratings:
            ratings.append(dict(r, case_id=case["id"], comment=""))
    writer.insert(Assignment, assignments)
    writer.insert(Rating, ratings)
    n_events = writer.events(ordered, walks)

    ctx.stats["cases"] = len(ordered)
    ctx.stats["case_events"] = n_events
    ctx.stats["case_assignments"] = len(assignments)
    ctx.stats["case_ratings"] = len(ratings)
    ctx.stats["cases_open"] = sum(1 for c in ordered if c["status"] not in (Status.CLOSED, Status.REJECTED))
