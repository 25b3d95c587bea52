"""Need owners and partners joining, backing and withdrawing.

Participation and signature are separate (copi_cli.recording.declaration records signatures).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from copi_cli.errors import UsageError, UserError
from copi_cli.messages import Said, Worded
from copi_cli.model.organisations import DIRECTORY, check_cvr, find, identify, slugify
from copi_cli.model.vocabulary import checked
from copi_cli.model.workspace import Record
from copi_cli.resources import load_data
from copi_cli.trail.change import Change


def add(change: Change, name: str, org_type: str | None, role: str, joined: str,
        cvr: str | None = None, municipality_code: str | None = None,
        citizens: int | None = None, record_id: str | None = None) -> tuple[str, str]:
    """A new organisation file; returns its path and the name recorded."""
    role = checked("role", role, "--role")
    if municipality_code and not name.strip():
        name = municipality_code
    who = identify(municipality_code or name, org_type)
    if municipality_code and name.strip() and who.name != identify(name, org_type).name:
        raise UsageError(Said("organisation.code-differs", code=municipality_code, who=who.name,
                              name=name),
                         hint=Said("organisation.code-differs-hint"))
    record_id = record_id or slugify(who.name)
    existing = [r for r in change.ws.all("organisation", valid_only=False)
                if r.id == record_id or r.data.get("name") == who.name]
    if existing:
        raise UserError(Said("organisation.exists", name=who.name, path=existing[0].path),
                        hint=Said("organisation.exists-hint", id=str(existing[0].id)))
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
        raise UserError(Said("organisation.withdrew", name=record.data["name"],
                             date=record.data["withdrawn"]),
                        hint=Said("organisation.withdrew-hint", path=record.path))
    if dt.date.fromisoformat(date) < dt.date.fromisoformat(str(record.data["joined"])):
        raise UsageError(Said("organisation.before-joined", date=date, name=record.data["name"],
                              joined=record.data["joined"]))
    with change.edit(record.path) as editor:
        editor.set(("withdrawn",), date)
        if reason:
            editor.set(("withdrawn_reason",), reason)
    return record


def _decision(recorded: object) -> str:
    """A recorded backing decision as one line: by whom, when, on what evidence."""
    if not isinstance(recorded, dict):
        return repr(recorded)
    if recorded.get("evidence"):
        return Said("backing.decision", by=recorded.get("by"), date=recorded.get("date"),
                    evidence=recorded["evidence"])
    return Said("backing.decision-no-evidence", by=recorded.get("by"), date=recorded.get("date"))


def record_backing(change: Change, reference: str, level: str, by: str, date: str,
                   evidence: str | None, replace: bool = False) -> tuple[Record, str | None]:
    """Political or administrative backing, with evidence: a web address, or a file that is
    brought into materialer/ when it lies outside the process. A decision already recorded at
    the level is a documented decision: it is replaced only when asked (replace), and the one
    replaced is returned, so a typo never silently overwrites the evidence."""
    from copi_cli.model.yamlsource import locate

    level = checked("backing_level", level, "--level")
    record = find(change.ws, reference)
    backing = record.data.get("backing")
    recorded = backing.get(level) if isinstance(backing, dict) else None
    replaced = _decision(recorded) if recorded is not None else None
    if replaced is not None and not replace:
        line, column, _ = locate(change.read(record.path), ("backing", level))
        raise UserError(Said("backing.exists", path=record.path, line=line, column=column,
                             name=record.data.get("name"), replaced=replaced,
                             level=Worded(load_data("labels.json")["backing_level"][level])),
                        hint=Said("backing.exists-hint"))
    decision: dict = {"by": by, "date": date}
    if evidence:
        if re.match(r"^https?://", evidence):
            decision["evidence"] = evidence
        else:
            decision["evidence"] = change.bring_in(Path(evidence))
    with change.edit(record.path) as editor:
        if isinstance(backing, dict):
            editor.set(("backing", level), decision)
        else:
            editor.set(("backing",), {level: decision})
    return record, replaced
