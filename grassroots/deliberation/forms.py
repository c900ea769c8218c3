from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Meeting, MeetingKind, Motion


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"


class TopicForm(forms.Form):
    scope_region = forms.IntegerField(label=_("议事范围"), widget=forms.Select)
    title = forms.CharField(label=_("议题"), max_length=100)
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 4}))


class DropForm(forms.Form):
    reason = forms.CharField(label=_("不予采纳理由"), max_length=500)


class MeetingForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("类型"), queryset=MeetingKind.objects.order_by("code"))
    scope_region = forms.IntegerField(label=_("范围"), widget=forms.Select)
    title = forms.CharField(label=_("会议名称"), max_length=100)
    scheduled_at = forms.DateTimeField(label=_("召开时间"), widget=DateTimeInput,
                                       input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    location = forms.CharField(label=_("地点"), max_length=100)


class MotionForm(forms.Form):
    text = forms.CharField(label=_("表决事项"), widget=forms.Textarea(attrs={"rows": 2}))
    ballot = forms.ChoiceField(label=_("表决方式"), choices=Motion.Ballot.choices)
    topic = forms.IntegerField(label=_("议题"), required=False, widget=forms.Select)
    special = forms.BooleanField(label=_("重大事项（特别多数）"), required=False)


class CloseForm(forms.Form):
    minutes = forms.CharField(label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 5}), required=False)


class ResolutionForm(forms.Form):
    text = forms.CharField(label=_("决议内容"), widget=forms.Textarea(attrs={"rows": 4}))
    responsible = forms.IntegerField(label=_("责任人"), widget=forms.Select)
    due_date = forms.DateField(label=_("完成时限"), widget=DateInput)


class PublishForm(forms.Form):
    working_days = forms.IntegerField(label=_("公示期（工作日）"), min_value=1, max_value=30, initial=5)


class FollowUpForm(forms.Form):
    project = forms.IntegerField(label=_("落实微项目"), required=False, widget=forms.Select)
    case_category = forms.IntegerField(label=_("或以事件落实：类别"), required=False, widget=forms.Select)


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("进展"), max_length=200)
    progress = forms.IntegerField(label=_("进度（%）"), min_value=0, max_value=100)
    happened_on = forms.DateField(label=_("日期"), widget=DateInput)


__all__ = ["Meeting"]
