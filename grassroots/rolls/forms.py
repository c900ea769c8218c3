from django import forms
from django.utils.translation import gettext_lazy as _

from .models import KEPT_KINDS, RollKind


class RollForm(forms.Form):
    kind = forms.ChoiceField(label=_("名册类型"), choices=[c for c in RollKind.choices if c[0] in KEPT_KINDS])
    region = forms.IntegerField(label=_("所属社区"), min_value=1)
    compound = forms.CharField(label=_("小区编码（业主名册）"), max_length=32, required=False)
    name = forms.CharField(label=_("名称"), max_length=100, required=False)


class EntryForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=64)
    id_number = forms.CharField(label=_("证件号码"), max_length=32, required=False)
    start_date = forms.DateField(label=_("加入日期（任期开始）"), required=False)
    term_ends = forms.DateField(label=_("任期届满"), required=False)
    unit = forms.CharField(label=_("房号/专有部分"), max_length=100, required=False)
    area = forms.DecimalField(label=_("专有部分面积（㎡）"), max_digits=12, decimal_places=2, required=False)
    extra_votes = forms.IntegerField(label=_("附加表决权"), min_value=0, max_value=100000, required=False)
    probationary = forms.BooleanField(label=_("预备党员（列席，无表决权）"), required=False)
    households = forms.CharField(label=_("联系户（楼栋 房号，以顿号分隔）"), max_length=500, required=False)


class EndForm(forms.Form):
    end_date = forms.DateField(label=_("退出日期"), required=False)
    reason = forms.CharField(label=_("退出原因"), max_length=100)
