"""Key projects' vocabulary (docs/rules/park.md § Key projects): levels and yearly key lists, phases, tracking
classes, the lights and the light rule sets' methods."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCIAL = "provincial", _("省级")
    MUNICIPAL = "municipal", _("市级")
    COUNTY = "county", _("县级")
    ZONE = "zone", _("区级")


class ListKind(models.TextChoices):
    """The key lists a project is put on, year by year; a project can be on the provincial and the city list."""

    PROVINCIAL = "provincial", _("省重点")
    MUNICIPAL = "municipal", _("市重点")
    COUNTY = "county", _("县重点")
    ZONE = "zone", _("区重点")


class Phase(models.TextChoices):
    PREPARATORY = "preparatory", _("前期")
    NEW_START = "new_start", _("新开工")
    CONTINUING = "continuing", _("续建")
    COMPLETED = "completed", _("竣工")


class TrackClass(models.TextChoices):
    ASSESSED = "assessed", _("考核类")
    SERVICE = "service", _("跟踪服务类")


class Light(models.TextChoices):
    GREEN = "green", _("绿灯")
    BLUE = "blue", _("蓝灯")
    YELLOW = "yellow", _("黄灯")
    RED = "red", _("红灯")


# How bad a light is: a project's light is the worst of its dimensions.
SEVERITY = {Light.GREEN: 0, Light.BLUE: 0, Light.YELLOW: 1, Light.RED: 2}


class Method(models.TextChoices):
    """The evaluators a rule set can use; the thresholds are the rule set's parameters (data)."""

    YINCHUAN = "yinchuan", _("开工·进度·入库三项亮灯")
    SANYA = "sanya", _("序时进度比例亮灯")
    JINXIANG = "jinxiang", _("月度目标红黄蓝")


class Dimension(models.TextChoices):
    START = "start", _("开工")
    PROGRESS = "progress", _("投资进度")
    STATS = "stats", _("入库纳统")
    MONTHLY = "monthly", _("月度目标")
