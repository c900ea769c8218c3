"""Services near home: facility kinds and requirement profiles (data, with sources), facilities, the service item
catalogue, walking networks, and the stored results of the 15-minute life circle analysis.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import BaseModel


class Circle(BaseModel):
    """A life circle level and its walking distance (policy rows: 5/10/15-minute circles, the block level)."""

    code = models.CharField(_("编码"), max_length=16, unique=True)
    name = models.CharField(_("名称"), max_length=32)
    minutes = models.PositiveSmallIntegerField(_("步行分钟"))
    max_distance_m = models.PositiveIntegerField(_("步行距离上限（米）"))

    class Meta:
        verbose_name = _("生活圈层级")
        verbose_name_plural = _("生活圈层级")
        ordering = ["max_distance_m"]

    def __str__(self) -> str:
        return gettext("%(name)s（%(m)s 米）") % {"name": self.name, "m": self.max_distance_m}


class FacilityKind(BaseModel):
    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    name_en = models.CharField(_("英文名称"), max_length=64, blank=True)
    domain = models.CharField(_("领域"), max_length=16, blank=True, help_text=_("健康、为老、教育、文化、体育、商业、行政…"))
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("设施类型")
        verbose_name_plural = _("设施类型")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class RequirementProfile(BaseModel):
    """A list of required facility kinds per circle, with its source (GB 50180-2018 by default)."""

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    source = models.CharField(_("依据"), max_length=200)
    is_default = models.BooleanField(_("默认"), default=False)

    class Meta:
        verbose_name = _("配置标准")
        verbose_name_plural = _("配置标准")
        constraints = [models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True),
                                               name="requirement_profile_one_default")]

    def __str__(self) -> str:
        return self.name


class Requirement(BaseModel):
    profile = models.ForeignKey(RequirementProfile, verbose_name=_("配置标准"), on_delete=models.CASCADE,
                                related_name="requirements")
    kind = models.ForeignKey(FacilityKind, verbose_name=_("设施类型"), on_delete=models.PROTECT,
                             related_name="requirements")
    circle = models.ForeignKey(Circle, verbose_name=_("生活圈层级"), on_delete=models.PROTECT, related_name="+")
    baseline = models.BooleanField(_("基础保障类"), default=True, help_text=_("否则为品质提升类"))
    verified = models.BooleanField(_("已核对标准原文"), default=False)

    class Meta:
        verbose_name = _("配置要求")
        verbose_name_plural = _("配置要求")
        constraints = [models.UniqueConstraint(fields=["profile", "kind"], name="requirement_profile_kind_unique")]

    def __str__(self) -> str:
        return f"{self.profile.code}:{self.kind.code}@{self.circle.code}"


class ServiceItem(BaseModel):
    """A service item (政务服务事项) with the standard guide fields."""

    class ItemType(models.TextChoices):
        LICENSE = "license", _("行政许可")
        CONFIRMATION = "confirmation", _("行政确认")
        PAYMENT = "payment", _("行政给付")
        AWARD = "award", _("行政奖励")
        RULING = "ruling", _("行政裁决")
        OTHER_POWER = "other_power", _("其他行政权力")
        PUBLIC_SERVICE = "public_service", _("公共服务")

    class Level(models.TextChoices):
        DISTRICT = "district", _("区级")
        STREET = "street", _("街道")
        COMMUNITY = "community", _("社区")

    code = models.CharField(_("事项编码"), max_length=40, unique=True)
    name = models.CharField(_("事项名称"), max_length=150, db_index=True)
    aliases = models.TextField(_("俗称"), blank=True, help_text=_("居民常说的事项名称，一行一个，如：社保卡补办"))
    keywords = models.TextField(_("关键词"), blank=True, help_text=_("与事项相关的常用词，一行一个，如：补卡、丢了"))
    item_type = models.CharField(_("事项类型"), max_length=20, choices=ItemType.choices)
    competent_department = models.CharField(_("主管部门"), max_length=100)
    implementing_body = models.CharField(_("实施机关"), max_length=100)
    legal_basis = models.JSONField(_("设定和实施依据"), default=list, blank=True)
    applicant_scope = models.CharField(_("服务对象"), max_length=50, blank=True)
    conditions = models.TextField(_("受理条件"), blank=True)
    materials = models.JSONField(_("申请材料"), default=list, blank=True)
    steps = models.JSONField(_("办理流程"), default=list, blank=True)
    legal_days = models.PositiveSmallIntegerField(_("法定时限（工作日）"), null=True, blank=True)
    promised_days = models.PositiveSmallIntegerField(_("承诺时限（工作日）"), null=True, blank=True)
    is_instant = models.BooleanField(_("即办件"), default=False)
    fee_required = models.BooleanField(_("收费"), default=False)
    fee_basis = models.CharField(_("收费依据及标准"), max_length=200, blank=True)
    location = models.CharField(_("办理地点"), max_length=200, blank=True)
    hours = models.CharField(_("办理时间"), max_length=100, blank=True)
    max_visits = models.PositiveSmallIntegerField(_("到现场次数"), default=1)
    online_url = models.CharField(_("网上办理地址"), max_length=200, blank=True)
    consult_phone = models.CharField(_("咨询电话"), max_length=32, blank=True)
    complaint_phone = models.CharField(_("监督投诉电话"), max_length=32, blank=True)
    level = models.CharField(_("办理层级"), max_length=16, choices=Level.choices, default=Level.COMMUNITY)
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("服务事项")
        verbose_name_plural = _("服务事项")
        ordering = ["code"]
        constraints = [models.CheckConstraint(
            condition=Q(promised_days__isnull=True) | Q(legal_days__isnull=True) | Q(promised_days__lte=models.F("legal_days")),
            name="service_item_promised_within_legal")]

    def __str__(self) -> str:
        return self.name


class Facility(BaseModel):
    """A service facility or service point (党群服务中心/驿站, 便民食堂, 爱心假日学校, 卫生站 …)."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.ForeignKey(FacilityKind, verbose_name=_("类型"), on_delete=models.PROTECT, related_name="facilities")
    region = models.ForeignKey("territory.Region", verbose_name=_("所在区域"), on_delete=models.PROTECT,
                               related_name="facilities")
    lon = models.FloatField(_("经度"))
    lat = models.FloatField(_("纬度"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    opening_hours = models.CharField(_("开放时间"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(_("容量"), null=True, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    operator = models.ForeignKey("people.Organization", verbose_name=_("运营单位"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="facilities")
    service_items = models.ManyToManyField(ServiceItem, verbose_name=_("可办事项"), blank=True,
                                           related_name="facilities")
    active = models.BooleanField(_("在用"), default=True, db_index=True)

    class Meta:
        verbose_name = _("服务设施")
        verbose_name_plural = _("服务设施")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class WalkNetwork(BaseModel):
    """A walking network for a zone. Nodes and edges are stored as compressed arrays (one row, loaded at once)."""

    zone = models.ForeignKey("territory.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT,
                             related_name="walk_networks")
    name = models.CharField(_("名称"), max_length=100)
    source = models.CharField(_("来源"), max_length=200, blank=True)
    active = models.BooleanField(_("在用"), default=True)
    node_count = models.PositiveIntegerField(_("节点数"))
    edge_count = models.PositiveIntegerField(_("路段数"))
    total_length_m = models.FloatField(_("总长度（米）"))
    arrays = models.BinaryField(_("网络数据"))

    class Meta:
        verbose_name = _("步行路网")
        verbose_name_plural = _("步行路网")
        constraints = [models.UniqueConstraint(fields=["zone"], condition=Q(active=True),
                                               name="walk_network_one_active_per_zone")]

    def __str__(self) -> str:
        return gettext("%(name)s（%(n)s 节点）") % {"name": self.name, "n": self.node_count}


class AccessResult(BaseModel):
    """Walking distance from every residential building to the nearest facility of one kind (one row per kind).

    ``building_ids`` and ``distances_m`` are aligned little-endian arrays (int64, float32; NaN = none within the
    largest circle). Recomputing one kind replaces its row only.
    """

    network = models.ForeignKey(WalkNetwork, verbose_name=_("路网"), on_delete=models.CASCADE,
                                related_name="results")
    kind = models.ForeignKey(FacilityKind, verbose_name=_("设施类型"), on_delete=models.CASCADE, related_name="+")
    computed_at = models.DateTimeField(_("计算时间"))
    cutoff_m = models.PositiveIntegerField(_("截断距离（米）"))
    facility_count = models.PositiveIntegerField(_("设施数"))
    building_count = models.PositiveIntegerField(_("楼栋数"))
    building_ids = models.BinaryField(_("楼栋"))
    distances_m = models.BinaryField(_("步行距离"))

    class Meta:
        verbose_name = _("生活圈分析结果")
        verbose_name_plural = _("生活圈分析结果")
        constraints = [models.UniqueConstraint(fields=["network", "kind"], name="access_result_network_kind_unique")]

    def __str__(self) -> str:
        return f"{self.network_id}:{self.kind.code}"
