from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Facility, FacilityKind


class FinderForm(forms.Form):
    item = forms.IntegerField(label=_("服务事项"), required=False)
    q = forms.CharField(label=_("搜索事项"), required=False, max_length=50)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    crs = forms.ChoiceField(choices=[("WGS84", "WGS84"), ("GCJ02", "GCJ02"), ("BD09", "BD09")], required=False,
                            widget=forms.HiddenInput)


class FacilityForm(forms.ModelForm):
    kind = forms.ModelChoiceField(queryset=FacilityKind.objects.order_by("code"), label=_("类型"))
    region_code = forms.CharField(label=_("所在社区/网格编码"), max_length=32)

    class Meta:
        model = Facility
        fields = ["name", "kind", "lon", "lat", "address", "opening_hours", "capacity", "phone"]


class ItemWordsForm(forms.Form):
    """An item's everyday names and keywords, one per line (the service checks and normalises them)."""

    aliases = forms.CharField(label=_("俗称（一行一个）"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_("居民常说的事项名称，一行一个，如：社保卡补办"))
    keywords = forms.CharField(label=_("关键词（一行一个）"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
                               help_text=_("与事项相关的常用词，一行一个，如：补卡、丢了"))
