"""The CLI, the web UI's /search and the LangChain retriever call one search: same query, same hits, in order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import BigramEmbedder, fake_home
from ghqa.index import embedders
from ghqa.index.passages import SearchFilters
from ghqa.ui.web import Handlers

from ghqa.cli import main
from ghqa.langchain import GhqaRetriever
from ghqa.services import open_services

REPORTS = {
    "mgh.txt": "马过河镇总工会2023年工作总结\n一、工资集体协商\n今年我镇对全镇八家石场企业成功开展了工资集体协商，"
    "使240名农民工工资上浮了十五个百分点。\n二、困难职工帮扶\n春节期间走访慰问困难职工36户，发放慰问金4.2万元。\n",
    "cg.txt": "城關街道總工會2022年工作總結\n一、勞動競賽\n街道組織開展職工技能比武和崗位練兵活動，共有12家企業參加。\n"
    "二、職工書屋\n新建職工書屋5家，開展讀書分享活動8場，配送圖書2000餘冊。\n",
    "xl.txt": "逍林镇总工会2010年工作总结\n一、职工维权\n全镇新建企业工会8家，新发展会员560人。\n"
    "二、工资集体协商\n开展区域性行业工资集体协商，覆盖企业45家、职工3200人，职工工资平均增长8%。\n",
}
QUERIES = ["工资集体协商", "職工書屋", "collective wage bargaining", "慰问困难职工"]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fake_home(tmp_path_factory.mktemp("one_search"), REPORTS)


@pytest.fixture(autouse=True)
def fake_embedder(monkeypatch):
    monkeypatch.setattr(embedders, "make_embedder", lambda spec=None: BigramEmbedder())


def cli_ids(home: Path, query: str) -> list[int]:
    result = CliRunner().invoke(main, ["--home", str(home), "search", "--json", "-k", "3", query])
    assert result.exit_code == 0, result.output
    return [hit["id"] for hit in json.loads(result.output)["hits"]]


@pytest.mark.parametrize("query", QUERIES)
def test_cli_web_api_and_langchain_return_the_same_hits(home, query):
    services = open_services(home)
    web = Handlers(services).search_json(query, 3, SearchFilters(), False, "hybrid")
    langchain = GhqaRetriever(home=home, k=3).invoke(query)
    expected = cli_ids(home, query)
    assert expected
    assert [hit["id"] for hit in web["hits"]] == expected
    assert [int(doc.id) for doc in langchain] == expected
    services.close()
