"""List questions for any topic: question analysis by grouping, and answers grouped by the place a sentence names,
the issuing unit, the organisation or the report's year, over small synthetic reports and the fake embedder."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from fakes import BigramEmbedder
from ghqa.ingest.clean import normalize_for_index
from ghqa.qa.answer import extractive_answer
from ghqa.qa.lists import ListSettings, gather_passages, list_answer, narrow_list_answer
from ghqa.qa.questions import analyze_question
from ghqa.qa.topic_keys import (
    bridged_phrases,
    coordinated_spellings,
    key_phrases,
    left_out_keys,
    repeated_names,
    spelling_variants,
)
from ghqa.qa.word_classes import holds_as_words, tagged_words, topic_words

import ghqa


class _TextStore:
    """The retriever's phrase lookups over a few texts: every text holding a phrase, and how many do."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts

    def gather(self, terms, filters=None, limit=None):
        return [SimpleNamespace(text=t) for t in self.texts if any(term in t for term in terms)]

    def document_frequency(self, phrase: str) -> int:
        return sum(phrase in t for t in self.texts)


def _frequency_of(counts: dict[str, int]) -> Callable[[str], int]:
    """Passage counts as `frequency` reads them: a phrase the dict does not list is held by no passage."""
    return lambda phrase: counts.get(phrase, 0)


@pytest.mark.parametrize(
    ("question", "grouping", "topic_word"),
    [
        ("哪些省份提出建设低空经济示范区？", "province", "低空经济"),
        ("提到夜市经济的有哪些省份？", "province", "夜市经济"),
        ("哪些城市开通了地铁？", "prefecture", "地铁"),
        ("列出建成智慧停车场的城市", "prefecture", "智慧停车场"),
        ("哪些乡镇成立了劳动争议调解委员会？", "township", "劳动争议调解委员会"),
        ("哪些区县打算建设职工驿站？", "county", "职工驿站"),
        ("哪几年的政府工作报告讲到了乡村振兴？", "year", "乡村振兴"),
        ("哪一年的政府工作报告提出了西部大开发？", "year", "西部大开发"),
        ("哪些企业建立了职工书屋？", "organisation", "职工书屋"),
        ("Which cities opened a metro line?", "prefecture", "metro"),
    ],
)
def test_list_questions_of_every_grouping_with_unseen_topics(question, grouping, topic_word):
    a = analyze_question(question)
    assert a.kind == "list"
    assert a.grouping == grouping
    assert topic_word in a.topic
    # Scaffolding is not topic: neither the grouping word nor the verbs of saying.
    for word in ("哪些", "哪几", "省份", "城市", "乡镇", "区县", "政府工作报告", "提到", "提出", "讲到", "打算"):
        assert word not in a.topic


def test_key_phrase_drops_verbs_and_generic_words_by_corpus_frequency():
    counts = {"发展": 900, "银发": 18, "经济": 800, "银发经济": 17, "提高": 700, "最低工资": 12, "标准": 600}
    counts |= {"机场": 40, "扩建": 15, "新建": 30, "平台": 500, "企业": 900, "平台企业": 10, "企业发展": 60}

    frequency = _frequency_of(counts)

    assert key_phrases("发展银发经济", frequency, common=100) == ["银发"]
    assert key_phrases("提高最低工资标准", frequency, common=100) == ["最低工资"]
    assert key_phrases("新建或扩建机场", frequency, common=100) == ["机场"]
    assert key_phrases("支持平台企业发展", frequency, common=100) == ["平台企业"]
    # Every word generic: the pair naming a thing, though the pair ending in an activity (乡村建设) is rarer.
    counts |= {"美丽": 200, "乡村": 300, "建设": 900, "美丽乡村": 19, "乡村建设": 16}
    assert key_phrases("开展美丽乡村建设", frequency, common=100) == ["美丽乡村"]
    # And the pair ending in a thing, though the pair ending in a classifier (医疗次) is rarer; the last such pair,
    # the noun phrase's head, though a large corpus holds 建设医疗 (建设 is a verbal noun) less often.
    counts |= {"医疗": 200, "次": 300, "中心": 400, "医疗次": 1, "次中心": 2}
    assert key_phrases("在建设医疗次中心", frequency, common=100) == ["次中心"]
    counts |= {"建设医疗": 1, "医疗次": 5, "次中心": 6}
    assert key_phrases("在建设医疗次中心", frequency, common=100) == ["次中心"]
    assert key_phrases("马拉松比赛", frequency, common=100) == []


def test_years_opening_a_span_and_localisers_of_time_are_no_keys():
    counts = {"1997": 25, "年": 900, "香港": 40, "回归祖国": 6, "香港回归祖国": 5, "1998": 30, "以后": 200, "之后": 150}

    frequency = _frequency_of(counts)

    # 1998 and 以后 say which reports to read; every report from 1998 on holds them.
    assert key_phrases("1997年香港回归祖国之后（1998年及以后）", frequency, common=100) == ["香港回归祖国"]
    # A year before a verb says when it was done, as a time word does (1984年决定进一步开放).
    years = {"1984": 4, "年": 900, "决定": 300, "年决定": 2, "开放": 500, "沿海港口": 5, "城市": 2000}
    assert key_phrases("1984年决定开放的沿海港口城市", lambda p: years.get(p, 0), common=100) == ["沿海港口"]
    # A year dating the topic is what later reports write of it; an extent (以上) is part of what is named.
    for topic, kept in (("2003年的非典疫情", "2003"), ("省级以上称号", "以上"), ("2008年南方雨雪冰冻灾害", "2008")):
        words = tagged_words(topic)
        assert kept in [
            w for (w, _), is_topic in zip(words, topic_words(words, every_word=False), strict=True) if is_topic
        ]


def test_a_name_given_in_brackets_is_a_key_beside_rarer_words_around_it():
    counts = {"电瓶车": 0, "电动自行车": 8, "充电": 40, "火灾隐患": 5, "停放": 12, "秩序": 90, "安全": 900}
    counts |= {"能力": 600, "碳汇": 18, "森林": 80, "草原": 60, "生态系统": 30, "从县城": 3, "干线": 20}

    frequency = _frequency_of(counts)

    assert "电动自行车" in key_phrases("电瓶车（电动自行车）的充电火灾隐患", frequency, common=300)
    # After examples of a kind (森林、草原等), the name in brackets still counts.
    assert "碳汇" in key_phrases("提升森林、草原等生态系统的能力（碳汇）", frequency, common=300)
    # A remark that describes (function words) or lists examples names nothing.
    assert "从县城" not in key_phrases("干线（从县城）", frequency, common=300)
    # Nor one that qualifies the word after it, written with it.
    counts |= {"中国特色": 200, "中国": 3000, "特色": 1500, "自由贸易": 40, "港": 300, "海南": 250, "建设": 3800}
    counts |= {"中国特色自由贸易": 5}
    assert "中国特色" not in key_phrases("海南建设（中国特色）自由贸易港", frequency, common=300)


def test_a_name_in_quotation_marks_is_a_key_beside_rarer_words_around_it():
    # The national reports' counts: 打破企业 is rarer than 大锅饭, but one passage's accident.
    counts = {"要": 3946, "打破": 49, "企业": 1910, "打破企业": 1, "职工": 467, "吃": 54, "大锅饭": 11, "要打破": 5}
    counts |= {"吃大锅饭": 9, "锅": 29, "饭": 33, "大锅": 11}
    frequency = _frequency_of(counts)

    assert key_phrases("要打破企业或职工吃“大锅饭”", frequency, common=300) == ["打破企业", "大锅饭"]
    assert "大锅饭" in key_phrases("打破企业或职工吃「大锅饭」", frequency, common=300)  # any quotation marks
    # Held by more passages than a key may be, or by none, it is no key.
    assert "企业" not in key_phrases("要打破“企业”或职工吃大锅饭", frequency, common=300)
    assert "大食堂" not in key_phrases("要打破企业或职工吃“大食堂”", frequency, common=300)


def test_one_character_in_brackets_is_spelled_with_and_without():
    counts = {"区域": 560, "性": 900, "中心": 670, "城市": 760, "区域中心城市": 6, "区域性中心城市": 3, "定位": 55}
    counts |= {"县": 500, "区": 2600, "乡镇": 130}

    frequency = _frequency_of(counts)

    keys = key_phrases("定位为区域（性）中心城市", frequency, common=300)
    assert {"区域中心城市", "区域性中心城市"} <= set(keys) and "性中心" not in keys
    # A division's kind word is another kind of place: no spelling of it.
    assert key_phrases("县（区）的乡镇", frequency, common=300) == ["乡镇"]


def test_a_list_the_reports_write_short_is_keyed_by_its_short_form():
    counts = {"电源": 90, "电网": 200, "用电": 100, "负荷": 50, "储能": 90, "统筹": 800, "源网荷储": 10}
    counts |= {"农业": 900, "林业": 80, "牧业": 20, "渔业": 30, "农林牧渔": 9, "农业牧业": 2, "北京": 500}

    frequency = _frequency_of(counts)

    assert key_phrases("把电源、电网、用电负荷和储能统筹起来", frequency, common=300) == ["源网荷储"]
    # Not a character the items share (业 of 农业、林业, 电 of 电源、电网): it tells none apart.
    assert key_phrases("农业、林业、牧业和渔业", frequency, common=300) == ["农林牧渔"]
    assert "源网荷储" not in key_phrases("电源、电网或储能", frequency, common=300)


def test_a_key_one_passage_holds_is_also_read_without_the_attribute_it_opens_with():
    counts = {"或正在": 3, "正在建设": 2, "建设国家级": 4, "数据标注": 9, "标注": 13, "标注基地": 5, "建设": 3823}
    counts |= {"国家级": 182, "国家级数据标注基地": 1, "数据": 146, "数据标注基地": 5}  # the provincial reports'

    frequency = _frequency_of(counts)

    topic = "建有或正在建设国家级数据标注基地"
    assert key_phrases(topic, frequency, common=309) == ["国家级数据标注基地", "数据标注基地"]
    counts["国家级数据标注基地"] = 4  # held by several passages: the level asked is kept
    assert key_phrases(topic, frequency, common=309) == ["国家级数据标注基地"]


def test_a_pronoun_with_its_classifier_is_no_key():
    counts = {"那条": 2, "热线": 20, "那场": 1, "地震": 12}

    frequency = _frequency_of(counts)

    # jieba tags 那条 and 那场 as quantities; the corpus holds them rarely, so they were the rarest words.
    assert key_phrases("那条热线", frequency, common=300) == ["热线"]
    assert key_phrases("那场地震", frequency, common=300) == ["地震"]


def test_a_character_jieba_could_not_place_joins_its_word_where_the_corpus_writes_them_together():
    counts = {"物联网": 9, "联网": 40, "雾霾": 6, "雾": 8, "治理": 900, "国家": 3000, "试点": 400, "国家选": 1}

    frequency = _frequency_of(counts)

    # jieba splits 物|联网 and 雾|霾; the keys are the words the reports write.
    assert key_phrases("物联网", frequency, common=300) == ["物联网"]
    assert key_phrases("治理雾霾", frequency, common=300) == ["雾霾"]
    # A suffix ends the word before it, wherever it stands (紧密|型).
    counts.update({"全国": 900, "紧密": 20, "紧密型": 6, "城市": 3000, "医疗": 500, "集团": 60})
    counts.update({"紧密型城市医疗集团": 5})
    assert key_phrases("入选全国紧密型城市医疗集团试点", frequency, common=300) == ["紧密型城市医疗集团"]
    # 选 of 国家|选|为 stands between two words and may belong to either: no join.
    assert "国家选" not in key_phrases("被国家选为试点", frequency, common=300)
    # A name's last character read as a verb ends it (新农|合), where the corpus writes them together.
    counts.update({"新农": 36, "合": 3000, "新农合": 6})
    assert key_phrases("新农合", frequency, common=300) == ["新农合"]


def test_a_key_never_ends_in_a_prefix_of_the_word_after_it():
    counts = {
        "省域": 12,
        "副": 60,
        "中心": 2000,
        "城市": 3000,
        "中心城市": 400,
        "省域副": 8,
        "省域副中心": 8,
        "定位": 300,
    }

    frequency = _frequency_of(counts)

    # 副 is no key's end: 中心 is generic, yet 省域副 names nothing.
    assert key_phrases("被定位为省域副中心城市", frequency, common=100) == ["省域副中心"]


def test_a_key_goes_across_generic_words_to_a_rarer_word_the_corpus_writes_with_it():
    counts = {"建设": 3823, "黄河": 92, "国家": 2375, "文化公园": 15, "国家文化公园": 15, "黄河国家文化公园": 3}

    frequency = _frequency_of(counts)

    # 文化公园 alone names the Great Wall's and the Long March's parks too.
    assert key_phrases("建设黄河国家文化公园", frequency, common=300) == ["黄河国家文化公园"]
    # Not where the corpus never writes them together.
    counts["黄河国家文化公园"] = 0
    assert key_phrases("建设黄河国家文化公园", frequency, common=300) == ["文化公园"]
    # Nor where it also writes them without the generic words: those are no part of a name (国家5A级景区 too).
    counts["黄河国家文化公园"] = 3
    counts["黄河文化公园"] = 2
    assert key_phrases("建设黄河国家文化公园", frequency, common=300) == ["文化公园"]
    # Which says nothing of words written right beside it, with no generic word between.
    counts |= {"黄河": 4, "黄河文化公园": 0, "示范区": 40, "黄河国家文化公园示范区": 2, "文化公园示范区": 2}
    assert key_phrases("建设黄河国家文化公园示范区", frequency, common=300) == ["黄河国家文化公园示范区"]


def test_a_key_s_first_words_listed_beside_others_before_the_rest_spell_it_too():
    texts = [
        "推进长征、黄河、长江等国家文化公园建设。",
        "建成用好长城、长征、黄河国家文化公园。",
        "建设长征国家文化公园。",
        "建设大运河国家文化公园和长征步道。",
        "重要领域和关键环节取得突破。",
    ]

    store = _TextStore(texts)
    spelled = {"长征、黄河、长江等国家文化公园", "长征、黄河国家文化公园"}
    assert set(coordinated_spellings(store, "长征国家文化公园", store.document_frequency, common=4)) == spelled
    # Where the rest is generic (in more passages than `common`), the words listed may be of anything it names.
    assert coordinated_spellings(store, "长征国家文化公园", store.document_frequency, common=3) == []
    assert (
        coordinated_spellings(store, "文化公园", store.document_frequency, common=4) == []
    )  # one word: nothing to list beside
    assert (
        coordinated_spellings(store, "领域取得", store.document_frequency, common=4) == []
    )  # a verb is no head the listed words share


@pytest.mark.parametrize(
    ("topic", "names"),
    [
        ("北斗卫星导航系统的推广应用或北斗相关产业", ["北斗"]),
        ("汶川特大地震或汶川灾后恢复重建", ["汶川"]),
        # Said again but not opening each alternative: one of several things the topic is about.
        ("冬季冰雪旅游、冰雪消费或冰雪经济", []),
        # No place: 上海 of 上海世博会 is where, not what.
        ("上海世博会或上海世界博览会", []),
    ],
)
def test_a_noun_opening_each_alternative_is_what_they_are_about(topic, names):
    assert repeated_names(topic) == names


def test_a_key_counting_its_items_reads_as_many_items_after_it():
    from ghqa.qa.lists import _counted_items

    numbered = [
        "民生是执政之本。",
        "今年将办好3件民生实事：①完成何桥土地整治。",
        "②完成东闾水厂。",
        "③完成冉庄公园。",
        "加强监管。",
    ]
    assert _counted_items(numbered, ["3件民生实事"]) == {1: ["3件民生实事"], 2: ["3件民生实事"], 3: ["3件民生实事"]}
    semicolons = ["推进“两个引爆点”建设，北岳古城完成拆迁;", "羊平雕刻小镇完成规划。", "灵山镇修路。"]
    assert set(_counted_items(semicolons, ["两个引爆点"])) == {0, 1}
    # A sentence that only names the programme: what follows is no item of it.
    named = ["办好20项民生工程和3件民生实事。", "新增就业800人。", "杨家台养老中心投入使用。", "城乡养老保险扩面。"]
    assert _counted_items(named, ["3件民生实事"]) == {}
    # Fewer items than counted where the passage ends first: the list goes on in the next passage.
    assert set(_counted_items(numbered[:3], ["3件民生实事"])) == {1, 2}
    # Past ⑩, a page scraped through GBK writes each number as ?, which ends the item before it.
    circled = "①②③④⑤⑥⑦⑧⑨⑩"
    lost = [
        "今年实施12件惠民实事。",
        *(f"{n}修建{n}号路。" for n in circled[:-1]),
        "⑩建成东墟学校。?",
        "完成小店镇污水治理。?",
    ]
    assert set(_counted_items(lost, ["12件惠民实事"])) == set(range(12))
    # Before ⑩ a ? is the page's own: the items stop there, short of the count.
    assert _counted_items([*lost[:3], "修建路。?", "完成污水治理。"], ["12件惠民实事"]) == {}


def test_a_key_with_the_place_the_thing_is_in_inside_it_spells_it_too():
    texts = [
        "加快中欧班列广州集结中心建设。",
        "建好建强国家中欧班列（沈阳）集结中心。",
        "加快建设合肥中欧班列集结中心。",
        "中欧班列开行超2000列，集结中心获批。",
        "中欧班列提质集结中心扩能。",
    ]

    store = _TextStore(texts)
    spelled = coordinated_spellings(store, "中欧班列集结中心", store.document_frequency, common=5)
    # Not 提质, no place's name: the words between say something else.
    assert set(spelled) == {"中欧班列广州集结中心", "中欧班列(沈阳)集结中心"}


def test_a_rare_verb_after_the_topic_s_noun_is_part_of_its_name():
    counts = {"长江": 122, "禁渔": 13, "数据": 146, "标注": 13, "数据标注": 9}

    frequency = _frequency_of(counts)

    # jieba tags 禁渔 and 标注 verbs; the predicate of a topic is generic or has something after it. Never written
    # together, 长江禁渔 keys on its head, the verb that ends it (the reports say 长江十年禁渔), not on 长江.
    assert key_phrases("长江禁渔", frequency, common=300) == ["禁渔"]
    assert key_phrases("数据标注", frequency, common=300) == ["数据标注"]
    # Before the topic's next word only when the corpus writes the two together: 推行 here is the predicate.
    counts |= {"景区": 100, "推行": 100, "电子": 50, "门票": 20, "电子门票": 8}
    assert key_phrases("在景区推行电子门票", frequency, common=300) == ["电子门票"]


def test_rare_verbs_the_corpus_writes_before_the_topic_s_noun_are_part_of_its_name():
    counts = {"在建": 40, "抽水": 6, "蓄能": 8, "电站": 15, "抽水蓄能电站": 5, "改造": 200, "运动场": 4}
    counts["要改造运动场"] = 1
    # jieba tags 抽水 and 蓄能 verbs: 电站 alone would take every 变电站. The topic's first verb is its predicate.
    assert key_phrases("在建抽水蓄能电站", lambda p: counts.get(p, 0), common=30) == ["抽水蓄能电站"]
    # A verbal noun before them is the predicate too (建设 is tagged vn), with 在 or without.
    counts["建设"] = 300
    assert key_phrases("在建设抽水蓄能电站", lambda p: counts.get(p, 0), common=30) == ["抽水蓄能电站"]
    assert key_phrases("建设抽水蓄能电站", lambda p: counts.get(p, 0), common=30) == ["抽水蓄能电站"]
    # The name is one word of its run, though its noun alone is generic (休闲农业, 农业).
    counts |= {"发展": 400, "休闲": 20, "农业": 187, "休闲农业": 1}
    assert key_phrases("在发展休闲农业", lambda p: counts.get(p, 0), common=100) == ["休闲农业"]
    # A generic verb is a predicate, however the corpus writes it.
    assert key_phrases("要改造运动场", lambda p: counts.get(p, 0), common=30) == ["运动场"]


def test_a_key_s_usual_short_form_is_a_key_too():
    from ghqa.qa.topic_keys import abbreviations

    # The first character of each word and the key word's last, from the key's own words or the topic's word before it.
    assert abbreviations("经济开发区", ["经济开发区"]) == ["经开区"]
    assert abbreviations("在建设综合保税区", ["保税区"]) == ["综保区"]
    assert abbreviations("在发展农产品加工", ["农产品加工"]) == []  # 加工 has two characters: no short form
    # A key of three words: 亚洲冬季运动会 is written 亚冬会.
    assert "亚冬会" in abbreviations("亚洲冬季运动会", ["亚洲冬季运动会"])


@pytest.mark.parametrize(
    ("topic", "read"),
    [
        ("可控核聚变（聚变能源）", "可控核聚变或聚变能源"),
        ("邮轮（如邮轮港、邮轮旅游）", "邮轮或邮轮港、邮轮旅游"),
        ("（聚变能源）可控核聚变", "聚变能源或可控核聚变"),
        ("可控核聚变（聚变能源（人造太阳））", "可控核聚变或聚变能源或人造太阳"),  # innermost first
        ("可控核聚变（或）", "可控核聚变"),  # nothing after the opening word
        # Examples of the kind before it are words of the topic as they stand.
        ("能源项目（变电站、风电场之类）", "能源项目 变电站、风电场之类"),
    ],
)
def test_a_remark_in_brackets_is_an_alternative_unless_it_leaves_something_out(topic, read):
    from ghqa.qa.topic_keys import bracket_alternatives

    assert bracket_alternatives(topic).strip() == read


def test_abbreviated_forms_shorten_two_words_or_more_to_three_characters_or_more():
    from ghqa.qa.topic_keys import abbreviated_forms

    assert "营改增" in abbreviated_forms(["营业税", "改征", "增值税"])
    assert "海上风电" in abbreviated_forms(["海上", "风力", "发电"])
    assert "北京冬奥会" in abbreviated_forms(["北京", "冬季", "奥林匹克运动会"])
    assert abbreviated_forms(["综合", "保税区"]) == ["综保区"]  # one word shortened alone is no short form (综保税区)
    assert abbreviated_forms(["生态", "产业园"]) == []  # 生产园 reads 生产|园区
    # Unless the short form is a word of its own: 亚运会, though 亚运 is a word too.
    assert "亚运会" in abbreviated_forms(["亚洲", "运动会"])
    assert "科创中" not in abbreviated_forms(["科技", "创新", "中心"])  # a last word of two characters keeps its last
    # A word kept whole comes before the shortened ones: 国经济技 is only ever a stretch of 中国经济技术….
    assert "国经济技" not in abbreviated_forms(["国家级", "经济", "技术开发区"])
    assert "国经技" in abbreviated_forms(["国家级", "经济", "技术开发区"])


def test_a_run_never_written_whole_is_keyed_by_its_short_form():
    counts = {"北京": 100, "冬季": 20, "奥林匹克运动会": 0, "北京冬奥会": 7, "冬奥会": 10, "运动会": 38}
    counts |= {"建设": 900, "污水": 30, "处理厂": 18, "污水处理厂": 15, "建污水处": 1}

    frequency = _frequency_of(counts)

    assert key_phrases("北京冬季奥林匹克运动会", frequency, common=300) == ["北京冬奥会"]
    # A generic word at the edge is no part of the name: 污水处理厂 is written whole.
    assert key_phrases("在建设污水处理厂", frequency, common=300) == ["污水处理厂"]
    # The words before a name may qualify it and stay out of its short form.
    counts |= {"海关": 30, "综合性": 31, "保税": 37, "园区": 159, "综保区": 13}
    assert key_phrases("海关综合性保税园区", frequency, common=300) == ["综保区"]
    counts["北京冬奥会"] = 0
    assert key_phrases("北京冬季奥林匹克运动会", frequency, common=300) == ["冬奥会"]
    # A generic word may open the name all the same, where the rest has no short form.
    counts |= {"新型": 400, "冠状病毒": 0, "肺炎": 7, "新冠肺炎": 4}
    assert key_phrases("新型冠状病毒肺炎", frequency, common=300) == ["新冠肺炎"]
    # Unless the rest is written whole: then it is the name, not a short form of it.
    counts |= {"上海": 200, "国际": 250, "进口": 60, "博览会": 40, "进口博览会": 5, "进博会": 3}
    assert key_phrases("上海国际进口博览会", frequency, common=300) == ["进口博览会"]


# Passage counts for the cases below, as a corpus of some 7,000 passages holds the words.
_COUNTS = {"那": 209, "十年": 125, "文化大革命": 19, "长江": 150, "禁渔": 12, "长江十年": 9, "另": 72, "一座": 2}
_COUNTS |= {"城市": 766, "结成": 7, "对子": 3, "帮助": 182, "群众": 1110, "管住": 4, "体重": 4, "防控": 180}
_COUNTS |= {"农村": 639, "农村群众": 4, "保障": 646, "饮用水": 28, "安全": 539, "民间文化": 12, "地方志": 5}
_COUNTS |= {"方面": 900, "最美": 20, "政府": 2000, "质量奖": 4, "入选": 71, "乡村": 526, "旅游": 303, "重点": 939}
_COUNTS |= {"旅游重点": 20, "重点镇": 30, "乡镇": 162}
_COUNTS |= {"22": 114, "22项": 3, "项": 400, "民生": 507, "工程": 841, "民生工程": 44, "22项民生": 1, "列入": 90}


@pytest.mark.parametrize(
    ("topic", "keyed", "not_keyed"),
    [
        # A count of what the topic names (“文革”那十年, 另一座) names nothing; between two words of a name it is part of it.
        ("“文革”那十年（文化大革命）", ["文化大革命"], ["十年"]),
        ("与另一座城市结成对子", [], ["一座"]),
        ("长江十年禁渔", ["长江十年"], []),
        # So is one in digits, which jieba cuts from its unit (22|项).
        ("列入了22项民生工程", ["民生工程"], ["22", "22项民生"]),
        # A run right before a word never written that it qualifies or, an activity, acts on (农村群众|吃水难, 防控|超重)
        # says who or what is done, not the thing asked about, where another run has a key; alone it is all there is.
        ("帮助群众管住体重、防控超重和肥胖", ["体重"], ["防控"]),
        ("解决农村群众吃水难、保障饮用水安全", ["饮用水"], ["农村群众"]),
        ("防控超重", ["防控"], []),
        # Not a thing before a verb never written, which says what was done with it, nor a run before 之类.
        ("在民间文化或地方志编修方面", ["民间文化", "地方志"], []),
        ("最美乡村、政府质量奖之类", ["质量奖"], []),
        # The asked level's word in brackets (重点镇（乡镇）) is no name of the topic.
        ("入选乡村旅游重点镇（乡镇）", ["旅游重点"], ["乡镇"]),
    ],
)
def test_counts_qualifiers_of_unwritten_words_and_the_level_s_word_are_no_keys(topic, keyed, not_keyed):
    township = frozenset({"乡镇", "镇", "乡"})

    keys = key_phrases(topic, _frequency_of(_COUNTS), common=300, level_words=township)

    assert set(keyed) <= set(keys) and not set(not_keyed) & set(keys)


def test_a_year_in_digits_dates_the_topic_and_counts_nothing():
    words = tagged_words("2003年的非典疫情")
    assert topic_words(words, every_word=False)[0] and words[0][0] == "2003"


@pytest.mark.parametrize(
    ("topic", "words"),
    [
        # jieba's dictionary holds 或非 (a logic gate) and 或硬件: the 或 joining alternatives is no part of them.
        ("非典或非典型肺炎疫情", ["非典", "或", "非典型", "肺炎", "疫情"]),
        ("光伏或硬件设施", ["光伏", "或", "硬件", "设施"]),
        ("种植基地或是主产地", ["种植", "基地", "或是", "主产地"]),
    ],
)
def test_the_or_joining_alternatives_is_a_word_of_its_own(topic, words):
    assert [word for word, _ in tagged_words(topic)] == words


def test_letters_and_digits_written_together_are_one_key():
    counts = {"6": 1265, "g": 400, "6g": 6, "基站": 40, "5g": 30, "5g基站": 12, "建设": 900}

    frequency = _frequency_of(counts)

    # jieba cuts 6G into a numeral and a letter; 6 alone is in every other passage.
    assert key_phrases("6G", frequency, common=300) == ["6g"]
    assert key_phrases("建设5G基站", frequency, common=300) == ["5g基站"]


def test_a_topic_word_the_corpus_never_holds_stands_for_its_parts_it_holds():
    counts = {"建设": 900, "养猪": 3, "猪场": 2, "工业": 800, "时期": 50}

    frequency = _frequency_of(counts)

    # 养猪场 is written 种猪场 or 养猪项目: its parts are the keys, not the generic verb beside it.
    assert key_phrases("建设了养猪场", frequency, common=100) == ["养猪", "猪场"]
    # A generic part is no stand-in: 工业 says nothing of 工业遗址.
    assert key_phrases("保护工业遗址", frequency, common=100) == []
    # Alternatives (、/或) keep only the ones that are not generic: 建设 is what every report does.
    counts |= {"建材": 11, "物流园区": 2}
    assert key_phrases("建设、建材或物流园区", frequency, common=100) == ["建材", "物流园区"]
    # Words never written together: the head noun, the last (高速公路互通 → 互通), not the rarest.
    counts |= {"高速公路": 5, "互通": 20}
    assert key_phrases("高速公路互通", frequency, common=100) == ["互通"]
    # jieba tags some such heads as fixed expressions (连接线, 出入口): they are heads too.
    counts |= {"连接线": 8}
    assert key_phrases("高速公路连接线", frequency, common=100) == ["连接线"]
    # A name in the topic the corpus never holds makes the topic absent, though another part occurs.
    assert key_phrases("毕卡索的养猪时期", frequency, common=100) == []
    # Not a common noun jieba tags a name (养老院, a person's to it) whose parts the corpus holds, if generic (养老):
    # the report words it otherwise (敬老院), the rest of the topic carries it.
    counts |= {"养老": 400, "服务中心": 6}
    assert key_phrases("养老院转型为养老服务中心", frequency, common=100) == ["服务中心"]
    # A common word may be worded otherwise (新楼 for 宿舍楼): the rest of the topic carries it.
    counts |= {"中学": 18}
    assert key_phrases("中学建了新楼", frequency, common=100) == ["中学"]
    # A common word at a run's edge that the corpus words otherwise (正在) leaves the run, not the topic.
    counts |= {"县域": 30, "医疗卫生": 8, "次": 300, "中心": 200, "医疗卫生次中心": 1}
    assert key_phrases("正在建设县域医疗卫生次中心", frequency, common=100) == ["医疗卫生"]
    # A run whose every word is such a word is no topic at all, not an error.
    assert key_phrases("目前先进", frequency, common=100) == []


def test_an_attribute_without_its_noun_is_no_key():
    counts = {"所在": 1, "片区": 20, "县": 500, "城区": 50, "县城区": 6, "经济": 800, "开发区": 30, "经济开发区": 40}
    counts |= {"融合": 60, "发展": 900}

    frequency = _frequency_of(counts)

    # 所在 (a distinguishing word, like 国家级) is the rarest word, but it says of what, not what.
    assert key_phrases("所在的片区被要求与县城区、经济开发区融合发展", frequency, common=100) == ["片区"]
    # One of alternatives, or all the topic has, it stays.
    counts |= {"国家级": 5, "省级": 8, "示范区": 9, "省级示范区": 3}
    assert key_phrases("国家级或省级示范区", frequency, common=100) == ["国家级", "省级示范区"]
    assert key_phrases("被评为省级", frequency, common=100) == ["省级"]


def test_a_generic_key_stands_in_the_longest_stretch_of_its_run_the_corpus_holds():
    counts = {"在": 311, "发展": 439, "休闲": 29, "农业": 187, "休闲农业": 1, "在发展": 150, "发展休闲农业": 0}

    frequency = _frequency_of(counts)

    # jieba tags 休闲 a verb, which leaves 农业 alone; the shortest stretch the corpus holds is the key, even where it
    # holds a longer one too.
    assert key_phrases("在发展休闲农业", frequency, common=100) == ["休闲农业"]
    counts["发展休闲农业"] = 1
    assert key_phrases("在发展休闲农业", frequency, common=100) == ["休闲农业"]
    # Not a stretch that is generic itself: then the next longer one.
    counts |= {"打造": 400, "特色": 300, "农业品牌": 200, "特色农业品牌": 10, "品牌": 500}
    assert key_phrases("打造特色农业品牌", frequency, common=100) == ["特色农业品牌"]


def test_verbs_after_a_noun_and_a_conjunction_open_a_noun_phrase_like_it():
    counts = {"有": 211, "风电场": 1, "抽水": 6, "蓄能": 8, "电站": 15, "项目": 247, "推进": 303, "抽水蓄能电站": 5}

    frequency = _frequency_of(counts)

    # jieba tags 抽水 and 蓄能 as verbs; after 风电场或 they name a kind of 电站, not what is done.
    assert key_phrases("有风电场或抽水蓄能电站项目在推进", frequency, common=100) == ["风电场", "抽水蓄能电站"]


def test_what_the_places_thing_became_is_the_key_not_the_thing():
    counts = {"电商": 150, "服务中心": 4, "省级": 300, "直播": 6, "基地": 200, "卫生院": 12, "新建": 90, "改扩建": 20}

    frequency = _frequency_of(counts)

    # 服务中心 is rarer, but the question asks which of them became an 电商直播基地.
    assert key_phrases("电商服务中心被评为省级电商直播基地", frequency, common=100) == ["直播"]
    # Nothing named after the verb, only what is done to it: the thing stays the key.
    assert key_phrases("卫生院要新建或改扩建", frequency, common=100) == ["卫生院"]
    # A "verb" the corpus writes after every one of the words before it ends their name (上海合作|组织, tagged a verb).
    counts = {"上海": 60, "合作": 400, "组织": 300, "上海合作": 11, "上海合作组织": 11, "区域合作": 22, "机制": 500}
    keys = key_phrases("上海合作组织作为区域合作机制", _frequency_of(counts), common=100)
    assert keys == ["上海合作"]


def test_a_stretch_of_the_topic_held_as_written_across_a_verb_is_a_key_phrase_too():
    counts = {"乡改镇": 2, "乡": 900, "改镇": 0, "中学": 18, "中学建": 1, "乡村": 300, "振兴": 400, "示范区": 9}
    counts |= {"乡村振兴": 250, "乡村振兴示范区": 3}

    frequency = _frequency_of(counts)

    assert bridged_phrases("推进乡改镇", frequency) == ["乡改镇"]  # 改镇 is tagged a verb: word classes cut there
    assert bridged_phrases("创建乡村振兴示范区", frequency) == ["乡村振兴示范区"]
    assert bridged_phrases("中学建了新楼", frequency) == []  # 建 is a predicate, not part of a name
    # Nor is the subject with its verb, which a large corpus holds too (…乡镇卫生院建成投用).
    counts |= {"卫生院": 40, "卫生院建成": 1, "国医堂": 3}
    assert bridged_phrases("卫生院建成了国医堂", frequency) == []
    # A stretch goes on past a verb inside a name, though it ends the subject's words (乡村振兴|示范区获评省级).
    assert bridged_phrases("乡村振兴示范区获评省级", frequency) == ["乡村振兴示范区"]


def test_a_time_word_before_a_verb_says_when_not_what():
    counts = {"撤乡": 3, "设镇": 1, "正在": 10, "推进": 400, "乡": 900, "乡改镇": 2, "春节": 2, "慰问": 30}

    frequency = _frequency_of(counts)

    # 正在 (a time word to jieba) of 正在推进 is no alternative to 设镇, nor the start of a phrase across the verb.
    assert key_phrases("已经撤乡设镇或正在推进乡改镇", frequency, common=100) == ["设镇"]
    assert bridged_phrases("已经撤乡设镇或正在推进乡改镇", frequency) == ["乡改镇"]
    # A festival as a verb's object is the topic.
    assert key_phrases("开展春节慰问", frequency, common=100) == ["春节"]


def test_the_kind_of_thing_after_fangmian_de_or_deng_is_not_the_topic():
    counts = {"乡村": 300, "旅游": 200, "乡村旅游": 12, "文化": 250, "乡村文化": 6, "方面": 500, "荣誉": 3}

    frequency = _frequency_of(counts)

    # 荣誉 is the rarest word, but the question asks which honours: those for 乡村旅游 or 乡村文化.
    assert key_phrases("获得过乡村旅游或乡村文化方面的荣誉", frequency, common=100) == ["乡村旅游", "乡村文化"]
    # Examples before 等 are what a text names, not the kind after it.
    counts |= {"校舍": 2, "教学楼": 9, "综合楼": 7}
    assert key_phrases("有教学楼、综合楼等校舍在建", frequency, common=100) == ["教学楼", "综合楼"]


def test_the_level_a_list_question_asks_by_is_never_its_key():
    counts = {"乡村": 60, "振兴": 70, "先进": 40, "乡镇": 5}

    frequency = _frequency_of(counts)

    assert key_phrases("乡村振兴先进乡镇", frequency, common=100) == ["乡镇"]
    assert key_phrases("乡村振兴先进乡镇", frequency, common=100, level_words=frozenset({"乡镇"})) == ["先进"]


def test_the_asked_level_word_inside_a_name_the_corpus_writes_whole_is_part_of_the_key():
    counts = {"紧密型": 25, "城市": 3000, "医疗": 500, "集团": 150, "试点": 400, "紧密型城市医疗": 4}
    counts |= {"紧密型城市医疗集团": 4, "省域": 12, "副": 60, "中心": 2000, "省域副中心": 8, "省域副中心城市": 8}

    frequency = _frequency_of(counts)

    cities = frozenset({"城市", "市"})
    # 哪些城市入选紧密型城市医疗集团试点: the cities are named elsewhere; 城市 is a word of the name.
    assert key_phrases("紧密型城市医疗集团试点", frequency, common=300, level_words=cities) == ["紧密型城市医疗集团"]
    # Ending the topic, it is the level asked (the cities that are 省域副中心城市).
    assert key_phrases("省域副中心城市", frequency, common=300, level_words=cities) == ["省域副中心"]


def test_a_clause_opening_with_or_adds_its_own_keys_as_alternatives():
    # Passage counts of the provincial reports.
    counts = {"美丽城市先行": 2, "美丽城市": 8, "城市先行": 2, "率先建设": 1, "美丽城市先行区": 2, "美丽": 150}
    counts |= {"城市": 766, "先行": 103, "区": 2675, "建设美丽": 26, "建设": 3823, "美丽乡": 21, "高校": 40}
    counts |= {"合作": 300}
    frequency = _frequency_of(counts)
    cities = frozenset({"城市", "市"})

    # 入选美丽城市先行区，或被支持率先建设美丽城市: a city meeting either is listed.
    keys = key_phrases("入选美丽城市先行区，或被支持率先建设美丽城市", frequency, common=300, level_words=cities)
    assert keys == ["美丽城市先行", "美丽城市"]
    assert key_phrases("入选美丽城市先行区", frequency, common=300, level_words=cities) == ["美丽城市先行"]
    # A bare word of the other clause is no key: it would list whatever else the reports say of it.
    assert key_phrases("入选美丽城市先行区，或与高校合作", frequency, common=300, level_words=cities) == [
        "美丽城市先行"
    ]


PROVINCE_REPORT = """2026年浙江省政府工作报告
在浙江省第十四届人民代表大会第五次会议上
各位代表：
一、2025年工作回顾
杭州市、宁波市建成智慧停车场，新增泊位两万个。上海市也在建设智慧停车场。
宁波舟山港货物吞吐量保持全球第一。
支持义乌、温州建设数字贸易港。
全省推进城市更新。
二、2026年工作安排
加快建设智慧停车场，提升城市管理水平。2019年起步的智慧停车场已全面联网。
"""
COUNTY_REPORT = """城关县总工会2025年工作总结
城关县总工会在县委领导下，结合我县实际开展工作。
一、主要工作
我县新安镇建成职工驿站三个，下坝乡的职工驿站正在建设。
全县开展劳动竞赛。
"""
TOWN_REPORT = """丰收镇总工会2024年工作总结
丰收镇总工会在镇党委领导下，结合我镇实际开展工作。
一、主要工作
我镇建成职工驿站一个，帮助职工一百人。东风机械厂建立了职工书屋。
"""
# A real county (莒南县), so its townships are known: named by their short forms (板泉, 大店), and a
# 新建镇 that is no town of it (towns of four other provinces, none of Shandong: here "newly built").
JUNAN_REPORT = """2025年莒南县政府工作报告
各位代表：
一、2024年工作回顾
板泉、大店建成职工驿站，新建镇街职工驿站5个。
〔1〕厉家寨种猪场：由县农业公司承建，位于莒南县坪上镇厉家寨村，年出栏生猪十万头。
改造板泉镇卫生院以及大店镇污水处理厂。
完成县中医院、板泉镇卫生院医联体建设和大店镇、坪上镇乡村卫生一体化管理试点工作。
板泉镇西村、大店镇东村和坪上镇被评为省级民主法治示范村。
推进板泉镇物流枢纽、大店镇冷链基地和坪上镇陆港等3个物流园区建设。
县城建成垃圾转运站一座。
完成两项交通工程：⑴板泉镇农村公路改造⑵大店镇高速公路连接线建设。
加固板泉镇南河桥、大店镇北河桥和坪上镇东河桥3座危桥。
新建板泉镇文化广场和大店镇500平方米综合文化站。
建成板泉镇北村和大店镇南村2个文明村。
坪上镇被评为乡村振兴先进乡镇。
"""
# The next year's report of the same county words the transfer stations otherwise.
JUNAN_NEXT_REPORT = (
    "2026年莒南县政府工作报告\n各位代表：\n建成板泉镇、坪上镇2座转运平台。\n相沟镇乡镇综合文化站投入使用。\n"
    "大店镇卫生院的国医堂投入使用。\n我县获评省级文明县城称号，县医院获得多项荣誉。\n"
    "岭泉镇获评省级文明镇，筵宾镇入选全国农业产业强镇名单。支持涝坡镇创建省级特色小镇。\n"
    "岭泉镇垃圾填埋场已建成投用。力争明年启动筵宾镇垃圾填埋场建设。\n"
    "以石莲子镇、洙边镇为重点，大力发展现代农业园区。以及坊前镇成为示范镇，发展现代农业园区。\n"
    "果品业要以相沟镇苹果基地为中心，向周边辐射。\n"
    "推动岭泉镇中心卫生院和筵宾镇中心卫生院区域医疗次中心建设。\n"
    "两翼，即涝坡镇、洙边镇。道口镇建设新区，三极，即是岭泉镇、团林镇。\n"
    "大力发展冷链物流，在岭泉镇、涝坡镇等果蔬主产地，布局净菜加工产业。\n"
    "除文疃镇外，其余乡镇均建成光伏电站。团林镇光伏电站建成后，即投入运行，同时改造道口镇管网。\n"
    "文疃镇学校运动场投入使用。\n"
)
# A report of the same county's schools: the only one holding 寄宿制学校, and a provincial honour of a town.
JUNAN_SCHOOLS_REPORT = (
    "2026年莒南县教育工作报告\n各位代表：\n坊前镇建成寄宿制学校一所。文疃镇获评省级卫生镇。\n"
    "相沟镇东村入选第二批省乡村旅游重点村。\n洙边镇完成土地流转一万亩，并建成冷链仓库一座。相沟镇完成道路硬化，而县供销社建成冷链仓库两座。\n"
)
# A town the page anonymised, under the city its report names.
ANONYMISED_TOWN_REPORT = (
    "xx镇总工会2024年工作总结\n崇州市xx镇总工会在镇党委领导下开展工作。\n一、主要工作\n我镇建成职工驿站两个。\n"
)
# A county-level zone named after its city (唐山高新技术产业开发区 of 唐山市).
HEBEI_REPORT = (
    "2026年河北省政府工作报告\n各位代表：\n唐山高新技术产业开发区建成氢能产业园。\n推进“三北”工程，营造防护林十万亩。\n"
)
# A province that writes 三北防护林 as “三北”工程 alone.
SHANXI_REPORT = "2026年山西省政府工作报告\n各位代表：\n打好黄河“几字弯”攻坚战，推进“三北”工程建设。\n"
# A county that has since become a district (清苑县 → 清苑区 in 2015), its towns by their short forms.
QINGYUAN_2008_REPORT = "清苑县2008年政府工作报告\n各位代表：\n2008年完成张登、魏村等6个乡镇总体规划。\n"
# Numbered paragraphs with a run-in title: a noun phrase naming the topic, then a sentence with a verb.
QINGYUAN_2008_PROJECTS = (
    "清苑县2008年民心工程安排\n各位代表：\n3、农村饮水安全工程。重点解决好阳城镇、魏村镇沿岸村庄的饮水问题。\n"
    "4、推进饮水安全工程。完成望亭乡道路硬化。\n5、乡镇消防站点建设工程。完成何桥乡消防站点建设。\n"
)
# A heading naming a counted programme, its items under it, then the next section.
QINGYUAN_2005_REPORT = (
    "清苑县2005年政府工作报告\n各位代表：\n九、贴近百姓，抓好三项民心工程\n1、便民工程，新建公厕3处。\n"
    "2、改建阳城镇九龙河桥。\n3、各乡镇（除魏村镇）开发整理沙荒地，李庄乡最多。\n十、转变职能\n望亭乡建成便民服务中心。\n"
)
NATIONAL_REPORTS = {
    "2019_国务院政府工作报告.txt": (
        "2019年国务院政府工作报告\n各位代表：\n今年要推进智慧停车场建设。\n加强三北防护林保护。\n"
        "成功举办上海合作组织青岛峰会。\n"
    ),
    "2021_国务院政府工作报告.txt": (
        "2021年国务院政府工作报告\n各位代表：\n扎实推进乡村振兴。\n建设青海西宁综合交通枢纽。\n"
    ),
    "2010_国务院政府工作报告.txt": "2010年国务院政府工作报告\n各位代表：\n通过商签两岸经济合作框架协议，促进互利共赢。\n",
    "2014_国务院政府工作报告.txt": (
        "2014年国务院政府工作报告\n各位代表：\n维护一个中国框架，促进海峡两岸交流。\n支持海西经济区建设。\n"
    ),
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("lists")
    folder = root / "reports"
    folder.mkdir()
    texts = {"zj.txt": PROVINCE_REPORT, "county.txt": COUNTY_REPORT, "town.txt": TOWN_REPORT, "junan.txt": JUNAN_REPORT}
    texts |= {"junan_next.txt": JUNAN_NEXT_REPORT, "anon.txt": ANONYMISED_TOWN_REPORT, "hebei.txt": HEBEI_REPORT}
    texts |= {"junan_schools.txt": JUNAN_SCHOOLS_REPORT, "shanxi.txt": SHANXI_REPORT, **NATIONAL_REPORTS}
    texts |= {"2008_qingyuan.txt": QINGYUAN_2008_REPORT, "2005_qingyuan.txt": QINGYUAN_2005_REPORT}
    texts |= {"2008_qingyuan_projects.txt": QINGYUAN_2008_PROJECTS}
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    reports = ghqa.open(root / "home", create=True)
    reports.embedder = BigramEmbedder()
    assert reports.ingest([folder]).ok
    reports.sync_vectors()
    yield reports.engine
    reports.close()


@pytest.fixture(autouse=True)
def no_llm(monkeypatch):
    monkeypatch.delenv("GHQA_LLM_BASE_URL", raising=False)


def places_listed(engine, question: str) -> set[str]:
    """The places a list answer names from the passages holding its key phrases (no dense neighbours)."""
    answer = list_answer(engine, analyze_question(question), settings=ListSettings(dense_floor=None))
    return {row.place for row in answer.evidence}


def test_cities_named_in_a_province_report_are_the_rows_not_the_province(engine):
    answer = extractive_answer(engine, "哪些城市建成了智慧停车场？")
    places = [row.place for row in answer.evidence]
    assert set(places) == {"杭州市", "宁波市"}  # 上海市 is not Zhejiang's; 浙江省 is not a city
    for row in answer.evidence:
        assert row.source_unit == "浙江省" and row.year == "2026"
        cited = answer.citations[row.citation - 1]
        assert row.evidence in cited.text and row.evidence.endswith("。")
        assert cited.first_paragraph == cited.last_paragraph  # narrowed to the quoted sentence's paragraph


def test_towns_named_in_a_county_report_and_a_town_by_its_own_report(engine):
    answer = list_answer(engine, analyze_question("哪些乡镇建了职工驿站？"), settings=ListSettings(dense_floor=None))
    places = {row.place: row for row in answer.evidence}
    # Towns named inside 城关县's report, and 丰收镇 by its own report; never the county itself.
    assert {"新安镇", "丰收镇"} <= set(places)
    assert "城关县" not in places
    assert places["丰收镇"].source_unit == "丰收镇"


def test_towns_a_county_report_names_by_short_forms_are_rows_under_their_full_names(engine):
    answer = list_answer(engine, analyze_question("哪些乡镇建了职工驿站？"), settings=ListSettings(dense_floor=None))
    places = {row.place: row for row in answer.evidence}
    assert {"板泉镇", "大店镇"} <= set(places)
    assert places["板泉镇"].source_unit == "莒南县"
    assert "新建镇" not in places  # no one division: not under the report's unit


def test_a_list_question_scoped_to_a_county_lists_only_its_towns(engine):
    # 新安镇 (in 城关县's report) and 丰收镇 (its own report) built them too, but not in 莒南县.
    assert places_listed(engine, "莒南县有哪些乡镇建了职工驿站？") == {"板泉镇", "大店镇"}


@pytest.mark.parametrize(
    "question",
    [
        "除莒南县外，哪些乡镇建了职工驿站？",
        "莒南县以外，哪些乡镇建了职工驿站？",
        "哪些乡镇建了职工驿站？（莒南县报告除外）",
    ],
)
def test_a_county_the_question_leaves_out_lists_none_of_its_towns(engine, question):
    every = places_listed(engine, "哪些乡镇建了职工驿站？")
    answer = list_answer(engine, analyze_question(question), settings=ListSettings(dense_floor=None))
    assert {row.place for row in answer.evidence} == every - {"板泉镇", "大店镇"} and "新安镇" in every
    assert "莒南县以外" in answer.text


def test_a_year_before_the_grouping_narrows_the_list_to_that_year(engine):
    every = places_listed(engine, "哪些乡镇建了职工驿站？")
    assert "丰收镇" in every  # its 2024 report
    answer = list_answer(
        engine, analyze_question("2025年哪些乡镇建了职工驿站？"), settings=ListSettings(dense_floor=None)
    )
    assert {row.place for row in answer.evidence} == {"新安镇", "下坝乡", "板泉镇", "大店镇"}
    assert {row.year for row in answer.evidence} == {"2025"} and answer.text.startswith("2025年共有")
    assert [row.citation for row in answer.evidence] == list(range(1, len(answer.citations) + 1))
    assert places_listed(engine, "2023年哪些乡镇建了职工驿站？") == set()
    # Written in Chinese numerals, the same year; from a year on (以来), no one year.
    assert places_listed(engine, "二〇二五年哪些乡镇建了职工驿站？") == {row.place for row in answer.evidence}
    assert places_listed(engine, "2024年以来哪些乡镇建了职工驿站？") == every


@pytest.mark.parametrize(
    ("question", "head", "places"),
    [
        ("2025年的报告里，哪些乡镇建了职工驿站？", "2025年的报告中共有", {"新安镇", "下坝乡", "板泉镇", "大店镇"}),
        ("据2024年工作总结，哪些乡镇建了职工驿站？", "2024年的报告中共有", {"丰收镇", "xx镇（崇州市）"}),
        ("2024年及以前的报告中，哪些乡镇建了职工驿站？", "2024年及以前的报告中共有", {"丰收镇", "xx镇（崇州市）"}),
        (
            "2025年以后的报告中，哪些乡镇建了职工驿站？",
            "2025年及以后的报告中共有",
            {"新安镇", "下坝乡", "板泉镇", "大店镇"},
        ),
    ],
)
def test_the_years_of_the_reports_a_question_names_keep_their_reports_only(engine, question, head, places):
    answer = list_answer(engine, analyze_question(question), settings=ListSettings(dense_floor=None))
    assert {row.place for row in answer.evidence} == places and answer.text.startswith(head)


def test_a_place_whose_reports_the_question_names_lists_from_its_reports_only(engine):
    assert places_listed(engine, "哪些年份的报告提到智慧停车场？") == {"2019", "2026"}
    assert places_listed(engine, "哪些年份的浙江省政府工作报告提到智慧停车场？") == {"2026"}


def test_reports_of_years_none_is_of_are_said_so(engine):
    answer = list_answer(engine, analyze_question("2030年以后的报告中，哪些乡镇建了职工驿站？"))
    assert not answer.found and answer.note == "资料中没有2030年及以后的报告。"


def test_a_year_before_a_question_by_year_keeps_that_year_s_reports_only(engine):
    # The 2026 report names 2019 (智慧停车场 began then): grouped by report, only the 2019 report is 2019's.
    answer = extractive_answer(engine, "2019年哪几年的政府工作报告提到了智慧停车场？")
    assert [row.place for row in answer.evidence] == ["2019"]


def test_an_anonymised_town_is_in_the_scope_of_the_city_its_report_names(engine):
    answer = list_answer(
        engine, analyze_question("崇州市哪些乡镇建了职工驿站？"), settings=ListSettings(dense_floor=None)
    )
    assert [(row.place, row.source_unit) for row in answer.evidence] == [("xx镇（崇州市）", "xx镇")]
    assert answer.text.startswith("崇州市内")


def test_a_note_naming_a_project_credits_the_town_its_description_places_it_in(engine):
    answer = list_answer(engine, analyze_question("哪些乡镇建设了养猪场？"), settings=ListSettings(dense_floor=None))
    places = {row.place: row for row in answer.evidence}
    # The key phrase is in the note's label (种猪场), the town in its description after the colon.
    assert set(places) == {"坪上镇"}
    assert "种猪场" in places["坪上镇"].evidence and places["坪上镇"].source_unit == "莒南县"


def test_phrases_joined_by_a_conjunction_credit_only_the_towns_of_the_phrase_on_the_topic(engine):
    # 板泉镇's phrase before 和 is about its hospital, not the pilot.
    assert places_listed(engine, "哪些乡镇开展了乡村卫生一体化管理试点？") == {"大店镇", "坪上镇"}


def test_a_two_character_conjunction_joins_phrases_too(engine):
    # 板泉镇's phrase before 以及 is its hospital.
    assert places_listed(engine, "哪些乡镇建了污水处理厂？") == {"大店镇"}


def test_phrases_before_a_shared_verb_all_count(engine):
    assert {"板泉镇", "大店镇", "坪上镇"} <= places_listed(engine, "哪些乡镇被评为民主法治示范村？")


def test_a_list_summed_up_by_deng_counts_as_one(engine):
    assert {"板泉镇", "大店镇", "坪上镇"} <= places_listed(engine, "哪些乡镇建设物流园区？")
    assert {"板泉镇", "大店镇", "坪上镇"} <= places_listed(engine, "哪些乡镇建设物流枢纽？")


def test_a_clause_leaving_its_subject_out_shares_the_place_the_clause_before_opens_with(engine):
    # 洙边镇完成…，并建成冷链仓库: 洙边镇 built it. 相沟镇完成道路硬化，而县供销社建成冷链仓库: the county's
    # cooperative did, the clause has a subject of its own.
    assert places_listed(engine, "哪些乡镇建成了冷链仓库？") == {"洙边镇", "莒南县"}


@pytest.mark.parametrize(
    ("sentence", "shared"),
    [
        ("孝墓镇被评为农业强镇，并成功入选冷链仓库示范镇。", ["孝墓镇"]),
        ("孝墓镇建成物流园，并被评为冷链仓库示范镇。", ["孝墓镇"]),
        ("一是冉庄镇今年完成土地流转，并建成冷链仓库一座。", ["冉庄镇"]),
        ("清苑区冉庄镇完成土地流转，并建成冷链仓库一座。", ["冉庄镇"]),  # the deeper division of a path
        ("冉庄镇、孝墓镇完成土地流转，共建成冷链仓库三座。", ["冉庄镇", "孝墓镇"]),
        ("孝墓镇被评为省级卫生镇，同时全县新建冷链仓库十座。", []),  # a subject of its own
        ("冉庄镇完成土地流转，而县供销社新建冷链仓库两座。", []),
        ("冉庄镇的经验表明，只有建成冷链仓库才能增收。", []),  # the place qualifies a noun
        ("冉庄镇至孝墓镇公路建成通车，并新建冷链仓库一座。", []),
    ],
)
def test_a_clause_without_a_subject_shares_only_the_places_the_clause_before_opens_with(sentence, shared):
    from ghqa.qa.lists import _clauses_about

    assert _clauses_about(sentence, ["冷链仓库"], [])[1:] == shared


def test_a_key_phrase_that_is_not_generic_is_gathered_whole_however_large_the_corpus(engine, monkeypatch):
    import ghqa.qa.lists

    settings = ListSettings(common_share=0.5, dense_floor=None)
    every = list_answer(engine, analyze_question("哪些乡镇建了职工驿站？"), settings=settings).evidence
    # The cap on passages a phrase brings holds for generic phrases only: 驿站 is in half the passages or fewer.
    monkeypatch.setattr(ghqa.qa.lists, "LIST_MAX_PASSAGES", 1)
    capped = list_answer(engine, analyze_question("哪些乡镇建了职工驿站？"), settings=settings).evidence
    assert len(every) > 2 and {row.place for row in capped} == {row.place for row in every}
    # A generic phrase stops at the cap: here every phrase two passages hold is generic.
    generic = gather_passages(engine, analyze_question("哪些乡镇建了职工驿站？"), ["职工驿站"], None, None, 0.001)
    assert len(generic) == 1


def test_a_dense_neighbour_counts_by_a_word_inside_the_key_phrase(engine):
    question = analyze_question("哪些乡镇建了垃圾转运站？")
    # 转运平台 holds neither 垃圾 nor 转运站, but 转运 of the key 垃圾转运站: found among the dense neighbours.
    # A passage holding the key quotes only its sentences that hold it.
    # Every passage a dense neighbour; in this corpus of ten passages, a word two hold is not generic.
    answer = list_answer(engine, question, settings=ListSettings(common_share=0.5, dense_floor=-1.0))
    assert {"板泉镇", "坪上镇"} <= {row.place for row in answer.evidence}
    lexical_only = list_answer(engine, question, settings=ListSettings(common_share=0.5, dense_floor=None))
    assert not {"板泉镇", "坪上镇"} & {row.place for row in lexical_only.evidence}


def test_a_count_after_phrases_joined_by_a_conjunction_makes_them_one_list(engine):
    assert places_listed(engine, "哪些乡镇加固了危桥？") == {"板泉镇", "大店镇", "坪上镇"}
    # 个 is tagged a numeral: still a classifier.
    assert places_listed(engine, "哪些乡镇建成了文明村？") == {"板泉镇", "大店镇"}
    # A measure is no count: 板泉镇's phrase before 和 is its square.
    assert places_listed(engine, "哪些乡镇建了综合文化站？") == {"大店镇", "相沟镇"}


def test_the_asked_level_s_own_word_never_makes_a_dense_neighbour_evidence(engine):
    question = analyze_question("哪些乡镇被评为乡村振兴先进乡镇？")
    # Every passage a dense neighbour: next year's 相沟镇乡镇综合文化站 holds 乡镇, a word of the key, not its topic.
    answer = list_answer(engine, question, settings=ListSettings(common_share=0.5, dense_floor=-1.0))
    places = {row.place for row in answer.evidence}
    assert "坪上镇" in places and "相沟镇" not in places


def test_what_the_places_have_is_no_evidence_of_what_they_did_with_it(engine):
    question = analyze_question("哪些乡镇卫生院建成了国医堂？")
    # Every passage a dense neighbour: 板泉镇卫生院 (last year's report) holds the subject 卫生院, not 国医堂.
    answer = list_answer(engine, question, settings=ListSettings(common_share=0.5, dense_floor=-1.0))
    assert {row.place for row in answer.evidence} == {"大店镇"}
    # Nor where the verb was list scaffolding that question analysis took out (开展了).
    question = analyze_question("哪些乡镇的卫生院开展了国医堂？")
    answer = list_answer(engine, question, settings=ListSettings(common_share=0.5, dense_floor=-1.0))
    assert {row.place for row in answer.evidence} == {"大店镇"}


@pytest.mark.parametrize(
    ("sentence", "near", "named"),
    [
        # The hit's clauses name no town: the clause between them, on the topic too (取缔), does.
        (
            "建立劣质散煤管控体系，依法取缔平阳、北水峪2个煤炭经营园区，结束了长期以来散煤粗放经营污染环境的历史。",
            "130624",
            True,
        ),
        # Two clauses on: the nearest clause naming a place and a word of the topic (清淤疏浚).
        (
            "开展河道清淤疏浚，实施月明河上游治理工程，投资1650万元的月明河县城北至万安段清淤疏浚护坡工程。",
            "130635",
            True,
        ),
        # A clause beside on something else is another item of a list of projects.
        ("依法拆除平阳镇违章建筑，建立劣质散煤管控体系。", "130624", False),
        # A semicolon parts items.
        ("依法取缔平阳煤炭经营园区；建立劣质散煤管控体系。", "130624", False),
    ],
)
def test_a_clause_holding_a_key_but_no_place_takes_the_nearest_clause_on_the_topic_that_names_one(
    sentence, near, named
):
    from ghqa.qa.lists import _clauses_about

    # 阜平县's 平阳镇, 蠡县's 万安镇; 取缔 and 清淤疏浚 are words of the question's topic.
    related = ["取缔", "散煤", "清淤疏浚"]
    about = _clauses_about(sentence, ["散煤", "河道清淤疏浚"], [near], related=related)
    assert any(town in part for part in about for town in ("平阳", "万安")) is named
    # Without the topic's words, only the clauses holding the key.
    assert not any(
        town in part for part in _clauses_about(sentence, ["散煤", "河道清淤疏浚"], [near]) for town in ("平阳", "万安")
    )


def test_the_places_a_placeless_clause_aims_at_open_the_next_clause_after_its_verb():
    from ghqa.qa.lists import _following_objects

    assert _following_objects(["着眼建设国家中心城市", "支持武汉打造全国经济中心"], ["，", ""], 0, ["42"]) == ["武汉"]
    # The list whole, so that 白银, a place only in a list, stays one when the groups are read from it.
    assert _following_objects(["持续推进强省会行动", "支持兰州、白银协同发展"], ["，", ""], 0, ["62"]) == ["兰州、白银"]
    # Not where the clause names its own place, the next clause's verb does not take the places, more than a verb
    # opens it, or a semicolon parts them.
    assert _following_objects(["加快郑州国家中心城市建设", "支持洛阳打造副中心"], ["，", ""], 0, ["41"]) == []
    assert _following_objects(["着眼建设国家中心城市", "推动产业向武汉集聚"], ["，", ""], 0, ["42"]) == []
    assert _following_objects(["加快发展新质生产力", "加快构建具有海南特色的产业"], ["，", ""], 0, ["46"]) == []
    assert _following_objects(["大力发展低空经济", "支持深圳、广州建设"], ["；", ""], 0, ["44"]) == []


def test_local_places_asked_are_not_the_centre(engine):
    # 地方 is local as against the centre: the State Council's report names no 地方, though it is listed by year.
    places = {row.place for row in list_answer(engine, analyze_question("哪些地方提到乡村振兴？")).evidence}
    assert places and "国务院" not in places
    years = {row.year for row in list_answer(engine, analyze_question("哪些年份提到乡村振兴？")).evidence}
    assert "2021" in years


def test_no_word_of_a_quoted_name_stands_for_it_in_a_dense_neighbour(engine):
    question = analyze_question("哪些年份提到《海峡两岸经济合作框架协议》？")
    # Every passage a dense neighbour: 2014's 框架 and 海峡两岸 are words of the name, not the agreement.
    answer = list_answer(engine, question, settings=ListSettings(common_share=0.5, dense_floor=-1.0))
    assert [row.year for row in answer.evidence] == ["2010"]


def test_only_a_key_s_rarest_word_or_verbal_head_stands_for_it_in_a_dense_neighbour():
    from ghqa.qa.lists import _stand_ins

    counts = {"北京": 60, "冬奥": 7, "农产品": 29, "加工": 35, "垃圾": 3, "转运": 3}
    # 北京 of 北京冬奥会 names the city (北京奥运会 is no 冬奥会; the head 冬奥会 alone is no stand-in either); 加工, the
    # activity, survives a paraphrase (饲料加工); of two words as rare, the later, nearer the head.
    assert _stand_ins(["北京冬奥会"], ["北京", "冬奥"], counts.get) == {"冬奥"}
    assert _stand_ins(["农产品加工"], ["农产品", "加工"], counts.get) == {"农产品", "加工"}
    assert _stand_ins(["垃圾转运站"], ["垃圾", "转运"], counts.get) == {"转运"}


def test_a_key_s_head_noun_alone_is_the_broader_class_not_evidence(engine):
    question = analyze_question("哪些乡镇建成了寄宿制学校？")
    # Every passage a dense neighbour: 文疃镇学校 is a school, not a boarding school.
    answer = list_answer(engine, question, settings=ListSettings(common_share=0.5, dense_floor=-1.0))
    assert {row.place for row in answer.evidence} == {"坊前镇"}


def test_what_the_places_have_after_an_opening_you_is_no_evidence_alone():
    from ghqa.qa.lists import _unkeyed_subject

    # 城南庄中学 in a list of schools built is no school renovating its sports ground.
    assert _unkeyed_subject("有中小学要改造运动场", ["运动场"]) == {"中小学"}
    assert _unkeyed_subject("有村获得了国家级荣誉", ["荣誉"]) == {"村"}
    # Nothing after the thing: it is what is asked about.
    assert _unkeyed_subject("有4A级景区", ["4a"]) == set()


def test_the_noun_a_key_qualifies_alone_is_the_broader_class_not_evidence():
    from ghqa.qa.lists import _qualified_heads

    # 5A级景区 and 狼牙山景区 are scenic areas, not 4A ones; a 基地 is not a live-streaming base.
    assert _qualified_heads("有4A级景区", ["4a"]) == {"景区"}
    assert _qualified_heads("电商服务中心被评为省级电商直播基地", ["直播"]) == {"基地"}
    # A key followed by an activity or a verb qualifies no thing (平安建设, 草莓 in 发展草莓).
    assert _qualified_heads("在平安建设方面受到过表彰", ["平安"]) == set()
    assert _qualified_heads("在发展草莓", ["草莓"]) == set()


def test_institutions_of_places_joined_by_and_share_what_follows(engine):
    # 岭泉镇卫生院和筵宾镇卫生院…次中心: both hospitals are the centres, as 温仁和冉庄污水处理厂 are both plants.
    assert places_listed(engine, "哪些乡镇在建设区域医疗次中心？") == {"岭泉镇", "筵宾镇"}


def test_a_label_before_namely_takes_the_places_after_it(engine):
    assert places_listed(engine, "哪些乡镇被列为“两翼”？") == {"涝坡镇", "洙边镇"}
    # 即是 says namely too: 是 is a copula here, not the verb that makes 即 mean immediately.
    assert places_listed(engine, "哪些乡镇被列为“三极”？") == {"岭泉镇", "团林镇"}


def test_a_prepositional_frame_says_where_the_next_clause_applies(engine):
    # 涝 of 涝坡镇 reads as a verb alone: places are read before the frame's words.
    assert places_listed(engine, "哪些乡镇在发展净菜加工？") == {"岭泉镇", "涝坡镇"}


def test_neither_exclusion_nor_immediately_frames_or_labels(engine):
    # 除文疃镇外 is no frame; 即 of 即投入运行 means immediately, not namely: 道口镇's clause is not the station's.
    places = places_listed(engine, "哪些乡镇建成了光伏电站？")
    assert "团林镇" in places and not places & {"文疃镇", "道口镇"}


def test_a_numbered_item_is_a_clause_of_its_own(engine):
    assert places_listed(engine, "哪些乡镇有高速公路连接线？") == {"大店镇"}  # 板泉镇's item ⑴ is another road


def test_year_questions_group_by_the_reports_year(engine):
    answer = extractive_answer(engine, "哪几年的政府工作报告提到了智慧停车场？")
    assert [row.place for row in answer.evidence] == ["2019", "2026"]
    assert all(row.year == row.place for row in answer.evidence)
    assert "2021" not in answer.text


@pytest.mark.parametrize(
    "question",
    ["清苑县哪些乡镇完成了乡镇总体规划？", "据清苑县2008年的政府工作报告，完成乡镇总体规划的有哪些乡镇？"],
)
def test_a_county_renamed_since_scopes_a_question_to_its_towns(engine, question):
    answer = list_answer(engine, analyze_question(question), settings=ListSettings(dense_floor=None))
    assert {row.place for row in answer.evidence} == {"张登镇", "魏村镇"}
    assert answer.text.startswith("清苑区内")  # by the name of the district that took it over


def test_a_county_renamed_since_is_left_out_with_its_towns(engine):
    assert places_listed(engine, "哪些乡镇完成了乡镇总体规划？") == {"张登镇", "魏村镇"}
    assert places_listed(engine, "除清苑县外，哪些乡镇完成了乡镇总体规划？") == set()


def test_a_key_read_across_two_words_is_not_held(engine):
    # 2021 says 青海|西宁, which holds the characters 海西 but not the 海西 (economic zone) of 2014.
    answer = extractive_answer(engine, "哪几年的政府工作报告提到海西？")
    assert [row.place for row in answer.evidence] == ["2014"]


@pytest.mark.parametrize(
    ("text", "phrase", "held"),
    [
        ("建设青海西宁综合交通枢纽", "海西", False),
        ("构建房地产市场平稳发展", "建房", False),
        ("加强饮食用药安全监管", "食用", False),
        ("支持海西经济区建设", "海西", True),
        ("建设现代农业产业园", "农业产业", True),  # 农业 closes the compound 现代农业
        ("打造特色产业园区", "产业园", True),  # 产业 closes 特色产业
        ("全面推行河湖长制", "湖长", True),
        ("内蒙古自治区", "蒙古", True),  # inside one word
        ("整治农村自建房", "自建房", True),
        # A phrase opening or ending with a digit is no part of a longer number; one opening with a unit may follow one.
        ("“十一五”规划", "一五", False),
        ("“一五”时期", "一五", True),
        ("新建135千伏变电站", "35千伏", False),
        ("经济总量突破三千亿元", "千亿元", True),
    ],
)
def test_a_phrase_is_held_where_the_words_of_a_text_hold_it(text, phrase, held):
    assert holds_as_words(normalize_for_index(text), phrase) is held


@pytest.mark.parametrize(
    "question",
    [
        "除2019年外，哪几年的政府工作报告提到了智慧停车场？",
        "2019年以外，哪几年的政府工作报告提到了智慧停车场？",
        "哪几年（2019年除外）的政府工作报告提到了智慧停车场？",
        "哪几年的政府工作报告提到了智慧停车场，2019年除外？",
    ],
)
def test_a_year_the_question_leaves_out_is_no_row(engine, question):
    answer = extractive_answer(engine, question)
    assert [row.place for row in answer.evidence] == ["2026"]
    assert answer.text.startswith("2019年以外共有 1 个年份")


def test_a_year_left_out_leaves_its_reports_out_of_a_list_of_places(engine):
    every = list_answer(engine, analyze_question("哪些乡镇建了职工驿站？"), settings=ListSettings(dense_floor=None))
    of_2024 = {row.place for row in every.evidence if row.year == "2024"}
    assert "丰收镇" in of_2024  # only in its 2024 report
    listed = places_listed(engine, "除2024年外，哪些乡镇建了职工驿站？")
    assert listed == {row.place for row in every.evidence} - of_2024 and "板泉镇" in listed


def test_enterprise_questions_group_by_the_organisation_named(engine):
    answer = extractive_answer(engine, "哪些企业建立了职工书屋？")
    assert [row.place for row in answer.evidence] == ["东风机械厂"]
    assert "共有 1 个企业的报告" in answer.text
    # Sentences naming no organisation are listed under their issuing unit, and the answer says so.
    answer = extractive_answer(engine, "哪些企业建成了职工驿站？")
    assert "莒南县" in {row.place for row in answer.evidence} and "个企业或单位的报告" in answer.text


def test_evidence_table_in_chinese_and_an_overview_for_a_chart(engine):
    answer = extractive_answer(engine, "哪些城市建成了智慧停车场？")
    rows = list(csv.reader(io.StringIO(answer.to_csv())))
    assert rows[0] == ["问题", "地区/单位", "年份", "状态", "证据", "出处"]
    assert {r[3] for r in rows[1:]} <= {"已开展", "计划开展", "提及"}
    assert answer.overview() == {row.place: row.mentions for row in answer.evidence}
    assert sum(answer.overview().values()) >= len(answer.evidence)


class _Texts:
    """A corpus of one-sentence passages, as much of a retriever as choosing keys reads."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts

    def passage_count(self) -> int:
        return len(self.texts)

    def gather(self, phrases, filters=None, limit=400):
        from ghqa.index.passages import Passage

        # Up to `limit` passages of each phrase, as the store gathers them.
        found = {i: None for p in phrases for i in [i for i, t in enumerate(self.texts) if p in t][:limit]}
        return [Passage(i, self.texts[i], "a.txt", 1, "报告", [], i, i, 0, len(self.texts[i]), 0.0) for i in found]

    def document_frequency(self, phrase: str) -> int:
        return sum(phrase in t for t in self.texts)


def test_a_spelling_of_a_key_read_as_never_written_does_not_come_back():
    from ghqa.qa.topic_keys import list_terms

    texts = ["白团、石桥撤乡改镇如期完成。", "撤乡设镇工作完成。", *(f"建设项目{i}。" for i in range(100))]

    question = analyze_question("哪些乡完成了撤乡设镇？")
    assert list_terms(_Texts(texts), question) == ["撤乡设镇", "撤乡改镇"]
    assert "撤乡改镇" not in list_terms(_Texts(texts), question, unheld=frozenset({"撤乡改镇"}))


def test_synonyms_of_a_word_inside_a_key_are_no_synonyms_of_the_key():
    from ghqa.qa.topic_keys import list_terms

    # 运动会 is in a synonym group (文体活动, 职工运动会); 亚洲冬季运动会 is one games, not any of them.
    texts = ["承办亚洲冬季运动会。", "举办职工运动会和文体活动。", *(f"建设项目{i}。" for i in range(100))]

    assert list_terms(_Texts(texts), analyze_question("哪些省份提到亚洲冬季运动会？")) == ["亚洲冬季运动会"]
    assert "文体活动" in list_terms(_Texts(texts), analyze_question("哪些单位举办了运动会？"))


def test_a_topic_held_whole_as_written_is_keyed_whole_not_by_a_word_of_it():
    from ghqa.qa.topic_keys import list_terms

    texts = ["开展营业税改征增值税试点。", "下调增值税税率。", "营业税改征增值税稳步实施。"]
    texts += [f"建设项目{i}。" for i in range(100)]
    assert list_terms(_Texts(texts), analyze_question("哪些年份提到营业税改征增值税？")) == ["营业税改征增值税"]
    # A key held only inside the whole adds nothing but a broader stand-in (长江十年 of 长江十年禁渔).
    fished = ["实施长江十年禁渔。", "长江十年禁渔成效明显。", "长江大保护。", *texts]
    assert list_terms(_Texts(fished), analyze_question("哪些省份提到长江十年禁渔？")) == ["长江十年禁渔"]
    # A key the verb follows is no object of it: 棚户区 of 棚户区改造, also written 改造棚户区.
    texts += ["改造棚户区一千户。", "推进棚户区改造。", *(f"改造道路{i}条。" for i in range(10))]  # 改造 is generic
    assert "棚户区" in list_terms(_Texts(texts), analyze_question("哪些年份提到棚户区改造？"))


def test_a_topic_held_whole_that_opens_with_a_verb_is_a_key_beside_its_noun():
    from ghqa.qa.topic_keys import list_terms

    # jieba reads 合成|生物, a verb then a noun: the runs cut at the verb leave 生物, which 生物医药 holds too.
    texts = ["布局合成生物等未来产业。", "发展合成生物。", "壮大生物医药产业。", "建设生物育种基地。"]
    texts += [f"建设项目{i}。" for i in range(100)]
    assert "合成生物" in list_terms(_Texts(texts), analyze_question("哪些省份提到合成生物？"))


def test_generic_words_after_a_verb_jieba_cuts_a_name_at_leave_the_name_the_key():
    from ghqa.qa.topic_keys import list_terms

    # jieba reads 西电东|送|工程: 工程 after the verb says nothing of the topic, the name before it does.
    texts = [
        "实施西电东送工程。",
        "西电东送通道加快建设。",
        "完成天然气输送工程。",
        *(f"建设工程{i}。" for i in range(100)),
    ]
    keys = list_terms(_Texts(texts), analyze_question("哪些年份提到西电东送工程？"))
    assert [any(k in t for k in keys) for t in texts[:3]] == [True, True, False]
    # Where the thing the places have is written alone too, a generic word after its verb is still what is asked.
    counts = {"卫生院": 50, "医生": 900, "卫生院配备": 1}
    assert key_phrases("卫生院配备了医生", lambda phrase: counts.get(phrase, 0), common=300) == ["医生"]
    # After a passive verb, the subject is what is asked about: generic words after it only say what was done to it.
    counts = {"卫生院": 50, "列入": 52, "建设": 2320, "改造": 554, "提升": 1295, "项目": 1302, "提升项目": 25}
    topic = "卫生院被列入建设或改造提升项目"
    assert key_phrases(topic, lambda phrase: counts.get(phrase, 0), common=300) == ["卫生院"]


def test_a_generic_activity_after_a_rare_verb_leaves_the_verb_the_key():
    counts = {"援藏": 19, "工作": 2440, "援藏工作": 1, "首发": 5, "经济": 3000, "首发经济": 4}

    frequency = _frequency_of(counts)

    # 援藏工作 is written once, 援藏 nineteen times: 工作 only says that something was done.
    assert key_phrases("援藏工作", frequency, common=300) == ["援藏"]
    # A generic thing, not an activity, is part of the name.
    assert key_phrases("首发经济", frequency, common=300) == ["首发经济"]


def test_a_topic_absent_from_the_corpus_gets_no_list(engine):
    answer = extractive_answer(engine, "哪些省份举办了马拉松比赛？")
    assert not answer.found and answer.evidence == [] and answer.citations == []


def test_a_key_written_out_with_one_more_or_one_fewer_character_is_found_a_replaced_one_is_not():
    texts = [
        "建设特色小城镇两个。",
        "特色小镇项目开工。",
        "特色小区改造完成。",
        "加快土地管理改革。",
        "土地整理三千亩。",
        "谋划大庄物流园项目。",
        "推进物流园区建设。",
        "白团、石桥撤乡改镇如期完成。",
        "推进撤乡并镇。",
        "关停燃煤发电机组。",
    ]

    assert spelling_variants(_Texts(texts), "特色小镇", common=3) == ["特色小城镇"]
    # However many passages hold an end of the phrase before the one that spells it otherwise.
    texts[:0] = [f"发展特色产业{i}。" for i in range(500)]
    assert spelling_variants(_Texts(texts), "特色小镇", common=3) == ["特色小城镇"]
    del texts[:500]
    assert spelling_variants(_Texts(texts), "土地整理", common=3) == []
    # A one-character verb outside a dictionary word is one of several (设/改 of 撤乡设镇), but 并 is a conjunction,
    # and 发 of 燃煤发电 makes the word 发电: 煤发电 is not 煤改电.
    assert spelling_variants(_Texts(texts), "撤乡设镇", common=3) == ["撤乡改镇"]
    assert spelling_variants(_Texts(texts), "煤改电", common=3) == []
    # One character fewer, when that is a noun of its own (物流园), not a fragment (物流区 is no text's).
    assert spelling_variants(_Texts(texts), "物流园区", common=3) == ["物流园"]
    # The last character only: 农业区 (an agricultural region) is no 农业园区.
    texts.append("建设现代农业区。")
    assert spelling_variants(_Texts(texts), "农业园区", common=3) == []
    # Nor an expression that drops the head (自来水 of 自来水厂).
    texts.append("大店镇自来水入户工程完工。")
    assert spelling_variants(_Texts(texts), "自来水厂", common=3) == []
    # A conjunction inside joins two things: 平台和企业 is no spelling of 平台企业, 平台型企业 is.
    texts += ["搭建平台和企业对接。", "培育平台型企业。", "推动平台与企业合作。"]
    assert spelling_variants(_Texts(texts), "平台企业", common=3) == ["平台型企业"]
    # Nor does 的 inserted spell one thing: 乡镇的规划 is a phrase.
    texts += ["编制乡镇的规划。", "完成乡镇总规划。"]
    assert spelling_variants(_Texts(texts), "乡镇规划", common=3) == ["乡镇总规划"]


def test_a_tier_before_a_category_lists_every_honour_of_that_tier_the_towns_got(engine):
    # The reports never say 称号 of a town: each honour is named by what it is (省级文明镇). 涝坡镇 is only
    # supported to apply.
    towns = {place for place in places_listed(engine, "哪些乡镇获得过省级称号？") if place.endswith(("镇", "乡"))}
    assert towns == {"岭泉镇", "坪上镇", "文疃镇"}
    # With their villages: 板泉镇西村、大店镇东村和坪上镇被评为省级…; 相沟镇东村入选第二批省… (省 alone, where an
    # honour's name begins).
    asked = "哪些乡镇或其下辖村获得过省级称号？"
    towns = {place for place in places_listed(engine, asked) if place.endswith(("镇", "乡"))}
    assert towns == {"岭泉镇", "板泉镇", "大店镇", "坪上镇", "文疃镇", "相沟镇"}
    # A national honour is no provincial one.
    towns = {place for place in places_listed(engine, "哪些乡镇获得过国家级荣誉？") if place.endswith(("镇", "乡"))}
    assert towns == {"筵宾镇"}


def test_a_category_with_no_tier_lists_every_honour_the_towns_received(engine):
    # Every tier above the towns; 涝坡镇 is only supported to apply. The towns' own honours: 坪上镇 is one of those
    # the sentence lists (板泉镇西村、大店镇东村和坪上镇被评为…), 板泉镇 and 大店镇 are there by their villages.
    towns = {place for place in places_listed(engine, "哪些乡镇获得过表彰？") if place.endswith(("镇", "乡"))}
    assert towns == {"岭泉镇", "坪上镇", "文疃镇", "筵宾镇"}
    # Asked with their villages, the villages' honours count for them (相沟镇东村入选…).
    towns = {place for place in places_listed(engine, "哪些乡镇或其下辖村获得过表彰？") if place.endswith(("镇", "乡"))}
    assert towns == {"岭泉镇", "板泉镇", "大店镇", "坪上镇", "文疃镇", "相沟镇", "筵宾镇"}
    # In a field: only the honours naming it (相沟镇东村 of 乡村旅游重点村).
    towns = {
        place
        for place in places_listed(engine, "哪些乡镇的村在乡村旅游方面获得过荣誉？")
        if place.endswith(("镇", "乡"))
    }
    assert towns == {"相沟镇"}
    answer = list_answer(engine, analyze_question("哪些乡镇获得过表彰？"), settings=ListSettings(dense_floor=None))
    assert "获得荣誉" in answer.text.splitlines()[0]
    # 省级以上: the provincial honours and the national one; 省级 is no key (我县获评省级文明县城 is the county's).
    assert places_listed(engine, "哪些乡镇获得过省级以上表彰？") == {"岭泉镇", "坪上镇", "文疃镇", "筵宾镇"}
    # Asked for the towns that did not, the answer says that reports name only those that did.
    denied = list_answer(engine, analyze_question("哪些乡镇没有获得过表彰？"), settings=ListSettings(dense_floor=None))
    assert "不写谁没有做" in denied.note and {r.place for r in denied.evidence} >= {"岭泉镇", "筵宾镇"}
    # What holds the honour is no evidence without one: the towns' 卫生院 are built and merged, never honoured.
    assert places_listed(engine, "哪些乡镇的卫生院获得过表彰？") == set()


def test_honours_of_tiers_joined_count_each_and_an_occasion_named_as_a_field_falls_back_to_any_field(engine):
    # 省级 and 国家级 joined: the provincial honours and the national one.
    joined = places_listed(engine, "哪些乡镇获得过省级荣誉和国家级荣誉？")
    assert {place for place in joined if place.endswith(("镇", "乡"))} == {"岭泉镇", "坪上镇", "文疃镇", "筵宾镇"}
    # No honour names 年度考核 (an occasion, not a field): every honour, with a note saying so.
    asked = analyze_question("哪些乡镇在年度考核中获得过省级以上表彰？")
    answer = list_answer(engine, asked, settings=ListSettings(dense_floor=None))
    assert {r.place for r in answer.evidence} == {"岭泉镇", "坪上镇", "文疃镇", "筵宾镇"}
    assert "未写明「年度考核」" in answer.note


def test_every_honour_of_the_tier_is_gathered_however_common_its_qualifier(engine, monkeypatch):
    import ghqa.qa.lists

    settings = ListSettings(common_share=0.01, dense_floor=None)
    question = analyze_question("哪些乡镇获得过省级称号？")
    every = {row.place for row in list_answer(engine, question, settings=settings).evidence}
    # 省级 is in more passages than the cap lets a generic phrase bring: the honours come by their verbs.
    monkeypatch.setattr(ghqa.qa.lists, "LIST_MAX_PASSAGES", 1)
    capped = {row.place for row in list_answer(engine, question, settings=settings).evidence}
    assert {"岭泉镇", "文疃镇"} <= every and capped == every


def test_keys_no_sentence_of_a_group_asked_for_holds_are_read_as_never_written(engine):
    # 三北防护林 is written only in the national report, which names no province: the key falls back to 防护林, and
    # to 三北, which 山西省 writes alone (“三北”工程).
    question = analyze_question("哪些省份在推进三北防护林建设？")
    settings = ListSettings(common_share=0.2, dense_floor=None)  # 建设 is generic, 三北 and 防护林 are not
    answer = list_answer(engine, question, settings=settings)
    assert {row.place for row in answer.evidence} == {"河北省", "山西省"}
    assert "「三北防护林」" in answer.note and "按「防护林、三北」" in answer.note  # which keys it fell back to
    # Not where the question's status is what leaves no row: no province says it has built one.
    built = list_answer(engine, analyze_question("哪些省份已建成三北防护林？"), settings=settings)
    assert built.evidence == []
    # What a question leaves out only takes rows away: the keys fall back all the same, and it stays left out.
    for left_out in ("除山西省外，", "除2020年外，"):
        answer = list_answer(engine, analyze_question(f"{left_out}哪些省份在推进三北防护林建设？"), settings=settings)
        expected = {"河北省"} if "山西" in left_out else {"河北省", "山西省"}
        assert {row.place for row in answer.evidence} == expected


def test_a_place_is_credited_for_a_key_written_across_quotation_marks_only_by_its_own_phrase():
    from ghqa.qa.lists import _clauses_about

    junan = ["371327"]  # 莒南县
    assert _clauses_about("板泉镇文化广场和大店镇“三北”工程", ["三北工程"], junan) == ["大店镇“三北”工程"]


def test_a_zone_named_after_its_city_credits_the_city(engine):
    assert places_listed(engine, "哪些城市建成了氢能产业园？") == {"唐山市"}


def test_cities_asked_for_include_county_level_cities_prefectures_asked_for_do_not(engine):
    # 义乌 is a county-level city of 金华市, named by its short form in the province's report.
    assert places_listed(engine, "哪些城市建设数字贸易港？") == {"义乌市", "温州市"}
    assert places_listed(engine, "哪些地级市建设数字贸易港？") == {"温州市"}
    # 地区 is any area too, not only a prefecture-level 地区 (哪些有条件的地区).
    assert places_listed(engine, "哪些地区建设数字贸易港？") == {"义乌市", "温州市"}


def test_a_status_the_question_states_keeps_only_work_of_that_status(engine):
    assert places_listed(engine, "哪些乡镇有垃圾填埋场？") == {"岭泉镇", "筵宾镇"}
    assert places_listed(engine, "哪些乡镇的垃圾填埋场已经建成投用？") == {"岭泉镇"}
    assert places_listed(engine, "哪些乡镇力争启动垃圾填埋场建设？") == {"筵宾镇"}
    # Both, or work under way, restrict nothing.
    assert places_listed(engine, "哪些乡镇的垃圾填埋场已经建成或正在建设？") == {"岭泉镇", "筵宾镇"}


def test_a_follow_up_stating_a_status_narrows_the_list_to_it(engine):
    first = list_answer(engine, analyze_question("哪些乡镇有垃圾填埋场？"), settings=ListSettings(dense_floor=None))
    narrowed = narrow_list_answer(first, analyze_question("其中哪些已经建成？"))
    assert [row.place for row in narrowed.evidence] == ["岭泉镇"]


@pytest.mark.parametrize("follow_up", ["其中除2019年外的有哪些？", "其中2019年以外的有哪些？"])
def test_a_follow_up_leaving_a_year_out_keeps_the_rows_of_the_other_years(engine, follow_up):
    first = extractive_answer(engine, "哪几年的政府工作报告提到了智慧停车场？")
    narrowed = narrow_list_answer(first, analyze_question(follow_up))
    assert [row.place for row in narrowed.evidence] == ["2026"]


def test_a_follow_up_leaving_a_place_out_keeps_the_rows_of_the_others(engine):
    first = list_answer(engine, analyze_question("哪些乡镇建了职工驿站？"), settings=ListSettings(dense_floor=None))
    narrowed = narrow_list_answer(first, analyze_question("其中除莒南县外的有哪些？"))
    listed = {row.place for row in narrowed.evidence}
    assert listed == {row.place for row in first.evidence} - {"板泉镇", "大店镇"} and "新安镇" in listed


@pytest.mark.parametrize(
    "follow_up", ["其中莒南县的有哪些？", "其中哪些是莒南县的？", "其中哪些在山东省临沂市莒南县？"]
)
def test_a_follow_up_naming_a_place_keeps_the_rows_under_it(engine, follow_up):
    first = list_answer(engine, analyze_question("哪些乡镇建了职工驿站？"), settings=ListSettings(dense_floor=None))
    assert {"新安镇", "板泉镇", "大店镇"} <= {row.place for row in first.evidence}
    narrowed = narrow_list_answer(first, analyze_question(follow_up))
    assert {row.place for row in narrowed.evidence} == {"板泉镇", "大店镇"}


def test_the_head_says_years_one_by_one_and_three_running_as_a_span():
    from ghqa.qa.lists import _Scope

    assert _Scope(years=("2024", "2023")).phrase() == "2023年、2024年"
    left_out = _Scope(within=("1306",), outside=("130608",), years_out=("2016", "2018", "2017", "2020"))
    assert left_out.phrase() == "保定市内，清苑区、2016年至2018年、2020年以外"


def test_a_frame_before_the_clause_names_where_it_applies(engine):
    # Not 以及…成为…: the county's own clause stays the county's.
    assert places_listed(engine, "哪些乡镇在发展现代农业园区？") == {"石莲子镇", "洙边镇", "莒南县"}
    # The frame may close a clause that opens with what it frames.
    assert places_listed(engine, "哪些乡镇被当作向周边辐射的中心？") == {"相沟镇"}


def test_a_year_no_report_is_of_is_said_so(engine):
    answer = list_answer(engine, analyze_question("2030年哪些乡镇建成了职工驿站？"))
    assert not answer.found and answer.note == "资料中没有2030年的报告。"
    assert list_answer(engine, analyze_question("2025年哪些乡镇建成了职工驿站？")).note is None


def test_a_place_inside_what_the_question_asks_about_is_not_credited(engine):
    # 上海 of 上海合作组织 names the organisation; the national report names no province that took part.
    assert places_listed(engine, "哪些省份提到上海合作组织？") == set()
    assert places_listed(engine, "哪些城市举办了上海合作组织峰会？") == {"青岛市"}
    # A province's own cities inside the topic are still named by its report.
    assert places_listed(engine, "哪些城市提到宁波舟山港？") == {"宁波市", "舟山市"}


def test_words_of_what_was_done_and_division_names_make_no_dense_neighbour_evidence():
    from ghqa.qa.lists import _fallback_words

    counts = {"核能": 2, "发电站": 2, "投运": 34, "上海": 80, "组织": 90, "合作": 95}

    frequency = _frequency_of(counts)

    # 投运 is what was done to the plants, not what they are.
    assert _fallback_words(["发电站"], ["核能", "发电站", "投运"], frequency, by_place=True) == ["核能", "发电站"]
    # 上海 says where: by places it would credit Shanghai's lines; by years it may still find the organisation.
    words = ["上海", "合作", "组织"]
    assert "上海" not in _fallback_words(["上海合作组织"], words, frequency, by_place=True)
    assert "上海" in _fallback_words(["上海合作组织"], words, frequency, by_place=False)


def test_a_key_holding_another_key_brings_no_stand_in_of_its_own():
    from ghqa.qa.lists import _stand_ins

    counts = {"邮轮": 8, "旅游": 247}

    frequency = _frequency_of(counts)

    # 旅游, the verbal head of 邮轮旅游, would stand for any line on tourism; 邮轮 is a key already.
    assert _stand_ins(["邮轮", "邮轮旅游"], ["邮轮", "旅游"], frequency) == set()
    assert _stand_ins(["邮轮旅游"], ["邮轮", "旅游"], frequency) == {"邮轮", "旅游"}


def test_words_never_written_together_key_on_the_held_stretch_with_the_rarest_word():
    counts = {"防控": 180, "基孔": 3, "肯雅": 3, "热": 50, "疫情": 98, "基孔肯雅": 3, "基孔肯雅热": 3, "肯雅热": 3}
    counts |= {"防控基孔肯雅热": 2}

    frequency = _frequency_of(counts)

    # Not 疫情, the head, which every epidemic holds: the name before it, as often held as any stretch with 基孔.
    assert key_phrases("防控基孔肯雅热疫情", frequency, common=100) == ["基孔肯雅热"]


def test_verbs_ending_the_topic_after_its_predicate_are_a_held_name():
    counts = {"撤乡改镇": 2, "推进": 500, "完成": 600}

    frequency = _frequency_of(counts)

    # 撤乡|改镇 are both tagged verbs: the object of 完成, not a predicate.
    assert bridged_phrases("在推进或已完成撤乡改镇", frequency) == ["撤乡改镇"]
    assert bridged_phrases("推进实施撤乡改镇", frequency) == ["撤乡改镇"]
    assert bridged_phrases("正在推进撤乡改镇工作", frequency) == ["撤乡改镇"]
    # An aspect particle after the predicate changes nothing.
    assert bridged_phrases("已经完成了撤乡改镇", frequency) == ["撤乡改镇"]


def test_a_localiser_is_no_part_of_a_key():
    counts = {"群众": 894, "问题": 584, "上": 1785, "问题上": 4, "上有": 3, "具体": 33, "工程": 845, "保护": 298}
    counts |= {"农村饮水安全": 15, "农村饮水": 17, "农村": 647, "饮水": 56, "安全": 548, "水厂": 44, "水源地": 26}

    frequency = _frequency_of(counts)

    # 在…问题上 frames the topic: 问题上 is no key, though the corpus holds it.
    topic = "在解决群众吃水问题上有具体工程（农村饮水安全、水厂扩户、饮用水水源地保护）"
    assert "问题上" not in key_phrases(topic, frequency, common=158)
    # A localiser of two characters names a region: 西部 of 西部大开发, 中游 of 长江中游城市群.
    counts |= {"推进": 800, "建设": 900, "西部": 40, "开发": 90, "西部大开发": 12, "长江": 60, "中游": 9}
    counts |= {"城市群": 70, "长江中游城市群": 8}
    assert key_phrases("推进西部大开发", frequency, common=158) == ["西部"]
    assert key_phrases("建设长江中游城市群", frequency, common=158) == ["长江中游城市群"]


def test_a_name_never_written_as_asked_is_keyed_by_the_spelling_with_one_word_written_otherwise():
    from ghqa.qa.topic_keys import list_terms, reworded_spellings

    texts = ["龙潭沟抽水蓄能电站开工。", "新型储能电站并网。", "广州获批服务业扩大开放综合试点。"]
    texts += ["抽水泵站和电站建成。", "水电站和抽水站建成。", *(f"建设项目{i}。" for i in range(100))]
    corpus = _Texts(texts)

    # The kept words say what it is (抽水…电站), the shared character 能 that 蓄能 is 储能: a key beside 储能电站.
    assert list_terms(corpus, analyze_question("哪些省份提出建设抽水储能电站？")) == ["储能电站", "抽水蓄能电站"]
    assert reworded_spellings(corpus, ["服务业", "对外开放", "综合", "试点"]) == ["服务业扩大开放综合试点"]
    # A word sharing no character with the one asked is not it, nor is one joining two things, nor the word itself
    # with a function word (互联网等 of 卫星互联网等产业).
    texts += ["建设抽水泵房电站。", "建设抽水和电站。", "发展卫星互联网等产业。"]
    assert reworded_spellings(corpus, ["抽水", "储能", "电站"]) == ["抽水蓄能电站"]
    assert reworded_spellings(corpus, ["卫星", "互联网", "产业"]) == []
    # A name the corpus writes as asked keeps its own key.
    texts.append("推进抽水储能电站建设。")
    assert "抽水蓄能电站" not in list_terms(corpus, analyze_question("哪些省份提出建设抽水储能电站？"))


def test_a_name_going_on_after_its_closing_mark_is_keyed_by_its_own_words():
    from ghqa.qa.topic_keys import list_terms

    texts = ["落实“两新”政策。", "扩大“两新”政策范围。", "以旧换新政策效果显著。", "推进“放管服”改革。"]
    texts += [f"建设项目{i}。" for i in range(100)]

    class _ReadThroughMarks(_Texts):
        """Phrases are held as the store holds them, quotation marks read through (“两新”政策 holds 两新政策)."""

        def document_frequency(self, phrase: str) -> int:
            return sum(phrase in t.replace("“", "").replace("”", "") for t in self.texts)

    # 两新|政策, not 两|新政策, which 以旧换新政策 holds too; 放管服|改革, not 放管|服改革; the quoted name alone too.
    assert "新政策" not in list_terms(_ReadThroughMarks(texts), analyze_question("哪些省份推进“两新”政策？"))
    keys = list_terms(_ReadThroughMarks(texts), analyze_question("哪些省份提到“放管服”改革？"))
    assert keys == ["放管服改革", "放管服"]


def test_a_quoted_name_of_characters_and_letters_is_one_key():
    counts = {"村ba": 6, "村": 900, "ba": 12}
    # “村BA” is the village league, not every BA (县BA, 蒙BA) that its letters alone would match.
    assert key_phrases("“村BA”", lambda p: counts.get(p, 0), common=300) == ["村ba"]


def test_a_titled_name_held_only_without_its_first_words_is_keyed_as_held():
    counts = {"框架协议": 5, "海峡两岸": 14, "经济": 2000, "合作": 900, "框架": 80, "协议": 60}
    # The reports write 两岸经济合作框架协议, never 海峡两岸…: not 海峡两岸, which every cross-strait line holds.
    assert key_phrases("《海峡两岸经济合作框架协议》", lambda p: counts.get(p, 0), common=300) == ["框架协议"]
    # Not what is left after the name's own words, where only generic words or a particle open it.
    counts = {"银发": 24, "的意见": 40, "意见": 200, "加快": 900, "发展": 3000, "经济": 2000}
    assert key_phrases("《关于加快发展银发经济的意见》", lambda p: counts.get(p, 0), common=300) == ["银发"]


def test_quotation_marks_neither_cut_a_name_nor_part_its_alternatives():
    from ghqa.qa.topic_keys import list_terms

    texts = ["实施“菜篮子”工程。", "落实“菜篮子”市长负责制。", "保障“菜篮子”产品供给。", "推行河长负责制。"]
    texts += [f"建设项目{i}。" for i in range(100)]
    question = analyze_question("哪些年份的报告提到“菜篮子”（如“菜篮子”工程、“菜篮子”市长负责制）？")

    # All three are alternatives: the rarest alone (市长负责制) would miss 菜篮子产品.
    assert "菜篮子" in list_terms(_Texts(texts), question)


def test_the_asked_level_s_word_ending_a_name_does_not_part_it_from_its_alternatives():
    counts = {"乡村": 300, "旅游": 300, "名镇": 6, "乡村旅游": 40, "旅游重点": 10, "乡村旅游重点": 10, "全国": 800}
    counts |= {"重点": 900, "镇": 900, "旅游名镇": 3}

    frequency = _frequency_of(counts)

    # 镇 is no key when towns are asked for, but 重点镇、旅游名镇 are still two alternatives, not the rarer alone.
    towns = frozenset({"乡镇", "乡", "镇"})
    assert key_phrases("全国乡村旅游重点镇、旅游名镇", frequency, common=100, level_words=towns) == ["旅游重点", "名镇"]


def test_keys_one_passage_holds_bring_the_next_rarest_keys_along():
    counts = {"层面": 1, "总体规划": 30, "总体": 80, "规划": 90, "编制": 70}

    frequency = _frequency_of(counts)

    # A list asks for several places: 层面, held once, would name one passage's; 总体规划 is asked about too.
    assert key_phrases("做过本镇层面的总体规划编制", frequency, common=100) == ["层面", "总体规划"]
    # Held by more passages, the rarest keys are the topic's own, alone (安康杯 of 工会开展安康杯竞赛).
    counts["层面"] = 4
    assert key_phrases("做过本镇层面的总体规划编制", frequency, common=100) == ["层面"]


def test_only_generic_words_before_a_category_word_leave_the_kind_as_the_topic():
    counts = {"改革": 500, "建设": 900, "试点": 60, "财政": 80, "体制": 90, "财政体制": 5, "土地整治": 7}
    counts |= {"土地": 95, "整治": 99}

    frequency = _frequency_of(counts)

    # 改革或建设方面的 says of what kind only in generic words: the pilots and their examples are the topic.
    topic = "做过改革或建设方面的试点（财政体制、土地整治）"
    assert key_phrases(topic, frequency, common=100) == ["试点", "财政体制", "土地整治"]


def test_quoted_names_side_by_side_are_alternatives():
    counts = {
        "一城": 30,
        "两翼": 13,
        "五镇": 2,
        "一城五镇": 2,
        "城镇": 400,
        "隆起带": 4,
        "带状": 20,
        "一": 900,
        "城": 500,
    }

    frequency = _frequency_of(counts)

    # “一城两翼”“一城五镇”: a list of two layouts, not two facets of which the rarer (一城五镇) is the topic.
    topic = "“一城两翼”“一城五镇”或带状城镇隆起带"
    assert {"两翼", "一城五镇", "隆起带"} <= set(key_phrases(topic, frequency, common=100))


def test_what_a_question_leaves_out_holds_no_evidence_of_the_topic(engine):
    assert places_listed(engine, "哪些乡镇在建公路？") == {"板泉镇", "大店镇"}
    # 大店镇's road is a 高速公路连接线: its 公路 is inside what is left out, in a sentence or a bracket.
    assert places_listed(engine, "哪些乡镇在建公路？高速公路连接线不算。") == {"板泉镇"}
    assert places_listed(engine, "哪些乡镇在建公路（高速公路连接线除外）？") == {"板泉镇"}
    # What is left out that holds the topic's key itself leaves the topic as it is.
    assert places_listed(engine, "哪些乡镇在建公路？公路不算。") == {"板泉镇", "大店镇"}
    # Each clause of a sentence of exclusions, widened to the topic's key where the reports write them together.
    assert places_listed(engine, "哪些乡镇在建公路？只涉及公路连接线，或只是危桥加固的，都不算。") == {"板泉镇"}


def test_each_clause_of_an_exclusion_leaves_out_its_thing_with_the_topic_key_written_in_it():
    counts = {"要素": 20, "市场化": 40, "配置": 300, "要素市场化": 14, "综合": 900, "改革": 2000, "试点": 800}
    counts |= {"综合改革试点": 9, "要素市场化配置综合改革试点": 6, "国际贸易": 15, "单一": 30, "领域": 700}

    class Corpus:
        def document_frequency(self, phrase: str) -> int:
            return counts.get(phrase, 0)

        def passage_count(self) -> int:
            return 10_000

    q = "哪些城市推进“综合改革试点”？只涉及要素市场化配置综合改革试点，或只针对国际贸易等单一领域的，都不算。"
    left_out = left_out_keys(Corpus(), analyze_question(q), ["综合改革试点"], common_share=0.04)
    # The first clause's key would leave the topic's key inside it said; the rarer second one was all a whole read found.
    assert left_out == ["要素市场化配置综合改革试点", "国际贸易"]
    # Not a key after the topic's: that is the topic named in full (扫黑除恶专项斗争 of a topic keyed 扫黑除恶).
    counts |= {"扫黑除恶": 30, "专项斗争": 20, "扫黑除恶专项斗争": 12}
    q = "哪几年的报告提到扫黑除恶？只是打击犯罪，或没有提扫黑除恶专项斗争的，都不算。"
    assert "扫黑除恶专项斗争" not in left_out_keys(Corpus(), analyze_question(q), ["扫黑除恶"], common_share=0.04)


def test_a_left_out_thing_is_blanked_wherever_phrase_matching_finds_it():
    from functools import partial

    from ghqa.qa.lists import _clauses_about, _Scope

    scope = _Scope(things_out=("高速公路连接线",))
    # Across spaces and quotation marks too, and the blank joins nothing into a key (农业园区 of 农业科技园区).
    assert "公路" not in scope.unsaid("大店镇修建高速公路 连接线").replace(" ", "")
    assert "公路" not in scope.unsaid("大店镇修建“高速公路”连接线").replace("“", "").replace("”", "")
    assert "农业园区" not in _Scope(things_out=("科技",)).unsaid("农业科技园区")
    # A key it overlaps only in part is still said: 新城 of 新城区 when 城区 is left out.
    assert "新城" in _Scope(things_out=("城区",)).unsaid("推进大店镇新城区建设", keys=["新城"])
    # Within a clause, the phrase about a hit is found in the blanked text: 板泉镇's road is what is left out.
    clause = "板泉镇修建高速公路连接线和坪上镇农村公路。"
    assert _clauses_about(clause, ["公路"], []) == [clause]
    assert _clauses_about(clause, ["公路"], [], partial(scope.unsaid, keys=["公路"])) == ["坪上镇农村公路。"]


def test_a_follow_up_leaving_a_thing_out_says_it_cannot_judge_it_row_by_row(engine):
    first = list_answer(engine, analyze_question("哪些乡镇在建公路？"), settings=ListSettings(dense_floor=None))
    narrowed = narrow_list_answer(first, analyze_question("其中高速公路连接线以外的有哪些？"))
    assert narrowed.note and "高速公路连接线" in narrowed.note
    assert narrow_list_answer(first, analyze_question("其中哪些是2025年的？")).note is None


def test_rows_come_nearest_the_topic_first_and_years_in_their_order():
    from types import SimpleNamespace

    from ghqa.qa.lists import _in_reading_order

    class Nearness:
        """Similarity as the share of a sentence's characters that are in the query."""

        def sentence_similarities(self, query: str, sentences: list[str]) -> list[float]:
            return [sum(c in query for c in s) / len(s) for s in sentences]

    def row(sentence: str) -> tuple:
        return (SimpleNamespace(quote=SimpleNamespace(sentence=sentence)), None, None)

    # 品种 holds the key too, but the sentence on 大豆 is the likelier answer: it is read first, whatever the names.
    best = {"甲省": row("推广小麦品种。"), "乙省": row("创建大豆技术创新中心。")}
    places = [group for group, _ in _in_reading_order(Nearness(), best, analyze_question("哪些省份提到大豆技术创新？"))]
    assert places == ["乙省", "甲省"]
    years = {"2016": row("大豆技术创新。"), "2015": row("推广小麦品种。")}
    asked = analyze_question("哪些年份提到大豆技术创新？")
    assert [group for group, _ in _in_reading_order(Nearness(), years, asked)] == ["2015", "2016"]


def test_a_question_naming_whose_reports_it_reads_lists_only_theirs(engine):
    # 智慧停车场 is in 2019's State Council report and in Zhejiang's of 2026: a year of any report unless one is named.
    assert places_listed(engine, "哪些年份的报告提到智慧停车场？") == {"2019", "2026"}
    assert places_listed(engine, "哪些年份的国务院政府工作报告提到智慧停车场？") == {"2019"}
    assert places_listed(engine, "哪幾年的國務院政府工作報告提到智慧停車場？") == {"2019"}
    # Cities named in a province's report are none of the State Council's.
    assert "杭州市" in places_listed(engine, "哪些城市在2026年省级政府工作报告中提到智慧停车场？")
    assert places_listed(engine, "哪些城市在国务院政府工作报告中提到智慧停车场？") == set()


def test_a_division_s_name_alone_is_no_key_of_a_name_that_holds_it():
    from ghqa.qa.topic_keys import list_terms

    texts = ["推动上海合作组织等区域合作机制发展。", "出席上海合作组织峰会。", "上海浦东新区开放开发。"]
    texts += [f"加强合作{i}，健全组织{i}。" for i in range(100)]
    keys = list_terms(_Texts(texts), analyze_question("哪些年份的报告提到上海合作组织？"))
    assert keys and all(k.startswith("上海合作") for k in keys)
    # A topic that is the place itself keeps it.
    assert list_terms(_Texts(texts), analyze_question("哪些年份的报告提到上海？")) == ["上海"]


def test_examples_after_the_topic_are_keys_beside_its_own_unless_they_are_sides_of_it():
    counts = {"卫生院": 50, "医改": 7, "动作": 49, "职工": 90, "书屋": 20, "职工书屋": 12, "爱心": 30, "驿站": 15}
    counts |= {"爱心驿站": 6, "具体": 90, "建设": 500}
    frequency = _frequency_of(counts)

    keys = key_phrases("卫生院在医改上有具体动作，比如建设职工书屋或者建设爱心驿站", frequency, common=100)
    assert keys == ["医改", "职工书屋", "爱心驿站"]
    # Examples pointing back to the topic (它的, 这方面) or naming its key again are sides of it, not things of its kind.
    counts |= {"上海": 60, "合作": 400, "上海合作": 11, "上海合作组织": 11, "成立": 80, "峰会": 40, "区域合作": 22}
    counts |= {"机制": 99, "大豆": 30, "种子": 20}
    frequency = _frequency_of(counts)
    assert key_phrases("上海合作组织，比如它的成立、峰会或区域合作机制", frequency, common=100) == ["上海合作"]
    assert key_phrases("大豆，比如大豆种子或峰会", frequency, common=100) == ["大豆"]
    # Examples in brackets that end the topic are examples after it, not alternatives to its last words.
    counts |= {"旅客": 60, "吞吐量": 40, "旅客吞吐量": 12, "规模": 300, "突破": 200, "千万人次": 3, "人次": 90}
    frequency = _frequency_of(counts)
    assert key_phrases("旅客吞吐量的规模（如突破千万人次）", frequency, common=100) == ["旅客吞吐量", "千万人次"]
    # So are examples after ，如, where 如 is a word of its own; not a word opening with it (，如期完成).
    counts |= {"国家": 900, "公园": 60, "国家公园": 38, "三江源": 10, "大熊猫": 5, "大熊猫国家公园": 4, "具体": 90}
    counts |= {"如期": 40, "如期完成": 20}
    frequency = _frequency_of(counts)
    assert key_phrases("某个具体的国家公园，如三江源、大熊猫国家公园", frequency, common=100) == ["公园"]
    assert "如期完成" not in key_phrases("建设职工书屋，如期完成", frequency, common=100)
    # Examples inside a remark in brackets are of the remark's words, not the topic's.
    counts |= {"客运站": 30, "枢纽站": 10, "东站": 5, "北站": 5, "铁路": 200, "大型": 150, "高铁": 40, "枢纽": 90}
    counts |= {"高铁枢纽站": 2}
    frequency = _frequency_of(counts)
    keys = key_phrases("大型铁路客运站（高铁枢纽站，如某某东站、北站）", frequency, common=100)
    assert keys == ["客运站", "高铁枢纽站"]
    # An example saying part of the topic's key again is a kind of it: its keys without the part (床位) are not.
    counts |= {"老年人": 80, "认知障碍": 4, "照护": 27, "认知障碍照护": 4, "认知障碍老年人": 1, "床位": 33}
    counts |= {"认知障碍照护床位": 1, "友好": 90, "社区": 99, "友好社区": 1, "认知障碍照护友好社区": 1}
    frequency = _frequency_of(counts)
    keys = key_phrases("认知障碍老年人照护（如认知障碍照护床位、认知障碍照护友好社区）", frequency, common=100)
    assert keys == ["认知障碍老年人"]


def test_a_name_given_to_places_of_several_tiers_is_keyed_with_the_asked_tier_s_words():
    from ghqa.qa.questions import analyze_question

    counts = {"乡村": 526, "旅游": 303, "重点": 939, "乡村旅游": 32, "旅游重点": 10, "乡村旅游重点": 10}
    counts |= {"旅游重点镇": 2, "旅游重点乡镇": 1, "重点镇": 3, "重点村": 19, "旅游重点村": 9, "评为": 150}
    counts |= {
        "省域": 20,
        "副": 90,
        "中心": 800,
        "城市": 900,
        "副中心": 16,
        "省域副中心": 6,
        "省域副中心城市": 3,
        "建设": 900,
    }
    frequency = _frequency_of(counts)
    towns = analyze_question("哪些乡镇被评为乡村旅游重点镇？").level_words
    cities = analyze_question("哪些城市建设省域副中心城市？").level_words

    # The towns hold the name themselves, as the corpus writes it of towns: a village of theirs that is a 旅游重点村
    # is no answer.
    assert key_phrases("被评为乡村旅游重点镇", frequency, common=164, level_words=towns) == [
        "旅游重点乡镇",
        "旅游重点镇",
    ]
    assert key_phrases("被评为乡村旅游重点乡", frequency, common=164, level_words=towns) == [
        "旅游重点乡镇",
        "旅游重点镇",
    ]
    # A name no other tier holds keeps its key: the reports write it without the level's word too (建设省域副中心).
    assert key_phrases("建设省域副中心城市", frequency, common=164, level_words=cities) == ["省域副中心"]


def test_a_bracket_listing_the_parts_of_a_quoted_name_adds_no_key():
    from ghqa.qa.topic_keys import list_terms

    texts = ["坚决打好三大攻坚战。", "防范化解重大风险取得成效。", "精准脱贫成效显著。", "污染防治力度加大。"]
    texts += [f"加强管理{i}，推进工作{i}。" for i in range(100)]
    question = "列出提到“三大攻坚战”（防范化解重大风险、精准脱贫、污染防治三场攻坚战）的国务院政府工作报告年份。"
    # Each part alone is another campaign: the reports that name only one do not name the three.
    assert list_terms(_Texts(texts), analyze_question(question)) == ["三大攻坚战"]


def test_an_adverb_before_a_noun_the_corpus_writes_with_it_opens_a_name():
    counts = {"特别": 611, "国债": 75, "特别国债": 25, "发行": 200, "安排": 500, "发行安排": 3}
    frequency = _frequency_of(counts)
    # 特别国债 is one kind of bond: 国债 alone keys every year's construction bonds.
    assert key_phrases("特别国债的发行安排", frequency, common=300) == ["特别国债"]
    # Not an adverb parted from the noun.
    assert key_phrases("特别的国债", frequency, common=300) == ["国债"]


def test_a_clause_counting_its_key_takes_the_items_in_the_clauses_after_it():
    from ghqa.ingest.places import find_places
    from ghqa.qa.lists import _clauses_about

    sentence = (
        "4个国家级区域医疗中心建设进展顺利，中山大学附属肿瘤医院甘肃医院、上海市第一人民医院酒泉医院建成投运，"
        "长春中医药大学附属医院定西医院即将建成。"
    )
    about = _clauses_about(sentence, ["国家级区域医疗中心"], ["62"], related=["医院"])
    named = {p.name for part in about for p in find_places(part, near=["62"])}
    assert {"酒泉市", "定西市"} <= named
    # Uncounted, only the nearest clause naming a place speaks of the key.
    about = _clauses_about(sentence.removeprefix("4个"), ["国家级区域医疗中心"], ["62"], related=["医院"])
    assert "定西市" not in {p.name for part in about for p in find_places(part, near=["62"])}


def test_a_run_in_title_naming_the_topic_gives_its_paragraph(engine):
    # 3、农村饮水安全工程。 titles its paragraph; 4、推进饮水安全工程。 is a sentence of its own, and the next
    # paragraph's town (何桥乡) is under another title.
    listed = places_listed(engine, "哪些乡镇实施了饮水安全工程？")
    assert listed >= {"阳城镇", "魏村镇"}
    assert not listed & {"望亭乡", "何桥乡"}


def test_a_heading_naming_a_counted_programme_gives_its_items_to_the_section_s_end(engine):
    # The items name no key; the heading above them does. The next section's town is none of them, nor is a town
    # named to be left out (除魏村镇); the item naming no town is the county's own (清苑县).
    listed = places_listed(engine, "清苑县2005年政府工作报告的三项民心工程里点到了哪些乡镇？")
    assert listed - {"清苑县"} == {"阳城镇", "李庄乡"}
