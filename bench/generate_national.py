"""Build a national-scale data.police.uk street set by tiling the real Northumbria months across 43 forces.

    .venv/bin/python bench/generate_national.py /tmp/bench-data [--forces 43] [--shared ../shared/data]

For every force area in the ONS LAD → CSP → PFA lookup (43 in England and Wales) and every street month in
the Northumbria ZIP (33 months, 524,070 rows), write `<out>/<YYYY-MM>/<YYYY-MM>-<force>-street.csv`: the
real Northumbria file byte for byte (CRLF line endings, quoting, empty fields) except that

- "Northumbria Police" in `Reported by` / `Falls within` becomes the force's name, and
- each Northumbria LSOA code is replaced by an LSOA of the target force (the i-th distinct Northumbria
  code, in sorted order, maps to the (i mod n)-th of the force's n LSOAs), so the rows attribute to the
  target force's districts and CSPs. The `LSOA name` column is left as published (it is not used).

43 x 524,070 = 22,535,010 rows (about 7.5 GB). Crime IDs repeat across forces (they are not used as keys).
Nothing here is real data for any force but Northumbria: it is for measuring speed only.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LSOA = re.compile(rb"E0[12]\d{6}")


def force_lsoas(shared: Path) -> dict[str, tuple[str, list[str]]]:
    """{PFA code: (PFA name, sorted LSOA codes)} from the ONS lookups."""
    lad_pfa: dict[str, tuple[str, str]] = {}
    with open(shared / "lookups" / "lad19_csp19_pfa19_ew.csv", encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            lad_pfa[row["LAD19CD"]] = (row["PFA19CD"], row["PFA19NM"])
    found: dict[str, tuple[str, list[str]]] = {}
    with open(shared / "lookups" / "lsoa11_ward19_lad19_ew.csv", encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            pfa = lad_pfa.get(row["LAD19CD"])
            if pfa:
                found.setdefault(pfa[0], (pfa[1], []))[1].append(row["LSOA11CD"])
    return {code: (name, sorted(set(codes))) for code, (name, codes) in sorted(found.items())}


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="Output folder (outside the repository).")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--forces", type=int, default=43, help="How many force areas (default all 43).")
    parser.add_argument("--months", type=int, default=0, help="Only the first N months (default all).")
    args = parser.parse_args()
    out: Path = args.out.resolve()
    if REPO in out.parents or out == REPO:
        parser.error("write the data outside the repository")
    zip_path = args.shared / "police_uk" / "northumbria_2020-05_2023-03.zip"
    forces = list(force_lsoas(args.shared).items())[: args.forces]

    started = time.monotonic()
    rows = files = size = 0
    with zipfile.ZipFile(zip_path) as archive:
        members = sorted(m for m in archive.namelist() if m.endswith("-street.csv"))
        if args.months:
            members = members[: args.months]
        months = {m: archive.read(m) for m in members}
    codes = sorted({c for data in months.values() for c in LSOA.findall(data)})
    for pfa_code, (pfa_name, lsoas) in forces:
        mapping = {code: lsoas[i % len(lsoas)].encode() for i, code in enumerate(codes)}
        # Quoted where the name has a comma ("London, City of Police"), as a CSV writer would.
        force_name = f"{pfa_name} Police".encode()
        if b"," in force_name:
            force_name = b'"' + force_name + b'"'
        for member, data in months.items():
            month = Path(member).name[:7]
            text = data.replace(b"Northumbria Police", force_name)
            text = LSOA.sub(lambda m: mapping[m.group(0)], text)  # noqa: B023  (used at once)
            target = out / month / f"{month}-{slug(pfa_name)}-street.csv"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text)
            rows += text.count(b"\n") - 1
            files += 1
            size += len(text)
        print(f"{pfa_code} {pfa_name}: {len(months)} months", file=sys.stderr)
    seconds = time.monotonic() - started
    print(f"Wrote {files:,} files, {rows:,} street rows, {size / 2**30:.2f} GiB to {out} in {seconds:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
