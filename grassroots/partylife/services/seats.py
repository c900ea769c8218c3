"""The committee of a term (支部委员会 / 党委委员): the members elected to it with their duty. Recorded by the
organisation's secretary or party affairs worker, or by the committee above (who records the term); the current
seats are the roll of a committee meeting (支委会) (docs/rules/party-life.md § Terms)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from grassroots.core import clock, events
from grassroots.core.errors import Conflict, ValidationFailed

from .. import policy
from ..models import CommitteeSeat, Term
from ..states import Duty
from ._common import membership_of, text
from .terms import _may_keep


def _current(term: Term) -> None:
    if term.closed_on is not None:
        raise Conflict("该届期已结束，委员随新一届登记", "This term has ended; record the committee of the new term",
                       code="state_conflict", details={"current_state": "closed"})


def seat_add(*, actor, term: Term, person, duty: str, start: dt.date | None = None) -> CommitteeSeat:
    """A full member of the organisation (or under it) elected to the current term's committee. One seat per
    person, one secretary, at most ``partylife.committee_max_seats`` (7) seats at a time."""
    _may_keep(actor, term.org)
    _current(term)
    if duty not in Duty.values:
        raise ValidationFailed("职务无效", "Invalid duty", field="duty")
    start = start or clock.today()
    if not isinstance(start, dt.date) or start > clock.today() or start < term.start:
        raise ValidationFailed("任职日期须在本届开始之后、不晚于今天", "The seat starts within the term, not in the future",
                               field="start")
    membership = membership_of(person, term.org)
    if membership.status != "full":
        raise ValidationFailed("预备党员不能当选委员", "A probationary member cannot be elected to the committee",
                               field="person", code="not_full_member")
    seats = CommitteeSeat.objects.filter(term=term, ended_on__isnull=True)
    if seats.filter(person=person).exists():
        raise ValidationFailed("该党员已是本届委员", "This member already holds a seat", field="person")
    if duty == Duty.SECRETARY and seats.filter(duty=Duty.SECRETARY).exists():
        raise ValidationFailed("本届已有书记，请先办理原书记离任", "The term has a secretary; end that seat first",
                               field="duty")
    limit = int(policy.get("partylife.committee_max_seats"))
    if seats.count() >= limit:
        raise ValidationFailed(f"委员会至多 {limit} 名委员", f"A committee has at most {limit} members", field="person",
                               code="committee_full")
    try:
        with transaction.atomic():
            seat = CommitteeSeat.objects.create(term=term, person=person, duty=duty, start=start)
            events.record(actor, "committee_seat.add", seat, payload={
                "term": term.pk, "org": term.org_id, "person": person.pk, "duty": duty})
    except IntegrityError:
        raise Conflict("委员名单刚被他人修改，请刷新后重试", "The committee changed meanwhile; reload and try again",
                       code="state_conflict") from None
    return seat


def seat_end(*, actor, seat: CommitteeSeat, reason: str, on: dt.date | None = None) -> CommitteeSeat:
    """A seat ends (resigned, transferred, removed) with its reason; the history stays."""
    _may_keep(actor, seat.term.org)
    reason = text(reason, "reason", "请填写离任原因", "Give the reason", 200)
    on = on or clock.today()
    if on < seat.start or on > clock.today():
        raise ValidationFailed("离任日期无效", "Invalid end date", field="on")
    with transaction.atomic():
        updated = CommitteeSeat.objects.filter(pk=seat.pk, ended_on__isnull=True).update(
            ended_on=on, end_reason=reason, updated_at=clock.now())
        if not updated:
            raise Conflict("该委员已离任", "This seat has already ended", code="state_conflict",
                           details={"current_state": "ended"})
        events.record(actor, "committee_seat.end", seat, payload={"on": on.isoformat(), "reason": reason})
    seat.refresh_from_db()
    return seat


def current_seat_person_ids(org) -> list[int]:
    """The persons on the organisation's current committee (empty without a current term or seats)."""
    return list(CommitteeSeat.objects.filter(term__org=org, term__closed_on__isnull=True, ended_on__isnull=True)
                .values_list("person_id", flat=True))
