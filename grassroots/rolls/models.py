"""Rolls (名册): who is due to attend a meeting and what each person's vote weighs.

A roll belongs to a region (the community, or the zone) and, for some kinds, to a compound (owners), an organisation
(a cooperative) or another holder (a party organisation, named generically because party sits above this app).
Entries are never deleted: joining opens an entry, leaving closes it (``end_date``), so the roll on any past day
can be read back. Adult residents and households are not kept here: they are read from the people register.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import BaseModel


class RollKind(models.TextChoices):
    ADULT_RESIDENTS = "adult_residents", _("18周岁以上居民")
    HOUSEHOLDS = "households", _("户（每户一名代表）")
    REPRESENTATIVES = "representatives", _("居民代表")
    OWNERS = "owners", _("业主")
    PARTY_MEMBERS = "party_members", _("党员")
    COOP_MEMBERS = "coop_members", _("合作社成员")


DERIVED_KINDS = (RollKind.ADULT_RESIDENTS, RollKind.HOUSEHOLDS)  # read from the people register, never kept
KEPT_KINDS = tuple(k for k in RollKind.values if k not in DERIVED_KINDS)


class Roll(BaseModel):
    Kind = RollKind

    kind = models.CharField(_("名册类型"), max_length=20, choices=[c for c in RollKind.choices
                                                                 if c[0] in KEPT_KINDS])
    name = models.CharField(_("名称"), max_length=100)
    region = models.ForeignKey("territory.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT,
                               related_name="rolls")
    compound = models.ForeignKey("territory.Compound", verbose_name=_("小区"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="rolls")
    organization = models.ForeignKey("people.Organization", verbose_name=_("组织"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="rolls")
    holder_type = models.ForeignKey("contenttypes.ContentType", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    holder_id = models.PositiveBigIntegerField(null=True, blank=True)
    holder = GenericForeignKey("holder_type", "holder_id")
    # The holder's party-organisation path (``/0001/0002/``) when the holder is a party organisation: party posts
    # read and keep the roll by it (``Scope.party_q``), as region staff do by the region's path.
    party_path = models.CharField(_("党组织路径"), max_length=255, blank=True, default="", db_index=True)

    class Meta:
        verbose_name = _("名册")
        verbose_name_plural = _("名册")
        ordering = ["region__path", "kind", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="owners") | Q(compound__isnull=False), name="roll_owners_compound"),
        ]

    def __str__(self) -> str:
        return self.name


class RollEntry(BaseModel):
    """One person on a roll for a period. ``votes`` = 1 + ``extra_votes`` for cooperative members; ``area`` is an
    owner's exclusively owned floor area (专有部分面积, all their units together: an owner counts once); ``voting``
    is false for those who attend without a vote (probationary party members)."""

    roll = models.ForeignKey(Roll, verbose_name=_("名册"), on_delete=models.PROTECT, related_name="entries")
    person = models.ForeignKey("people.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(_("加入日期（任期开始）"))
    term_ends = models.DateField(_("任期届满"), null=True, blank=True)
    end_date = models.DateField(_("退出日期"), null=True, blank=True)
    end_reason = models.CharField(_("退出原因"), max_length=100, blank=True)
    unit = models.CharField(_("房号/专有部分"), max_length=100, blank=True)
    area = models.DecimalField(_("专有部分面积（㎡）"), max_digits=12, decimal_places=2, null=True, blank=True)
    extra_votes = models.PositiveIntegerField(_("附加表决权"), default=0)
    voting = models.BooleanField(_("有表决权"), default=True)
    households = models.ManyToManyField("people.Household", verbose_name=_("联系户"), blank=True, related_name="+")

    class Meta:
        verbose_name = _("名册成员")
        verbose_name_plural = _("名册成员")
        ordering = ["roll", "person__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["roll", "person"], condition=Q(end_date__isnull=True),
                                    name="roll_entry_open_once"),
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                                   name="roll_entry_ends_after_start"),
            models.CheckConstraint(condition=Q(area__isnull=True) | Q(area__gte=0), name="roll_entry_area_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.roll_id}:{self.person_id}"

    @property
    def votes(self) -> int:
        return (1 + self.extra_votes) if self.voting else 0
