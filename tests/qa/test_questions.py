from __future__ import annotations

import pytest
from ghqa.qa.questions import analyze_question, classify_status


def test_list_question_with_unit_and_synonyms() -> None:
    a = analyze_question("哪些乡镇开展了工资集体协商？")
    assert a.kind == "list"
    assert (a.grouping, a.grouping_word) == ("township", "乡镇")
    assert a.topic == "工资集体协商"  # the verb of the list question is scaffolding
    assert a.topic_terms == ["工资集体协商"]
    assert any("工资协商" in group for group in a.expansions)
    assert "工资专项集体合同" in a.search_terms()


def test_fact_question() -> None:
    a = analyze_question("马过河镇开展工资集体协商后，农民工工资上浮了多少？")
    assert a.kind == "fact"
    assert a.grouping is None  # 马过河镇 is a place named, not a grouping asked for
    assert "工资集体协商" in a.topic_terms and "马过河镇" in a.topic_terms
    assert "多少" not in a.topic
    assert any("外来务工人员" in group for group in a.expansions)


def test_wording_question() -> None:
    a = analyze_question("困难职工帮扶工作的总结怎么写？找一些参考段落")
    assert a.kind == "wording"
    assert "困难职工帮扶" in a.topic_terms
    assert any("送温暖" in group for group in a.expansions)


def test_traditional_question_is_converted() -> None:
    a = analyze_question("逍林鎮總工會第一次代表大會是哪天召開的？")
    assert a.kind == "fact"
    assert a.normalized.startswith("逍林镇总工会")
    assert a.grouping is None
    assert "哪天" not in a.topic and "逍林镇总工会第一次代表大会" in a.topic_terms


def test_follow_up_year() -> None:
    a = analyze_question("其中哪些是2010年的？")
    assert a.kind == "list"
    assert a.years == ["2010"]


def test_chinese_numeral_year_and_whole_year() -> None:
    a = analyze_question("二〇一〇年全年工会经费收缴了多少？")
    assert a.years == ["2010"] and a.period == "全年" and a.kind == "fact"


def test_english_questions() -> None:
    fact = analyze_question("How many workers' wages rose after collective wage bargaining in Maguohe town?")
    assert fact.kind == "fact"
    assert "工资集体协商" in fact.topic_terms
    towns = analyze_question("Which towns carried out collective wage bargaining in 2010?")
    assert towns.kind == "list" and towns.grouping == "township" and towns.years == ["2010"]
    assert "towns" not in towns.topic


@pytest.mark.parametrize(
    ("question", "period"),
    [("上半年街道工会开展了哪些活动？", "上半年"), ("下半年工作打算", "下半年"), ("本镇的工会工作", None)],
)
def test_period(question: str, period: str | None) -> None:
    assert analyze_question(question).period == period


@pytest.mark.parametrize(
    ("question", "grouping"),
    [
        ("哪些街道召开了职代会？", "township"),
        ("哪些民族乡获得过表彰？", "township"),
        ("县总工会下属哪些乡镇建立了工会？", "township"),
        ("哪些企业签订了集体合同？", "organisation"),
        ("社区工会如何开展金秋助学？", "community"),
        ("哪些区县开展了安康杯竞赛？", "county"),
        ("哪些地方开展了送温暖？", "unit"),
        ("哪些省份提到零工市场？", "province"),
        ("哪些城市在修高铁？", "prefecture"),
        ("哪些省会城市实施强省会战略？", "prefecture"),  # not 省 then 会城市
        ("哪几年的政府工作报告提到人民公社？", "year"),
        # Words qualifying the grouping word after 哪些 do not hide it behind one in the scope (自治区).
        ("据广西壮族自治区2026年政府工作报告，哪些重点地市的债务规模有序压降？", "prefecture"),
        ("據廣西壯族自治區2026年政府工作報告，哪些重點地市的債務規模有序壓降？", "prefecture"),
        ("工会经费收缴情况", None),
    ],
)
def test_grouping_from_the_levels_vocabulary(question: str, grouping: str | None) -> None:
    assert analyze_question(question).grouping == grouping


def test_a_place_whose_reports_are_read_may_give_its_former_name_in_brackets() -> None:
    a = analyze_question("清苑区（原清苑县）的政府工作报告中，哪些乡镇建设了污水处理厂？")
    assert (a.scope_codes, a.topic) == (("130608",), "建设了污水处理厂")


@pytest.mark.parametrize(
    ("question", "grouping", "topic"),
    [
        ("全县哪些乡镇开展了土地整治？", "township", "土地整治"),
        ("今年哪些乡镇建了垃圾中转站？", "township", "建了垃圾中转站"),
        ("2023年哪些乡镇建了变电站？", "township", "建了变电站"),
        ("过去五年哪些乡镇建了变电站？", "township", "建了变电站"),
        # Words on the topic before the grouping stay in the topic.
        ("垃圾分类工作中哪些乡镇表现突出？", "township", "垃圾分类工作中 表现突出"),
        ("关于乡村振兴，哪些县做得好？", "county", "关于乡村振兴， 做得好"),
        ("本市哪些区县建设职工驿站？", "county", "建设职工驿站"),
        ("污水处理厂建在哪些乡镇？", "township", "污水处理厂建在"),
        ("哪些乡镇被评为全县先进乡镇？", "township", "被评为全县先进乡镇"),
        # Where the reports are is no part of the topic, wherever it stands (a year there is no key: 2026).
        ("哪些城市在省级2026年政府工作报告中入选美丽城市？", "prefecture", "入选美丽城市"),
        ("哪些城市在2026年省级政府工作报告中入选美丽城市？", "prefecture", "入选美丽城市"),  # the year first
        ("2026年省级政府工作报告中，哪些城市入选美丽城市？", "prefecture", "入选美丽城市"),
        ("哪些省份的2026年政府工作报告提到了电瓶车？", "province", "电瓶车"),
        ("哪些城市在2026年的报告中提到低空经济？", "prefecture", "低空经济"),
        # 点名 is how a report names them, like 提到 (被点名加快建设: no 加快建设 key across it).
        ("哪些城市被点名加快建设玉米制种基地？", "prefecture", "加快建设玉米制种基地"),
        # Xinjiang's 地州 and Inner Mongolia's 盟市 ask for prefectures.
        ("哪些地州在2026年省级政府工作报告中被点名建设制种基地？", "prefecture", "建设制种基地"),
        ("哪些盟市打造乳业集群？", "prefecture", "打造乳业集群"),
        # A clause naming the reports to read, whatever else it says (历年, 近年来), and 报告中 before the verb.
        ("据历年国务院政府工作报告，哪些年份提到中非合作论坛？", "year", "中非合作论坛"),
        ("从近年来的报告看，哪些年份提到中非合作论坛？", "year", "中非合作论坛"),
        ("在历届政府工作报告里，哪些年份提到博鳌亚洲论坛？", "year", "博鳌亚洲论坛"),
        ("2026年政府工作报告中提到数控机床的省份有哪些？", "province", "数控机床"),
        ("哪些省会城市实施强省会战略？", "prefecture", "实施强省会战略"),  # 省会 of the topic stays in it
        # Unless the topic is in it.
        ("在关于乡村振兴的报告中，哪些乡镇提到了？", "township", "在关于乡村振兴 中"),
        ("在关于乡村振兴的报告中，哪些乡镇提到了产业发展？", "township", "在关于乡村振兴 中， 产业发展"),
        # Not inside a word: 里程碑, 存在.
        ("哪些省份的政府工作报告里程碑式地提出了低空经济？", "province", "里程碑式地 低空经济"),
    ],
)
def test_what_comes_before_the_asked_grouping_is_scope_not_topic(question: str, grouping: str, topic: str) -> None:
    a = analyze_question(question)
    assert (a.kind, a.grouping, a.topic) == ("list", grouping, topic)


@pytest.mark.parametrize(
    ("question", "scope"),
    [
        ("江苏省哪些城市开通了地铁？", "江苏省"),
        ("清苑区有哪些乡镇建了污水处理厂？", "清苑区"),
        ("巴州区有哪些乡镇开展了金秋助学？", "巴州区"),  # 州 is a kind word too
        ("全县哪些乡镇开展了土地整治？", "全县"),
        ("垃圾分类工作中哪些乡镇表现突出？", ""),
        ("哪些乡镇建了污水处理厂？", ""),
        ("提到夜市经济的城市有哪些？", ""),
    ],
)
def test_the_scope_a_list_question_puts_before_its_grouping(question: str, scope: str) -> None:
    assert analyze_question(question).scope == scope


@pytest.mark.parametrize(
    ("question", "codes", "years", "topic"),
    [
        # A county named without its kind word is the county (清苑 of 清苑区), as a scope only.
        ("清苑有哪些乡镇建了污水处理厂？", ("130608",), [], "建了污水处理厂"),
        ("顺平哪几个乡镇的卫生院在改扩建？", ("130636",), [], "卫生院在改扩建"),
        ("2023年徐水哪些乡镇在修路？", ("130609",), ["2023"], "在修路"),
        # Every county so named (朝阳区 of Beijing and of Changchun, 朝阳县).
        ("朝阳有哪些街道建了公园？", ("110105", "211321", "220104"), [], "建了公园"),
        # Not a township or a word that merely holds one: 垃圾分类 is no county.
        ("垃圾分类工作中哪些乡镇表现突出？", (), [], "垃圾分类工作中 表现突出"),
        # The longest name, not one inside it (元宝山, not 宝山); no county's name inside another word (五台山).
        ("元宝山有哪些乡镇建了公园？", ("150403",), [], "建了公园"),
    ],
)
def test_a_county_named_without_its_kind_word_scopes_the_list(question, codes, years, topic) -> None:
    a = analyze_question(question)
    assert (a.scope_codes, a.scope_years, a.topic) == (codes, years, topic)


@pytest.mark.parametrize(
    ("question", "grouping", "topic"),
    [
        ("涉及殡葬改革的省级地区有哪几个？", "province", "涉及殡葬改革"),
        ("提到邮轮母港的省级行政区有哪些？", "province", "邮轮母港"),
        ("哪些省级地区的报告提到了长城国家文化公园？", "province", "长城国家文化公园"),
        ("哪些地区提到邮轮母港？", "prefecture", "邮轮母港"),
        # Only the label of the word asked: 省级行政区 here is what the districts are in.
        ("哪些区入选省级行政区划调整？", "county", "入选省级行政区划调整"),
        ("开展了工资集体协商的乡镇有哪几个？", "township", "工资集体协商"),
    ],
)
def test_a_tier_s_label_before_a_word_for_any_area_asks_for_that_tier(question, grouping, topic) -> None:
    a = analyze_question(question)
    assert (a.grouping, a.topic) == (grouping, topic)


@pytest.mark.parametrize(
    ("question", "codes", "topic"),
    [
        ("阜平县的农村寄宿制学校建在哪些乡镇？", ("130624",), "农村寄宿制学校建在"),
        ("容城县以服装产业著称的乡镇有哪些？", ("130629",), "以服装产业著称"),
        ("在阜平县的旅游布局里，哪些乡镇被定为旅游片区？", ("130624",), "旅游布局里， 被定为旅游片区"),
        ("江苏省提出建设国际消费中心城市的城市有哪些？", ("32",), "建设国际消费中心城市"),
        # Not a place that is what is asked about, at the level asked or by years (上海浦东新区 of 哪些年份).
        ("哪些年份提到上海浦东新区的开发开放？", (), "上海浦东新区的开发开放"),
        # A bare name may open another name (上海合作组织 is no report of Shanghai's).
        ("哪些城市提到上海合作组织？", (), "上海合作组织"),
    ],
)
def test_a_division_the_topic_opens_with_above_the_level_asked_scopes_the_list(question, codes, topic) -> None:
    a = analyze_question(question)
    assert (a.scope_codes, a.topic) == (codes, topic)


@pytest.mark.parametrize(
    "question",
    [
        "除清苑区外，哪些乡完成了撤乡设镇？",
        "清苑区以外，哪些乡完成了撤乡设镇？",
        "不含清苑区，哪些乡完成了撤乡设镇？",
        "除了清苑区，哪些乡完成了撤乡设镇？",
        "除了清苑区之外还有哪些乡完成了撤乡设镇？",
        "哪些乡（清苑区除外）完成了撤乡设镇？",
        "除河北省保定市清苑区外，哪些乡完成了撤乡设镇？",  # the division named, not those above it
    ],
)
def test_a_county_the_question_leaves_out_is_no_scope_but_left_out(question) -> None:
    a = analyze_question(question)
    assert (a.scope_codes, a.left_out_codes, a.topic) == ((), ("130608",), "完成了撤乡设镇")


@pytest.mark.parametrize(
    ("question", "grouping", "scope_codes", "topic"),
    [
        (
            "西部省区市（含内蒙古、广西）中，哪些在2026年政府工作报告里提出推进绿电直连？",
            "province",
            12,
            "推进绿电直连",
        ),
        ("江苏省的城市当中，哪几个提到了数据中心？", "prefecture", 1, "数据中心"),
    ],
)
def test_a_partitive_question_asks_by_the_grouping_word_before_it(question, grouping, scope_codes, topic) -> None:
    a = analyze_question(question)
    assert (a.grouping, len(a.scope_codes), a.topic) == (grouping, scope_codes, topic)


def test_a_one_character_grouping_word_inside_a_word_is_no_partitive() -> None:
    a = analyze_question("与乡镇同名的景区里，哪些搞过提档升级？请回答对应的乡镇。")
    assert a.grouping == "township" and "景区" in a.topic


def test_a_region_named_as_the_scope_is_its_provinces() -> None:
    northeast = ("21", "22", "23")
    assert analyze_question("东北三省的政府工作报告中，哪些城市被列为国家碳达峰试点城市？").scope_codes == northeast
    west = analyze_question("西部省份中，哪些省区市的2026年政府工作报告提到足球联赛？")
    assert (west.grouping, len(west.scope_codes), west.topic) == ("province", 12, "足球联赛")
    both = analyze_question("在西部和东北省份的2026年政府工作报告中，哪些城市被提出建设区域性消费中心城市？")
    assert len(both.scope_codes) == 15 and set(northeast) <= set(both.scope_codes)
    geographic = analyze_question("在东北三省和西北五省区的2026年政府工作报告中，哪些城市被提到开展消费试点？")
    assert geographic.scope_codes == (*northeast, "61", "62", "63", "64", "65")
    north = analyze_question("华北和东北地区省份的2026年政府工作报告中，哪些地市被提到建设国家物流枢纽？")
    assert north.scope_codes == ("11", "12", "13", "14", "15", *northeast)


def test_a_region_whose_reports_are_named_after_the_grouping_is_its_provinces() -> None:
    a = analyze_question("哪些地市在东北三省的2026年政府工作报告中被提到有园区入选国家级零碳园区？")
    assert a.scope_codes == ("21", "22", "23") and "东北" not in a.topic and "零碳园区" in a.topic
    # Regions sharing one 部 (中西部) are each read, and a count may stand before the provinces (西部12省区市).
    central_west = analyze_question("中西部地区哪些省份提出承接产业转移？")
    assert len(central_west.scope_codes) == 18 and "14" in central_west.scope_codes and "65" in central_west.scope_codes
    assert len(analyze_question("西部12省区市哪些省份提到绿电直连？").scope_codes) == 12
    # A region's name after a place or another word is a part of it, no region (保定东部, 县城东部).
    assert "13" not in analyze_question("保定东部省份哪些乡镇建了物流园？").scope_codes


def test_only_a_clause_before_the_places_asked_or_a_remark_leaves_something_out() -> None:
    # 以外 and 除 inside the topic say where or what, not what is left out.
    assert analyze_question("哪些乡镇在清苑区以外建了工业园区？").left_out_codes == ()
    assert analyze_question("哪些城市解除了对上海外来人员的限制？").left_out_codes == ()
    # A county's name without its kind word counts only as the whole phrase left out (新建 of 新建学校 is no 新建区).
    assert analyze_question("除了新建学校以外，哪些乡镇还改造了校舍？").left_out_codes == ()
    # A place of the level asked is left out too, within the scope, wherever the scope is said.
    for question in ("除南京市外，江苏省哪些城市开通了地铁？", "江苏省除南京市以外哪些城市开通了地铁？"):
        a = analyze_question(question)
        assert (a.scope_codes, a.left_out_codes) == (("32",), ("3201",))
    # jieba's guessing would glue 除 to a rare name (除满|城区); a year before it stays the scope's.
    a = analyze_question("2023年除满城区外，保定市哪些乡镇建了污水处理厂？")
    assert (a.scope_codes, a.left_out_codes, a.scope_years) == (("1306",), ("130607",), ["2023"])
    # With no 哪些 before the places asked, and with a remark besides.
    assert analyze_question("列出除清苑区外建设了污水处理厂的乡镇").left_out_codes == ("130608",)
    a = analyze_question("除满城区外（不含清苑区），哪些乡镇建了污水处理厂？")
    assert (a.left_out_codes, a.topic) == (("130607", "130608"), "建了污水处理厂")


@pytest.mark.parametrize(
    "question",
    [
        "除2020年外，哪些年份的政府工作报告提到了僵尸企业？",
        "2020年以外，哪几年的政府工作报告提到了僵尸企业？",
        "哪些年份（2020年除外）的政府工作报告提到了僵尸企业？",
        "不含2020年，哪些年份的政府工作报告提到了僵尸企业？",
    ],
)
def test_a_year_the_question_leaves_out_is_no_scope_but_left_out(question) -> None:
    a = analyze_question(question)
    assert (a.left_out_years, a.scope_years, a.left_out_codes) == (("2020",), [], ())
    assert "2020" not in a.topic


@pytest.mark.parametrize(
    ("left_out", "years"),
    [
        ("除2016年至2018年外", ("2016", "2017", "2018")),  # each year of a span
        ("2010—2012年以外", ("2010", "2011", "2012")),
        ("除2020年和2021年外", ("2020", "2021")),
        ("除二〇二〇年外", ("2020",)),
        ("除2019、2020年外", ("2019", "2020")),
        ("除去2019年和2020年两年外", ("2019", "2020")),
        ("除2019年的报告外", ("2019",)),
        ("除了2019年还有", ("2019",)),
        ("除2018年至2016年外", ("2016", "2017", "2018")),  # either way round
        ("除2016年——2018年外", ("2016", "2017", "2018")),
        ("除二〇一六年至二〇一八年外", ("2016", "2017", "2018")),
        ("2016—18年以外", ("2016", "2017", "2018")),
        ("除2016-2018外", ("2016", "2017", "2018")),  # four-digit ends need no 年
        ("除1998—03年外", ("1998", "1999", "2000", "2001", "2002", "2003")),  # across a century
        ("除2019—2020年度外", ("2019", "2020")),
        ("除2021年和清苑区外", ("2021",)),
        ("除清苑区和徐水区2021年外", ()),  # those places' reports of 2021, not every report of it
        ("除2008年奥运会外", ()),  # a thing of a year, not the year
        ("除2020年以来外", ()),  # from when, no year
        ("除2020年上半年外", ()),  # a part of the year, not its report
    ],
)
def test_only_a_phrase_naming_years_alone_leaves_years_out(left_out, years) -> None:
    assert analyze_question(f"{left_out}，哪些年份的政府工作报告提到了僵尸企业？").left_out_years == years


def test_a_clause_after_the_places_asked_leaves_out_only_when_it_is_all_exclusion() -> None:
    a = analyze_question("哪些年份的政府工作报告提到了僵尸企业，2019年除外？")
    assert (a.left_out_years, a.topic) == (("2019",), "僵尸企业")
    a = analyze_question("哪些乡镇建了职工驿站，不含清苑区？")
    assert (a.left_out_codes, a.topic) == (("130608",), "建了职工驿站")
    assert analyze_question("哪些乡镇建了工业园区，在清苑区以外的？").left_out_codes == ()
    # Nor one leaving out neither places nor years: 不计报酬 says how.
    assert analyze_question("哪些乡镇的干部，不计报酬坚守在防汛一线？").topic == "干部，不计报酬坚守在防汛一线"
    assert analyze_question("哪些乡镇建了职工驿站， 清苑区除外？").topic == "建了职工驿站"
    # An exclusion naming neither is still no part of the topic (城区除外), and 的 after the year is read.
    assert analyze_question("哪些乡镇建设了美丽乡村，城区除外？").topic == "建设了美丽乡村"
    # A sentence after the question that only leaves things out is no part of the topic either, nor its keys.
    a = analyze_question("哪些乡镇是公路改建工程的起点或终点？高速公路连接线和互通不算。")
    assert (a.topic, a.left_out_codes) == ("公路改建工程的起点或终点", ())
    assert analyze_question("哪些乡镇建有工业园区？旅游片区都不算在内").topic == "建有工业园区"
    # After a question with no 哪 too; but asking whether something counts leaves nothing out.
    a = analyze_question("列出建有工业园区的乡镇？旅游片区不算")
    assert (a.topic, a.grouping) == ("建有工业园区", "township")
    assert analyze_question("列出提到低空经济的省份。无人机不算。").topic == "低空经济"
    # The group listed is the one at the end of the 列出 sentence, not one the topic names before it.
    a = analyze_question("列出所有设区市都获评双拥模范城的省区市。只说新获评若干个的不算。")
    assert (a.grouping, a.grouping_word) == ("province", "省区市")
    assert "老旧小区改造" in analyze_question("哪些省份提出了城市更新？老旧小区改造算不算？").topic
    # What is left out besides places and years is kept as written, for the evidence to leave out.
    assert analyze_question("哪些乡镇建有工业园区（建材类园区除外）？").left_out_things == ("建材类园区",)
    a = analyze_question("除清苑区和2020年外，哪些乡镇建了驿站？旅游驿站不算")
    assert (a.left_out_codes, a.left_out_years, a.left_out_things) == (("130608",), ("2020",), ("旅游驿站",))
    # A place's thing leaves the thing out, not the place; a sentence of its own leaves out what 不含 names.
    a = analyze_question("哪些乡镇建了职工驿站？清苑区的旅游驿站不算")
    assert (a.left_out_codes, a.left_out_things) == ((), ("清苑区的旅游驿站",))
    a = analyze_question("哪些乡镇建了职工驿站？不含幼儿园")
    assert (a.topic, a.left_out_things) == ("建了职工驿站", ("幼儿园",))
    # A sentence listing things left out, clause by clause, then the verdict alone: each clause, places and years too.
    a = analyze_question("哪些乡镇建了职工驿站？只建了爱心驿站，或只挂了牌子的，都不算。")
    assert (a.topic, a.left_out_things) == ("建了职工驿站", ("只建了爱心驿站", "只挂了牌子的"))
    a = analyze_question("哪些乡镇建了职工驿站？只是挂牌的，或清苑区的，或2019年的，都不算；请列出乡镇。")
    assert (a.left_out_things, a.left_out_codes, a.left_out_years) == (("只是挂牌的",), ("130608",), ("2019",))
    # Clauses before a last one that joins them and ends in the verdict are left out too, each on its own.
    a = analyze_question("哪些乡镇的景区提档升级了？只是宣传推广、提高知名度，或单纯创建A级景区的不算。")
    assert (a.topic, a.left_out_things) == ("景区提档升级", ("只是宣传推广、提高知名度", "单纯创建A级景区的"))
    a = analyze_question("哪些乡镇建了驿站？只是挂牌，或临时设点的都不算在内。")
    assert a.left_out_things == ("只是挂牌", "临时设点的")
    assert analyze_question("哪些乡镇建了驿站？只挂牌，或临时设点的不计。").left_out_things == ("只挂牌", "临时设点的")
    a = analyze_question("哪些乡镇建了驿站？只挂牌，或2019年的不算。")
    assert (a.left_out_things, a.left_out_years) == (("只挂牌",), ("2019",))
    assert len(analyze_question("哪些城市提到了地铁？直辖市，或自治区的都不算。").left_out_codes) == 9
    # Not a clause saying what counts, nor one saying where.
    for counts in ("户外劳动者驿站也算", "新建的算", "新建、改建的都可以", "新建的计入"):
        a = analyze_question(f"哪些乡镇建了驿站？{counts}，或只挂牌的不算。")
        assert a.left_out_things == ("或只挂牌的",) and counts in a.topic
    assert analyze_question("哪些乡镇建了驿站？户外劳动者驿站也算，只挂牌的不算。").left_out_things == ("只挂牌的",)
    a = analyze_question("哪些企业建了职工书屋？只有计算机室的，或只挂牌的，都不算。")
    assert a.left_out_things == ("只有计算机室的", "只挂牌的")
    assert analyze_question("哪些县区提到了劳务输出？主要是去外省，在江苏省以外。").left_out_codes == ()
    # A wording word (提法) only in what is left out, after the question or in a remark, leaves the question a list.
    a = analyze_question("哪几年的报告提到扫黑除恶？只说打击黑恶势力、未用“扫黑除恶”提法的不算。")
    assert (a.kind, a.topic, a.left_out_things) == ("list", "扫黑除恶", ("只说打击黑恶势力、未用“扫黑除恶”提法的",))
    assert analyze_question("哪几年的报告提到扫黑除恶（未用该提法的不算）？").kind == "list"
    assert analyze_question("哪些省份提到新质生产力？请给出参考表述，只是泛泛提及的不算。").kind == "wording"
    a = analyze_question("其中哪些，2019年的除外？")
    assert (a.left_out_years, a.years) == (("2019",), [])
    # A year a remark leaves out is no year asked.
    a = analyze_question("其中哪些（2019年除外）？")
    assert (a.left_out_years, a.years) == (("2019",), [])


def test_a_kind_of_division_left_out_leaves_out_each_division_of_that_kind() -> None:
    # 直辖市 are the province tier's 市, whichever report names them; 自治区 the province tier's 自治区.
    assert analyze_question("除直辖市外，哪些城市建了科学城？").left_out_codes == ("11", "12", "31", "50")
    assert analyze_question("哪些省份提到了边境贸易？（自治区除外）").left_out_codes == ("15", "45", "54", "64", "65")
    # Kinds joined, or a kind beside a place.
    both = ("11", "12", "31", "50", "15", "45", "54", "64", "65")
    assert analyze_question("除直辖市和自治区外，哪些省份提到了低空经济？").left_out_codes == both
    assert analyze_question("除直辖市以及自治区外，哪些省份提到了低空经济？").left_out_codes == both
    assert analyze_question("除北京和自治区外，哪些省份提到了低空经济？").left_out_codes == ("11", *both[4:])
    # Not beside words it does not read as kinds or places: the phrase is left out as written.
    a = analyze_question("除直辖市及计划单列市外，哪些城市提到了地铁？")
    assert (a.left_out_codes, a.left_out_things) == ((), ("直辖市及计划单列市",))
    # Words for places in general name no kind: 省会城市, 城市 (urban areas), 县区.
    for question in (
        "除省会城市外，哪些城市提到了地铁？",
        "哪些乡镇建了污水处理厂（城市除外）？",
        "除县区外，哪些乡镇建了驿站？",
    ):
        assert analyze_question(question).left_out_codes == ()


def test_a_sentence_telling_how_to_answer_is_no_part_of_the_topic() -> None:
    a = analyze_question("哪些乡镇的景区提档升级了？只是宣传推广的不算；请回答对应的乡镇。")
    assert (a.topic, a.grouping) == ("景区提档升级", "township")
    assert analyze_question("哪一年的政府工作报告提出建立河长制？答案可能不止一年。").topic == "建立河长制"
    # One naming years or places says which: a scope, kept. One asking for wording still does.
    assert analyze_question("哪些乡镇建了驿站？请只列出2020年以后的。").years == ["2020"]
    assert analyze_question("哪些乡镇建了驿站？请只列出二〇二〇年以后的。").years == ["2020"]
    # So is one leaving something out, one naming the grouping the question asks by nowhere else, and one naming
    # a thing, which may be the topic.
    assert analyze_question("哪些乡镇建了驿站？请注意，只挂牌的不算。").left_out_things == ("只挂牌的",)
    assert analyze_question("哪些省份提到了低空经济？请列出省份，除直辖市外。").left_out_codes == (
        "11",
        "12",
        "31",
        "50",
    )
    assert analyze_question("哪里建了职工驿站？请列出乡镇。").grouping == "township"
    assert "职工驿站" in analyze_question("哪些乡镇有相关内容？请查找职工驿站建设。").topic
    a = analyze_question("哪些省份提到新质生产力？请给出参考表述。")
    assert a.kind == "wording" and "给出" not in a.topic
    # The question itself may open with 请.
    a = analyze_question("请列出建了驿站的乡镇。")
    assert (a.topic, a.grouping) == ("建了驿站", "township")


def test_a_place_s_year_leaves_out_the_place_not_every_report_of_the_year() -> None:
    a = analyze_question("除清苑区2021年外，哪些县区提到了职工驿站？")
    assert (a.left_out_codes, a.left_out_years) == (("130608",), ())
    # Joined by 和, both.
    a = analyze_question("除清苑区和2021年外，哪些县区提到了职工驿站？")
    assert (a.left_out_codes, a.left_out_years) == (("130608",), ("2021",))


def test_a_scope_year_is_still_read_as_the_year_asked() -> None:
    assert analyze_question("2023年哪些乡镇建了变电站？").years == ["2023"]


def test_synonym_inside_longer_term_does_not_pull_its_group() -> None:
    groups = analyze_question("职工代表大会怎么召开？").expansions
    assert any("职代会" in g for g in groups)
    assert not any("会员代表大会" in g for g in groups)


@pytest.mark.parametrize(
    "question",
    [
        "哪些城市申请设立试验区？",
        "请问哪些城市申请设立试验区？",
        "请列出申请设立试验区的城市。",
        "我请问哪些城市申请设立试验区？",
    ],
)
def test_please_is_scaffolding_only_as_a_word_of_its_own(question) -> None:
    assert analyze_question(question).topic == "申请设立试验区"


def test_please_between_the_scope_and_the_places_asked_is_no_part_of_the_scope() -> None:
    assert analyze_question("清苑区请问哪些乡镇建了职工驿站？").scope_codes == ("130608",)
    assert analyze_question("哪些乡镇请求建设职工驿站？").topic == "请求建设职工驿站"


def test_search_fallback_and_odd_input_never_raise() -> None:
    assert analyze_question("工会规范化建设").kind == "search"
    assert analyze_question("为什么要开展安康杯竞赛").kind == "search"
    for odd in ["", "？？？", "   ", "12345", "a" * 2000]:
        a = analyze_question(odd)
        assert a.kind in {"fact", "list", "wording", "search"}


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("集体合同和工资协议签订率达100%。", "done"),
        ("上半年共开展了技能培训5次。", "done"),
        ("已完成全年计划的80%。", "done"),
        ("力争签订率达到100%。", "planned"),
        ("计划下半年继续开展职工欢迎的活动。", "planned"),
        ("下半年將完善街道、企業兩級經審網絡。", "planned"),
        ("9月份拟组织优秀职工疗休养。", "planned"),
        ("到期的及时做好合同续订工作。", "unknown"),
        ("这是一项重要工作。", "unknown"),
        ("", "unknown"),
    ],
)
def test_classify_status(sentence: str, status: str) -> None:
    assert classify_status(sentence) == status


@pytest.mark.parametrize(
    ("question", "status"),
    [
        ("哪些乡镇的污水处理厂已经建成投入使用？", "done"),
        ("哪些乡镇的污水处理厂还在争取资金、力争尽早启动建设？", "planned"),
        ("哪些乡镇已创成或正在争创“省级百强中心镇”？", "unknown"),  # both
        ("哪些乡镇的中学有教学楼在建或已经投入使用？", "unknown"),  # under way
        ("哪些乡镇开展了工资集体协商？", "unknown"),  # the tense of a question is no restriction
        ("哪些省份打算提高最低工资标准？", "unknown"),  # nor is a verb of saying
        ("哪些乡镇争取到了上级资金？", "unknown"),  # 争取 done
        ("哪些乡镇争取到上级资金？", "unknown"),  # 争取到 is a result
        ("哪些乡镇力争通过省级卫生乡镇验收？", "planned"),  # 过 of 通过 is no aspect
    ],
)
def test_a_list_question_restricts_to_a_status_only_when_it_says_so(question, status):
    assert analyze_question(question).status == status


def test_the_grouping_word_after_the_topic_is_removed_not_the_one_inside_it():
    # 乡 of 撤乡设镇 is part of the topic; the grouping is the 乡 before 有哪些.
    assert analyze_question("完成了撤乡设镇的乡有哪些？").topic == "完成了撤乡设镇"
    assert analyze_question("列出完成了撤乡设镇的乡").topic == "完成了撤乡设镇"
    # Asked first, it is the first one; after 哪些, the one there.
    assert analyze_question("列出乡镇开展乡镇卫生院改造的情况").topic_terms == ["乡镇卫生院改造"]
    assert analyze_question("乡镇卫生院改造在哪些乡镇开展了？").topic.startswith("乡镇卫生院改造")
    assert "撤乡设镇" in analyze_question("撤乡设镇完成的有哪些乡？").topic


def test_which_before_a_clause_asks_for_the_noun_the_clause_ends_in():
    # 国家 inside the clause is part of the topic; 哪些…的城市 asks for cities.
    analysis = analyze_question("省级政府工作报告中点名了哪些入选国家碳达峰试点的城市（市、州）？")
    assert (analysis.grouping, analysis.grouping_word) == ("prefecture", "城市")
    assert analysis.topic.strip() == "入选国家碳达峰试点"
    assert analyze_question("哪些开展了工资集体协商的乡镇？").grouping == "township"
    # A grouping word inside the topic does not end the clause.
    assert analyze_question("哪些国家的企业在江苏投资？").grouping == "nation"


def test_a_name_in_quotation_marks_keeps_the_words_that_elsewhere_are_scaffolding():
    # 计划 says 打算 outside the marks, but inside them it is part of the name.
    spark = analyze_question("列出提到“星火计划”的国务院政府工作报告年份。")
    assert (spark.topic, spark.status) == ("“星火计划”", "unknown")
    assert analyze_question("哪些省份计划发展“星火计划”项目？").topic == "发展“星火计划”项目"


def test_a_listed_grouping_word_may_follow_the_reports_it_is_read_from():
    # Not 企业 of 中小企业: the question lists years, of the reports it names.
    analysis = analyze_question("列出提到发展“专精特新”中小企业的国务院政府工作报告年份。")
    assert (analysis.grouping, analysis.grouping_word) == ("year", "年份")
    assert analysis.topic.strip() == "发展“专精特新”中小企业"
    assert analyze_question("列出提到低空经济的2026年政府工作报告省份").grouping == "province"


@pytest.mark.parametrize(
    "question, topic",
    [
        ("哪些乡镇或其派出所在平安建设方面受到过表彰？", "在平安建设方面受到过表彰"),
        ("哪些乡镇或其下辖村获得过乡村旅游方面的称号？", "获得过乡村旅游方面的称号"),
        ("哪些乡镇及其所属村开展了工资集体协商？", "工资集体协商"),
        # 其他 is no part of the places: the topic keeps it.
        ("哪些乡镇和其他单位签订了合作协议？", "和其他单位签订了合作协议"),
        # The part may be several nouns; 的 after it begins the topic's own.
        ("哪些乡镇及其村卫生室完成了标准化建设？", "完成了标准化建设"),
        ("哪些乡镇及其所属学校的运动场改造完成了？", "运动场改造完成"),
        ("哪些乡镇或其下辖的村被评为文明村？", "被评为文明村"),
        # Nothing would be left: the part is the topic.
        ("哪些乡镇或其派出所？", "或其派出所"),
        # However the question puts its grouping.
        ("或其派出所在平安建设方面受到过表彰的乡镇有哪些？", "在平安建设方面受到过表彰"),
        ("在平安建设方面受到过表彰的乡镇或其派出所有哪些？", "在平安建设方面受到过表彰"),
        ("受到过表彰的乡镇及其下辖村有哪些？", "受到过表彰"),
    ],
)
def test_the_places_parts_asked_along_with_them_are_not_the_topic(question: str, topic: str) -> None:
    assert analyze_question(question).topic == topic


@pytest.mark.parametrize(
    ("question", "negated"),
    [
        ("哪些乡镇没有获得过表彰？", True),
        ("哪些乡镇还没有建污水处理厂？", True),
        ("哪些省份未提到商业航天？", True),
        ("哪些乡镇获得过表彰？", False),
        # 未来 and 没收 are words of their own.
        ("哪些乡镇未来要建污水处理厂？", False),
        ("哪些乡镇没收了违建？", False),
    ],
)
def test_a_list_topic_that_denies_what_it_names_is_marked(question: str, negated: bool) -> None:
    assert analyze_question(question).negated is negated


def test_parts_are_asked_only_right_after_the_grouping_word_or_opening_the_question() -> None:
    assert analyze_question("哪些乡镇或其下辖村获得过表彰？").asks_for_parts
    assert analyze_question("或其派出所受到过表彰的乡镇有哪些？").asks_for_parts
    assert not analyze_question("哪些乡镇获得过表彰及其原因？").asks_for_parts


@pytest.mark.parametrize(
    "question",
    [
        "哪些民族乡（彝族乡、傈僳族乡）获得过表彰？",
        "哪些乡镇(街道)获得过表彰？",
        "获得过表彰的乡镇（街道）有哪些？",
        "列出乡镇（含街道）获得过表彰的情况",
    ],
)
def test_brackets_after_the_grouping_word_say_which_places_not_the_topic(question: str) -> None:
    assert analyze_question(question).topic.removesuffix("的情况") == "获得过表彰"


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # A remark leaving something out, before or after, or of dates only is no part of the topic.
        ("哪些乡镇在修建农村公路（不含高速公路连接线）？", "在修建农村公路"),
        ("哪些省份在建设自由贸易试验区（海南除外）？", "在建设自由贸易试验区"),
        ("哪些省份提到海上风电（2025年）？", "海上风电"),
        # One saying which cases count, what it says of the topic or of the places asked is no part of it either.
        ("哪些乡镇有高速公路出入口（已建成、在建或正在争取的都算）？", "有高速公路出入口"),
        ("哪些省份推进申报世界遗产（包括已申报成功的和正在推进申报的）？", "推进申报世界遗产"),
        ("哪几年的报告提到文化大革命（包括对它的评价）？", "文化大革命"),
        ("哪些乡镇涉及河堤工程（乡镇作为工程地段的起止点）？", "涉及河堤工程"),
        # One listing the ways of meeting the topic, each opening with a verb, is what counts, no other name of it.
        ("哪些省份提到铁路专用线（建设专用线或推动企业、园区接入）？", "铁路专用线"),
        ("哪些省份提到合成生物（作为耦合应用行业、特色领域或未来产业）？", "合成生物"),
        ("哪些年份的报告提到“证照分离”改革（开展试点、全国推开或深化）？", "“证照分离”改革"),
        # Not the parts of a quoted name, nor examples, nor kinds after 含.
        ("哪几年提到“三去一降一补”（去产能、去库存、去杠杆）？", "“三去一降一补”（去产能、去库存、去杠杆）"),
        ("哪些城市的地铁（如新线开通、客流）？", "地铁（如新线开通、客流）"),
        ("哪几年提到垃圾分类（含生活垃圾、城市垃圾的分类处置）？", "垃圾分类（含生活垃圾、城市垃圾的分类处置）"),
        # Only the clause leaving something out goes from a remark that also gives examples; an exclusion of several
        # things goes whole.
        ("哪些城市的综合保税区（封关运行、扩区等，不含保税物流中心）？", "综合保税区（封关运行、扩区等）"),
        ("哪些省份建设自贸区（海南，西藏除外）？", "建设自贸区"),
        ("哪些乡镇有高速公路出入口（收费站不计在内）？", "有高速公路出入口"),
        ("哪些乡镇建了物流园区（除了冷链物流园）？", "建了物流园区"),
        # 除 opening a word is no exclusion; other remarks stay for the keys to read (qa.topic_keys).
        ("哪些省份提到病险水库（除险加固）？", "病险水库（除险加固）"),
        ("哪些省份提到了可控核聚变（聚变能源）？", "可控核聚变（聚变能源）"),
        ("哪些城市在建地铁（城市轨道交通）？", "在建地铁（城市轨道交通）"),
        ("哪些城市建设海绵城市（城市排涝）？", "建设海绵城市（城市排涝）"),
        ("哪些省份提到新能源汽车（尤其是充电桩）？", "新能源汽车（尤其是充电桩）"),
        ("哪些省份提到储能（其它类型储能）？", "储能（其它类型储能）"),
        # Things that count are examples of the topic: only the words saying they count go.
        ("哪些乡镇发展乡村旅游（民宿、农家乐都算）？", "发展乡村旅游（民宿、农家乐）"),
        ("哪些省份提到邮轮（如邮轮母港，游艇码头也算）？", "邮轮（如邮轮母港，游艇码头）"),
        ("哪些省份提到邮轮（如邮轮母港、邮轮旅游）？", "邮轮（如邮轮母港、邮轮旅游）"),
    ],
)
def test_a_remark_in_brackets_that_is_no_part_of_the_topic_is_left_out(question, topic) -> None:
    assert analyze_question(question).topic == topic


@pytest.mark.parametrize(
    ("question", "reports_of"),
    [
        ("哪些年份的国务院政府工作报告提到精准扶贫？", "nation"),
        ("哪幾年的國務院政府工作報告提到舟曲？", "nation"),
        ("哪些城市在2026年省级政府工作报告中入选美丽城市？", "province"),
        ("据各省2026年政府工作报告，哪些城市建设国家中心城市？", "province"),
        # Reports of the places asked, or of no one named: any report.
        ("哪些省份的2026年政府工作报告提到电瓶车？", None),
        ("各地的报告里哪些城市提到地铁？", None),
        ("哪些乡镇建了污水处理厂？", None),
    ],
)
def test_whose_reports_a_question_reads(question: str, reports_of: str | None) -> None:
    assert analyze_question(question).reports_of == reports_of


@pytest.mark.parametrize(
    ("question", "years"),
    [
        ("2022年的报告里，哪些乡镇改造了卫生院？", ["2022年"]),
        ("据2020年政府工作报告，哪些乡镇建设了特色小镇？", ["2020年"]),
        ("哪些省份的2026年政府工作报告提到村BA？", ["2026年"]),
        ("2019年和2020年的报告中哪些乡镇建设了特色小镇？", ["2019年", "2020年"]),
        ("二〇二〇年度工作总结里哪些乡镇建了变电站？", ["2020年"]),
        # Spans, closed or open; 以前 and 以后 include the year named.
        ("在2020年至2025年的政府工作报告里，有哪几个乡镇建有工业园区？", ["2020年至2025年"]),
        ("2013年及以前的县区报告里，哪些乡镇新建了卫生院？", ["2013年及以前"]),
        ("1990年以前的国务院政府工作报告中，哪些年份提到经济特区？", ["1990年及以前"]),
        ("2021年以来的报告中，哪些乡镇建了污水处理厂？", ["2021年及以后"]),
        # A span in brackets before the years asked ((2009年及以后)的哪几年…报告); not places asked (2024年哪些乡镇在报告中).
        ("那届奥运会在它举办之后（2009年及以后）的哪几年国务院政府工作报告中被回顾？", ["2009年及以后"]),
        ("2018年哪些年轻干部在报告中被表扬？", []),
        # A year of what the reports say, or of a topic before 报告, is no year of the reports.
        ("哪几年的政府工作报告提到2008年奥运会？", []),
        ("哪些乡镇在2020年防汛的报告中被表扬？", []),
        ("2020年哪些乡镇建了污水处理厂？", []),
        # A year left out is none of the reports', nor a span.
        ("哪几年（2019年除外）的政府工作报告提到了智慧停车场？", []),
        ("哪几年（2019年至2020年除外）的政府工作报告提到了智慧停车场？", []),
        # Years listed, the first without 年, or with a span; 年前 as 以前.
        ("2024、2025年的报告中哪些乡镇建了职工驿站？", ["2024年", "2025年"]),
        ("2019年、2020年至2022年的报告中哪些乡镇建了职工驿站？", ["2019年", "2020年至2022年"]),
        ("2025年前的报告中哪些乡镇建了职工驿站？", ["2025年及以前"]),
        # Around or outside the year; the places asked, or 报告 as a verb, between the year and 报告.
        ("2020年前后的报告中哪些乡镇建了职工驿站？", []),
        ("2018年以外的报告中哪些乡镇建了职工驿站？", []),
        ("2024年哪些乡镇在报告中提到职工驿站？", []),
        ("2020年哪些乡镇报告了疫情？", []),
        # A year and the side it opens, anywhere: the reports of those years.
        ("列出2010年以前开展过土地整理的乡镇。", ["2010年及以前"]),
        ("改革开放以后（1978年及以后），哪些年份的国务院政府工作报告提到爱国卫生运动？", ["1978年及以后"]),
        ("哪些乡镇2020年以来建成了污水处理厂？", ["2020年及以后"]),
    ],
)
def test_the_years_of_the_reports_a_question_reads(question: str, years: list[str]) -> None:
    assert [span.said() for span in analyze_question(question).report_years] == years


@pytest.mark.parametrize(
    ("question", "codes"),
    [
        ("2021年阜平县报告的名词解释里，哪些乡镇被写明是重点项目的落地位置？", ("130624",)),
        ("廣東省2026年政府工作報告中，被列為重要節點城市的有哪些？", ("44",)),
        ("哪些城市在江苏省的政府工作报告里被提到建设地铁？", ("32",)),
        # A place of what the reports say is not whose reports they are, nor one reported to, nor one left out.
        ("哪些城市的报告提到与上海合作共建园区？", ()),
        ("哪些乡镇向阜平县报告了疫情？", ()),
        ("哪些乡镇建了职工驿站？（莒南县报告除外）", ()),
    ],
)
def test_a_place_whose_reports_the_question_names_scopes_the_list(question: str, codes: tuple[str, ...]) -> None:
    assert analyze_question(question).scope_codes == codes
