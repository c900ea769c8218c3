from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.people.models import Organization

from .models import OwnersCommittee, ServiceContract


class DateInput(forms.DateInput):
    input_type = "date"


class ContractForm(forms.Form):
    kind = forms.ChoiceField(label=_("合同类型"), choices=ServiceContract.Kind.choices)
    firm = forms.ModelChoiceField(label=_("物业企业"), required=False,
                                  queryset=Organization.objects.filter(kind=Organization.Kind.PROPERTY_FIRM).order_by("name"))
    start_date = forms.DateField(label=_("开始日期"), widget=DateInput)
    end_date = forms.DateField(label=_("结束日期"), required=False, widget=DateInput)
    fee_per_m2 = forms.DecimalField(label=_("物业费（元/平方米·月）"), required=False, max_digits=6, decimal_places=2)


class TerminateForm(forms.Form):
    on = forms.DateField(label=_("终止日期"), widget=DateInput)
    reason = forms.CharField(label=_("原因"), max_length=200)


class CommitteeForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=OwnersCommittee.Kind.choices)
    formed_on = forms.DateField(label=_("成立（备案）日期"), widget=DateInput)
    term_years = forms.IntegerField(label=_("任期（年）"), min_value=1, max_value=5, initial=5)
    filing_number = forms.CharField(label=_("备案编号"), required=False, max_length=40)


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("召开日期"), widget=DateInput)
    topic = forms.CharField(label=_("议题"), max_length=200)
    minutes = forms.CharField(label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 4}))
    decisions = forms.CharField(label=_("议定事项"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    party_org_attended = forms.BooleanField(label=_("社区党组织参加"), required=False, initial=True)
    residents_committee_attended = forms.BooleanField(label=_("居委会参加"), required=False, initial=True)
    property_committee_attended = forms.BooleanField(label=_("环境和物业管理委员会参加"), required=False)
    owners_committee_attended = forms.BooleanField(label=_("业委会参加"), required=False)
    firm_attended = forms.BooleanField(label=_("物业企业参加"), required=False)


class MemberForm(forms.Form):
    id_number = forms.CharField(label=_("成员证件号码"), max_length=32,
                                help_text=_("按证件号码查找本社区已登记居民"))
    role = forms.ChoiceField(label=_("职务"), choices=[("chair", _("主任")), ("vice_chair", _("副主任")),
                                                     ("member", _("委员"))])
    start_date = forms.DateField(label=_("任职日期"), widget=DateInput)
    is_party_member = forms.BooleanField(label=_("党员"), required=False)


class CoverageForm(forms.Form):
    mode = forms.ChoiceField(label=_("覆盖方式"), choices=[("own", _("单独建立党组织")), ("joint", _("联合建立党组织")),
                                                       ("instructor", _("选派党建指导员"))])
    party_org_code = forms.CharField(label=_("党组织编码"), required=False, max_length=32)
    instructor_username = forms.CharField(label=_("党建指导员账号"), required=False, max_length=150)
    start_date = forms.DateField(label=_("开始日期"), widget=DateInput)
