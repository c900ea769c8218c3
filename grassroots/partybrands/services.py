"""Brand writers: each is one transaction with an Event; moves compare-and-set along ``states.TRANSITIONS``
(docs/rules/honours.md § Brands)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from grassroots.core import attachments, clock, events
from grassroots.core import roles as R
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed
from grassroots.core.policy import setting
from grassroots.core.scope import scope_for
from grassroots.core.transitions import compare_and_set
from grassroots.party.models import PartyOrg

from . import permissions
from .models import Brand, BrandReview
from .states import LABELS, TRANSITIONS, BrandStatus, Level, Sector

MIN_REVIEWERS_KEY = "brands.min_reviewers"
MIN_REVIEWERS_DEFAULT = 3  # [R] a panel; a deployment may set another number


def _text(value, field: str, zh: str, en: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(zh, en, field=field)
    if len(value) > max_length:
        raise ValidationFailed(f"不能超过 {max_length} 字", f"At most {max_length} characters", field=field)
    return value


def _keep(actor, org) -> None:
    if not permissions.can_keep(actor, org):
        raise NotPermitted("只有本组织的书记、党务工作者或区域党建工作人员可以填报品牌",
                           "Only the organisation's secretary or party affairs worker, or the region's party staff, "
                           "may write its brand")


def _rater(actor, brand) -> None:
    if not permissions.can_rate(actor, brand):
        raise NotPermitted("品牌由上级党组织评审命名", "A brand is reviewed and rated by an organisation above it")


def _move(actor, brand: Brand, verb: str, **fields) -> str:
    move = TRANSITIONS[verb]
    current = brand.status
    compare_and_set(Brand, brand.pk, from_states=move.sources, to_state=move.target, labels=LABELS, **fields)
    events.record(actor, verb, brand, from_state=current, to_state=move.target,
                  payload={k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in fields.items()
                           if isinstance(v, (str, int, dt.date))})
    return move.target


def _logo(upload):
    return attachments.prepare(upload, photos_only=True) if upload else None


def brand_create(*, actor, org: PartyOrg, sector: str, name: str, connotation: str = "", carriers: str = "",
                 results: str = "", logo=None) -> Brand:
    """A draft brand of ``org``; the 五有 may be completed before applying."""
    _keep(actor, org)
    if sector not in Sector.values:
        raise ValidationFailed("请选择品牌所属领域", "Choose the sector", field="sector")
    name = _text(name, "name", "请填写品牌名称", "The brand's name is required", 60)
    prepared = _logo(logo)
    try:
        with transaction.atomic(), attachments.removed_on_failure():
            brand = Brand.objects.create(
                org=org, org_path=org.path, sector=sector, name=name,
                connotation=_text(connotation, "connotation", "", "", 3000, False),
                carriers=_text(carriers, "carriers", "", "", 3000, False),
                results=_text(results, "results", "", "", 3000, False),
                created_by=actor if getattr(actor, "is_authenticated", False) else None)
            if prepared is not None:
                brand.logo = attachments.store(actor=actor, prepared=prepared, obj=brand)
                brand.save(update_fields=["logo", "updated_at"])
            events.record(actor, "brand.create", brand, to_state=brand.status,
                          payload={"org": org.pk, "sector": sector, "name": name})
    except IntegrityError:
        raise ValidationFailed("本组织已有同名品牌", "The organisation already has a brand of this name",
                               field="name") from None
    return brand


def brand_update(*, actor, brand: Brand, name: str | None = None, sector: str | None = None,
                 connotation: str | None = None, carriers: str | None = None, results: str | None = None,
                 logo=None) -> Brand:
    """Edit a draft (a brand returned for changes is a draft again)."""
    _keep(actor, brand.org)
    if brand.status != BrandStatus.DRAFT:
        raise Conflict("只有填报中的品牌可以修改", "Only a draft brand can be edited", code="state_conflict",
                       details={"current_state": brand.status})
    fields = {}
    if name is not None:
        fields["name"] = _text(name, "name", "请填写品牌名称", "The brand's name is required", 60)
    if sector is not None:
        if sector not in Sector.values:
            raise ValidationFailed("请选择品牌所属领域", "Choose the sector", field="sector")
        fields["sector"] = sector
    for key, value in (("connotation", connotation), ("carriers", carriers), ("results", results)):
        if value is not None:
            fields[key] = _text(value, key, "", "", 3000, False)
    prepared = _logo(logo)
    try:
        with transaction.atomic(), attachments.removed_on_failure():
            updated = Brand.objects.filter(pk=brand.pk, status=BrandStatus.DRAFT).update(
                **fields, updated_at=clock.now())
            if not updated:
                raise Conflict("品牌状态已变化，请刷新后重试", "The brand has moved on; reload and try again",
                               code="state_conflict")
            if prepared is not None:
                stored = attachments.store(actor=actor, prepared=prepared, obj=brand)
                Brand.objects.filter(pk=brand.pk).update(logo=stored)
            events.record(actor, "brand.update", brand, payload={"fields": sorted(fields) + (
                ["logo"] if prepared is not None else [])})
    except IntegrityError:
        raise ValidationFailed("本组织已有同名品牌", "The organisation already has a brand of this name",
                               field="name") from None
    brand.refresh_from_db()
    return brand


FIVE = (("name", "品牌名称", "name"), ("logo", "品牌标识", "logo"), ("connotation", "品牌内涵", "connotation"),
        ("carriers", "工作载体", "carriers"), ("results", "工作成效", "results"))


def missing_five(brand: Brand) -> list[str]:
    """The fields of the 五有 still empty."""
    out = []
    for attr, _zh, field in FIVE:
        value = brand.logo_id if attr == "logo" else getattr(brand, attr)
        if not value:
            out.append(field)
    return out


def brand_apply(*, actor, brand: Brand) -> Brand:
    """申报: only with the 五有 complete (name, logo, 内涵, 载体, 成效)."""
    _keep(actor, brand.org)
    missing = missing_five(brand)
    if missing:
        names = dict((f, zh) for _a, zh, f in FIVE)
        raise ValidationFailed("申报须“五有”齐全，尚缺：" + "、".join(names[f] for f in missing),
                               "The five elements are required; missing: " + ", ".join(missing),
                               field=missing[0], code="five_missing", details={"missing": missing})
    with transaction.atomic():
        _move(actor, brand, "brand.apply", applied_on=clock.today(), return_reason="")
    brand.refresh_from_db()
    return brand


def brand_review_open(*, actor, brand: Brand, reviewer_ids) -> Brand:
    """The rating organisation names the reviewers (at least the policy's number; never someone who keeps the
    brand) and opens the review."""
    from grassroots.people.models import User

    _rater(actor, brand)
    ids = sorted({int(i) for i in reviewer_ids or () if str(i).isdigit()})
    minimum = int(setting(MIN_REVIEWERS_KEY, MIN_REVIEWERS_DEFAULT))
    if len(ids) < minimum:
        raise ValidationFailed(f"请至少指定 {minimum} 名评审人", f"Name at least {minimum} reviewers",
                               field="reviewers")
    users = list(User.objects.filter(pk__in=ids, is_active=True))
    if len(users) != len(ids):
        raise ValidationFailed("评审人无效", "Invalid reviewers", field="reviewers")
    for user in users:
        if user.pk == brand.created_by_id or permissions.can_keep(user, brand.org):
            raise ValidationFailed(f"{user.get_username()} 是本品牌的填报方，不能担任评审人",
                                   f"{user.get_username()} keeps this brand and cannot review it", field="reviewers")
    with transaction.atomic():
        _move(actor, brand, "brand.review_open")
        BrandReview.objects.filter(brand=brand).delete()  # a review reopened after a return starts afresh
        BrandReview.objects.bulk_create([BrandReview(brand=brand, reviewer=u) for u in users])
    brand.refresh_from_db()
    return brand


def brand_review_submit(*, actor, brand: Brand, score, opinion: str) -> BrandReview:
    """A named reviewer's opinion: a score of 0–100 and the text; once."""
    try:
        score = int(score)
    except (TypeError, ValueError):
        raise ValidationFailed("评分须为 0–100 的整数", "The score is a whole number from 0 to 100",
                               field="score") from None
    if not 0 <= score <= 100:
        raise ValidationFailed("评分须为 0–100 的整数", "The score is a whole number from 0 to 100", field="score")
    opinion = _text(opinion, "opinion", "请填写评审意见", "The opinion is required", 3000)
    with transaction.atomic():
        review = BrandReview.objects.select_for_update().filter(brand=brand, reviewer_id=getattr(actor, "pk", None)
                                                                ).first()
        if review is None:
            raise NotPermitted("您不是本品牌的评审人", "You are not a reviewer of this brand")
        if brand.status != BrandStatus.REVIEWING or review.reviewed_at is not None:
            raise Conflict("评审已结束或您已提交意见", "The review is closed or your opinion is already in",
                           code="state_conflict", details={"current_state": brand.status})
        review.score, review.opinion, review.reviewed_at = score, opinion, clock.now()
        review.save(update_fields=["score", "opinion", "reviewed_at", "updated_at"])
        events.record(actor, "brand.review", brand, payload={"score": score})
    return review


def brand_return(*, actor, brand: Brand, reason: str) -> Brand:
    _rater(actor, brand)
    reason = _text(reason, "reason", "请填写退回原因", "Give the reason", 300)
    with transaction.atomic():
        _move(actor, brand, "brand.return", return_reason=reason)
    brand.refresh_from_db()
    return brand


def _rating_org(actor, brand: Brand) -> PartyOrg | None:
    """The committee in whose name the actor rates: the nearest of the actor's committees above the brand."""
    if actor is None:
        return None
    paths = [p for p in scope_for(actor).party_paths_for(R.Role.PARTY_COMMITTEE_OFFICER)
             if brand.org_path.startswith(p) and brand.org_path != p]
    if not paths:
        return None
    return PartyOrg.objects.filter(path=max(paths, key=len)).first()


def brand_rate(*, actor, brand: Brand, level: str, rated_on: dt.date | None = None,
               rated_by_body: str = "") -> Brand:
    """命名 as 示范 or 培育 once every named reviewer has given an opinion; a 培育 brand can later be named 示范.
    ``rated_by_body`` names a rating body outside the platform (the city rates the zone's school brands); the
    zone's party staff record it."""
    _rater(actor, brand)
    if level not in Level.values:
        raise ValidationFailed("请选择命名等级", "Choose the rating", field="level")
    rated_on = rated_on or clock.today()
    if rated_on > clock.today():
        raise ValidationFailed("命名日期不能晚于今天", "The rating date cannot be in the future", field="rated_on")
    if brand.status == BrandStatus.REVIEWING:
        pending = BrandReview.objects.filter(brand=brand, reviewed_at__isnull=True).count()
        if pending:
            raise ValidationFailed(f"还有 {pending} 名评审人未提交意见", f"{pending} reviewers have not given an opinion",
                                   field="level", code="reviews_pending")
    elif brand.level != Level.CULTIVATION or level != Level.DEMONSTRATION:
        raise Conflict("已命名的品牌只能由培育品牌升为示范品牌", "A rated brand can only move up from cultivation to "
                       "demonstration", code="state_conflict", details={"current_state": brand.status})
    body = _text(rated_by_body, "rated_by_body", "", "", 100, False)
    with transaction.atomic():
        _move(actor, brand, "brand.rate", level=level, rated_on=rated_on, rated_year=rated_on.year,
              rated_by_org=None if body else _rating_org(actor, brand), rated_by_body=body)
    brand.refresh_from_db()
    return brand


def brand_revoke(*, actor, brand: Brand, reason: str) -> Brand:
    _rater(actor, brand)
    reason = _text(reason, "reason", "请填写撤销原因", "Give the reason", 300)
    with transaction.atomic():
        _move(actor, brand, "brand.revoke", revoked_on=clock.today(), revoke_reason=reason)
    brand.refresh_from_db()
    return brand
