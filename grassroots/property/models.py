"""Red property (红色物业): who manages each compound (小区) and under what contract, owners' committees and
property management committees, the property firms' party organisation, and 五位一体 joint meetings.

The rates the article quotes are computed from these rows (see ``indicators.py``), never typed in.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import BaseModel


class ServiceContract(BaseModel):
    """A property service contract for one compound (物业服务合同). A compound is managed on a day a contract covers."""

    class Kind(models.TextChoices):
        PRELIMINARY = "preliminary", _("前期物业服务合同")
        OWNERS_HIRED = "owners_hired", _("业主大会选聘")
        COMMITTEE_ENTRUSTED = "committee_entrusted", _("物业管理委员会委托")
        SELF_MANAGED = "self_managed", _("业主自管")
        TRANSITIONAL = "transitional", _("街道/社区托管（过渡）")

    compound = models.ForeignKey("territory.Compound", verbose_name=_("小区"), on_delete=models.PROTECT,
                                 related_name="service_contracts")
    firm = models.ForeignKey("people.Organization", verbose_name=_("物业企业"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="service_contracts",
                             limit_choices_to={"kind": "property_firm"})
    kind = models.CharField(_("合同类型"), max_length=24, choices=Kind.choices)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    fee_per_m2 = models.DecimalField(_("物业费（元/平方米·月）"), max_digits=6, decimal_places=2, null=True, blank=True)
    service_level = models.CharField(_("服务等级"), max_length=16, blank=True)
    terminated_on = models.DateField(_("提前终止日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("物业服务合同")
        verbose_name_plural = _("物业服务合同")
        ordering = ["compound", "-start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                                   name="contract_end_after_start"),
            models.CheckConstraint(condition=Q(kind="self_managed") | Q(kind="transitional") | Q(firm__isnull=False),
                                   name="contract_firm_required"),
        ]

    def __str__(self) -> str:
        return f"{self.compound} {self.firm or self.get_kind_display()}"


class OwnersCommittee(BaseModel):
    """业主委员会, or 物业管理委员会 standing in where no owners' committee can be formed."""

    class Kind(models.TextChoices):
        OWNERS = "owners", _("业主委员会")
        MANAGEMENT = "management", _("物业管理委员会")

    compound = models.ForeignKey("territory.Compound", verbose_name=_("小区"), on_delete=models.PROTECT,
                                 related_name="owners_committees")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.OWNERS)
    formed_on = models.DateField(_("成立（备案）日期"))
    term_years = models.PositiveSmallIntegerField(_("任期（年）"), default=5)
    term_end = models.DateField(_("任期届满日期"))
    dissolved_on = models.DateField(_("解散/届满停止日期"), null=True, blank=True)
    filing_number = models.CharField(_("备案编号"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("业主委员会")
        verbose_name_plural = _("业主委员会")
        ordering = ["compound", "-formed_on"]
        constraints = [
            models.CheckConstraint(condition=Q(term_end__gt=F("formed_on")), name="committee_term_after_formation"),
            models.CheckConstraint(condition=Q(term_years__gte=1) & Q(term_years__lte=5), name="committee_term_max_5"),
        ]

    def __str__(self) -> str:
        return f"{self.compound}{self.get_kind_display()}"


class CommitteeMember(BaseModel):
    class Role(models.TextChoices):
        CHAIR = "chair", _("主任")
        VICE_CHAIR = "vice_chair", _("副主任")
        MEMBER = "member", _("委员")

    committee = models.ForeignKey(OwnersCommittee, verbose_name=_("业委会"), on_delete=models.CASCADE,
                                  related_name="members")
    person = models.ForeignKey("people.Person", verbose_name=_("成员"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("职务"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    is_party_member = models.BooleanField(_("党员"), default=False)
    start_date = models.DateField(_("任职日期"))
    end_date = models.DateField(_("离任日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("业委会成员")
        verbose_name_plural = _("业委会成员")
        constraints = [models.UniqueConstraint(fields=["committee", "person"], condition=Q(end_date__isnull=True),
                                               name="committee_member_once")]

    def __str__(self) -> str:
        return f"{self.person} {self.get_role_display()}"


class FirmPartyCoverage(BaseModel):
    """How a property firm is covered by the party: its own organisation, a joint one, or a party instructor."""

    class Mode(models.TextChoices):
        OWN = "own", _("单独建立党组织")
        JOINT = "joint", _("联合建立党组织")
        INSTRUCTOR = "instructor", _("选派党建指导员")

    firm = models.ForeignKey("people.Organization", verbose_name=_("物业企业"), on_delete=models.PROTECT,
                             related_name="party_coverages", limit_choices_to={"kind": "property_firm"})
    mode = models.CharField(_("覆盖方式"), max_length=16, choices=Mode.choices)
    party_org = models.ForeignKey("party.PartyOrg", verbose_name=_("党组织"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    instructor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("党建指导员"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("物业企业党组织覆盖")
        verbose_name_plural = _("物业企业党组织覆盖")
        constraints = [
            models.CheckConstraint(condition=Q(mode="instructor", instructor__isnull=False)
                                   | Q(mode__in=["own", "joint"], party_org__isnull=False),
                                   name="coverage_has_org_or_instructor"),
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                                   name="coverage_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.firm} {self.get_mode_display()}"


class JointMeeting(BaseModel):
    """五位一体 joint meeting: community party organisation, residents' committee, the environment and property
    committee, the owners' committee and the property firm, on a compound's matters."""

    community = models.ForeignKey("territory.Region", verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="joint_meetings")
    compound = models.ForeignKey("territory.Compound", verbose_name=_("小区"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="joint_meetings")
    held_on = models.DateField(_("召开日期"))
    topic = models.CharField(_("议题"), max_length=200)
    party_org_attended = models.BooleanField(_("社区党组织参加"), default=True)
    residents_committee_attended = models.BooleanField(_("居委会参加"), default=True)
    property_committee_attended = models.BooleanField(_("环境和物业管理委员会参加"), default=False)
    owners_committee_attended = models.BooleanField(_("业委会参加"), default=False)
    firm_attended = models.BooleanField(_("物业企业参加"), default=False)
    minutes = models.TextField(_("会议纪要"))
    decisions = models.TextField(_("议定事项"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("五位一体联席会议")
        verbose_name_plural = _("五位一体联席会议")
        ordering = ["-held_on", "-id"]

    @property
    def parties_present(self) -> int:
        return sum([self.party_org_attended, self.residents_committee_attended, self.property_committee_attended,
                    self.owners_committee_attended, self.firm_attended])

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"


class DemonstrationCompound(BaseModel):
    """红色物业示范小区, named in a year."""

    compound = models.ForeignKey("territory.Compound", verbose_name=_("小区"), on_delete=models.PROTECT,
                                 related_name="demonstrations")
    year = models.PositiveSmallIntegerField(_("命名年度"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("红色物业示范小区")
        verbose_name_plural = _("红色物业示范小区")
        constraints = [models.UniqueConstraint(fields=["compound", "year"], name="demonstration_once_a_year")]

    def __str__(self) -> str:
        return gettext("%(name)s（%(detail)s）") % {"name": self.compound, "detail": self.year}
