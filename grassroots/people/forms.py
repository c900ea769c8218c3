"""Forms of the people pages: they parse input; the rules live in services (errors come back per field)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Person


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
        self.fields["building"].label_from_instance = lambda b: f"{b.name}（{b.code}）"


class PersonEditForm(PersonForm):
    active = forms.BooleanField(label=_("在册"), required=False)


class PersonMoveForm(forms.Form):
    building = forms.ModelChoiceField(label=_("新的居住楼栋"), queryset=None)
    room = forms.CharField(label=_("房号"), max_length=32, required=False)
    relation_to_head = forms.CharField(label=_("与户主关系"), max_length=16, required=False)

    def __init__(self, *args, buildings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = buildings
        self.fields["building"].label_from_instance = lambda b: f"{b.name}（{b.code}）"
