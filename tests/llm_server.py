"""A real OpenAI-compatible chat completions server on 127.0.0.1 and its `server` fixture (registered in conftest).

Set `server.reply` to choose what the next request gets:

- {"mode": "json", "content": TEXT, "finish": "stop"}: one whole reply, with that finish_reason.
- {"mode": "sse", "pieces": [...], "finish": "stop"}: a stream written and flushed piece by piece. "finish" is the
  last chunk's finish_reason ("length" for a cut-off answer); None ends the stream without one and without
  [DONE], as a dropped connection does. "hold_after": N sends N pieces, then waits for `server.release` (a stall).
- {"mode": "status", "status": 503}: an HTTP error with an OpenAI-style error body.
- {"mode": "raw", "body": TEXT}: any body; {"mode": "slow"}: no reply until `server.release` is set.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


class LoopbackLLM(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[dict[str, Any]] = []
        self.reply: dict[str, Any] = {"mode": "json", "content": ""}
        self.release = threading.Event()  # ends a "slow" reply or a held stream (and both at teardown)


def _completion(content: str, finish: str = "stop") -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": "test-model",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
    body = {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "test-model",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return b"data: " + json.dumps(body, ensure_ascii=False).encode() + b"\n\n"


class _Handler(BaseHTTPRequestHandler):
    server: LoopbackLLM

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _stream(self, reply: dict[str, Any]) -> None:
        """Server-sent events, each flushed on its own; the body ends when the connection closes (HTTP/1.0)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        self.wfile.write(_chunk({"role": "assistant", "content": ""}))
        for number, piece in enumerate(reply["pieces"]):
            if number == reply.get("hold_after"):
                self.wfile.flush()
                self.server.release.wait(timeout=10)
            self.wfile.write(_chunk({"content": piece}))
            self.wfile.flush()
        finish = reply.get("finish", "stop")
        if finish is not None:
            self.wfile.write(_chunk({}, finish) + b"data: [DONE]\n\n")

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        self.server.requests.append({"path": self.path, "body": body})
        reply = self.server.reply
        try:
            if reply["mode"] == "slow":
                self.server.release.wait(timeout=10)
                self._send(200, "application/json", json.dumps(_completion("太晚了[1]。")).encode())
            elif reply["mode"] == "raw":
                self._send(200, "application/json", reply["body"].encode())
            elif reply["mode"] == "sse":
                self._stream(reply)
            elif reply["mode"] == "status":
                error = {"error": {"message": f"test server says {reply['status']}", "type": "server_error"}}
                self._send(reply["status"], "application/json", json.dumps(error).encode())
            else:
                completion = _completion(reply["content"], reply.get("finish", "stop"))
                self._send(200, "application/json", json.dumps(completion).encode())
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up first (timeout test)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[LoopbackLLM]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    srv = LoopbackLLM()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.release.set()
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=5)
