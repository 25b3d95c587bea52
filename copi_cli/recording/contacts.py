"""Contact persons: the personal data a process holds, and the GDPR rights over it.

Contacts live in the `contacts` list of an organisation or supplier file: work details only (name,
title, work e-mail and phone) with a retention date and a legal basis (GDPR art. 6(1)), both by
default from copi.yaml's settings, else from data/personal_data.yaml. A person is found by
e-mail or name across all of them. Export answers a request for access: every contact entry,
plus every other place the name or e-mail appears (notes, minutes), which copi cannot erase
safely on its own. Erasure removes the contact entries and leaves the rest of each record as it
was; the earlier commits still hold the data, which the erasure's output says.
"""

from __future__ import annotations

from typing import NamedTuple

from copi_cli.errors import UsageError, UserError
from copi_cli.messages import Said
from copi_cli.model.vocabulary import checked
from copi_cli.model.workspace import Record, Workspace
from copi_cli.model.yamledit import YamlEditor
from copi_cli.trail.change import Change

HOLDERS = ("organisation", "supplier")
TEXT_SUFFIXES = {".txt", ".md", ".csv", ".yaml", ".yml", ".json", ".html"}  # read for mentions


class Entry(NamedTuple):
    record: Record
    position: int  # in the record's contacts (a NamedTuple's index is tuple.index)
    contact: dict


class Mention(NamedTuple):
    path: str
    line: int
    text: str


def find_holder(ws: Workspace, reference: str) -> Record:
    """The organisation or supplier a contact belongs to, by id or name (organisations also by
    municipality name or code)."""
    from copi_cli.model import organisations
    from copi_cli.recording import market
    try:
        return organisations.find(ws, reference)
    except UsageError:
        pass
    try:
        return market.find_supplier(ws, reference)
    except UsageError:
        raise UsageError(Said("contact.holder-unknown", reference=reference),
                         hint=Said("contact.holder-unknown-hint")) from None


def entries(ws: Workspace, person: str) -> list[Entry]:
    """Every contact entry for a person, matched by e-mail or by name (any case)."""
    wanted = person.strip().casefold()
    found = []
    for kind in HOLDERS:
        for record in ws.all(kind, valid_only=False):
            contacts = record.data.get("contacts")
            for index, contact in enumerate(contacts if isinstance(contacts, list) else []):
                if not isinstance(contact, dict):
                    continue
                keys = {str(contact.get("email", "")).casefold(),
                        str(contact.get("name", "")).casefold()}
                if wanted in keys:
                    found.append(Entry(record, index, contact))
    return found


def defaults(process: dict) -> tuple[int, str]:
    """Years a new contact is kept and its legal basis: the process's settings, else copi's."""
    from copi_cli.resources import load_data

    data = load_data("personal_data.yaml")
    settings = process.get("settings")
    settings = settings if isinstance(settings, dict) else {}
    years = settings.get("contact_retention_years", data["retention_years"])
    basis = settings.get("contact_legal_basis", data["legal_basis"])
    return int(years), str(basis)


def add(change: Change, holder: str, name: str, title: str | None, email: str | None,
        phone: str | None, retention_until: str | None,
        legal_basis: str | None = None) -> Record:
    record = find_holder(change.ws, holder)
    if email and any(e.contact.get("email", "").casefold() == email.casefold()
                     for e in entries(change.ws, email) if e.record.path == record.path):
        raise UserError(Said("contact.exists", email=email, name=record.data.get("name")),
                        hint=Said("contact.exists-hint"))
    contact: dict = {"name": name}
    for key, value in (("title", title), ("email", email), ("phone", phone)):
        if value:
            contact[key] = value
    years, basis = defaults(change.ws.process)
    if retention_until is None:
        today = change.today
        retention_until = today.replace(year=today.year + years,
                                        day=min(today.day, 28)).isoformat()
    contact["retention_until"] = retention_until
    contact["legal_basis"] = checked("legal_basis", legal_basis, "--legal-basis") \
        if legal_basis else basis
    with change.edit(record.path) as editor:
        editor.append(("contacts",), contact)
    return record


def _without_entries(change: Change, found: list[Entry]) -> dict[str, str]:
    """The texts of the files holding the entries, with the entries removed."""
    texts: dict[str, str] = {}
    for path in sorted({e.record.path for e in found}):
        editor = YamlEditor(change.read(path), path)
        for entry in sorted((e for e in found if e.record.path == path),
                            key=lambda e: e.position, reverse=True):
            editor.remove(("contacts", entry.position))
        texts[path] = editor.result()
    return texts


def mentions(change: Change, person: str, names: set[str],
             texts: dict[str, str]) -> list[Mention]:
    """Lines elsewhere in the process that name the person (free text copi leaves alone)."""
    words = {n.casefold() for n in names | {person} if n}
    found = []
    materials = change.root / "materialer"
    notes = sorted(p.relative_to(change.root).as_posix() for p in materials.rglob("*")
                   if p.suffix.lower() in TEXT_SUFFIXES and p.is_file()) \
        if materials.is_dir() else []
    for paths in (*change.ws.paths.values(), notes):
        for path in paths:
            try:
                text = texts.get(path) or (change.root / path).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                continue
            for number, line in enumerate(text.splitlines(), start=1):
                if any(word in line.casefold() for word in words):
                    found.append(Mention(path, number, line.strip()))
    return found


def export(change: Change, person: str) -> dict:
    """Everything the process holds about a person (GDPR art. 15), as plain data."""
    found = entries(change.ws, person)
    names = {str(e.contact.get(k, "")) for e in found for k in ("name", "email")}
    if not found:
        raise UsageError(Said("contact.unknown", person=person),
                         hint=Said("contact.unknown-hint"))
    others = mentions(change, person, names, _without_entries(change, found))
    return {
        "person": person,
        "exported": change.today.isoformat(),
        "process": change.process_id,
        "contact_entries": [{"file": e.record.path, "holder": e.record.id,
                             "holder_name": e.record.data.get("name"), **e.contact}
                            for e in found],
        "other_mentions": [m._asdict() for m in others],
        "note": "Earlier versions of these files remain in the git history of the process.",
    }


def erase(change: Change, person: str) -> tuple[list[Entry], list[Mention]]:
    """Remove every contact entry for the person (GDPR art. 17); what else names them."""
    found = entries(change.ws, person)
    if not found:
        raise UsageError(Said("contact.unknown", person=person),
                         hint=Said("contact.unknown-hint"))
    names = {str(e.contact.get(k, "")) for e in found for k in ("name", "email")}
    texts = _without_entries(change, found)
    change.texts.update(texts)
    return found, mentions(change, person, names, texts)


def all_entries(ws: Workspace) -> list[Entry]:
    """Every contact entry of the process, by holder."""
    return [Entry(record, index, contact)
            for kind in HOLDERS for record in ws.all(kind)
            for index, contact in enumerate(record.data.get("contacts", []))]
