"""The closed loop's data: categories, time-limit policy, cases, assignments, ratings, extensions, suspensions.

The case timeline is the core ``Event`` table (``object_type="cases.case"``, verb ``case.<transition verb>`` —
rows written before that convention carry the bare verb, see ``states.table_verb`` — with from/to state); there is
no separate case-event table.

Scope fields: ``region`` is the grid the case lies in (or a coarser region when the reporter named no position);
``region_path`` copies that region's materialised path so scope filters are one range predicate on an indexed
column of the case table (``scope.region_q("region_path")``) without a join; ``community`` is the community /
village / park above the grid, denormalised for queues and KPIs.

``next_due`` is the deadline of whatever clock runs now (accept / dispatch / lead acknowledgement / handle /
verify, or a suspension's review time); the sweep reads it through a partial index and clears it once a breach is
dealt with, so a second sweep finds nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.crypto import EncryptedTextField
from grassroots.core.models import BaseModel

from .states import (
    APPEAL_LIMIT_KEYS,
    URGENT,
    AppealType,
    AssignmentRole,
    AssignmentStatus,
    CategoryKind,
    Channel,
    ClosureKind,
    EmergencyService,
    ExtensionStatus,
    RatingSource,
    ReopenDecision,
    Satisfaction,
    Stage,
    Status,
    Tier,
    TimeUnit,
    Topic,
)


def _in(field: str, choices) -> Q:
    return Q(**{f"{field}__in": [c.value for c in choices]})


class Category(BaseModel):
    """A kind of problem (部件 / 事件 / 社会治理), per CJ/T 214 大类 → 小类; seeded, editable by administrators."""

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=16, choices=CategoryKind.choices)
    parent = models.ForeignKey("self", verbose_name=_("大类"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    default_tier = models.CharField(_("默认响应层级"), max_length=16, choices=Tier.choices, default=Tier.COMMUNITY)
    on_site_allowed = models.BooleanField(_("可现场处置"), default=False, help_text=_("小事不出网格"))
    default_department = models.ForeignKey("people.Organization", verbose_name=_("默认主办单位"), null=True,
                                           blank=True, on_delete=models.SET_NULL, related_name="+")
    public_allowed = models.BooleanField(_("可公开"), default=True,
                                         help_text=_("矛盾纠纷、个人求助、企业诉求不公开"))
    emergency = models.BooleanField(_("紧急类"), default=False, help_text=_("防汛、火灾、公共安全：按分钟计时"))
    emergency_service = models.CharField(_("应急电话"), max_length=3, choices=EmergencyService.choices, blank=True)
    description = models.TextField(_("说明"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("事件类别")
        verbose_name_plural = _("事件类别")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(condition=_in("kind", CategoryKind), name="category_kind_valid"),
            models.CheckConstraint(condition=_in("default_tier", Tier), name="category_tier_valid"),
            models.CheckConstraint(condition=Q(emergency_service__in=["", "110", "119", "120"]),
                                   name="category_emergency_service_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class TimeLimit(BaseModel):
    """办理时限 policy row: category × tier × stage → amount + unit.

    Lookup order: (category, tier) → (category, any tier) → (no category, tier) → (no category, any tier).
    An empty ``tier`` means "any tier"; a null ``category`` is a global default.
    """

    category = models.ForeignKey(Category, verbose_name=_("类别"), null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="time_limits")
    tier = models.CharField(_("层级"), max_length=16, choices=Tier.choices, blank=True)
    stage = models.CharField(_("环节"), max_length=16, choices=Stage.choices)
    appeal_type = models.CharField(_("诉求类型"), max_length=12, blank=True,
                                   help_text=_("企业诉求的类型或“urgent”（紧急）；空为任意"))
    amount = models.PositiveIntegerField(_("时限"))
    unit = models.CharField(_("单位"), max_length=16, choices=TimeUnit.choices)

    class Meta:
        verbose_name = _("办理时限")
        verbose_name_plural = _("办理时限")
        ordering = ["category__code", "tier", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["category", "tier", "stage", "appeal_type"],
                                    condition=Q(category__isnull=False), name="time_limit_unique_per_category"),
            models.UniqueConstraint(fields=["tier", "stage", "appeal_type"], condition=Q(category__isnull=True),
                                    name="time_limit_unique_global"),
            models.CheckConstraint(condition=Q(appeal_type="") | Q(appeal_type__in=list(APPEAL_LIMIT_KEYS)),
                                   name="time_limit_appeal_valid"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="time_limit_amount_positive"),
            models.CheckConstraint(condition=_in("unit", TimeUnit), name="time_limit_unit_valid"),
            models.CheckConstraint(condition=_in("stage", Stage), name="time_limit_stage_valid"),
            models.CheckConstraint(condition=Q(tier="") | _in("tier", Tier), name="time_limit_tier_valid"),
        ]

    def __str__(self) -> str:
        return (f"{self.category or '*'} {self.tier or '*'} {self.stage} {self.appeal_type or '*'}: "
                f"{self.amount} {self.unit}")


class CaseCounter(models.Model):
    """Per-year sequence for human-readable reference numbers (2026-000123)."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("编号计数")
        verbose_name_plural = _("编号计数")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


def appeal_keys(appeal_type: str, urgent: bool) -> tuple[str, ...]:
    return tuple(k for k in (URGENT if urgent else "", appeal_type or "") if k)


class Case(BaseModel):
    # Unique by the constraints below (no pattern index: numbers and codes are looked up whole); foreign keys that
    # lead a composite index below carry no index of their own. Every index is paid for on each intake.
    reference = models.CharField(_("编号"), max_length=20)
    channel = models.CharField(_("来源渠道"), max_length=24, choices=Channel.choices)
    category = models.ForeignKey(Category, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="cases",
                                 db_index=False)
    title = models.CharField(_("标题"), max_length=200, help_text=_("报告人原文，不公开"))
    description = models.TextField(_("描述"), blank=True, help_text=_("报告人原文，不公开"))
    public_summary = models.TextField(_("公开摘要"), blank=True, help_text=_("工作人员撰写，公开展示"))
    address = models.CharField(_("地点描述"), max_length=200, blank=True)
    lon = models.FloatField(_("经度（WGS84）"), null=True, blank=True)
    lat = models.FloatField(_("纬度（WGS84）"), null=True, blank=True)
    public_lon = models.FloatField(_("公开经度（约百米）"), null=True, blank=True)
    public_lat = models.FloatField(_("公开纬度（约百米）"), null=True, blank=True)
    region = models.ForeignKey("territory.Region", verbose_name=_("所在网格"), on_delete=models.PROTECT,
                               related_name="cases")
    region_path = models.CharField(_("区域路径"), max_length=255, editable=False,
                                   help_text=_("所在区域路径的副本，范围查询用"))
    community = models.ForeignKey("territory.Region", verbose_name=_("所属社区"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    tier = models.CharField(_("响应层级"), max_length=16, choices=Tier.choices)
    reached_above_community = models.BooleanField(_("曾上报至街道及以上"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.REPORTED)
    is_public = models.BooleanField(_("公开"), default=False)

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报告人账号"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="reported_cases", db_index=False)
    reporter_person = models.ForeignKey("people.Person", verbose_name=_("报告人"), null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="reported_cases")
    reporter_name = EncryptedTextField(_("报告人称呼"), blank=True)
    reporter_contact = EncryptedTextField(_("联系方式"), blank=True)
    anonymous = models.BooleanField(_("匿名"), default=False)
    privacy_requested = models.BooleanField(_("不公开"), default=False)
    hide_identity_from_staff = models.BooleanField(_("对工作人员隐藏身份"), default=False)
    tracking_code = models.CharField(_("查询码"), max_length=16)
    enterprise = models.ForeignKey("people.Organization", verbose_name=_("诉求企业"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="appeals", db_index=False)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    # 有呼必应 (enterprise appeals): the type and urgency key the time limits; topics tag the appeal; how it closed.
    appeal_type = models.CharField(_("诉求类型"), max_length=12, choices=AppealType.choices, blank=True)
    urgent = models.BooleanField(_("紧急"), default=False)
    appeal_topics = models.JSONField(_("诉求主题"), default=list, blank=True)
    closure_kind = models.CharField(_("办结方式"), max_length=12, choices=ClosureKind.choices, blank=True)

    duplicate_of = models.ForeignKey("self", verbose_name=_("重复于"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="duplicates")
    external_id = models.CharField(_("外部工单号"), max_length=64, blank=True)
    rejection_reason = models.TextField(_("不予立案理由"), blank=True)
    resolved_on_site = models.BooleanField(_("现场处置"), default=False)
    supervision = models.BooleanField(_("督办"), default=False)
    supervision_reason = models.TextField(_("督办原因"), blank=True)
    supervised_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    rework_count = models.PositiveIntegerField(_("返工次数"), default=0)
    reopen_count = models.PositiveIntegerField(_("重启次数"), default=0)
    escalation_count = models.PositiveIntegerField(_("上报次数"), default=0)
    extensions_approved = models.PositiveIntegerField(_("已批准延期次数"), default=0)
    dispatch_round = models.PositiveIntegerField(_("派遣轮次"), default=0)
    rating_round = models.PositiveIntegerField(_("评价轮次"), default=1)

    # Deadlines per stage (acknowledge_due: the lead assignment's, copied here for the sweep and lists).
    accept_due = models.DateTimeField(_("受理时限"), null=True, blank=True)
    dispatch_due = models.DateTimeField(_("派遣时限"), null=True, blank=True)
    acknowledge_due = models.DateTimeField(_("报到时限"), null=True, blank=True)
    handle_due = models.DateTimeField(_("办理时限"), null=True, blank=True)
    verify_due = models.DateTimeField(_("核查时限"), null=True, blank=True)
    next_due = models.DateTimeField(_("下一时限"), null=True, blank=True)

    # When each stage happened (last time, where a stage repeats).
    reported_at = models.DateTimeField(_("上报时间"))
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("不予立案时间"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("派遣时间"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("主办报到时间"), null=True, blank=True)
    first_handled_at = models.DateTimeField(_("首次办结时间"), null=True, blank=True)
    handled_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    verified_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("上报上级时间"), null=True, blank=True)

    # Suspension (挂账): the status to go back to, the review time, and clocks paused.
    suspended_from = models.CharField(_("挂账前状态"), max_length=16, choices=Status.choices, blank=True)
    suspended_at = models.DateTimeField(_("挂账时间"), null=True, blank=True)
    resume_at = models.DateTimeField(_("复核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("事件")
        verbose_name_plural = _("事件")
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=_in("status", Status), name="case_status_valid"),
            models.CheckConstraint(condition=_in("tier", Tier), name="case_tier_valid"),
            models.CheckConstraint(condition=_in("channel", Channel), name="case_channel_valid"),
            models.CheckConstraint(condition=~Q(status=Status.CLOSED) | Q(closed_at__isnull=False),
                                   name="case_closed_has_closed_at"),
            models.CheckConstraint(condition=~Q(status=Status.REJECTED) | Q(rejected_at__isnull=False),
                                   name="case_rejected_has_rejected_at"),
            models.CheckConstraint(
                condition=~Q(status=Status.SUSPENDED) | (Q(resume_at__isnull=False) & ~Q(suspended_from="")),
                name="case_suspended_has_review"),
            models.CheckConstraint(condition=Q(duplicate_of__isnull=True) | ~Q(duplicate_of=F("id")),
                                   name="case_not_duplicate_of_itself"),
            models.CheckConstraint(condition=Q(lat__isnull=True) | Q(lat__gte=-90, lat__lte=90),
                                   name="case_lat_range"),
            models.CheckConstraint(condition=Q(lon__isnull=True) | Q(lon__gte=-180, lon__lte=180),
                                   name="case_lon_range"),
            models.CheckConstraint(condition=~Q(channel=Channel.ENTERPRISE) | Q(enterprise__isnull=False),
                                   name="case_enterprise_appeal_has_enterprise"),
            models.UniqueConstraint(fields=["channel", "external_id"], condition=~Q(external_id=""),
                                    name="case_external_id_unique_per_source"),
            models.UniqueConstraint(fields=["reference"], name="case_reference_unique"),
            models.UniqueConstraint(fields=["tracking_code"], name="case_tracking_code_unique"),
        ]
        indexes = [
            models.Index(fields=["next_due"], condition=Q(next_due__isnull=False), name="case_next_due_idx"),
            # The lists' order (newest first, id breaking ties): a page, by number or by key, is read from here.
            models.Index(fields=["reported_at", "id"], name="case_reported_idx"),
            models.Index(fields=["region_path", "status"], name="case_region_status_idx"),
            models.Index(fields=["status", "reported_at"], name="case_status_reported_idx"),
            models.Index(fields=["status", "closed_at"], name="case_status_closed_idx"),
            models.Index(fields=["category", "reported_at"], name="case_category_reported_idx"),
            # duplicate suggestions: same category, a box around the position, then the time window
            models.Index(fields=["category", "lat", "lon", "reported_at"], name="case_category_position_idx"),
            models.Index(fields=["reporter", "reported_at"], name="case_reporter_idx"),
            models.Index(fields=["enterprise", "reported_at"], name="case_enterprise_idx"),
            models.Index(fields=["is_public", "reported_at"], name="case_public_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.category.name if self.category_id else ''}"

    @property
    def appeal_keys(self) -> tuple[str, ...]:
        """The time-limit keys of an enterprise appeal, in the order they are looked up (urgent first)."""
        return appeal_keys(self.appeal_type, self.urgent)

    @property
    def appeal_topic_labels(self) -> list[str]:
        labels = dict(Topic.choices)
        return [str(labels.get(t, t)) for t in self.appeal_topics or []]

    @property
    def is_open(self) -> bool:
        return self.status not in (Status.CLOSED, Status.REJECTED)


class Assignment(BaseModel):
    """One unit's part in one dispatch round: the lead (主办) or a co-handler (协办), with its own clock."""

    case = models.ForeignKey(Case, verbose_name=_("事件"), on_delete=models.CASCADE, related_name="assignments")
    organization = models.ForeignKey("people.Organization", verbose_name=_("承办单位"), on_delete=models.PROTECT,
                                     related_name="case_assignments")
    role = models.CharField(_("角色"), max_length=8, choices=AssignmentRole.choices)
    round = models.PositiveIntegerField(_("派遣轮次"))
    tier = models.CharField(_("派遣层级"), max_length=16, choices=Tier.choices)
    status = models.CharField(_("状态"), max_length=16, choices=AssignmentStatus.choices,
                              default=AssignmentStatus.DISPATCHED)
    active = models.BooleanField(_("有效"), default=True)
    whistle = models.BooleanField(_("吹哨"), default=False)
    instructions = models.TextField(_("派遣说明"), blank=True)
    dispatched_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("派遣人"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    dispatched_at = models.DateTimeField(_("派遣时间"))
    acknowledge_due = models.DateTimeField(_("报到时限"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("报到时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报到人"), null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="case_assignments")
    part_done_at = models.DateTimeField(_("协办完成时间"), null=True, blank=True)
    handled_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    end_reason = models.CharField(_("结束原因"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("派遣任务")
        verbose_name_plural = _("派遣任务")
        ordering = ["case", "round", "role", "id"]
        constraints = [
            models.CheckConstraint(condition=_in("role", AssignmentRole), name="assignment_role_valid"),
            models.CheckConstraint(condition=_in("status", AssignmentStatus), name="assignment_status_valid"),
            models.CheckConstraint(condition=_in("tier", Tier), name="assignment_tier_valid"),
            models.CheckConstraint(
                condition=Q(status=AssignmentStatus.DISPATCHED) | Q(status=AssignmentStatus.ENDED)
                | Q(status=AssignmentStatus.RETURNED) | Q(acknowledged_at__isnull=False),
                name="assignment_acknowledged_has_time"),
            models.CheckConstraint(condition=Q(active=True) | Q(ended_at__isnull=False),
                                   name="assignment_inactive_has_end"),
            models.UniqueConstraint(fields=["case", "round"], condition=Q(role=AssignmentRole.LEAD),
                                    name="assignment_one_lead_per_round"),
            models.UniqueConstraint(fields=["case"], condition=Q(role=AssignmentRole.LEAD, active=True),
                                    name="assignment_one_active_lead"),
            models.UniqueConstraint(fields=["case", "round", "organization"],
                                    name="assignment_unit_once_per_round"),
        ]
        indexes = [
            models.Index(fields=["organization", "active", "status"], name="assignment_org_queue_idx"),
            models.Index(fields=["organization", "case"], name="assignment_org_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_role_display()} {self.organization_id}"


class Rating(BaseModel):
    """评价 / 回访: two questions, once per case round (a reopen starts a new round)."""

    case = models.ForeignKey(Case, verbose_name=_("事件"), on_delete=models.CASCADE, related_name="ratings")
    round = models.PositiveIntegerField(_("轮次"))
    resolved = models.BooleanField(_("问题是否解决"))
    satisfaction = models.CharField(_("满意度"), max_length=16, choices=Satisfaction.choices)
    comment = models.TextField(_("意见"), blank=True)
    source = models.CharField(_("评价方式"), max_length=16, choices=RatingSource.choices)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评价录入人"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    rated_at = models.DateTimeField(_("评价时间"))
    reopen_decision = models.CharField(_("重启处理"), max_length=16, choices=ReopenDecision.choices, blank=True)
    reopen_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("重启处理人"), null=True,
                                          blank=True, on_delete=models.SET_NULL, related_name="+")
    reopen_decided_at = models.DateTimeField(_("重启处理时间"), null=True, blank=True)
    reopen_reason = models.TextField(_("重启处理说明"), blank=True)

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        ordering = ["case", "round"]
        constraints = [
            models.UniqueConstraint(fields=["case", "round"], name="rating_once_per_round"),
            models.CheckConstraint(condition=_in("satisfaction", Satisfaction), name="rating_satisfaction_valid"),
            models.CheckConstraint(condition=_in("source", RatingSource), name="rating_source_valid"),
            models.CheckConstraint(condition=Q(reopen_decision__in=["", "confirmed", "declined"]),
                                   name="rating_reopen_decision_valid"),
        ]
        indexes = [models.Index(fields=["rated_at"], name="rating_rated_at_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.round} {self.satisfaction}"


class Extension(BaseModel):
    """延期: the lead unit asks for more time on a stage; the tier above approves and the deadline moves."""

    case = models.ForeignKey(Case, verbose_name=_("事件"), on_delete=models.CASCADE, related_name="extensions")
    stage = models.CharField(_("环节"), max_length=16, choices=Stage.choices, default=Stage.HANDLE)
    amount = models.PositiveIntegerField(_("延长"))
    unit = models.CharField(_("单位"), max_length=16, choices=TimeUnit.choices)
    reason = models.TextField(_("理由"))
    status = models.CharField(_("状态"), max_length=16, choices=ExtensionStatus.choices,
                              default=ExtensionStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"))
    previous_due = models.DateTimeField(_("原时限"), null=True, blank=True)
    new_due = models.DateTimeField(_("新时限"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["case", "requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(status=ExtensionStatus.PENDING),
                                    name="extension_one_pending_per_case"),
            models.CheckConstraint(condition=_in("status", ExtensionStatus), name="extension_status_valid"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="extension_amount_positive"),
            models.CheckConstraint(condition=Q(status=ExtensionStatus.PENDING) | Q(decided_at__isnull=False),
                                   name="extension_decided_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} +{self.amount} {self.unit} {self.status}"


class Suspension(BaseModel):
    """挂账: approved by a subdistrict officer with a review date; the running clocks pause with their time left."""

    case = models.ForeignKey(Case, verbose_name=_("事件"), on_delete=models.CASCADE, related_name="suspensions")
    from_status = models.CharField(_("挂账前状态"), max_length=16, choices=Status.choices)
    reason = models.TextField(_("理由"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("批准人"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    suspended_at = models.DateTimeField(_("挂账时间"))
    review_at = models.DateTimeField(_("复核时间"))
    remaining = models.JSONField(_("剩余时间（秒）"), default=dict,
                                 help_text=_("暂停时各时限的剩余秒数：{'handle_due': 3600, 'assignment:12': 600}"))
    resumed_at = models.DateTimeField(_("恢复时间"), null=True, blank=True)
    resumed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("恢复人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("挂账")
        verbose_name_plural = _("挂账")
        ordering = ["case", "suspended_at"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(resumed_at__isnull=True),
                                    name="suspension_one_open_per_case"),
            models.CheckConstraint(condition=Q(review_at__gt=F("suspended_at")), name="suspension_review_after"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.suspended_at:%Y-%m-%d} → {self.review_at:%Y-%m-%d}"


class IdempotencyKey(models.Model):
    """A submitted ``Idempotency-Key`` and the case it created: a retried submission returns the same case."""

    client = models.CharField(_("客户端"), max_length=64, help_text=_("user:<id>，或匿名提交的渠道标识"))
    channel = models.CharField(_("来源渠道"), max_length=24, choices=Channel.choices)
    key = models.CharField(_("幂等键"), max_length=100)
    case = models.ForeignKey(Case, verbose_name=_("事件"), on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("时间"))
    fingerprint = models.CharField(_("提交内容摘要"), max_length=64, blank=True,
                                   help_text=_("同一幂等键再次提交时用来区分重试与不同内容"))

    class Meta:
        verbose_name = _("幂等键")
        verbose_name_plural = _("幂等键")
        constraints = [models.UniqueConstraint(fields=["client", "channel", "key"], name="idempotency_key_unique")]

    def __str__(self) -> str:
        return f"{self.client}/{self.channel}/{self.key}"
