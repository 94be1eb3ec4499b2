"""`ghqa` with the fake embedder, for tests that run it as a separate process (to kill it, or run two at once).

FAKE_EMBED_LOG: append the number of passages of each embedding batch to this file.
GHQA_FAULT: "kill-after-remove-rows" or "kill-after-first-document": SIGKILL this process at that point.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fakes import BigramEmbedder  # noqa: E402
from ghqa.index import embedders  # noqa: E402
from ghqa.index.store import Store  # noqa: E402


class LoggingEmbedder(BigramEmbedder):
    def embed_passages(self, texts):
        if os.environ.get("FAKE_EMBED_LOG"):
            with open(os.environ["FAKE_EMBED_LOG"], "a") as log:
                log.write(f"{len(texts)}\n")
        return super().embed_passages(texts)


def _killing(method):
    def run(*args, **kwargs):
        result = method(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)
        return result

    return run


embedders.make_embedder = lambda spec=None: LoggingEmbedder()
fault = os.environ.get("GHQA_FAULT")
if fault == "kill-after-remove-rows":
    Store.remove_path = _killing(Store.remove_path)
elif fault == "kill-after-first-document":
    Store.save_document = _killing(Store.save_document)

from ghqa.cli import main  # noqa: E402

main()
