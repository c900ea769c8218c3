"""The finder understands everyday words: the demo catalogue (206 items with their aliases and keywords) answers
what residents type, on the pages and through the API."""

import random

import pytest
from django.urls import reverse

from grassroots.core.errors import ValidationFailed
from grassroots.lifecircle import search, selectors
from grassroots.lifecircle.demo import create_catalogue
from grassroots.lifecircle.models import ServiceItem

pytestmark = pytest.mark.django_db

# what a resident types → the catalogue name of the item they mean; it must be among the first TOP results
EVERYDAY = [
    ("社保卡补办", "社会保障卡补换"),
    ("开证明", "社区证明居住证明"),
    ("办居住证", "居住证申领"),
    ("老年卡", "老年人优待证办理"),
    ("残疾证", "残疾人证申领"),
    ("低保", "城乡居民最低生活保障申请"),
    ("生育登记", "生育登记服务办理"),
    ("准生证", "生育登记服务办理"),
    ("医保报销", "城乡居民基本医疗保险医疗费用报销"),
    ("户口迁移", "户籍迁入登记"),
    ("就业登记", "就业创业证申领"),
    ("失业金", "失业保险金申领"),
    ("养老金认证", "退休人员资格认证"),
    ("独生子女证", "独生子女父母奖励光荣证补办"),
    ("营业执照", "个体工商户设立登记"),
    ("办健康证", "从业人员健康证明办理"),
    ("孩子上学", "义务教育入学报名咨询"),
    ("租房备案", "出租房屋信息登记"),
    ("退役军人", "退役军人优待证申领"),
    ("高龄补贴", "高龄津贴申领"),
    ("临时救助", "临时救助申请"),
    ("身份证丢了", "居民身份证补领"),
    ("我想问一下怎么办身份证", "居民身份证申领"),
    ("结婚登记", "婚姻登记预约"),
    ("狗证", "犬只登记办理"),
    ("电动车上牌", "电动自行车登记上牌"),
    ("公租房", "公共租赁住房申请受理"),
    ("加装电梯", "电梯加装申请受理"),
    ("社保卡", "社会保障卡申领"),
    ("社会保障卡挂失", "社会保障卡挂失"),
    ("死亡证明", "居民死亡医学证明开具"),
    ("丧葬费", "殡葬补贴申领"),
    ("入党", "入党申请递交"),
    ("暖气报停", "暖气报停"),
]
TOP = 3


@pytest.fixture
def catalogue(world):
    create_catalogue(world.zone, random.Random(1))
    return world


@pytest.mark.parametrize(("query", "expected"), EVERYDAY, ids=[q for q, _ in EVERYDAY])
def test_an_everyday_query_finds_the_item_among_the_first_results(catalogue, query, expected):
    names = [i.name for i in selectors.service_items(actor=None, q=query)[:TOP]]
    assert expected in names, names


def test_the_everyday_queries_are_many_and_the_demo_catalogue_is_whole(catalogue):
    assert len(EVERYDAY) >= 20
    assert ServiceItem.objects.count() == 206
    names = set(ServiceItem.objects.values_list("name", flat=True))
    assert {expected for _, expected in EVERYDAY} <= names
    assert ServiceItem.objects.exclude(aliases="").count() >= 40


def test_parts_of_words_match_without_aliases(world):
    """社保卡 is 社会保障卡 with characters left out: found by its name alone, ranked above an item sharing only 补."""
    for code, name in (("A1", "社会保障卡补换"), ("A2", "社会保障卡挂失"), ("A3", "居住证补领"), ("A4", "残疾人证申领")):
        ServiceItem.objects.create(code=code, name=name, item_type="public_service", competent_department="人社",
                                   implementing_body="社区")
    names = [i.name for i in selectors.service_items(actor=None, q="社保卡补办")]
    assert names[0] == "社会保障卡补换" and "居住证补领" not in names
    assert [i.name for i in selectors.service_items(actor=None, q="残疾证")] == ["残疾人证申领"]


def test_results_are_ranked_by_relevance_not_by_code(catalogue):
    names = [i.name for i in selectors.service_items(actor=None, q="社保卡补办")]
    assert names[0] == "社会保障卡补换"
    codes = [i.code for i in selectors.service_items(actor=None, q="社保卡补办")]
    assert codes != sorted(codes)


def test_a_query_about_nothing_in_the_catalogue_finds_nothing(catalogue):
    assert list(selectors.service_items(actor=None, q="火星旅游签证")) == []
    assert list(selectors.service_items(actor=None, q="！？ ")) == []


def test_filters_still_apply_to_a_search(catalogue):
    street = [i.level for i in selectors.service_items(actor=None, q="户口迁移", level="street")]
    assert street and set(street) == {"street"}
    community = [i.name for i in selectors.service_items(actor=None, q="户口迁移", level="community")]
    assert "户籍迁入登记" not in community and "户籍迁出登记" not in community


def test_retired_items_are_not_found(catalogue):
    ServiceItem.objects.filter(name="社会保障卡补换").update(active=False)
    assert "社会保障卡补换" not in [i.name for i in selectors.service_items(actor=None, q="社保卡补办")]


def test_the_search_reads_the_catalogue_in_one_query(catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # the words of the catalogue, then the ranked page
        list(selectors.service_items(actor=None, q="社保卡补办")[:20])


def test_the_finder_page_lists_everyday_matches_best_first(client, catalogue):
    page = client.get(reverse("lifecircle:finder"), {"q": "社保卡补办"}).content.decode()
    assert page.index("社会保障卡补换") < page.index("社会保障卡挂失")
    page = client.get(reverse("lifecircle:items"), {"q": "开证明"}).content.decode()
    assert "社区证明居住证明" in page and "没有符合条件的事项" not in page


def test_the_api_lists_everyday_matches_best_first_with_their_words(client, catalogue):
    data = client.get("/api/lifecircle/items", {"q": "老年卡"}).json()
    assert data["items"][0]["name"] == "老年人优待证办理"
    assert "办老年卡" in data["items"][0]["aliases"] and "老年卡" in data["items"][0]["keywords"]


# --- the pure parts ------------------------------------------------------------------------------------------------
def test_queries_are_normalised_and_question_words_dropped():
    assert search.normalise("ＡＢ 社保卡，补办！") == "ab社保卡补办"
    assert search.query_text("请问在哪里补办社保卡？") == "补办社保卡"
    assert search.query_text("怎么") == "怎么"  # nothing but question words: kept as typed


def test_terms_are_split_trimmed_and_deduplicated():
    assert search.clean_terms("社保卡补办\n 补办社保卡 、社保卡补办,补卡", field="aliases") == [
        "社保卡补办", "补办社保卡", "补卡"]
    assert search.clean_terms(["  丢了 ", "", "丢了"], field="keywords") == ["丢了"]


@pytest.mark.parametrize("bad", ["长" * 31, "\n".join(f"词{i}" for i in range(31)), "社保\u200b卡", "\u202e卡保社"])
def test_too_long_or_too_many_terms_are_refused(bad):
    with pytest.raises(ValidationFailed) as err:
        search.clean_terms(bad, field="aliases")
    assert err.value.field == "aliases"


def test_a_long_query_is_cut_to_a_few_words(catalogue):
    assert len(search.query_text("社保卡补办" * 40)) == search.MAX_QUERY
    assert selectors.service_items(actor=None, q="社保卡补办" * 40)[0].name == "社会保障卡补换"


def test_an_abbreviation_scores_above_a_shared_single_character():
    assert search.term_score("社保卡", "社会保障卡") > search.term_score("社保卡", "居住证补领")
    assert search.lcs_length("社保卡补办", "社会保障卡补换") == 4
