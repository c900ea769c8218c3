"""Residents govern together: topics (议题), deliberation meetings of configured kinds, sign-in, motions and votes
(open or secret), resolutions with follow-up, and public notices (公示) with objections.

Secret ballots: ``BallotCast`` records that a person voted (one vote per person per motion, paper or online);
``SecretTally`` holds only counts per choice. Nothing stores who voted what.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import BaseModel

from .states import (
    AttendanceMode,
    Ballot,
    Channel,
    Choice,
    MeetingStatus,
    MotionResult,
    MotionStatus,
    NoticeKind,
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
    """A kind of meeting and its rules (policy rows): who is due to attend, remote attendance, quorum, majority."""

    class Basis(models.TextChoices):
        ADULT_RESIDENTS = "adult_residents", _("范围内18周岁以上居民")
        HOUSEHOLDS = "households", _("范围内每户一名代表（户主）")
        REPRESENTATIVES = "representatives", _("居民代表")
        OWNERS = "owners", _("业主（小区内各户户主）")
        OPEN = "open", _("自愿参加（不计法定人数）")

    class MajorityBase(models.TextChoices):
        PRESENT = "present", _("到会人数")
        DUE = "due", _("应到人数")
        CAST = "cast", _("投票人数")

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=32)
    basis = models.CharField(_("应到人员"), max_length=20, choices=Basis.choices)
    formal = models.BooleanField(_("正式会议（决议须达法定人数）"), default=False)
    remote_allowed = models.BooleanField(_("允许线上参会表决"), default=False)
    quorum_ratio = models.DecimalField(_("法定到会比例"), max_digits=4, decimal_places=3, default=0.5)
    quorum_strict = models.BooleanField(_("须超过该比例"), default=True, help_text=_("勾选为“过半数”，否则为“不少于”"))
    majority_ratio = models.DecimalField(_("通过比例"), max_digits=4, decimal_places=3, default=0.5)
    majority_base = models.CharField(_("通过比例的基数"), max_length=8, choices=MajorityBase.choices,
                                     default=MajorityBase.PRESENT)
    source = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("议事会类型")
        verbose_name_plural = _("议事会类型")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Representative(BaseModel):
    """居民代表 of a community (for representatives' meetings)."""

    person = models.ForeignKey("people.Person", verbose_name=_("代表"), on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey("territory.Region", verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="representatives")
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("居民代表")
        verbose_name_plural = _("居民代表")


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
    due_count = models.PositiveIntegerField(_("应到人数"), null=True, blank=True)
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


class PublicNotice(BaseModel):
    Kind = NoticeKind

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    community = models.ForeignKey("territory.Region", verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="public_notices")
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("公示内容"))
    starts_at = models.DateTimeField(_("公示开始"))
    ends_at = models.DateTimeField(_("公示截止"))
    working_days = models.PositiveSmallIntegerField(_("公示期（工作日）"))
    resolution = models.ForeignKey(Resolution, verbose_name=_("决议"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="notices")
    # what else the notice is about (an object of an app above deliberation, e.g. "projects.microproject" 12)
    subject_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    subject_id = models.PositiveBigIntegerField(_("对象编号"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-starts_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="notice_has_period")]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="notice_subject_idx")]

    def __str__(self) -> str:
        return self.title


class Objection(BaseModel):
    notice = models.ForeignKey(PublicNotice, verbose_name=_("公示"), on_delete=models.PROTECT, related_name="objections")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("异议内容"))
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["created_at", "id"]
