"""Fixture builders for ingestion tests: PDFs and DOCX files made from the seed corpus's Chinese text.

The builders are handed to tests as fixtures, so no test module imports this conftest."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

SEED_FILE = Path(__file__).resolve().parents[2] / "corpus" / "002_50b9cbe120692619.txt"


@pytest.fixture(scope="session")
def seed_lines() -> list[str]:
    """The non-blank lines at the start of a real report, stripped of their indentation."""
    lines = [line.strip() for line in SEED_FILE.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line][:12]


def build_pdf(pages: list[list[str]]) -> bytes:
    """A PDF with one page per list of lines; an empty list gives a page with only a drawn rectangle.

    The text uses the standard CJK font STSong-Light (UniGB-UCS2-H), which PDF readers provide themselves,
    so Chinese text needs neither a font file nor a PDF-writing library beyond pypdf.
    """
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject
    from pypdf.generic import TextStringObject as String

    def name(value: str) -> NameObject:
        return NameObject(f"/{value}")

    cid_font = DictionaryObject(
        {
            name("Type"): name("Font"),
            name("Subtype"): name("CIDFontType0"),
            name("BaseFont"): name("STSong-Light"),
            name("CIDSystemInfo"): DictionaryObject(
                {
                    name("Registry"): String("Adobe"),
                    name("Ordering"): String("GB1"),
                    name("Supplement"): NumberObject(2),
                }
            ),
        }
    )
    font = DictionaryObject(
        {
            name("Type"): name("Font"),
            name("Subtype"): name("Type0"),
            name("BaseFont"): name("STSong-Light"),
            name("Encoding"): name("UniGB-UCS2-H"),
            name("DescendantFonts"): ArrayObject([cid_font]),
        }
    )
    writer = PdfWriter()
    for lines in pages:
        page = writer.add_blank_page(width=595, height=842)
        page[name("Resources")] = DictionaryObject({name("Font"): DictionaryObject({name("F1"): font})})
        content = DecodedStreamObject()
        content.set_data(_page_operators(lines).encode("ascii"))
        page.replace_contents(content)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _page_operators(lines: list[str]) -> str:
    if not lines:
        return "0 0 0 RG 100 100 300 200 re S"
    shown = " ".join(f"<{line.encode('utf-16-be').hex()}> Tj T*" for line in lines)
    return f"BT /F1 12 Tf 14 TL 40 800 Td {shown} ET"


def encrypt_pdf_bytes(data: bytes, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    # RC4 needs no extra package; pypdf's AES support needs `cryptography`.
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def build_docx(blocks: list[str | list[list[str]]]) -> bytes:
    """A DOCX with a paragraph for each string and a table for each list of rows, in the given order."""
    import docx

    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        table = document.add_table(rows=len(block), cols=len(block[0]))
        for row, values in zip(table.rows, block, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def make_pdf():
    return build_pdf


@pytest.fixture
def encrypt_pdf():
    return encrypt_pdf_bytes


@pytest.fixture
def make_docx():
    return build_docx
