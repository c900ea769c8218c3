from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Event
from .selectors import EventFilters


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("操作人（用户名）"), required=False, max_length=150)
    verb = forms.CharField(label=_("动作"), required=False, max_length=64,
                           help_text=_("以“.”结尾匹配一类动作，如 auth."))
    object_type = forms.CharField(label=_("对象类型"), required=False, max_length=64)
    object_id = forms.CharField(label=_("对象编号"), required=False, max_length=64)
    outcome = forms.ChoiceField(label=_("结果"), required=False,
                                choices=[("", _("全部"))] + list(Event.Outcome.choices))
    date_from = forms.DateField(label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("结束日期不能早于开始日期"))
        return data

    def filters(self) -> EventFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return EventFilters(**{k: (v.strip() if isinstance(v, str) else v) for k, v in data.items() if v})
