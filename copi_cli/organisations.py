"""Organisations in a process: need owners and partners joining, backing, withdrawing.

An organisation is one file, organisationer/<id>.yaml. Municipalities and regions are identified
from the reference list (by name or code), which fills the official name, the municipality code
and the region; other bodies are named as the user writes them. Participation and signature are
separate (copi_cli.declaration records signatures).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from typing import NamedTuple

from copi_cli.errors import UsageError, UserError
from copi_cli.identifiers import find_public_body, is_valid_cvr, similar_public_body
from copi_cli.recording import Change
from copi_cli.vocabulary import checked
from copi_cli.workspace import Record, Workspace

DIRECTORY = "organisationer"
_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})


def slugify(text: str) -> str:
    """'Aarhus Kommune' -> 'aarhus-kommune'; 'Københavns Kommune' -> 'koebenhavns-kommune'."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text.translate(_DANISH))
    ascii_text = ascii_text.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:80]


class Identity(NamedTuple):
    name: str
    type: str
    municipality_code: str | None
    region_code: str | None


def identify(name: str, org_type: str | None, option: str = "--type") -> Identity:
    """Who name means: a municipality or region from the reference list, or another body.

    A name that looks like a municipality or region but is not in the list is refused (with a
    did-you-mean) rather than recorded as 'other'.
    """
    if org_type is not None:
        org_type = checked("organisation_type", org_type, option)
    body = find_public_body(name.strip())
    if body is None and org_type in (None, "municipality", "region"):
        close = similar_public_body(name)
        if close or org_type or re.search(r"kommune|region", name, re.I) or name.isdigit():
            raise UsageError(
                f"'{name}' is not in the list of Danish municipalities and regions",
                hint=(f"did you mean '{close}'? " if close else "")
                + f"For another kind of organisation give {option} (e.g. state-agency).")
    if body is None:
        return Identity(name.strip(), org_type or "other", None, None)
    if org_type and org_type != body.type:
        raise UserError(f"{body.official_name} is a {body.type}, not a {org_type}",
                        hint=f"leave out {option} or use {option} {body.type}")
    return Identity(body.official_name, body.type,
                    body.code if body.type == "municipality" else None, body.region_code)


def check_cvr(cvr: str | None) -> str | None:
    if cvr is None:
        return None
    cvr = cvr.replace(" ", "")
    if not is_valid_cvr(cvr):
        raise UsageError(f"--cvr: {cvr} is not a valid CVR number",
                         hint="8 digits, no leading zero, passing the modulus-11 check; "
                              "look it up on datacvr.virk.dk")
    return cvr


def find(ws: Workspace, reference: str, what: str = "organisation") -> Record:
    """An organisation by id, name or municipality/region code."""
    records = ws.all("organisation", valid_only=False)
    wanted = reference.strip().casefold()
    for record in records:
        data = record.data
        if wanted in (str(record.id).casefold(), str(data.get("name", "")).casefold(),
                      str(data.get("municipality_code", ""))) or record.id == slugify(reference):
            return record
    body = find_public_body(reference)
    if body is not None:
        for record in records:
            if record.data.get("name") == body.official_name:
                return record
    names = {str(r.id): r for r in records} | {str(r.data.get("name")): r for r in records}
    close = difflib.get_close_matches(reference, list(names), n=1, cutoff=0.6)
    raise UsageError(f"no {what} '{reference}' in this process",
                     hint=(f"did you mean '{names[close[0]].id}'? " if close else "")
                     + "copi owner list shows the organisations")


def add(change: Change, name: str, org_type: str | None, role: str, joined: str,
        cvr: str | None = None, municipality_code: str | None = None,
        citizens: int | None = None, record_id: str | None = None) -> tuple[str, str]:
    """A new organisation file; returns its path and the name recorded."""
    role = checked("role", role, "--role")
    if municipality_code and not name.strip():
        name = municipality_code
    who = identify(municipality_code or name, org_type)
    if municipality_code and name.strip() and who.name != identify(name, org_type).name:
        raise UsageError(f"municipality code {municipality_code} is {who.name}, not {name}",
                         hint="give the name or the code")
    record_id = record_id or slugify(who.name)
    existing = [r for r in change.ws.all("organisation", valid_only=False)
                if r.id == record_id or r.data.get("name") == who.name]
    if existing:
        raise UserError(f"{who.name} is already in the process ({existing[0].path})",
                        hint="copi owner show " + str(existing[0].id))
    data: dict = {"id": record_id, "name": who.name, "type": who.type, "role": role}
    if cvr := check_cvr(cvr):
        data["cvr"] = cvr
    if who.municipality_code:
        data["municipality_code"] = who.municipality_code
    if who.region_code:
        data["region_code"] = who.region_code
    data["joined"] = joined
    if citizens is not None:
        data["citizens"] = citizens
    rel = f"{DIRECTORY}/{record_id}.yaml"
    change.create(rel, data)
    return rel, who.name


def withdraw(change: Change, reference: str, date: str, reason: str | None) -> Record:
    record = find(change.ws, reference)
    if "withdrawn" in record.data:
        raise UserError(f"{record.data['name']} withdrew on {record.data['withdrawn']}",
                        hint=f"edit {record.path} if that date is wrong")
    if dt.date.fromisoformat(date) < dt.date.fromisoformat(str(record.data["joined"])):
        raise UsageError(f"--date {date} is before {record.data['name']} joined "
                         f"({record.data['joined']})")
    with change.edit(record.path) as editor:
        editor.set(("withdrawn",), date)
        if reason:
            editor.set(("withdrawn_reason",), reason)
    return record


def record_backing(change: Change, reference: str, level: str, by: str, date: str,
                   evidence: str | None) -> Record:
    """Political or administrative backing, with evidence: a web address, or a file that is
    brought into materialer/ when it lies outside the process."""
    level = checked("backing_level", level, "--level")
    record = find(change.ws, reference)
    backing: dict = {"by": by, "date": date}
    if evidence:
        if re.match(r"^https?://", evidence):
            backing["evidence"] = evidence
        else:
            backing["evidence"] = change.bring_in(Path(evidence))
    with change.edit(record.path) as editor:
        if "backing" in record.data:
            editor.set(("backing", level), backing)
        else:
            editor.set(("backing",), {level: backing})
    return record
