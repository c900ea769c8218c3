import datetime as dt

import pytest

from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed
from grassroots.core.models import Event, PolicySetting
from grassroots.partybrands import services
from grassroots.partybrands.models import Brand

from .conftest import full_brand

pytestmark = pytest.mark.django_db


def _reviewed(b, brand):
    services.brand_apply(actor=b.secretary, brand=brand)
    services.brand_review_open(actor=b.officer, brand=brand, reviewer_ids=[u.pk for u in b.reviewers])
    for i, u in enumerate(b.reviewers):
        services.brand_review_submit(actor=u, brand=brand, score=85 + i, opinion="特色鲜明")
    brand.refresh_from_db()
    return brand


def test_a_brand_is_applied_for_only_with_the_five_elements(b):
    brand = services.brand_create(actor=b.secretary, org=b.p.g1, sector="community", name="先锋网格")
    with pytest.raises(ValidationFailed) as err:
        services.brand_apply(actor=b.secretary, brand=brand)
    assert err.value.code == "five_missing"
    assert err.value.details["missing"] == ["logo", "connotation", "carriers", "results"]
    assert "品牌标识" in err.value.zh
    from .conftest import png

    services.brand_update(actor=b.secretary, brand=brand, connotation="内涵", carriers="载体", results="成效",
                          logo=png())
    brand = services.brand_apply(actor=b.secretary, brand=brand)
    assert brand.status == "applied" and brand.applied_on is not None
    with pytest.raises(Conflict):  # applied: no more edits
        services.brand_update(actor=b.secretary, brand=brand, name="改名")


def test_the_branch_keeps_its_brand_and_only_the_organisation_above_rates_it(b):
    brand = full_brand(b)
    with pytest.raises(NotPermitted):
        services.brand_create(actor=b.stranger, org=b.p.g1, sector="community", name="别人的品牌")
    services.brand_apply(actor=b.secretary, brand=brand)
    with pytest.raises(NotPermitted):  # the branch never rates its own brand
        services.brand_review_open(actor=b.secretary, brand=brand, reviewer_ids=[u.pk for u in b.reviewers])
    with pytest.raises(NotPermitted):
        services.brand_rate(actor=b.stranger, brand=brand, level="demonstration")


def test_reviewers_are_enough_and_never_those_who_keep_the_brand(b):
    brand = full_brand(b)
    services.brand_apply(actor=b.secretary, brand=brand)
    with pytest.raises(ValidationFailed) as err:  # the default panel is three
        services.brand_review_open(actor=b.officer, brand=brand, reviewer_ids=[b.reviewers[0].pk])
    assert err.value.field == "reviewers"
    with pytest.raises(ValidationFailed):  # the branch's secretary cannot review
        services.brand_review_open(actor=b.officer, brand=brand,
                                   reviewer_ids=[b.secretary.pk, b.reviewers[0].pk, b.reviewers[1].pk])
    PolicySetting.objects.create(key="brands.min_reviewers", value=2)
    services.brand_review_open(actor=b.officer, brand=brand, reviewer_ids=[u.pk for u in b.reviewers[:2]])
    with pytest.raises(NotPermitted):  # not named
        services.brand_review_submit(actor=b.reviewers[2], brand=brand, score=90, opinion="好")
    with pytest.raises(ValidationFailed):
        services.brand_review_submit(actor=b.reviewers[0], brand=brand, score=101, opinion="好")
    services.brand_review_submit(actor=b.reviewers[0], brand=brand, score=100, opinion="好")
    with pytest.raises(Conflict):  # once
        services.brand_review_submit(actor=b.reviewers[0], brand=brand, score=90, opinion="再评")


def test_rating_waits_for_every_opinion_and_records_who_rated(b):
    brand = full_brand(b)
    services.brand_apply(actor=b.secretary, brand=brand)
    services.brand_review_open(actor=b.officer, brand=brand, reviewer_ids=[u.pk for u in b.reviewers])
    services.brand_review_submit(actor=b.reviewers[0], brand=brand, score=90, opinion="好")
    with pytest.raises(ValidationFailed) as err:
        services.brand_rate(actor=b.officer, brand=brand, level="demonstration")
    assert err.value.code == "reviews_pending"
    for u in b.reviewers[1:]:
        services.brand_review_submit(actor=u, brand=brand, score=88, opinion="好")
    with pytest.raises(ValidationFailed):
        services.brand_rate(actor=b.officer, brand=brand, level="gold")
    brand = services.brand_rate(actor=b.officer, brand=brand, level="cultivation", rated_on=dt.date(2026, 11, 1))
    assert (brand.status, brand.level, brand.rated_year, brand.rated_by_org) == ("rated", "cultivation", 2026, b.p.c1)
    brand = services.brand_rate(actor=b.officer, brand=brand, level="demonstration")  # 培育 → 示范
    assert brand.level == "demonstration"
    with pytest.raises(Conflict):  # a 示范 brand is not rated again
        services.brand_rate(actor=b.officer, brand=brand, level="cultivation")
    verbs = list(Event.objects.filter(object_type="partybrands.brand", object_id=str(brand.pk))
                 .order_by("pk").values_list("verb", flat=True))
    assert verbs[:3] == ["brand.create", "brand.apply", "brand.review_open"] and verbs.count("brand.rate") == 2


def test_a_rating_by_a_body_outside_the_platform_names_it(b):
    brand = _reviewed(b, full_brand(b))
    brand = services.brand_rate(actor=b.officer, brand=brand, level="demonstration",
                                rated_by_body="中共东营市委教育工作委员会")
    assert brand.rated_by_body == "中共东营市委教育工作委员会" and brand.rated_by_org is None


def test_returned_for_changes_and_revoked_with_a_reason(b):
    brand = full_brand(b)
    services.brand_apply(actor=b.secretary, brand=brand)
    with pytest.raises(ValidationFailed):
        services.brand_return(actor=b.officer, brand=brand, reason=" ")
    brand = services.brand_return(actor=b.officer, brand=brand, reason="成效材料不足")
    assert brand.status == "draft" and brand.return_reason == "成效材料不足"
    services.brand_update(actor=b.secretary, brand=brand, results="补充了三年成效")
    brand = _reviewed(b, brand)
    brand = services.brand_rate(actor=b.officer, brand=brand, level="demonstration")
    with pytest.raises(ValidationFailed):
        services.brand_revoke(actor=b.officer, brand=brand, reason="")
    brand = services.brand_revoke(actor=b.officer, brand=brand, reason="工作成效不再符合示范要求")
    assert brand.status == "revoked" and brand.revoked_on is not None
    with pytest.raises(Conflict):
        services.brand_revoke(actor=b.officer, brand=brand, reason="再撤")
    # the name is free again for a new brand of the organisation
    assert full_brand(b).status == "draft" and Brand.objects.filter(name="先锋网格").count() == 2


def test_two_live_brands_of_one_organisation_cannot_share_a_name(b):
    full_brand(b)
    with pytest.raises(ValidationFailed) as err:
        full_brand(b)
    assert err.value.field == "name"


def test_a_refused_logo_leaves_no_brand(b):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationFailed):
        services.brand_create(actor=b.secretary, org=b.p.g1, sector="community", name="坏标识",
                              logo=SimpleUploadedFile("x.png", b"not an image"))
    assert not Brand.objects.exists()
