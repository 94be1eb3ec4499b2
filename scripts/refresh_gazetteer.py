"""Rebuild ingest/data/gazetteer.tsv.gz from a checkout of modood/Administrative-divisions-of-China.

    python scripts/refresh_gazetteer.py PATH [--out ingest/data/gazetteer.tsv.gz]

PATH is the repository's work tree (with dist/*.csv) or its git directory (read at HEAD). The output has one
row per division, code<TAB>name<TAB>rank<TAB>parent code: rank 1 provinces, 2 prefectures, 3 counties,
4 townships. Placeholder rows (市辖区, 县, 省直辖县级行政区划) are left out and their children hang from the
province; township-level rows that are not a 镇/乡/街道/苏木 (农场, 开发区, 管委会 …) are left out, and
"…街道办事处" is written "…街道".
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import subprocess
from pathlib import Path

from ghqa.ingest.places import kind_of, levels

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
# Codes of GB/T 2260 for the three provincial units the repository lists only by name in HK-MO-TW.json.
OUTSIDE_MAINLAND = {"台湾省": "71", "香港特别行政区": "81", "澳门特别行政区": "82"}


def read_dist(source: Path, name: str) -> str:
    """A file of the repository's dist/ folder, from a work tree or from a git directory's HEAD."""
    if (source / "dist" / name).is_file():
        return (source / "dist" / name).read_text(encoding="utf-8")
    out = subprocess.run(
        ["git", "--git-dir", str(source), "show", f"HEAD:dist/{name}"], capture_output=True, check=True
    )
    return out.stdout.decode("utf-8")


def rows(source: Path, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(read_dist(source, name))))


def township_name(name: str) -> str:
    return name.removesuffix("办事处") if name.endswith("街道办事处") else name


def build(source: Path) -> list[tuple[str, str, int, str]]:
    """(code, name, rank, parent code) for every division kept, provinces first."""
    allowed = {tier.key: tier.rank for tier in levels().tiers}
    kinds = {kind.name: {allowed[t] for t in kind.tiers} for kind in levels().kinds}

    def fits(name: str, rank: int) -> bool:
        kind = kind_of(name)
        return kind is not None and rank in kinds[kind]

    out: list[tuple[str, str, int, str]] = []
    for row in rows(source, "provinces.csv"):
        out.append((row["code"], row["name"], 1, ""))
    extra = json.loads(read_dist(source, "HK-MO-TW.json"))
    out += [(code, name, 1, "") for name, code in OUTSIDE_MAINLAND.items() if name in extra]
    city_parent: dict[str, str] = {}
    for row in rows(source, "cities.csv"):
        if row["name"] in PLACEHOLDERS:
            city_parent[row["code"]] = row["provinceCode"]
        elif fits(row["name"], 2):
            out.append((row["code"], row["name"], 2, row["provinceCode"]))
            city_parent[row["code"]] = row["code"]
    kept_counties: set[str] = set()
    for row in rows(source, "areas.csv"):
        if row["name"] not in PLACEHOLDERS and fits(row["name"], 3) and row["cityCode"] in city_parent:
            out.append((row["code"], row["name"], 3, city_parent[row["cityCode"]]))
            kept_counties.add(row["code"])
    for row in rows(source, "streets.csv"):
        name = township_name(row["name"])
        if fits(name, 4) and row["areaCode"] in kept_counties:
            out.append((row["code"], name, 4, row["areaCode"]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "source", type=Path, help="checkout or git directory of modood/Administrative-divisions-of-China"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "ingest" / "data" / "gazetteer.tsv.gz")
    args = parser.parse_args()
    divisions = build(args.source)
    text = "code\tname\trank\tparent\n" + "".join(f"{c}\t{n}\t{r}\t{p}\n" for c, n, r, p in divisions)
    # mtime=0 so the same source gives the same bytes.
    with gzip.GzipFile(args.out, "wb", mtime=0) as f:
        f.write(text.encode("utf-8"))
    counts = {rank: sum(1 for d in divisions if d[2] == rank) for rank in (1, 2, 3, 4)}
    print(f"{args.out}: {len(divisions)} divisions {counts}, {args.out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
