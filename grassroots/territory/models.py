"""Where things are: the region tree (zone → subdistrict → community | village | park → grid → building) and compounds.

Unified codes (统一编码): a region's code is its parent's code plus a serial of fixed width for its level; a serial
is never reused under a parent, also after a split or merge retires a region. ``path`` is the materialized path
(``/<zone>/<serial>/…/``) queried with range predicates (see ``subtree_q``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import BaseModel

PATH_END = "\uffff"


def ancestor_paths(path: str) -> list[str]:
    """The paths from the top of the tree down to ``path`` itself: "/a/b/" → ["/a/", "/a/b/"]."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def subtree_q(prefix: str, field: str = "path") -> Q:
    """Rows whose ``field`` starts with ``prefix``, as a range predicate that uses the index on both databases."""
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + PATH_END})


class Level(models.TextChoices):
    ZONE = "zone", _("开发区")
    SUBDISTRICT = "subdistrict", _("街道")
    COMMUNITY = "community", _("社区")
    VILLAGE = "village", _("村")
    PARK = "park", _("园区")
    GRID = "grid", _("网格")
    BUILDING = "building", _("楼栋")


# Depth of each level in the tree, and the width of its serial in the unified code.
LEVEL_DEPTH = {
    Level.ZONE: 0, Level.SUBDISTRICT: 1, Level.COMMUNITY: 2, Level.VILLAGE: 2, Level.PARK: 2,
    Level.GRID: 3, Level.BUILDING: 4,
}
SERIAL_WIDTH = {Level.SUBDISTRICT: 3, Level.COMMUNITY: 3, Level.VILLAGE: 3, Level.PARK: 3, Level.GRID: 3,
                Level.BUILDING: 4}
ALLOWED_PARENT = {
    Level.SUBDISTRICT: {Level.ZONE},
    Level.COMMUNITY: {Level.SUBDISTRICT},
    Level.VILLAGE: {Level.SUBDISTRICT},
    Level.PARK: {Level.SUBDISTRICT, Level.ZONE},
    Level.GRID: {Level.COMMUNITY, Level.VILLAGE, Level.PARK},
    Level.BUILDING: {Level.GRID},
}
AREA_LEVELS = {Level.COMMUNITY, Level.VILLAGE, Level.PARK}


class GridKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("综合网格")
    ENTERPRISE = "enterprise", _("园区企业网格")
    DEDICATED = "dedicated", _("专属网格")


class Region(BaseModel):
    code = models.CharField(_("统一编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices, db_index=True)
    parent = models.ForeignKey("self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    path = models.CharField(_("路径"), max_length=255, unique=True)
    serial = models.PositiveIntegerField(_("序号"))
    grid_kind = models.CharField(_("网格类型"), max_length=16, choices=GridKind.choices, blank=True)
    geometry = models.JSONField(_("几何（GeoJSON，WGS84）"), null=True, blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    households = models.PositiveIntegerField(_("户数"), null=True, blank=True)
    compound = models.ForeignKey("territory.Compound", verbose_name=_("所属小区"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="buildings")
    floors = models.PositiveSmallIntegerField(_("层数"), null=True, blank=True)
    is_residential = models.BooleanField(_("住宅"), default=True)
    active = models.BooleanField(_("在用"), default=True, db_index=True)
    retired_on = models.DateField(_("撤销日期"), null=True, blank=True)
    geometry_version = models.PositiveIntegerField(_("边界版本"), default=0)

    class Meta:
        verbose_name = _("区域")
        verbose_name_plural = _("区域")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "serial"], name="region_serial_unique_under_parent"),
            models.CheckConstraint(condition=Q(level="zone") | Q(parent__isnull=False), name="region_parent_required"),
        ]

    def __str__(self) -> str:
        return gettext("%(name)s（%(detail)s）") % {"name": self.name, "detail": self.code}

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def ancestor_paths(self) -> list[str]:
        return ancestor_paths(self.path)


class RegionChange(BaseModel):
    """A split, merge or boundary adjustment. Retired regions stay, with their codes, for history."""

    class Kind(models.TextChoices):
        SPLIT = "split", _("拆分")
        MERGE = "merge", _("合并")
        ADJUST = "adjust", _("边界调整")
        CREATE = "create", _("新设")

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    effective_on = models.DateField(_("生效日期"))
    sources = models.ManyToManyField(Region, verbose_name=_("原区域"), related_name="changes_as_source", blank=True)
    targets = models.ManyToManyField(Region, verbose_name=_("新区域"), related_name="changes_as_target", blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("区划调整")
        verbose_name_plural = _("区划调整")
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_on}"


class Compound(BaseModel):
    """小区: a property-management area grouping buildings; not a tree level, may cross grid lines."""

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    community = models.ForeignKey(Region, verbose_name=_("所属社区"), on_delete=models.PROTECT,
                                  related_name="compounds")
    geometry = models.JSONField(_("几何（GeoJSON，WGS84）"), null=True, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_residential = models.BooleanField(_("住宅小区"), default=True)
    households = models.PositiveIntegerField(_("户数"), null=True, blank=True)
    built_year = models.PositiveSmallIntegerField(_("建成年份"), null=True, blank=True)
    former_work_unit = models.BooleanField(_("单位制生活区"), default=False,
                                           help_text=_("国有企业生活区单位制向社区制转型"))

    class Meta:
        verbose_name = _("小区")
        verbose_name_plural = _("小区")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name
