"""Topics that ask for any honour, of a tier (省级称号) or of none (获得过表彰), and the clauses that give one."""

from __future__ import annotations

import pytest
from ghqa.ingest.places import levels
from ghqa.qa.recognition import asked_honour, asked_recognition, recognised_clauses

TOWNSHIP = levels().tier("township").rank


@pytest.mark.parametrize(
    ("topic", "keys", "tier"),
    [
        ("获得过省级称号，或被列入省级的试点、示范名单", ["称号"], {"province"}),
        ("有村获得了国家级荣誉", ["荣誉"], {"nation"}),
        ("本身获得过全国性（国家层面）的称号、名录或奖项", ["称号"], {"nation"}),
        ("被评为市级先进", ["先进"], {"prefecture"}),
        ("获得过省级或市级的命名、称号", ["命名", "称号"], {"province", "prefecture"}),
        ("获得过省、市级称号", ["称号"], {"province", "prefecture"}),  # a joined qualifier may be one character
        # Honours of two tiers joined after the first.
        ("获得过省级荣誉和市级荣誉", ["荣誉"], {"province", "prefecture"}),
        ("获得过省级称号、市级荣誉", ["称号"], {"province", "prefecture"}),
        # A named thing, not a category: several words, or a word its phrase goes on after.
        ("被评为省级民主法治示范村", ["民主法治示范村"], None),
        ("被批准为全省小城镇创新提升行动的试点", ["小城镇"], None),
        # One word made of words is a title too when the reports write it so: 全国文明城市 is one honour, not any
        # national one; 省级荣誉称号 is never written, so it is the category.
        ("获评或创建全国文明城市", ["文明城市"], None),
        ("获得过省级荣誉称号", ["荣誉称号"], {"province"}),
        # A qualifier inside a name (长城国家文化公园) is no tier asked for.
        ("在修缮长城或建设长城国家文化公园", ["文化公园"], None),
        # A one-character qualifier is no tier asked for (市运动会 is a sports meeting).
        ("参加了市运动会", ["运动会"], None),
        # No tier before the key.
        ("获得过乡村旅游方面的称号", ["乡村旅游"], None),
        # 以上: the tier named and every one above it.
        ("获得过省级以上的荣誉称号", ["荣誉称号"], {"province", "nation"}),
    ],
)
def test_a_tier_right_before_a_one_word_key_that_ends_its_phrase_makes_it_a_category(topic, keys, tier):
    found = asked_recognition(topic, keys, {"全国文明城市": 13}.get)
    assert ({t.key for t in found.tiers} if found else None) == tier


ABOVE_TOWNS = {"nation", "province", "prefecture", "county"}


@pytest.mark.parametrize(
    ("topic", "asked"),
    [
        # Any honour received: every tier above the towns grants one.
        ("获得过表彰", ("表彰", ABOVE_TOWNS, (), ())),
        ("被表彰", ("表彰", ABOVE_TOWNS, (), ())),
        ("受到过表彰或认定", ("表彰", ABOVE_TOWNS, (), ())),
        # A qualifier between the verb and the noun names the tier, as a field does what it is for.
        ("在农业方面拿到过国家级的奖项、名录或生产基地认定", ("奖项", {"nation"}, ("农业",), ())),
        ("在文化和旅游方面获得过荣誉", ("荣誉", ABOVE_TOWNS, ("文化", "旅游"), ())),
        ("获得过乡村旅游或乡村文化方面的荣誉", ("荣誉", ABOVE_TOWNS, ("乡村旅游", "乡村文化"), ())),
        # What of the places it is asked of: a part, or their villages, however worded.
        ("卫生院获得过表彰", ("表彰", ABOVE_TOWNS, (), ("卫生院",))),
        ("派出所、服务中心这类基层站所获得过表彰", ("表彰", ABOVE_TOWNS, (), ("派出所", "服务中心", "基层"))),
        ("有村获得过表彰", ("表彰", ABOVE_TOWNS, (), ("村",))),
        ("本身，或写明了所属乡镇的村，获得过表彰", ("表彰", ABOVE_TOWNS, (), ("村",))),
        # 以上: the tier named and every one above it.
        ("受到过市级以上表彰", ("表彰", {"prefecture", "province", "nation"}, (), ())),
        # Other verbs of receiving, a particle after the noun, joined qualifiers.
        ("受过表彰", ("表彰", ABOVE_TOWNS, (), ())),
        ("被表彰过", ("表彰", ABOVE_TOWNS, (), ())),
        ("获得过市级或省级表彰", ("表彰", {"prefecture", "province"}, (), ())),
        ("获得过省级荣誉和市级荣誉", ("荣誉", {"province", "prefecture"}, (), ())),
        # Honours of a tier joined after the first: each named as the first is (以上, 县委, 市、县级).
        ("获得过省级荣誉和市级以上表彰", ("荣誉", {"province", "prefecture", "nation"}, (), ())),
        ("获得过省级荣誉和县委表彰", ("荣誉", {"province", "county"}, (), ())),
        ("获得过省级荣誉和市、县级荣誉", ("荣誉", {"province", "prefecture", "county"}, (), ())),
        ("获得过省级荣誉和表彰", ("荣誉", {"province"}, (), ())),  # the joined 表彰 names no tier of its own
        # A tier's committee or government giving it names the tier.
        ("获得过省委省政府表彰", ("表彰", {"province"}, (), ())),
        ("受到县委表彰", ("表彰", {"county"}, (), ())),
        # A field whose words jieba reads as verbs (振兴, 攻坚) is still the field, before the verb or after it.
        ("在乡村振兴方面获得过表彰", ("表彰", ABOVE_TOWNS, ("乡村振兴",), ())),
        ("获得过脱贫攻坚方面的表彰", ("表彰", ABOVE_TOWNS, ("脱贫攻坚",), ())),
        # 在…上 frames a field as 方面 does; fields are listed with 、; a remark in brackets is none.
        ("在平安建设、公安工作上受到表彰", ("表彰", ABOVE_TOWNS, ("平安建设", "公安工作"), ())),
        ("在乡村振兴（含乡村文化振兴）方面获得过表彰", ("表彰", ABOVE_TOWNS, ("乡村振兴",), ())),
        # Given (劳模表彰), going on (表彰大会, 称号的创建名单) or striven for (争创某项称号): no honour received.
        ("开展劳模表彰", None),
        ("召开表彰大会", None),
        ("正在争创某项称号，或已入选称号的创建名单", None),
    ],
)
def test_a_category_noun_after_a_verb_of_receiving_asks_for_any_honour(topic, asked):
    found = asked_honour(topic, TOWNSHIP)
    got = (found.category, {t.key for t in found.tiers}, found.field, found.holders) if found else None
    assert got == asked


def test_the_qualifier_and_the_words_around_a_field_are_no_key_of_an_honour_asked():
    found = asked_honour("受到过市级以上表彰", TOWNSHIP)
    assert found.qualifier == "市级以上"
    assert [k for k in ["市级", "以上", "方面", "表彰"] if not found.frames(k)] == ["表彰"]


def test_a_clause_counts_when_a_town_opens_it_and_a_word_of_the_tier_follows():
    province = levels().tier("province")
    clauses = [
        "草场镇获评省级乡村振兴先进乡镇",
        "清平镇获批“全省小城镇创新提升行动试点”",
        "撒莲镇获评平安四川建设先进集体",  # a province named is of the tier too
        "安肃镇小寺各庄被评为省级乡村治理示范村",  # a village of the town
        "姜店镇入选国家级农业产业强镇创建名单",  # another tier
        "支持撒莲镇建成省级百强中心镇",  # the town is no subject
        "县文化馆获评省级一级馆",  # no town
        "草场镇全面落实省级惠农政策",  # no verb of receiving an honour
        "草场镇获得省级专项资金500万元",  # funds, not an honour
    ]
    assert recognised_clauses(clauses, [province], TOWNSHIP) == clauses[:4]
    # The division may come before the verb, and a one-character qualifier after 为 counts.
    more = ["撒莲镇被四川省评为文明镇", "白马镇被命名为省“四好农村路”示范乡"]
    assert recognised_clauses(more, [province], TOWNSHIP) == more
    # As after 入选 or a batch: where an honour's name begins.
    batch = ["赵各庄镇计鹿村入选第二批省乡村旅游重点村", "赵各庄镇入选全市重点项目名单"]
    assert recognised_clauses(batch, [province], TOWNSHIP) == batch[:1]
    # After 获批 or 入选, not where the character makes a likelier word with the next (省道, a provincial road);
    # after 为 a name begins whatever follows (省直机关).
    roads = ["赵各庄镇获批省道改造项目", "赵各庄镇被评为省文明村", "赵各庄镇被评为省直机关文明单位"]
    assert recognised_clauses(roads, [province], TOWNSHIP) == roads[1:]
    # A place ending a list of subjects opens the clause too.
    listed = ["县委组织部、农业农村局、孝墓镇被评为全市脱贫攻坚先进集体", "县委组织部推荐孝墓镇评为全市先进集体"]
    assert recognised_clauses(listed, [province, levels().tier("prefecture")], TOWNSHIP) == listed[:1]
    # Only the place's own honour where no part of it is asked for: not its village's, nor its police station's.
    parts = ["齐村镇店上村被评为省级民主法治示范村", "草场镇派出所荣获省级优秀基层单位", "齐村镇被评为省级文明镇"]
    assert recognised_clauses(parts, [province], TOWNSHIP) == parts
    assert recognised_clauses(parts, [province], TOWNSHIP, own=True) == parts[2:]
    # Nor what a list of other things names it in (scenic areas named after towns), nor the place something goes to.
    yixian = ["130633"]
    named = ["清西陵、狼牙山、易水湖三个景区入选河北省“十条精品研学线路”", "孝墓镇列入省政府重点项目名单"]
    assert recognised_clauses(named, [province], TOWNSHIP, near=yixian, own=True) == []
    # The giver may come after an adverb (再次被省委…) or after 受到.
    given = ["齐村镇再次被省委省政府授予“人民满意的公务员集体”荣誉称号", "齐村镇受到市委市政府表彰"]
    prefecture = levels().tier("prefecture")
    assert recognised_clauses(given, [province, prefecture], TOWNSHIP, own=True) == given
    # Who gives it, after 被, is no part of the place, and names the tier by its committee or government.
    given = ["齐村镇被省委省政府授予“人民满意的公务员集体”荣誉称号"]
    assert recognised_clauses(given, [province], TOWNSHIP, own=True) == given
    # With no tier asked, the category noun says it is an honour.
    unnamed = ["齐村镇被授予“人民满意的公务员集体”荣誉称号"]
    assert recognised_clauses(unnamed, [province], TOWNSHIP, own=True) == []
    assert recognised_clauses(unnamed, [province], TOWNSHIP, own=True, any_tier=True) == unnamed
    # The category noun says it as a verb would (受到省级表彰).
    assert recognised_clauses(["冉庄镇受到省级表彰"], [province], TOWNSHIP) == ["冉庄镇受到省级表彰"]
