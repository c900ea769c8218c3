"""The policy rows of organisational life in the back office: the kinds of meeting (rhythm, where each applies, roll,
quorum, points rule) and the points rules (points, cap per period). Meetings, points lines, alerts, terms and reviews
change only through the services."""

from django.contrib import admin

from grassroots.core.admin import AuditedModelAdmin

from .models import MeetingKind, PointsRule


@admin.register(MeetingKind)
class MeetingKindAdmin(AuditedModelAdmin):
    list_display = ("name", "code", "rhythm", "body", "roll", "quorum_num", "quorum_den", "points_rule", "active")
    list_editable = ("rhythm", "active")


@admin.register(PointsRule)
class PointsRuleAdmin(AuditedModelAdmin):
    list_display = ("name", "code", "source", "points", "cap", "period", "active")
    list_editable = ("points", "cap", "period", "active")
