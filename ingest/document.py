"""One file in, one Document out: load, clean, split, describe and chunk."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ghqa.core.errors import IngestError
from ghqa.ingest.chunks import build_chunks
from ghqa.ingest.loaders import load_source, read_bytes
from ghqa.ingest.metadata import describe_article
from ghqa.ingest.model import Document, SourceText
from ghqa.ingest.structure import build_articles

# Raise when a change to cleaning, structure, metadata or chunking should re-parse files already stored.
PARSER_VERSION = "36"


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse_document(path: str, source: SourceText, digest: str) -> Document:
    """Articles, paragraphs and chunks of a loaded file; a file with no report text left is an error."""
    title, articles = build_articles(source, Path(path).stem)
    if not articles:
        raise IngestError(path, "no report text left after removing site boilerplate")
    for article in articles:
        describe_article(article, Path(path).stem)
    chunks = [chunk for article in articles for chunk in build_chunks(article)]
    return Document(
        path=path,
        content_hash=digest,
        title=title,
        articles=articles,
        chunks=chunks,
        encoding=source.encoding,
        warnings=source.warnings,
        parser_version=PARSER_VERSION,
    )


def parse_bytes(path: Path, data: bytes, digest: str) -> Document:
    """Decode and parse a file's bytes, read once by read_bytes and hashed by the caller."""
    return parse_document(str(path), load_source(path, data), digest)


def read_document(path: Path) -> Document:
    """Read, hash and parse one file. Raises IngestError with the reason when it cannot be used."""
    data = read_bytes(path)
    return parse_bytes(path, data, content_hash(data))
