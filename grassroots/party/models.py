"""The party organisation: the PartyOrg tree, memberships (with history), 双报到 report-ins of members and of
organisations, service posts members claim, service records, and the three-level liaison scheme.

``PartyOrg.path`` is a materialized path (``/0001/0003/…/``) queried with range predicates
(``territory.models.subtree_q``), the same convention as the region tree. Territorial organisations
(社区党委 → 网格(小区)党支部 → 楼栋党小组, and the 党工委 / 街道党工委 above them) mirror a region; organisation-based
ones (单位党支部, 产业链党委 …) link to one or more ``people.Organization`` rows.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import BaseModel

from .states import MembershipEndReason, MembershipStatus, ReportInStatus, TransferState

PATH_SERIAL_WIDTH = 4
# Three full members are needed for a branch (党章 Art 29); smaller ones are flagged, never blocked.
MIN_FULL_MEMBERS = 3


class OrgKind(models.TextChoices):
    ZONE_WORKING_COMMITTEE = "zone_working_committee", _("党工委")
    SUBDISTRICT_WORKING_COMMITTEE = "subdistrict_working_committee", _("街道党工委")
    COMMUNITY_PARTY_COMMITTEE = "community_party_committee", _("社区党委")
    GRID_BRANCH = "grid_branch", _("网格（小区）党支部")
    BUILDING_GROUP = "building_group", _("楼栋党小组")
    ORG_BRANCH = "org_branch", _("单位党支部")
    GENERAL_BRANCH = "general_branch", _("党总支")
    ORG_COMMITTEE = "org_committee", _("基层党委")
    INDUSTRY_CHAIN_COMMITTEE = "industry_chain_committee", _("产业链党委")
    JOINT_BRANCH = "joint_branch", _("联合党支部")


# Territorial kinds mirror a region of this level (a community committee may also sit in a village or park).
TERRITORIAL_LEVELS = {
    OrgKind.ZONE_WORKING_COMMITTEE: {"zone"},
    OrgKind.SUBDISTRICT_WORKING_COMMITTEE: {"subdistrict"},
    OrgKind.COMMUNITY_PARTY_COMMITTEE: {"community", "village", "park"},
    OrgKind.GRID_BRANCH: {"grid"},
    OrgKind.BUILDING_GROUP: {"building"},
}
TERRITORIAL_KINDS = frozenset(TERRITORIAL_LEVELS)
TERRITORIAL_KIND_VALUES = sorted(k.value for k in TERRITORIAL_KINDS)
ORGANISATION_KINDS = frozenset(set(OrgKind) - TERRITORIAL_KINDS)
# Organisations that must have three full members (a 党小组 is not a branch; committees have branches under them).
BRANCH_KINDS = frozenset({OrgKind.GRID_BRANCH, OrgKind.ORG_BRANCH, OrgKind.JOINT_BRANCH})


class PartyOrg(BaseModel):
    code = models.CharField(_("党组织编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=150)
    kind = models.CharField(_("类型"), max_length=32, choices=OrgKind.choices, db_index=True)
    parent = models.ForeignKey("self", verbose_name=_("上级党组织"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    serial = models.PositiveIntegerField(_("序号"))
    path = models.CharField(_("路径"), max_length=255, unique=True)
    region = models.ForeignKey("territory.Region", verbose_name=_("所在区域"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="party_orgs",
                               help_text=_("区域型党组织对应的区域；单位党组织所在区域"))
    organization = models.ForeignKey("people.Organization", verbose_name=_("所在单位"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="party_orgs")
    linked_organizations = models.ManyToManyField("people.Organization", verbose_name=_("联系企业"), blank=True,
                                                  related_name="linked_party_orgs",
                                                  help_text=_("产业链党委、联合党支部覆盖的企业"))
    secretary = models.ForeignKey("people.Person", verbose_name=_("书记"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="party_orgs_led")
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    term_end = models.DateField(_("本届任期届满"), null=True, blank=True)
    active = models.BooleanField(_("在用"), default=True, db_index=True)
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "serial"], name="partyorg_serial_unique_under_parent"),
            models.UniqueConstraint(fields=["region"], condition=Q(active=True) & Q(kind__in=TERRITORIAL_KIND_VALUES),
                                    name="partyorg_one_territorial_org_per_region"),
            models.CheckConstraint(condition=Q(kind="zone_working_committee") | Q(parent__isnull=False),
                                   name="partyorg_parent_required"),
            models.CheckConstraint(
                condition=~Q(kind__in=TERRITORIAL_KIND_VALUES) | Q(region__isnull=False),
                name="partyorg_territorial_has_region"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_territorial(self) -> bool:
        return self.kind in TERRITORIAL_KINDS

    @property
    def is_branch(self) -> bool:
        return self.kind in BRANCH_KINDS

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class Membership(BaseModel):
    """A person's membership of one party organisation for a period. A transfer ends this row and starts another;
    history stays. At most one active row per person."""

    EndReason = MembershipEndReason

    person = models.ForeignKey("people.Person", verbose_name=_("党员"), on_delete=models.PROTECT,
                               related_name="party_memberships")
    org = models.ForeignKey(PartyOrg, verbose_name=_("所在党组织"), on_delete=models.PROTECT,
                            related_name="memberships")
    status = models.CharField(_("党员状态"), max_length=16, choices=MembershipStatus.choices, db_index=True)
    admission_date = models.DateField(_("入党日期"))
    full_member_date = models.DateField(_("转正日期"), null=True, blank=True)
    active = models.BooleanField(_("当前"), default=True, db_index=True)
    start_date = models.DateField(_("转入日期"))
    end_date = models.DateField(_("转出日期"), null=True, blank=True)
    end_reason = models.CharField(_("结束原因"), max_length=16, choices=EndReason.choices, blank=True)
    transferred_from = models.OneToOneField("self", verbose_name=_("转自"), null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="transferred_to")
    in_service = models.BooleanField(_("在职党员"), default=False, db_index=True)
    employer = models.ForeignKey("people.Organization", verbose_name=_("工作单位"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="employed_party_members")

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["org__path", "person__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(active=True),
                                    name="membership_one_active_per_person"),
            models.CheckConstraint(
                condition=Q(full_member_date__isnull=True) | Q(full_member_date__gte=F("admission_date")),
                name="membership_full_after_admission"),
            models.CheckConstraint(condition=~Q(status="full") | Q(full_member_date__isnull=False),
                                   name="membership_full_has_date"),
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                                   name="membership_end_after_start"),
        ]
        indexes = [models.Index(fields=["org", "active", "status"], name="membership_org_idx")]

    def __str__(self) -> str:
        return f"{self.person} @ {self.org}"

    def party_age_years(self, on: dt.date | None = None) -> int | None:
        """党龄: full years since the 转正 date (党章 Art 7); None for a probationary member."""
        if self.full_member_date is None:
            return None
        if on is None:
            from grassroots.core import clock

            on = clock.today()
        start = self.full_member_date
        years = on.year - start.year - ((on.month, on.day) < (start.month, start.day))
        return max(years, 0)


class ServicePost(BaseModel):
    """A community's service post (服务岗位) that reported-in members claim."""

    community = models.ForeignKey("territory.Region", verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="party_service_posts")
    name = models.CharField(_("岗位名称"), max_length=100)
    description = models.TextField(_("岗位说明"), blank=True)
    capacity = models.PositiveIntegerField(_("名额"), default=1)
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("服务岗位")
        verbose_name_plural = _("服务岗位")
        ordering = ["community", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="servicepost_name_unique_in_community"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="servicepost_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class ReportIn(BaseModel):
    """双报到 of an in-service member at the community where they live."""

    person = models.ForeignKey("people.Person", verbose_name=_("党员"), on_delete=models.PROTECT,
                               related_name="party_report_ins")
    membership = models.ForeignKey(Membership, verbose_name=_("党籍"), on_delete=models.PROTECT,
                                   related_name="report_ins")
    employer = models.ForeignKey("people.Organization", verbose_name=_("工作单位"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="member_report_ins")
    community = models.ForeignKey("territory.Region", verbose_name=_("报到社区"), on_delete=models.PROTECT,
                                  related_name="member_report_ins")
    grid = models.ForeignKey("territory.Region", verbose_name=_("下沉网格"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="member_report_ins_as_grid")
    reported_on = models.DateField(_("报到日期"))
    status = models.CharField(_("状态"), max_length=16, choices=ReportInStatus.choices,
                              default=ReportInStatus.ACTIVE, db_index=True)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    service_posts = models.ManyToManyField(ServicePost, through="ServicePostClaim", verbose_name=_("认领岗位"),
                                           related_name="report_ins", blank=True)

    class Meta:
        verbose_name = _("在职党员报到")
        verbose_name_plural = _("在职党员报到")
        ordering = ["-reported_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(status="active"),
                                    name="reportin_one_active_per_person"),
        ]
        indexes = [models.Index(fields=["community", "status"], name="reportin_community_idx")]

    def __str__(self) -> str:
        return f"{self.person} → {self.community}"


class ServicePostClaim(BaseModel):
    post = models.ForeignKey(ServicePost, verbose_name=_("岗位"), on_delete=models.PROTECT, related_name="claims")
    report_in = models.ForeignKey(ReportIn, verbose_name=_("报到"), on_delete=models.PROTECT, related_name="claims")
    claimed_on = models.DateField(_("认领日期"))
    active = models.BooleanField(_("有效"), default=True)
    released_on = models.DateField(_("释放日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("岗位认领")
        verbose_name_plural = _("岗位认领")
        constraints = [
            models.UniqueConstraint(fields=["post", "report_in"], condition=Q(active=True),
                                    name="claim_once_per_post"),
        ]

    def __str__(self) -> str:
        return f"{self.report_in} · {self.post}"


class ServiceRecord(BaseModel):
    """Hours of service a member gave (报到服务); later volunteer hours reuse the same table through ``source``."""

    person = models.ForeignKey("people.Person", verbose_name=_("服务人"), on_delete=models.PROTECT,
                               related_name="party_service_records")
    report_in = models.ForeignKey(ReportIn, verbose_name=_("报到"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="records")
    post = models.ForeignKey(ServicePost, verbose_name=_("岗位"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="records")
    date = models.DateField(_("服务日期"))
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=6, decimal_places=1)
    description = models.CharField(_("服务内容"), max_length=300)
    source = models.CharField(_("来源"), max_length=32, default="report_in")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("服务记录")
        verbose_name_plural = _("服务记录")
        ordering = ["-date", "-id"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="servicerecord_hours_positive")]

    def __str__(self) -> str:
        return f"{self.person} {self.date} {self.hours}h"


class OrgReportIn(BaseModel):
    """驻区单位党组织到社区报到 with the community's needs (需求清单) and the pledged resources (资源清单)."""

    party_org = models.ForeignKey(PartyOrg, verbose_name=_("报到党组织"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="org_report_ins")
    organization = models.ForeignKey("people.Organization", verbose_name=_("报到单位"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="org_report_ins")
    community = models.ForeignKey("territory.Region", verbose_name=_("报到社区"), on_delete=models.PROTECT,
                                  related_name="org_report_ins")
    reported_on = models.DateField(_("报到日期"))
    needs = models.JSONField(_("需求清单"), default=list, blank=True)
    pledges = models.JSONField(_("资源清单"), default=list, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ReportInStatus.choices,
                              default=ReportInStatus.ACTIVE, db_index=True)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("单位党组织报到")
        verbose_name_plural = _("单位党组织报到")
        ordering = ["-reported_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(party_org__isnull=False) | Q(organization__isnull=False),
                                   name="orgreportin_has_reporter"),
        ]

    def __str__(self) -> str:
        return f"{self.party_org or self.organization} → {self.community}"


class Liaison(BaseModel):
    """三级联系: 区级领导联系社区、部门单位主要负责同志联系小区、在职党员联系网格."""

    class Kind(models.TextChoices):
        LEADER_COMMUNITY = "leader_community", _("区级领导联系社区")
        HEAD_COMPOUND = "head_compound", _("部门负责人联系小区")
        MEMBER_GRID = "member_grid", _("在职党员联系网格")

    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices, db_index=True)
    person = models.ForeignKey("people.Person", verbose_name=_("联系人"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="party_liaisons")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("联系人账号"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="party_liaisons")
    organization = models.ForeignKey("people.Organization", verbose_name=_("所在单位"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="party_liaisons")
    region = models.ForeignKey("territory.Region", verbose_name=_("联系社区/网格"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="party_liaisons")
    compound = models.ForeignKey("territory.Compound", verbose_name=_("联系小区"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="party_liaisons")
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("联系机制")
        verbose_name_plural = _("联系机制")
        ordering = ["kind", "-start_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(person__isnull=False) | Q(user__isnull=False),
                                   name="liaison_has_contact"),
            models.CheckConstraint(
                condition=(Q(kind="head_compound", compound__isnull=False)
                           | (~Q(kind="head_compound") & Q(region__isnull=False))),
                name="liaison_has_target"),
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                                   name="liaison_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.person or self.user}"

    @property
    def contact_name(self) -> str:
        if self.person_id:
            return self.person.name
        return str(self.user) if self.user_id else ""

    @property
    def target(self):
        return self.compound if self.kind == self.Kind.HEAD_COMPOUND else self.region


class TransferKind(models.TextChoices):
    INSIDE = "inside", _("平台内转接")
    OUT = "out", _("转出平台（介绍信）")
    IN = "in", _("从平台外转入")


TransferStatus = TransferState


class Transfer(BaseModel):
    """组织关系转接: inside the platform (issued by the sending side, received by the other), out of it with an
    introduction letter valid three months, or in from outside on the letter the member brings. The memberships it
    ends and starts keep the history (``Membership.transferred_from``)."""

    Kind = TransferKind
    Status = TransferStatus

    kind = models.CharField(_("类型"), max_length=8, choices=TransferKind.choices, db_index=True)
    status = models.CharField(_("状态"), max_length=12, choices=TransferStatus.choices, db_index=True)
    person = models.ForeignKey("people.Person", verbose_name=_("党员"), on_delete=models.PROTECT, related_name="+")
    from_membership = models.ForeignKey(Membership, verbose_name=_("原组织关系"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    from_org = models.ForeignKey(PartyOrg, verbose_name=_("转出党组织"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    to_org = models.ForeignKey(PartyOrg, verbose_name=_("接收党组织"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    outside_org = models.CharField(_("平台外党组织"), max_length=150, blank=True)
    letter_no = models.CharField(_("介绍信编号"), max_length=40, blank=True)
    issued_on = models.DateField(_("开具日期"))
    valid_until = models.DateField(_("有效期至"))
    received_on = models.DateField(_("接收日期"), null=True, blank=True)
    new_membership = models.ForeignKey(Membership, verbose_name=_("新组织关系"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("说明"), max_length=300, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("组织关系转接")
        verbose_name_plural = _("组织关系转接")
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["status", "to_org"], name="party_transfer_to_idx")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.issued_on}"

    def expired(self, on: dt.date) -> bool:
        return self.status == TransferStatus.ISSUED and on > self.valid_until
