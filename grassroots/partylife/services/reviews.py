"""民主评议党员: the branch records each member's yearly grade after the review meeting (docs/rules/party-life.md
§ Reviews). One grade per member and year; recording again changes it, with an event."""

from __future__ import annotations

from django.db import transaction

from grassroots.core import clock, events
from grassroots.core.errors import ValidationFailed

from ..models import Meeting, MemberReview
from ..states import HELD_STATES, Grade
from ._common import membership_of, require_act, text


def review_record(*, actor, person, org, year: int, grade: str, note: str = "", meeting: Meeting | None = None
                  ) -> MemberReview:
    require_act(actor, org)
    membership_of(person, org)
    if grade not in Grade.values:
        raise ValidationFailed("评议等次无效", "Invalid grade", field="grade")
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationFailed("年度无效", "Invalid year", field="year") from None
    if not 2000 <= year <= clock.today().year:
        raise ValidationFailed("年度须在 2000 年到今年之间", "The year must be between 2000 and this year", field="year")
    note = text(note, "note", "", "", 300, required=False)
    if grade == Grade.UNQUALIFIED and not note:
        raise ValidationFailed("评为不合格须写明理由", "An unqualified grade needs the reason", field="note")
    if meeting is not None and (meeting.org_id != org.pk or meeting.kind.code != "review"
                                or meeting.status not in HELD_STATES):
        raise ValidationFailed("须为本组织已召开的民主评议党员会议", "Name a review meeting this organisation held",
                               field="meeting")
    with transaction.atomic():
        current = MemberReview.objects.select_for_update().filter(person=person, year=year).first()
        by = actor if getattr(actor, "is_authenticated", False) else None
        if current is None:
            review = MemberReview.objects.create(person=person, org=org, year=year, grade=grade, note=note,
                                                 meeting=meeting, recorded_by=by)
            events.record(actor, "review.create", review, to_state=grade, payload={"year": year})
        else:
            from_grade = current.grade
            current.grade, current.note, current.org, current.recorded_by = grade, note, org, by
            current.meeting = meeting or current.meeting
            current.save(update_fields=["grade", "note", "org", "recorded_by", "meeting", "updated_at"])
            review = current
            events.record(actor, "review.change", review, from_state=from_grade, to_state=grade,
                          payload={"year": year})
    return review
