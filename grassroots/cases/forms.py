"""Forms of the case pages: intake through each channel, the actions on a case, the list filters.

Forms only parse input; the services decide. Every intake form carries a hidden ``client_request_id`` (a uuid made
when the form is rendered) that the view passes to ``case_report(idempotency_key=...)``, so a double submit never
creates two cases.
"""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from .states import AppealType, Channel, ClosureKind, Satisfaction, Status, Tier, TimeUnit, Topic


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos in one input (``<input type=file multiple>``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class IntakeForm(forms.Form):
    """Fields shared by every channel. ``categories`` and ``regions`` come from selectors (the view passes them)."""

    channel = Channel.RESIDENT

    client_request_id = forms.CharField(widget=forms.HiddenInput, max_length=100)
    category = forms.CharField(label=_("事件类别"), max_length=140,
                               help_text=_("输入关键字搜索，如“井盖”“垃圾”“噪音”"),
                               widget=forms.TextInput(attrs={"list": "category-list", "data-category-input": "",
                                                             "autocomplete": "off"}))
    title = forms.CharField(label=_("标题"), max_length=200, widget=forms.TextInput(
        attrs={"placeholder": _("一句话说明问题")}))
    description = forms.CharField(label=_("详细描述"), required=False,  # length: the intake service's limit
                                  widget=forms.Textarea(attrs={"rows": 4}))
    address = forms.CharField(label=_("地点描述"), required=False, max_length=200,
                              widget=forms.TextInput(attrs={"placeholder": _("如：安泰小区3号楼东侧")}))
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    crs = forms.ChoiceField(required=False, widget=forms.HiddenInput,
                            choices=[("wgs84", "WGS84"), ("gcj02", "GCJ-02"), ("bd09", "BD-09")], initial="wgs84")
    region = forms.TypedChoiceField(label=_("所在网格/楼栋"), required=False, coerce=int, empty_value=None,
                                    help_text=_("无法定位时请选择"))
    photos = MultipleFileField(label=_("现场照片"))

    def __init__(self, *args, categories=(), regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_request_id", str(uuid.uuid4()))
        self.categories = list(categories)
        self._by_code = {c.code: c for c in self.categories}
        self.fields["region"].choices = [("", "—")] + [(r.pk, r.label if hasattr(r, "label") else str(r))
                                                        for r in regions]

    def clean_category(self):
        value = (self.cleaned_data.get("category") or "").strip()
        code = value.split(" ", 1)[0]
        if code in self._by_code:
            return self._by_code[code]
        by_name = [c for c in self.categories if c.name == value]
        if len(by_name) == 1:
            return by_name[0]
        raise forms.ValidationError(_("请从列表中选择事件类别"))

    def clean(self):
        data = super().clean()
        if data.get("lon") is None or data.get("lat") is None:
            data["lon"] = data["lat"] = None
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "channel": self.channel, "category": d["category"], "title": d["title"],
            "description": d.get("description") or "", "lon": d.get("lon"), "lat": d.get("lat"),
            "crs": (d.get("crs") or "wgs84").upper(), "region": d.get("region"), "address": d.get("address") or "",
            "idempotency_key": d["client_request_id"],
        }


class PatrolForm(IntakeForm):
    """网格巡查: the grid worker's phone form."""

    channel = Channel.GRID_PATROL


class ResidentReportForm(IntakeForm):
    """信息直通车: residents, signed in or anonymous."""

    channel = Channel.RESIDENT

    anonymous = forms.BooleanField(label=_("匿名反映"), required=False,
                                   help_text=_("不留姓名；凭查询码查看进度和评价"))
    hide_identity_from_staff = forms.BooleanField(label=_("对工作人员也隐藏我的身份"), required=False)
    privacy_requested = forms.BooleanField(label=_("不公开此事件"), required=False,
                                           help_text=_("默认只公开类别、状态、大致位置和日期，从不公开您的原文和联系方式"))
    reporter_name = forms.CharField(label=_("称呼"), required=False, max_length=32)
    reporter_contact = forms.CharField(label=_("联系电话"), required=False, max_length=32)

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        kwargs = super().service_kwargs()
        anonymous = bool(d.get("anonymous"))
        kwargs.update(anonymous=anonymous, privacy_requested=bool(d.get("privacy_requested")),
                      hide_identity_from_staff=anonymous and bool(d.get("hide_identity_from_staff")),
                      reporter_name="" if anonymous else d.get("reporter_name") or "",
                      reporter_contact="" if anonymous else d.get("reporter_contact") or "")
        return kwargs


class HotlineForm(IntakeForm):
    """热线: the operator files for a caller."""

    channel = Channel.HOTLINE

    reporter_name = forms.CharField(label=_("来电人称呼"), required=False, max_length=32)
    reporter_contact = forms.CharField(label=_("来电号码"), required=False, max_length=32)
    anonymous = forms.BooleanField(label=_("来电人要求匿名"), required=False)
    privacy_requested = forms.BooleanField(label=_("来电人要求不公开"), required=False)

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        kwargs = super().service_kwargs()
        kwargs.update(anonymous=bool(d.get("anonymous")), privacy_requested=bool(d.get("privacy_requested")),
                      reporter_name=d.get("reporter_name") or "", reporter_contact=d.get("reporter_contact") or "")
        return kwargs


class EnterpriseAppealForm(IntakeForm):
    """有呼必应: an enterprise contact (or the instructor serving the enterprise) files an appeal."""

    channel = Channel.ENTERPRISE

    enterprise = forms.TypedChoiceField(label=_("诉求企业"), coerce=int, required=False, empty_value=None)
    appeal_type = forms.ChoiceField(label=_("诉求类型"), choices=AppealType.choices, initial=AppealType.HELP,
                                    required=False)
    urgent = forms.BooleanField(label=_("紧急"), required=False)
    topics = forms.MultipleChoiceField(label=_("诉求主题"), required=False, choices=Topic.choices,
                                       widget=forms.CheckboxSelectMultiple)
    reporter_name = forms.CharField(label=_("联系人"), required=False, max_length=32)
    reporter_contact = forms.CharField(label=_("联系电话"), required=False, max_length=32)

    def __init__(self, *args, enterprises=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].choices = [("", "—")] + [(o.pk, o.name) for o in enterprises]
        if len(self.fields["enterprise"].choices) == 2:
            self.fields["enterprise"].initial = self.fields["enterprise"].choices[1][0]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        kwargs = super().service_kwargs()
        kwargs.update(enterprise=d.get("enterprise"), reporter_name=d.get("reporter_name") or "",
                      reporter_contact=d.get("reporter_contact") or "", appeal_type=d.get("appeal_type") or "",
                      urgent=bool(d.get("urgent")), topics=d.get("topics") or [])
        return kwargs


class StaffEntryForm(IntakeForm):
    """督查检查 / 问题清单 / 代报: staff enter problems found on inspections or brought to the office."""

    channel = Channel.STAFF

    source = forms.ChoiceField(label=_("来源"), choices=[(Channel.STAFF, Channel.STAFF.label),
                                                        (Channel.INSPECTION, Channel.INSPECTION.label)])
    public_summary = forms.CharField(label=_("公开摘要"), required=False, max_length=500,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    reporter_name = forms.CharField(label=_("反映人称呼"), required=False, max_length=32)
    reporter_contact = forms.CharField(label=_("联系电话"), required=False, max_length=32)

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        kwargs = super().service_kwargs()
        kwargs.update(channel=d["source"], public_summary=d.get("public_summary") or "",
                      reporter_name=d.get("reporter_name") or "", reporter_contact=d.get("reporter_contact") or "")
        return kwargs


class TrackForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=40, widget=forms.TextInput(
        attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}))


class RatingForm(forms.Form):
    resolved = forms.TypedChoiceField(label=_("问题是否解决"), coerce=lambda v: v == "1",
                                      choices=[("1", _("已解决")), ("0", _("未解决"))], widget=forms.RadioSelect)
    satisfaction = forms.ChoiceField(label=_("满意度"), choices=Satisfaction.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("意见"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("编号/标题"), required=False, max_length=64)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部"))] + list(Status.choices))
    category = forms.CharField(label=_("类别编码"), required=False, max_length=32)
    tier = forms.ChoiceField(label=_("层级"), required=False, choices=[("", _("全部"))] + list(Tier.choices))
    channel = forms.ChoiceField(label=_("渠道"), required=False, choices=[("", _("全部"))] + list(Channel.choices))
    date_from = forms.DateField(label=_("上报日期自"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    overdue = forms.BooleanField(label=_("已超时"), required=False)
    supervision = forms.BooleanField(label=_("督办"), required=False)


# --- actions on a case (one small form per verb; the view maps the verb to its service) ---------------------------

class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(label=_("说明"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class TextForm(forms.Form):
    text = forms.CharField(label=_("办理记录"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class EmptyForm(forms.Form):
    pass


class AcceptForm(forms.Form):
    tier = forms.ChoiceField(label=_("响应层级"), choices=Tier.choices)
    public_summary = forms.CharField(label=_("公开摘要"), required=False, max_length=500,
                                     widget=forms.Textarea(attrs={"rows": 2}),
                                     help_text=_("对外公开的简要说明，不含个人信息"))


class DuplicateForm(forms.Form):
    original = forms.CharField(label=_("原事件编号"), max_length=20)
    reason = forms.CharField(label=_("说明"), required=False, max_length=500)


class DispatchForm(forms.Form):
    lead = forms.TypedChoiceField(label=_("主办单位"), coerce=int)
    co_handlers = forms.TypedMultipleChoiceField(label=_("协办单位"), coerce=int, required=False,
                                                 widget=forms.CheckboxSelectMultiple)
    instructions = forms.CharField(label=_("派遣说明"), required=False, max_length=1000,
                                   widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(o.pk, o.name) for o in units]
        self.fields["lead"].choices = [("", "—")] + choices
        self.fields["co_handlers"].choices = choices


class WhistleForm(DispatchForm):
    reason = forms.CharField(label=_("吹哨事由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class HandleForm(forms.Form):
    result = forms.CharField(label=_("办理结果"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = MultipleFileField(label=_("处置照片/材料"), required=True)
    closure_kind = forms.ChoiceField(label=_("办结方式"), required=False, choices=ClosureKind.choices,
                                     initial=ClosureKind.RESOLVED)


class AnswerForm(forms.Form):
    result = forms.CharField(label=_("答复内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    closure_kind = forms.ChoiceField(label=_("办结方式"), choices=ClosureKind.choices, initial=ClosureKind.EXPLAINED)


class RedispatchForm(DispatchForm):
    reason = forms.CharField(label=_("二次派单理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ResolveOnSiteForm(forms.Form):
    note = forms.CharField(label=_("处置情况"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    evidence = MultipleFileField(label=_("处置后照片"))


class ExtensionRequestForm(forms.Form):
    amount = forms.IntegerField(label=_("延长"), min_value=1, max_value=365)
    unit = forms.ChoiceField(label=_("单位"), choices=TimeUnit.choices, initial=TimeUnit.WORKING_DAYS)
    reason = forms.CharField(label=_("理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionDecisionForm(forms.Form):
    extension = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("审批意见"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class SuspendForm(forms.Form):
    reason = forms.CharField(label=_("挂账理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    review_at = forms.DateField(label=_("复核日期"), widget=forms.DateInput(attrs={"type": "date"}))


