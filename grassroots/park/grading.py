"""Instructors as a grading target kind (``grading.targets``): their yearly grade (优秀 / 称职 / 基本称职 / 不称职)
on the shared mechanism. The park's keepers see and score the instructors of their parks; an instructor sees
their own."""

from __future__ import annotations

from grassroots.core import roles as R


def register() -> None:
    from grassroots.grading import targets

    from . import selectors
    from .models import Instructor

    def visible(actor):
        return selectors.instructor_list(actor=actor)

    def assessable(actor):
        return Instructor.objects.filter(selectors.keeper_q(actor))

    targets.register(targets.TargetKind("park_instructor", "park.Instructor", "党建指导员", "Party-building instructor",
                                        visible, assessable, (R.Role.SUBDISTRICT_OFFICER, R.Role.ZONE_LEADER,
                                                              R.Role.COMMUNITY_SECRETARY)))
