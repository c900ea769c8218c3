"""The three light rule sets of the reference as rows (docs/rules/park.md § Lights); the thresholds are data."""

from django.db import migrations

RULE_SETS = [
    ("yinchuan", "开工·进度·入库三项亮灯", "yinchuan",
     {"start_red_months": 3, "progress_yellow_points": 10, "progress_red_points": 30, "stats_yellow_months": 1,
      "stats_red_months": 2},
     "开工：按计划开工为绿，计划月份未开工为黄，滞后3个月及以上为红；进度：低于序时进度10至30个百分点为黄，超过30个百分点为红；"
     "入库：开工后1个月未入库为黄，超过2个月为红。项目取三项中最差的灯。"),
    ("sanya", "序时进度比例亮灯", "sanya", {"red_ratio": 0.5},
     "年度投资完成率达到序时进度为绿，低于序时进度但差距不超过其50%为黄，超过50%为红。"),
    ("jinxiang", "月度目标红黄蓝", "jinxiang", {"red_streak": 2},
     "完成当月投资目标为蓝，未完成为黄，连续2个月及以上未完成为红。"),
]


def seed(apps, schema_editor):
    LightRuleSet = apps.get_model("keyprojects", "LightRuleSet")
    for code, name, method, params, description in RULE_SETS:
        LightRuleSet.objects.update_or_create(code=code, defaults={"name": name, "method": method, "params": params,
                                                                  "description": description})


def unseed(apps, schema_editor):
    apps.get_model("keyprojects", "LightRuleSet").objects.filter(code__in=[r[0] for r in RULE_SETS]).delete()


class Migration(migrations.Migration):
    dependencies = [("keyprojects", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
