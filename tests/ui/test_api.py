"""The web app's named API endpoints, /search and /ask, through gradio_client, and the MCP tools they become."""

from __future__ import annotations

import json
import urllib.request

import pytest


@pytest.fixture(scope="module")
def api_url(services):
    from conftest import free_port
    from ghqa.ui.web import build_app, launch

    app = build_app(services)
    port = free_port()
    launch(app, host="127.0.0.1", port=port, block=False, mcp=True)
    yield f"http://127.0.0.1:{port}/"
    app.close()


def test_search_and_ask_are_named_endpoints_for_gradio_client(api_url):
    from gradio_client import Client

    client = Client(api_url, verbose=False)
    assert set(client.view_api(print_info=False, return_format="dict")["named_endpoints"]) == {"/search", "/ask"}

    found = client.predict("工资集体协商", 3, api_name="/search")
    assert found["query"] == "工资集体协商" and 1 <= len(found["hits"]) <= 3
    assert all("locator" in hit and "¶" in hit["locator"] for hit in found["hits"])

    answer = client.predict("哪些乡镇开展了工资集体协商？", api_name="/ask")
    assert answer["found"] and answer["citations"] and answer["evidence"]

    scoped = client.predict("工资集体协商", 5, ["003_25279264fab4da48.txt"], api_name="/search")
    assert scoped["hits"] and all(h["source"].endswith("003_25279264fab4da48.txt") for h in scoped["hits"])


def test_mcp_schema_lists_search_and_ask(api_url):
    with urllib.request.urlopen(api_url + "gradio_api/mcp/schema", timeout=30) as response:
        tools = {tool["name"]: tool for tool in json.load(response)}
    assert set(tools) == {"search", "ask"}
    assert tools["search"]["inputSchema"]["required"] == ["query"]
    assert tools["ask"]["inputSchema"]["required"] == ["question"]
    assert "工会" in tools["search"]["description"] and "citations" in tools["ask"]["description"]
