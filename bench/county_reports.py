"""Writes the county government work reports the township sets are scored on, from their public spreadsheet.

    .venv/bin/python bench/county_reports.py SPREADSHEET.xlsx artifacts/county/corpus

The spreadsheet is `data/policies/保定市各县政府工作报告.xlsx` of the public GitHub repository
yver-sun/gaoyang-towel-resilience (commit a1caada; no licence stated, so the texts are not redistributed here).
Each row whose 报告全文 is not empty becomes `<年份>_<区县>.txt`, the county as the row labels it (eight rows hold
another county's report: 唐县 2021–2025 are 高唐县's, 易县 2023–2024 米易县's, 安新县 2024 新安县's). The text is
the cell's, line ends made LF: page furniture and all, as a researcher would have it.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
COLUMNS = ("年份", "区县名称", "报告全文")
# The spreadsheet names districts and counties by their short forms; the file names use the full ones.
FULL_NAMES = {"满城": "满城区", "清苑": "清苑区", "徐水": "徐水区", "安国": "安国市", "定州": "定州市"}


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")) for si in root.findall("m:si", NS)]


def _cell_text(cell: ElementTree.Element, strings: list[str]) -> str:
    if cell.get("t") == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(f"{{{NS['m']}}}t"))
    value = cell.find("m:v", NS)
    if value is None or value.text is None:
        return ""
    return strings[int(value.text)] if cell.get("t") == "s" else value.text


def _column(reference: str) -> str:
    return reference.rstrip("0123456789")


def report_rows(path: Path) -> list[dict[str, str]]:
    """The first sheet's rows, each a dict by header name."""
    with zipfile.ZipFile(path) as book:
        strings = _shared_strings(book)
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iter(f"{{{NS['m']}}}row"):
        rows.append({_column(c.get("r", "")): _cell_text(c, strings) for c in row.findall("m:c", NS)})
    header = rows[0]
    return [{header[col]: text for col, text in row.items() if col in header} for row in rows[1:]]


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    source, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for row in report_rows(source):
        year, county, text = (row.get(name, "").strip() for name in COLUMNS)
        if not text:
            continue
        county = FULL_NAMES.get(county, county if county.endswith(("县", "区", "市")) else county + "县")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        (out / f"{year.split('.')[0]}_{county}.txt").write_text(text + "\n", encoding="utf-8")
        written += 1
    print(f"{written} reports written to {out}")


if __name__ == "__main__":
    main()
