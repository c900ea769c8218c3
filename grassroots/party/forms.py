"""Forms of the party pages. They parse input only; every rule lives in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Liaison, MembershipStatus, OrgKind

DATE = forms.DateInput(attrs={"type": "date"})


class OrgCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=[c for c in OrgKind.choices if c[0] != "zone_working_committee"])
    name = forms.CharField(label=_("名称"), max_length=150)
    region = forms.ModelChoiceField(label=_("对应区域"), queryset=None, required=False,
                                    help_text=_("社区党委、网格党支部、楼栋党小组必须对应上级区域下的区域"))
    organization = forms.ModelChoiceField(label=_("所在单位"), queryset=None, required=False)
    linked_organizations = forms.ModelMultipleChoiceField(label=_("联系企业"), queryset=None, required=False)
    code = forms.CharField(label=_("党组织编码"), max_length=32, required=False, help_text=_("留空自动生成"))
    founded_on = forms.DateField(label=_("成立日期"), required=False, widget=DATE)
    term_end = forms.DateField(label=_("本届任期届满"), required=False, widget=DATE)

    def __init__(self, *args, regions, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["organization"].queryset = organizations
        self.fields["linked_organizations"].queryset = organizations


class MemberAddForm(forms.Form):
    id_number = forms.CharField(label=_("证件号码"), max_length=32,
                                help_text=_("须是已登记人员；按证件号码精确查找"))
    status = forms.ChoiceField(label=_("党员状态"), choices=MembershipStatus.choices)
    admission_date = forms.DateField(label=_("入党日期"), widget=DATE)
    full_member_date = forms.DateField(label=_("转正日期"), required=False, widget=DATE)
    in_service = forms.BooleanField(label=_("在职党员"), required=False)
    employer = forms.ModelChoiceField(label=_("工作单位"), queryset=None, required=False)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = organizations


class TransferInForm(MemberAddForm):
    """A member coming from outside the platform: who they are, and the introduction letter they bring."""

    outside_org = forms.CharField(label=_("转出党组织"), max_length=150,
                                  help_text=_("介绍信上的转出党组织全称"))
    letter_no = forms.CharField(label=_("介绍信编号"), max_length=40)
    letter_issued_on = forms.DateField(label=_("介绍信开具日期"), widget=DATE,
                                       help_text=_("介绍信有效期三个月，过期的须重新开具"))

    field_order = ["id_number", "outside_org", "letter_no", "letter_issued_on", "status", "admission_date",
                   "full_member_date", "in_service", "employer"]


class TransferForm(forms.Form):
    to_org = forms.ModelChoiceField(label=_("转入党组织"), queryset=None)
    on = forms.DateField(label=_("转接日期"), required=False, widget=DATE)

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_org"].queryset = orgs


class ReportInForm(forms.Form):
    id_number = forms.CharField(label=_("党员证件号码"), max_length=32, required=False,
                                help_text=_("为他人办理时填写；本人报到留空"))
    community = forms.ModelChoiceField(label=_("报到社区"), queryset=None)
    reported_on = forms.DateField(label=_("报到日期"), required=False, widget=DATE)

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities


class OrgReportInForm(forms.Form):
    party_org = forms.ModelChoiceField(label=_("报到党组织"), queryset=None, required=False)
    organization = forms.ModelChoiceField(label=_("报到单位"), queryset=None, required=False)
    community = forms.ModelChoiceField(label=_("报到社区"), queryset=None)
    reported_on = forms.DateField(label=_("报到日期"), required=False, widget=DATE)
    needs = forms.CharField(label=_("需求清单"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("每行一项"))
    pledges = forms.CharField(label=_("资源清单"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("每行一项"))

    def __init__(self, *args, orgs, organizations, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party_org"].queryset = orgs
        self.fields["organization"].queryset = organizations
        self.fields["community"].queryset = communities


class LiaisonForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Liaison.Kind.choices)
    id_number = forms.CharField(label=_("联系人证件号码"), max_length=32, required=False,
                                help_text=_("在职党员联系网格时填写"))
    user = forms.ModelChoiceField(label=_("联系人账号"), queryset=None, required=False,
                                  help_text=_("区级领导、部门负责人"))
    organization = forms.ModelChoiceField(label=_("所在单位"), queryset=None, required=False)
    region = forms.ModelChoiceField(label=_("联系社区/网格"), queryset=None, required=False)
    compound = forms.ModelChoiceField(label=_("联系小区"), queryset=None, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, users, organizations, regions, compounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["organization"].queryset = organizations
        self.fields["region"].queryset = regions
        self.fields["compound"].queryset = compounds


class ServicePostForm(forms.Form):
    community = forms.ModelChoiceField(label=_("社区"), queryset=None)
    name = forms.CharField(label=_("岗位名称"), max_length=100)
    description = forms.CharField(label=_("岗位说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    capacity = forms.IntegerField(label=_("名额"), min_value=1, initial=1)

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities


class ServiceRecordForm(forms.Form):
    date = forms.DateField(label=_("服务日期"), widget=DATE)
    hours = forms.DecimalField(label=_("服务时长（小时）"), max_digits=4, decimal_places=1)
    description = forms.CharField(label=_("服务内容"), max_length=300)
