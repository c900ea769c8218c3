"""Residents govern together: topics (议题), deliberation meetings of configured kinds, sign-in, motions and votes
(open or secret), resolutions with follow-up. Who is due to attend and what each vote weighs come from rolls
(``grassroots.rolls``); public notices (公示) of resolutions from ``grassroots.notices``.

Secret ballots: ``BallotCast`` records that a person voted (one vote per person per motion, paper or online);
``SecretTally`` holds only counts per choice. Nothing stores who voted what.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import BaseModel
from grassroots.rolls.votes import Base, Measure, Threshold

from .states import (
    AttendanceMode,
    Ballot,
    Channel,
    Choice,
    MeetingStatus,
    MotionResult,
    MotionStatus,
    ResolutionStatus,
    TopicSource,
    TopicStatus,
)


class Topic(BaseModel):
    Source = TopicSource

    community = models.ForeignKey("territory.Region", verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="topics")
    scope_region = models.ForeignKey("territory.Region", verbose_name=_("议事范围"), on_delete=models.PROTECT,
                                     related_name="+", help_text=_("楼栋、网格或社区"))
    title = models.CharField(_("议题"), max_length=100)
    description = models.TextField(_("说明"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT,
                               related_name="topics")
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    case = models.ForeignKey("cases.Case", verbose_name=_("来源事件"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="topics")
    status = models.CharField(_("状态"), max_length=16, choices=TopicStatus.choices, default=TopicStatus.COLLECTED,
                              db_index=True)
    drop_reason = models.TextField(_("不予采纳理由"), blank=True)

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=TopicStatus.values), name="topic_status_valid"),
            models.CheckConstraint(condition=~Q(status="dropped") | ~Q(drop_reason=""), name="topic_drop_has_reason"),
        ]

    def __str__(self) -> str:
        return self.title


class TopicSupport(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("附议")
        verbose_name_plural = _("附议")
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="support_once")]

    def __str__(self) -> str:
        return f"{self.topic_id}:{self.user_id}"


class MeetingKind(BaseModel):
    """A kind of meeting and its rules (policy rows): its roll (who is due), remote attendance, the quorum (a share
    of all due, by a measure) and the majority (a share of a base, by a measure), with a stricter majority for the
    matters the law lists (民法典 art. 278 items 6–8 for owners). Shares are exact fractions."""

    class Basis(models.TextChoices):
        ADULT_RESIDENTS = "adult_residents", _("范围内18周岁以上居民")
        HOUSEHOLDS = "households", _("范围内每户一名代表（户主）")
        REPRESENTATIVES = "representatives", _("居民代表")
        OWNERS = "owners", _("业主（小区业主名册）")
        PARTY_MEMBERS = "party_members", _("党员（预备党员列席）")
        COOP_MEMBERS = "coop_members", _("合作社成员")
        OPEN = "open", _("自愿参加（不计法定人数）")

    MajorityBase = Base

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=32)
    basis = models.CharField(_("名册（应到人员）"), max_length=20, choices=Basis.choices)
    formal = models.BooleanField(_("正式会议（决议须达法定人数）"), default=False)
    remote_allowed = models.BooleanField(_("允许线上参会表决"), default=False)
    quorum_num = models.PositiveSmallIntegerField(_("法定到会比例（分子）"), default=1)
    quorum_den = models.PositiveSmallIntegerField(_("法定到会比例（分母）"), default=2)
    quorum_strict = models.BooleanField(_("须超过该比例"), default=True, help_text=_("勾选为“过半数”，否则为“不少于”"))
    quorum_measure = models.CharField(_("法定人数的计算"), max_length=16, choices=Measure.choices,
                                      default=Measure.HEADS)
    majority_num = models.PositiveSmallIntegerField(_("通过比例（分子）"), default=1)
    majority_den = models.PositiveSmallIntegerField(_("通过比例（分母）"), default=2)
    majority_strict = models.BooleanField(_("通过须超过该比例"), default=True)
    majority_base = models.CharField(_("通过比例的基数"), max_length=8, choices=Base.choices, default=Base.PRESENT)
    majority_measure = models.CharField(_("通过比例的计算"), max_length=16, choices=Measure.choices,
                                        default=Measure.HEADS)
    special_num = models.PositiveSmallIntegerField(_("重大事项通过比例（分子）"), null=True, blank=True)
    special_den = models.PositiveSmallIntegerField(_("重大事项通过比例（分母）"), null=True, blank=True)
    special_strict = models.BooleanField(_("重大事项须超过该比例"), default=False)
    special_matters = models.CharField(_("重大事项"), max_length=200, blank=True)
    source = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("议事会类型")
        verbose_name_plural = _("议事会类型")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(quorum_den__gt=0) & Q(quorum_num__lte=F("quorum_den")),
                                   name="meeting_kind_quorum_share"),
            models.CheckConstraint(condition=Q(majority_den__gt=0) & Q(majority_num__lte=F("majority_den")),
                                   name="meeting_kind_majority_share"),
            models.CheckConstraint(condition=Q(special_den__isnull=True) | (Q(special_den__gt=0)
                                   & Q(special_num__lte=F("special_den"))), name="meeting_kind_special_share"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def quorum(self) -> Threshold | None:
        return Threshold(self.quorum_num, self.quorum_den, self.quorum_strict) if self.formal else None

    @property
    def majority(self) -> Threshold:
        return Threshold(self.majority_num, self.majority_den, self.majority_strict)

    @property
    def special(self) -> Threshold | None:
        if self.special_num is None or self.special_den is None:
            return None
        return Threshold(self.special_num, self.special_den, self.special_strict)


class Meeting(BaseModel):
    kind = models.ForeignKey(MeetingKind, verbose_name=_("类型"), on_delete=models.PROTECT, related_name="meetings")
    community = models.ForeignKey("territory.Region", verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="meetings")
    scope_region = models.ForeignKey("territory.Region", verbose_name=_("范围"), on_delete=models.PROTECT,
                                     related_name="+")
    compound = models.ForeignKey("territory.Compound", verbose_name=_("小区（业主大会）"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("会议名称"), max_length=100)
    scheduled_at = models.DateTimeField(_("召开时间"))
    location = models.CharField(_("地点"), max_length=100)
    status = models.CharField(_("状态"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED,
                              db_index=True)
    roll = models.ForeignKey("rolls.Roll", verbose_name=_("名册"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    due_count = models.PositiveIntegerField(_("应到人数"), null=True, blank=True)
    due_votes = models.PositiveIntegerField(_("应到表决权数"), null=True, blank=True)
    due_area = models.DecimalField(_("应到专有部分面积"), max_digits=14, decimal_places=2, null=True, blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    convened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("召集人"), on_delete=models.PROTECT,
                                    related_name="+")
    opened_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("议程"), through="AgendaItem", related_name="meetings")

    class Meta:
        verbose_name = _("议事会")
        verbose_name_plural = _("议事会")
        ordering = ["-scheduled_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=MeetingStatus.values), name="meeting_status_valid"),
            models.CheckConstraint(condition=~Q(status="closed") | ~Q(minutes=""), name="meeting_closed_has_minutes"),
        ]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(default=1)

    class Meta:
        verbose_name = _("议程")
        verbose_name_plural = _("议程")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "topic"], name="agenda_topic_once")]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.order}"


class Attendance(models.Model):
    Mode = AttendanceMode

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(_("方式"), max_length=16, choices=Mode.choices)
    signed_in_at = models.DateTimeField(_("签到时间"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    # the person's weight on the roll when signing in: never counted again from a roll that changed since
    voting = models.BooleanField(_("有表决权"), default=True)
    votes = models.PositiveIntegerField(_("表决权数"), default=1)
    area = models.DecimalField(_("专有部分面积"), max_digits=12, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.person_id}"


class Motion(BaseModel):
    Ballot = Ballot

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="motions")
    topic = models.ForeignKey(Topic, verbose_name=_("议题"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="motions")
    text = models.TextField(_("表决事项"))
    ballot = models.CharField(_("表决方式"), max_length=16, choices=Ballot.choices)
    status = models.CharField(_("状态"), max_length=8, choices=MotionStatus.choices, default=MotionStatus.OPEN)
    result = models.CharField(_("结果"), max_length=16, choices=MotionResult.choices, blank=True, default="")
    yes = models.PositiveIntegerField(_("赞成"), default=0)
    no = models.PositiveIntegerField(_("反对"), default=0)
    abstain = models.PositiveIntegerField(_("弃权"), default=0)
    present_at_close = models.PositiveIntegerField(_("表决时到会人数"), default=0)
    special = models.BooleanField(_("重大事项（特别多数）"), default=False)
    tally = models.JSONField(_("计票明细"), default=dict, blank=True,
                             help_text=_("应到、到会、参与表决和各选项的人数、表决权数和面积"))
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("表决事项")
        verbose_name_plural = _("表决事项")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:40]


class Vote(models.Model):
    """An open (show-of-hands) vote; who voted what is public by nature of the ballot."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="votes")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=8, choices=Choice.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("表决票")
        verbose_name_plural = _("表决票")
        constraints = [models.UniqueConstraint(fields=["motion", "person"], name="vote_once_per_person")]

    def __str__(self) -> str:
        return f"{self.motion_id}:{self.person_id}"


class BallotCast(models.Model):
    """That a person cast a secret ballot (never what). One per person per motion, paper or online."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="casts")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=8, choices=Channel.choices)

    class Meta:
        verbose_name = _("投票记录（无记名）")
        verbose_name_plural = _("投票记录（无记名）")
        constraints = [models.UniqueConstraint(fields=["motion", "person"], name="ballot_once_per_person")]

    def __str__(self) -> str:
        return f"{self.motion_id}:{self.person_id}"


class SecretTally(models.Model):
    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="tallies")
    choice = models.CharField(max_length=8, choices=Choice.choices)
    count = models.PositiveIntegerField(default=0)
    votes = models.PositiveIntegerField(default=0)
    area = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("计票（无记名）")
        verbose_name_plural = _("计票（无记名）")
        constraints = [models.UniqueConstraint(fields=["motion", "choice"], name="tally_once_per_choice")]

    def __str__(self) -> str:
        return f"{self.motion_id}:{self.choice}"


class Resolution(BaseModel):
    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="resolutions")
    motion = models.OneToOneField(Motion, verbose_name=_("表决事项"), on_delete=models.PROTECT,
                                  related_name="resolution")
    topic = models.ForeignKey(Topic, verbose_name=_("议题"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="resolutions")
    text = models.TextField(_("决议内容"))
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("责任人"), on_delete=models.PROTECT,
                                    related_name="+")
    due_date = models.DateField(_("完成时限"))
    status = models.CharField(_("状态"), max_length=16, choices=ResolutionStatus.choices,
                              default=ResolutionStatus.IN_NOTICE)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    follow_up_case = models.ForeignKey("cases.Case", verbose_name=_("落实事件"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")
    # a micro-project that carries a resolution out points here (projects.MicroProject.resolution); see follow_up.py

    class Meta:
        verbose_name = _("决议")
        verbose_name_plural = _("决议")
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="resolution_progress_max_100")]

    def __str__(self) -> str:
        return self.text[:40]


class ProgressUpdate(BaseModel):
    resolution = models.ForeignKey(Resolution, verbose_name=_("决议"), on_delete=models.CASCADE,
                                   related_name="updates")
    text = models.CharField(_("进展"), max_length=200)
    progress = models.PositiveSmallIntegerField(_("进度（%）"))
    happened_on = models.DateField(_("日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("落实进展")
        verbose_name_plural = _("落实进展")
        ordering = ["happened_on", "id"]
