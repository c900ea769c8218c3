"""Party organisational life: the kinds of meeting with their rhythm (policy rows), meetings with their roll and
sign-in, alerts (rhythm missed, a member inactive for six months, terms due), each organisation's terms, the points
ledger with its rules (policy rows) and the yearly 民主评议 grade (docs/rules/party-life.md).

The register (organisations and memberships) stays in ``party``; this app reads it and never writes it, except
``PartyOrg.term_end`` through ``party.services.party_org_term_end_set``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import BaseModel

from .states import (
    AlertKind,
    Body,
    Duty,
    EntryStatus,
    ExtensionStatus,
    Grade,
    MeetingStatus,
    Period,
    PointsSource,
    Presence,
    Rhythm,
    RollRule,
)


class MeetingKind(BaseModel):
    """A kind of meeting as a policy row: its rhythm, where it applies, the roll it draws on and its quorum."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    rhythm = models.CharField(_("频次"), max_length=10, choices=Rhythm.choices, default=Rhythm.NONE)
    body = models.CharField(_("适用组织"), max_length=10, choices=Body.choices, default=Body.BRANCH)
    roll = models.CharField(_("参会人员"), max_length=10, choices=RollRule.choices, default=RollRule.MEMBERS)
    quorum_num = models.PositiveSmallIntegerField(_("法定人数（分子）"), null=True, blank=True)
    quorum_den = models.PositiveSmallIntegerField(_("法定人数（分母）"), null=True, blank=True)
    quorum_strict = models.BooleanField(_("须超过该比例"), default=True)
    points_rule = models.ForeignKey("PointsRule", verbose_name=_("积分规则"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("会议类型")
        verbose_name_plural = _("会议类型")
        ordering = ["order", "id"]
        constraints = [models.CheckConstraint(
            condition=(Q(quorum_num__isnull=True, quorum_den__isnull=True)
                       | Q(quorum_den__gt=0, quorum_num__lte=F("quorum_den"))),
            name="meetingkind_quorum_share")]

    def __str__(self) -> str:
        return self.name

    @property
    def quorum(self):
        from grassroots.rolls.votes import Threshold

        if self.quorum_num is None or self.quorum_den is None:
            return None
        return Threshold(self.quorum_num, self.quorum_den, self.quorum_strict)


class Meeting(BaseModel):
    org = models.ForeignKey("party.PartyOrg", verbose_name=_("党组织"), on_delete=models.PROTECT,
                            related_name="life_meetings")
    kind = models.ForeignKey(MeetingKind, verbose_name=_("会议类型"), on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("主题"), max_length=200)
    planned_at = models.DateTimeField(_("计划时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    agenda = models.TextField(_("议程"), blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED,
                              db_index=True)
    held_on = models.DateField(_("召开日期"), null=True, blank=True)
    minutes = models.TextField(_("会议记录"), blank=True)
    resolutions = models.TextField(_("决议"), blank=True)
    quorum_met = models.BooleanField(_("达到法定人数"), null=True, blank=True)
    due_count = models.JSONField(_("应到"), default=dict, blank=True)
    present_count = models.JSONField(_("实到"), default=dict, blank=True)
    noticed_at = models.DateTimeField(_("通知时间"), null=True, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("组织生活会议")
        verbose_name_plural = _("组织生活会议")
        ordering = ["-planned_at", "-id"]
        indexes = [models.Index(fields=["org", "kind", "held_on"], name="partylife_mtg_held_idx"),
                   models.Index(fields=["status", "planned_at"], name="partylife_mtg_status_idx")]

    def __str__(self) -> str:
        return self.title


class Attendance(BaseModel):
    """One person due at a meeting (fixed when the notice goes out) and how they attended."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey("people.Person", verbose_name=_("党员"), on_delete=models.PROTECT, related_name="+")
    voting = models.BooleanField(_("有表决权"), default=True)
    presence = models.CharField(_("出席情况"), max_length=8, choices=Presence.choices, default=Presence.DUE)
    reason = models.CharField(_("请假事由"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("参会记录")
        verbose_name_plural = _("参会记录")
        ordering = ["meeting", "-voting", "person__name", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="partylife_attendance_once"),
                       models.CheckConstraint(condition=~Q(presence="leave") | ~Q(reason=""),
                                              name="partylife_leave_has_reason")]
        indexes = [models.Index(fields=["person", "presence"], name="partylife_att_person_idx")]

    def __str__(self) -> str:
        return f"{self.person} @ {self.meeting}"

    # rolls.votes.Count.of reads these
    votes = 1
    area = 0


class Alert(BaseModel):
    """A reminder the sweep raised once (``key`` makes it once): a rhythm missed in a closed period, a member
    without organisational life or dues for six months, a term ending. Acknowledged by the organisation with a
    note; never a change of anyone's status."""

    key = models.CharField(_("键"), max_length=120, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=AlertKind.choices, db_index=True)
    org = models.ForeignKey("party.PartyOrg", verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(_("党组织路径"), max_length=255, db_index=True)
    person = models.ForeignKey("people.Person", verbose_name=_("党员"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    meeting_kind = models.ForeignKey(MeetingKind, verbose_name=_("会议类型"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("期间开始"), null=True, blank=True)
    period_end = models.DateField(_("期间结束"), null=True, blank=True)
    message = models.CharField(_("内容"), max_length=300)
    raised_on = models.DateField(_("提醒日期"))
    acknowledged_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("处理说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("组织生活提醒")
        verbose_name_plural = _("组织生活提醒")
        ordering = ["-raised_on", "org_path", "id"]
        indexes = [models.Index(fields=["kind", "acknowledged_at", "org_path"], name="partylife_alert_open_idx")]

    def __str__(self) -> str:
        return self.message


class Term(BaseModel):
    """One term (届) of an organisation's committee. The current one is the row without ``closed_on``."""

    org = models.ForeignKey("party.PartyOrg", verbose_name=_("党组织"), on_delete=models.PROTECT,
                            related_name="life_terms")
    start = models.DateField(_("本届开始"))
    years = models.PositiveSmallIntegerField(_("任期（年）"))
    end = models.DateField(_("任期届满"))
    extended_to = models.DateField(_("延期至"), null=True, blank=True)
    extension_status = models.CharField(_("延期状态"), max_length=10, choices=ExtensionStatus.choices, blank=True,
                                        default="")
    extension_proposed_to = models.DateField(_("申请延期至"), null=True, blank=True)
    extension_reason = models.CharField(_("延期理由"), max_length=300, blank=True)
    extension_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("批准人"), null=True, blank=True,
                                             on_delete=models.SET_NULL, related_name="+")
    closed_on = models.DateField(_("换届日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("届期")
        verbose_name_plural = _("届期")
        ordering = ["org__path", "-start", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["org"], condition=Q(closed_on__isnull=True),
                                    name="partylife_one_current_term"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="partylife_term_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.start:%Y}–{self.due:%Y}"

    @property
    def due(self):
        return self.extended_to or self.end


class PointsRule(BaseModel):
    """A points rule as a policy row: points per occurrence (per hour for service), the cap per period."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    source = models.CharField(_("来源"), max_length=10, choices=PointsSource.choices)
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=1)
    cap = models.DecimalField(_("每期上限"), max_digits=7, decimal_places=1, null=True, blank=True)
    period = models.CharField(_("期间"), max_length=8, choices=Period.choices, default=Period.YEAR)
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        ordering = ["source", "code"]
        constraints = [models.CheckConstraint(condition=Q(cap__isnull=True) | Q(cap__gte=0),
                                              name="partylife_points_cap_positive")]

    def __str__(self) -> str:
        return self.name


class PointsEntry(BaseModel):
    """One line of the append-only points ledger. Points never change after writing; a manual line waits for
    approval (pending → approved | rejected), an automatic one is approved when written. Totals are sums of
    approved lines, computed on reading."""

    person = models.ForeignKey("people.Person", verbose_name=_("党员"), on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey("party.PartyOrg", verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="+")
    rule = models.ForeignKey(PointsRule, verbose_name=_("积分规则"), on_delete=models.PROTECT, related_name="entries")
    points = models.DecimalField(_("积分"), max_digits=7, decimal_places=1)
    occurred_on = models.DateField(_("日期"))
    reason = models.CharField(_("事由"), max_length=300)
    source_type = models.CharField(_("来源对象类型"), max_length=60, blank=True)
    source_id = models.PositiveBigIntegerField(_("来源对象编号"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.APPROVED,
                              db_index=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("积分记录")
        verbose_name_plural = _("积分记录")
        ordering = ["-occurred_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["rule", "person", "source_type", "source_id"],
                                               condition=Q(source_id__isnull=False),
                                               name="partylife_points_once_per_source")]
        indexes = [models.Index(fields=["person", "occurred_on"], name="partylife_pts_person_idx")]

    def __str__(self) -> str:
        return f"{self.person} {self.points}"


class MemberReview(BaseModel):
    """民主评议党员: the grade a branch records for a member for a year, after the review meeting."""

    person = models.ForeignKey("people.Person", verbose_name=_("党员"), on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey("party.PartyOrg", verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    grade = models.CharField(_("评议等次"), max_length=12, choices=Grade.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    meeting = models.ForeignKey(Meeting, verbose_name=_("评议会议"), null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("民主评议结果")
        verbose_name_plural = _("民主评议结果")
        ordering = ["-year", "org__path", "person__name"]
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="partylife_review_once_a_year")]

    def __str__(self) -> str:
        return f"{self.person} {self.year} {self.get_grade_display()}"


class CommitteeSeat(BaseModel):
    """A member elected to the organisation's committee for a term (支部委员), with their duty. The committee's
    meetings (支委会) are noticed to the current seats. A seat ends with a reason (resigned, transferred, removed);
    a new term starts with new seats."""

    term = models.ForeignKey(Term, verbose_name=_("届期"), on_delete=models.PROTECT, related_name="seats")
    person = models.ForeignKey("people.Person", verbose_name=_("委员"), on_delete=models.PROTECT, related_name="+")
    duty = models.CharField(_("职务"), max_length=12, choices=Duty.choices)
    start = models.DateField(_("任职日期"))
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)
    end_reason = models.CharField(_("离任原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("委员")
        verbose_name_plural = _("委员")
        ordering = ["term_id", "ended_on", "duty", "id"]
        constraints = [
            models.UniqueConstraint(fields=["term", "person"], condition=Q(ended_on__isnull=True),
                                    name="partylife_one_seat_per_member"),
            models.UniqueConstraint(fields=["term"], condition=Q(ended_on__isnull=True, duty="secretary"),
                                    name="partylife_one_secretary"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_duty_display()}"
