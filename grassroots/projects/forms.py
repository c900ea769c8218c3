from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import REVIEW_CRITERIA, LedgerEntry


class DateInput(forms.DateInput):
    input_type = "date"


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("项目名称"), max_length=100)
    background = forms.CharField(label=_("项目背景"), widget=forms.Textarea(attrs={"rows": 3}))
    goals = forms.CharField(label=_("项目目标"), widget=forms.Textarea(attrs={"rows": 3}))
    activities = forms.CharField(label=_("主要活动"), widget=forms.Textarea(attrs={"rows": 3}))
    beneficiaries = forms.CharField(label=_("受益对象"), max_length=200)
    beneficiary_count = forms.IntegerField(label=_("受益人数"), min_value=0, initial=0)
    budget = forms.CharField(label=_("预算明细（每行：支出项目，类别，金额）"),
                             widget=forms.Textarea(attrs={"rows": 4, "placeholder": _("涂料，物资，3000")}))

    def clean_budget(self):
        lines = []
        for n, raw in enumerate(self.cleaned_data["budget"].splitlines(), start=1):
            parts = [p.strip() for p in raw.replace("，", ",").split(",")]
            if not any(parts):
                continue
            if len(parts) == 2:
                parts = [parts[0], "", parts[1]]
            if len(parts) != 3:
                raise forms.ValidationError(_("第 %(n)s 行格式应为：支出项目，类别，金额") % {"n": n})
            try:
                Decimal(parts[2])
            except InvalidOperation:
                raise forms.ValidationError(_("第 %(n)s 行金额格式不正确") % {"n": n})
            lines.append((parts[0], parts[1], parts[2]))
        return lines


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("评审意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        for key, label in REVIEW_CRITERIA:
            self.fields[key] = forms.IntegerField(label=label, min_value=0, max_value=10, required=False)


class DonationForm(forms.Form):
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=12, decimal_places=2)
    donor_kind = forms.ChoiceField(label=_("捐赠方类型"), choices=[("organization", _("单位")), ("person", _("个人"))])
    donor_name = forms.CharField(label=_("捐赠人/单位"), max_length=64, required=False)
    anonymous = forms.BooleanField(label=_("公开时匿名"), required=False)
    intended_use = forms.CharField(label=_("指定用途"), max_length=200, required=False)
    receipt_no = forms.CharField(label=_("票据号"), max_length=32, required=False)


class TrancheForm(forms.Form):
    amount = forms.DecimalField(label=_("拨付金额（元）"), max_digits=12, decimal_places=2)
    purpose = forms.CharField(label=_("支出摘要"), max_length=200)
    receipt_no = forms.CharField(label=_("凭证号"), max_length=32, required=False)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("进展"), max_length=200)
    happened_on = forms.DateField(label=_("日期"), widget=DateInput)
    progress = forms.IntegerField(label=_("进度（%）"), min_value=0, max_value=100)
    photo = forms.FileField(label=_("照片"), required=False)


class HoursForm(forms.Form):
    activity = forms.CharField(label=_("活动"), max_length=200)
    served_on = forms.DateField(label=_("服务日期"), widget=DateInput)
    hours = forms.DecimalField(label=_("时长（小时）"), max_digits=4, decimal_places=1)


__all__ = ["LedgerEntry"]
