"""Party-building brands' vocabulary: the sectors, the two ratings and the lifecycle (docs/rules/honours.md
§ Brands).

draft (the organisation writes the 五有) → applied (申报) → reviewing (the rating organisation names reviewers) →
rated (命名 as 示范 or 培育) → revoked (with a reason). A brand under review can be returned to its organisation
with a reason (back to draft); a rated 培育 brand can later be named 示范 (re-rated)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.transitions import Transition


class Sector(models.TextChoices):
    AGENCY = "agency", _("机关事业单位")
    SOE = "soe", _("国有企业")
    TWO_NEW = "two_new", _("两新组织")
    EDUCATION = "education", _("教育系统")
    COMMUNITY = "community", _("城乡社区")


class Level(models.TextChoices):
    DEMONSTRATION = "demonstration", _("示范品牌")
    CULTIVATION = "cultivation", _("培育品牌")


class BrandStatus(models.TextChoices):
    DRAFT = "draft", _("填报中")
    APPLIED = "applied", _("已申报")
    REVIEWING = "reviewing", _("评审中")
    RATED = "rated", _("已命名")
    REVOKED = "revoked", _("已撤销")


B = BrandStatus
TRANSITIONS: dict[str, Transition] = {t.verb: t for t in [
    Transition("brand.apply", (B.DRAFT,), B.APPLIED, "申报"),
    Transition("brand.review_open", (B.APPLIED,), B.REVIEWING, "组织评审"),
    Transition("brand.return", (B.APPLIED, B.REVIEWING), B.DRAFT, "退回修改"),
    Transition("brand.rate", (B.REVIEWING, B.RATED), B.RATED, "命名"),
    Transition("brand.revoke", (B.RATED,), B.REVOKED, "撤销命名"),
]}
LABELS = dict(BrandStatus.choices)
