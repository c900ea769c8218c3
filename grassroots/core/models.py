"""Shared models: the base every domain model extends, the audit/event log, holidays, notifications, attachments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class Event(models.Model):
    """One row per write, state change, login, personal-data view or export (who, what, when, outcome, from where).

    Append-only: a database trigger refuses UPDATE and DELETE on both SQLite and PostgreSQL (migration 0002).
    A secret ballot's event records that a vote was cast, never its choice.
    """

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("成功")
        FAILURE = "failure", _("失败")
        DENIED = "denied", _("拒绝")

    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    actor_label = models.CharField(_("操作人标识"), max_length=150, blank=True)
    verb = models.CharField(_("动作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    from_state = models.CharField(_("原状态"), max_length=32, blank=True)
    to_state = models.CharField(_("新状态"), max_length=32, blank=True)
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=200, blank=True)
    payload = models.JSONField(_("内容"), default=dict, blank=True)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        indexes = [models.Index(fields=["object_type", "object_id", "id"], name="event_object_idx"),
                   models.Index(fields=["actor", "at"], name="event_actor_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.verb} {self.object_type}:{self.object_id}"


class Holiday(BaseModel):
    """A day that differs from the Monday–Friday pattern: a public holiday off, or an adjusted working day (调休)."""

    class Kind(models.TextChoices):
        OFF = "off", _("放假")
        WORK = "work", _("调休上班")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=64, blank=True)
    source = models.CharField(_("来源"), max_length=64, blank=True, help_text=_("如 holidays 包、国务院办公厅通知"))

    class Meta:
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class Notification(models.Model):
    """In-app inbox entry; an outbound backend (logging by default) may also deliver it."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE,
                                  related_name="notifications")
    created_at = models.DateTimeField(_("时间"), db_index=True)
    verb = models.CharField(_("类型"), max_length=64)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox_idx")]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Attachment(BaseModel):
    """An uploaded file (photo or document). Photos are resized and stripped of EXIF position data on intake."""

    file = models.FileField(_("文件"), upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    width = models.PositiveIntegerField(_("宽"), null=True, blank=True)
    height = models.PositiveIntegerField(_("高"), null=True, blank=True)
    sha256 = models.CharField(_("校验值"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    object_type = models.CharField(_("所属对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("所属对象编号"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        indexes = [models.Index(fields=["object_type", "object_id"], name="attachment_object_idx")]

    def __str__(self) -> str:
        return self.original_name


class PolicySetting(BaseModel):
    """A policy value an administrator edits, read by every app through ``core.policy.setting`` (e.g. the cases'
    ``reopen_window_days``, ``whistle_ack_minutes``, ``duplicate_radius_m``; ``kpi.rank_individuals``;
    ``volunteer.rank_individuals``). Keys are namespaced by the app that reads them where they are not the cases'."""

    key = models.CharField(_("键"), max_length=64, unique=True)
    value = models.JSONField(_("值"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("办理政策")
        verbose_name_plural = _("办理政策")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class PhoneCode(models.Model):
    """A one-time code sent to a phone number (docs/personal-data.md § Phone codes).

    Stores neither the phone number nor the code: the phone's blind index (the same keyed hash as
    ``Person.phone_index``, so a verified phone finds its person) and a keyed hash of the code bound to this row's
    nonce. Rows are written by ``core.phonecodes`` only; limits read policy rows (``phonecode.*``)."""

    class Purpose(models.TextChoices):
        REGISTER = "register", _("注册")
        SIGN_IN = "sign_in", _("登录")
        RESET = "reset", _("重置密码")
        INVITE = "invite", _("邀请")
        VERIFY = "verify", _("身份核验")

    phone_index = models.CharField(_("手机号索引"), max_length=64, db_index=True)
    phone_last4 = models.CharField(_("手机号后四位"), max_length=4)
    purpose = models.CharField(_("用途"), max_length=16, choices=Purpose.choices)
    nonce = models.CharField(_("随机数"), max_length=32)
    code_hash = models.CharField(_("验证码摘要"), max_length=64)
    client_ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    created_at = models.DateTimeField(_("发送时间"), db_index=True)
    expires_at = models.DateTimeField(_("过期时间"))
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [models.Index(fields=["phone_index", "purpose", "-created_at"], name="phonecode_phone_idx"),
                   models.Index(fields=["client_ip", "-created_at"], name="phonecode_ip_idx")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ****{self.phone_last4}"
class ExportJob(BaseModel):
    """An export too large to write while the page waits (``core.export_jobs``): run in the background, with
    progress; its owner downloads the file until ``expires_at``, then the sweep deletes it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导出中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")
        EXPIRED = "expired", _("已过期")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("导出人"), on_delete=models.CASCADE,
                              related_name="+")
    kind = models.CharField(_("导出内容"), max_length=64)
    format = models.CharField(_("格式"), max_length=8, default="xlsx")
    filters = models.JSONField(_("筛选条件"), default=dict, blank=True)
    unmask = models.BooleanField(_("完整号码"), default=False)
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(_("已导出行数"), default=0)
    rows_total = models.PositiveIntegerField(_("总行数"), null=True, blank=True)
    file = models.CharField(_("文件"), max_length=200, blank=True)
    filename = models.CharField(_("文件名"), max_length=120, blank=True)
    error = models.CharField(_("错误"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-id"]
        indexes = [models.Index(fields=["owner", "-id"], name="exportjob_owner_idx"),
                   models.Index(fields=["status", "expires_at"], name="exportjob_expiry_idx")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(self.rows_done * 100 / self.rows_total))

    @property
    def pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
