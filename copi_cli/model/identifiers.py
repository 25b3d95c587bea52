"""Danish public identifiers: CVR numbers and the reference list of municipalities and regions."""

from __future__ import annotations

import csv
import re
from functools import cache
from typing import NamedTuple

from copi_cli.resources import data_path

CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)
# Danish company forms at the end of a name: 'Sensa Care ApS' is known as 'Sensa Care'.
COMPANY_FORMS = re.compile(r"\s+(aps|a/s|as|i/s|ivs|p/s|k/s|amba|a\.m\.b\.a\.|smba|fmba)$",
                           re.IGNORECASE)


def is_valid_cvr(value: str) -> bool:
    """8 digits, no leading zero, weighted sum (2,7,6,5,4,3,2,1) divisible by 11."""
    if len(value) != 8 or not value.isdigit() or value[0] == "0":
        return False
    return sum(int(d) * w for d, w in zip(value, CVR_WEIGHTS, strict=True)) % 11 == 0


class PublicBody(NamedTuple):
    """A municipality or region from the reference list."""

    type: str  # "municipality" or "region"
    code: str  # 3 digits for a municipality, 4 for a region
    name: str  # short name, e.g. "Aarhus"
    official_name: str  # e.g. "Aarhus Kommune", "Københavns Kommune"
    region_code: str


@cache
def public_bodies() -> dict[str, PublicBody]:
    """Reference list keyed by code (municipalities also by their 4-digit code)."""
    bodies: dict[str, PublicBody] = {}
    with open(data_path("dk_public_bodies.csv"), encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            is_region = row["type"] == "region"
            note = row["note"] or ""
            if note.startswith("official name: "):
                official = note.removeprefix("official name: ")
            elif is_region:
                official = row["name"]
            else:
                official = f"{row['name']} Kommune"
            body = PublicBody(
                "region" if is_region else "municipality", row["code"], row["name"], official,
                row["region_code"],
            )
            bodies[row["code"]] = body
            bodies[row["code4"]] = body
    return bodies


def find_public_body(name_or_code: str) -> PublicBody | None:
    """Look a municipality or region up by code, short name or official name (any case)."""
    bodies = public_bodies()
    if name_or_code in bodies:
        return bodies[name_or_code]
    wanted = name_or_code.strip().casefold()
    for body in bodies.values():
        if wanted in (body.name.casefold(), body.official_name.casefold()):
            return body
    return None


def _folded(text: str) -> str:
    return text.casefold().replace("å", "aa").replace("æ", "ae").replace("ø", "oe")


def similar_public_body(name: str) -> str | None:
    """The official name a misspelt municipality or region most likely means ('Århus Kommune'
    -> 'Aarhus Kommune'), or None."""
    import difflib

    names = {_folded(b.official_name): b.official_name for b in public_bodies().values()}
    names.update({_folded(b.name): b.official_name for b in public_bodies().values()})
    close = difflib.get_close_matches(_folded(name.strip()), list(names), n=1, cutoff=0.8)
    if close:
        return names[close[0]]
    # The first part of a name with more parts: 'Lyngby' -> 'Lyngby-Taarbæk Kommune'.
    wanted = _folded(name.strip())
    starts = {official for folded, official in names.items()
              if len(wanted) >= 4 and folded.startswith(wanted)
              and folded[len(wanted):len(wanted) + 1] in ("-", " ")}
    return starts.pop() if len(starts) == 1 else None
