"""Forms of the people pages: they parse input; the rules live in services (errors come back per field)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Organization, Person


class PersonForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=64)
    id_type = forms.ChoiceField(label=_("证件类型"), choices=Person.IdType.choices, initial=Person.IdType.RESIDENT_ID)
    id_number = forms.CharField(label=_("证件号码"), max_length=32, required=False)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    relation_to_head = forms.CharField(label=_("与户主关系"), max_length=16, required=False,
                                       help_text=_("户主（或 本人）、配偶、子女、父母 等"))
    tags = forms.CharField(label=_("标签"), max_length=200, required=False, help_text=_("多个标签用逗号或顿号分隔"))


class PersonCreateForm(PersonForm):
    building = forms.ModelChoiceField(label=_("居住楼栋"), queryset=None)
    room = forms.CharField(label=_("房号"), max_length=32, required=False)

    def __init__(self, *args, buildings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = buildings
        self.fields["building"].label_from_instance = lambda b: gettext("%(name)s（%(detail)s）") % {
            "name": b.name, "detail": b.code}


class PersonEditForm(PersonForm):
    active = forms.BooleanField(label=_("在册"), required=False)


class PersonMoveForm(forms.Form):
    building = forms.ModelChoiceField(label=_("新的居住楼栋"), queryset=None)
    room = forms.CharField(label=_("房号"), max_length=32, required=False)
    relation_to_head = forms.CharField(label=_("与户主关系"), max_length=16, required=False)

    def __init__(self, *args, buildings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = buildings
        self.fields["building"].label_from_instance = lambda b: gettext("%(name)s（%(detail)s）") % {
            "name": b.name, "detail": b.code}


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=150)
    short_name = forms.CharField(label=_("简称"), max_length=50, required=False)
    kind = forms.ChoiceField(label=_("类型"))
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False,
                                  help_text=_("18 位，末位为校验码（GB 32100）"))
    region = forms.ModelChoiceField(label=_("所在区域"), queryset=None, required=False)
    parent = forms.ModelChoiceField(label=_("上级单位"), queryset=None, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    phone = forms.CharField(label=_("办公电话"), max_length=32, required=False)
    lon = forms.FloatField(label=_("经度"), required=False)
    lat = forms.FloatField(label=_("纬度"), required=False)

    def __init__(self, *args, kinds, regions, parents, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Organization.Kind.choices)
        self.fields["kind"].choices = [("", "---------")] + [(k, labels[k]) for k in kinds]
        self.fields["region"].queryset = regions
        self.fields["region"].label_from_instance = lambda r: gettext("%(name)s（%(detail)s）") % {
            "name": r.name, "detail": r.get_level_display()}
        self.fields["parent"].queryset = parents
