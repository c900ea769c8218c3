"""Who people are: persons (residents), households, organisations, user accounts and posts (role + scope + dates)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.crypto import EncryptedTextField
from grassroots.core.models import BaseModel
from grassroots.core.roles import Role  # noqa: F401  (posts carry a role; migrations and callers read it here)

# The roles and their groups are declared once, in core.roles (every layer reads them).


class User(AbstractUser):
    """A login account. Personal details live on Person; an account may have none (system accounts)."""

    person = models.OneToOneField("people.Person", verbose_name=_("人员"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="user")
    display_name = models.CharField(_("显示名"), max_length=64, blank=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")

    def __str__(self) -> str:
        return self.display_name or self.username


class Organization(BaseModel):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("职能部门")
        SUBDISTRICT_OFFICE = "subdistrict_office", _("街道办事处")
        RESIDENTS_COMMITTEE = "residents_committee", _("居委会")
        VILLAGE_COMMITTEE = "village_committee", _("村委会")
        ENTERPRISE = "enterprise", _("企业")
        PROPERTY_FIRM = "property_firm", _("物业企业")
        COOPERATIVE = "cooperative", _("合作社")
        SOCIAL_ORGANIZATION = "social_organization", _("社会组织")
        SCHOOL = "school", _("学校")
        STATE_OWNED_ENTERPRISE = "state_owned_enterprise", _("国有企业")
        AGENCY = "agency", _("机关事业单位")

    name = models.CharField(_("名称"), max_length=150)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices, db_index=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    parent = models.ForeignKey("self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    region = models.ForeignKey("territory.Region", verbose_name=_("所在区域"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="organizations")
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("办公电话"), max_length=32, blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    active = models.BooleanField(_("在用"), default=True)
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)
    dissolved_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="organization_kind_name_unique")]

    def __str__(self) -> str:
        return self.name


class Household(BaseModel):
    building = models.ForeignKey("territory.Region", verbose_name=_("楼栋"), on_delete=models.PROTECT,
                                 related_name="households_set")
    room = models.CharField(_("门牌/房号"), max_length=32)

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")
        constraints = [models.UniqueConstraint(fields=["building", "room"], name="household_room_unique")]

    def __str__(self) -> str:
        return f"{self.building.name} {self.room}"


class Person(BaseModel):
    """A natural person known to the platform. Minimal fields (PIPL); ID and phone encrypted, with blind indexes."""

    class IdType(models.TextChoices):
        RESIDENT_ID = "resident_id", _("居民身份证")
        HK_MACAO_PERMIT = "hk_macao_permit", _("港澳居民来往内地通行证")
        TAIWAN_PERMIT = "taiwan_permit", _("台湾居民来往大陆通行证")
        FOREIGN_PERMANENT = "foreign_permanent", _("外国人永久居留身份证")
        PASSPORT = "passport", _("护照")
        OTHER = "other", _("其他证件")

    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")
        UNKNOWN = "U", _("未知")

    name = models.CharField(_("姓名"), max_length=64, db_index=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, default=Gender.UNKNOWN)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    id_type = models.CharField(_("证件类型"), max_length=24, choices=IdType.choices, default=IdType.RESIDENT_ID)
    id_number = EncryptedTextField(_("证件号码"), blank=True)
    id_number_index = models.CharField(_("证件号码索引"), max_length=64, blank=True, db_index=True, editable=False)
    id_number_last4 = models.CharField(_("证件号后四位"), max_length=4, blank=True, editable=False)
    phone = EncryptedTextField(_("手机号"), blank=True)
    phone_index = models.CharField(_("手机号索引"), max_length=64, blank=True, db_index=True, editable=False)
    phone_last4 = models.CharField(_("手机号后四位"), max_length=4, blank=True, editable=False)
    household = models.ForeignKey(Household, verbose_name=_("户"), null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="members")
    building = models.ForeignKey("territory.Region", verbose_name=_("居住楼栋"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("territory.Region", verbose_name=_("所属网格"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="people",
                               help_text=_("登记时所属网格；网格拆分合并后保持不变"))
    is_household_head = models.BooleanField(_("户主"), default=False)
    relation_to_head = models.CharField(_("与户主关系"), max_length=16, blank=True)
    active = models.BooleanField(_("在册"), default=True)
    deceased_on = models.DateField(_("死亡日期"), null=True, blank=True)
    moved_out_on = models.DateField(_("迁出日期"), null=True, blank=True)
    tags = models.JSONField(_("标签"), default=list, blank=True, help_text=_("如 五老、退役军人、能人、志愿者"))

    # Encrypted field → (blind index field, purpose); ``grassroots rotate_keys --blind-index`` recomputes these.
    BLIND_INDEXES = {"id_number": ("id_number_index", "id_number"), "phone": ("phone_index", "phone")}

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["id_number_index"], condition=~Q(id_number_index=""),
                                    name="person_id_number_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def age(self) -> int | None:
        """Whole years today (``clock.today()``), or None without a birth date."""
        if self.birth_date is None:
            return None
        from grassroots.core import clock

        today = clock.today()
        b = self.birth_date
        return today.year - b.year - ((today.month, today.day) < (b.month, b.day))

    @property
    def is_minor(self) -> bool:
        """Under 14 (PIPL Art 28: all personal information of minors under 14 is sensitive)."""
        age = self.age
        return age is not None and age < MINOR_AGE

    @property
    def id_number_masked(self) -> str:
        from .masking import mask_id

        return mask_id(self.id_number)

    @property
    def phone_masked(self) -> str:
        from .masking import mask_phone

        return mask_phone(self.phone)


MINOR_AGE = 14


class Post(BaseModel):
    """A user holding a role over a scope (a region, an organisation or a party organisation) from a start date to
    an end date.

    A party post (``core.roles.PARTY_ORG_POSTS``) names its party organisation by the organisation's materialized
    path (``party_org_path``, e.g. ``/0001/0002/``), written by the party app's post service (people sits below
    party and keeps no foreign key to it). Party organisations keep their path for life (none is ever moved), so
    the path is the organisation's identity here and the scope reads it in the same query as regions."""

    user = models.ForeignKey(User, verbose_name=_("账号"), on_delete=models.PROTECT, related_name="posts")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, db_index=True)
    region = models.ForeignKey("territory.Region", verbose_name=_("负责区域"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="posts")
    organization = models.ForeignKey(Organization, verbose_name=_("所在单位"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="posts")
    party_org_path = models.CharField(_("党组织路径"), max_length=255, blank=True, db_index=True,
                                      help_text=_("党组织岗位所在党组织的路径"))
    title = models.CharField(_("职务"), max_length=64, blank=True)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    successor = models.ForeignKey(User, verbose_name=_("接任人"), null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    handover_note = models.TextField(_("交接说明"), blank=True)

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        ordering = ["user", "-start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                                   name="post_end_after_start"),
        ]
        indexes = [models.Index(fields=["role", "region"], name="post_role_region_idx")]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()}"


class ApiToken(BaseModel):
    """A personal API token. Only a SHA-256 of the secret is stored; the secret is shown once at creation."""

    user = models.ForeignKey(User, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=64)
    key_hash = models.CharField(_("摘要"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("前缀"), max_length=8, editable=False)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AccountInvite(BaseModel):
    """A one-time invitation for a person on the roster to open their own account (printed on a slip or sent to
    their phone). Only a keyed hash of the code is stored; the code is shown once."""

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="invites")
    code_hash = models.CharField(_("邀请码摘要"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(User, verbose_name=_("发起人"), null=True, on_delete=models.PROTECT,
                                   related_name="+")
    expires_at = models.DateTimeField(_("过期时间"))
    sent_to_phone = models.BooleanField(_("已发送到手机"), default=False)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    account = models.ForeignKey(User, verbose_name=_("开通的账号"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")

    class Meta:
        verbose_name = _("开通邀请")
        verbose_name_plural = _("开通邀请")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.person} {self.created_at:%Y-%m-%d}"


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("未通过")


class AccountClaim(BaseModel):
    """A self-registered account (with a verified phone) waiting for staff of its community to match it to a
    person on the roster (or matched automatically by ID number and phone)."""

    Status = ClaimStatus

    user = models.OneToOneField(User, verbose_name=_("账号"), on_delete=models.PROTECT, related_name="claim")
    name = models.CharField(_("姓名"), max_length=64)
    community = models.ForeignKey("territory.Region", verbose_name=_("居住社区"), on_delete=models.PROTECT,
                                  related_name="account_claims")
    phone_index = models.CharField(_("手机号索引"), max_length=64, db_index=True, editable=False)
    phone_last4 = models.CharField(_("手机号后四位"), max_length=4, editable=False)
    id_number_index = models.CharField(_("证件号码索引"), max_length=64, blank=True, editable=False)
    id_number_last4 = models.CharField(_("证件号后四位"), max_length=4, blank=True, editable=False)
    status = models.CharField(_("状态"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.PENDING,
                              db_index=True)
    person = models.ForeignKey(Person, verbose_name=_("匹配人员"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    decided_by = models.ForeignKey(User, verbose_name=_("确认人"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    reason = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("注册匹配")
        verbose_name_plural = _("注册匹配")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ****{self.phone_last4}"
