"""The results the listing commands hand to a reporter, built from the workspace.

Each row is plain data in the shape `--json` prints, so the JSON reporter writes it as it is and
the text reporters choose the fields they show.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from copi_cli.model.documents import Document
    from copi_cli.model.workspace import Record, Workspace
    from copi_cli.recording.contacts import Entry

DocumentRow = dict[str, Any]
ToolRow = dict[str, Any]


class OrganisationDetail(NamedTuple):
    record: Record
    summary: dict[str, Any]  # as organisation_rows has it
    decisions: list[dict[str, Any]]  # its decisions on the declaration of intent
    meetings: list[str | None]  # the market-dialogue meetings it took part in


def _summary(data: dict[str, Any], language: str) -> dict[str, Any]:
    from copi_cli.model.vocabulary import label

    backing = data.get("backing") or {}
    return {
        "id": data.get("id"), "name": data.get("name"), "type": data.get("type"),
        "type_label": label("organisation_type", str(data.get("type")), language),
        "role": data.get("role"), "role_label": label("role", str(data.get("role")), language),
        "joined": data.get("joined"), "withdrawn": data.get("withdrawn"),
        "political": (backing.get("political") or {}).get("date"),
        "administrative": (backing.get("administrative") or {}).get("date"),
    }


def organisation_rows(ws: Workspace) -> list[dict[str, Any]]:
    """Every organisation, invalid records too: a listing must not hide one with a mistake."""
    return [_summary(r.data, ws.language) for r in ws.all("organisation", valid_only=False)]


def record_rows(ws: Workspace, kind: str) -> list[dict[str, Any]]:
    """Every event, supplier or meeting with its file, invalid records too (like organisations).
    A meeting carries its supplier's and need owners' names beside their ids, so a list reads
    as people write it."""
    rows = [{"file": r.path, **r.data} for r in ws.all(kind, valid_only=False)]
    if kind == "meeting":
        names = {r.id: str(r.data.get("name") or r.id)
                 for other in ("supplier", "organisation") for r in ws.all(other)}
        for row in rows:
            supplier = row.get("supplier")
            row["supplier_name"] = names.get(str(supplier), supplier)
            owners = row.get("owners")
            if isinstance(owners, list):
                row["owner_names"] = [names.get(str(o), o) for o in owners]
    return rows


def question_rows(ws: Workspace) -> list[dict[str, Any]]:
    """The Q&A log as it is in spoergsmaal-og-svar.yaml, asker included: the list is internal."""
    return [dict(q) for q in ws.single_data("questions").get("questions", []) or []
            if isinstance(q, dict)]


def organisation_detail(ws: Workspace, record: Record) -> OrganisationDetail:
    signatures = ws.single_data("signatures").get("signatures", [])
    return OrganisationDetail(
        record, _summary(record.data, ws.language),
        [s for s in signatures if s.get("organisation") == record.id],
        [m.id for m in ws.all("meeting") if record.id in m.data.get("owners", [])])


def contact_rows(entries: Iterable[Entry], today: str) -> list[dict[str, Any]]:
    """Each contact person with its holder; expired once its retention date has passed."""
    return [{"file": e.record.path, "holder": e.record.id, **e.contact,
             "expired": bool(e.contact.get("retention_until")
                             and e.contact["retention_until"] < today)} for e in entries]


def document_rows(documents: Sequence[Document]) -> list[DocumentRow]:
    from copi_cli.model.catalogue import load_catalogue

    catalogue = load_catalogue()
    return [{"id": d.id, "name": d.name, "file": d.file, "template": d.template,
             "phase": catalogue.phase(d.phase).number, "audience": d.audience,
             "text": d.text, "requires": list(d.requires)} for d in documents]


def tool_rows(ws: Workspace) -> list[ToolRow]:
    """Each tool, its phases, and for each answer file (one per need owner where the tool is
    filled in per need owner) whether it is answered and what required answers are missing."""
    from copi_cli.model.catalogue import load_catalogue
    from copi_cli.model.tools import answers_of, load_tools, unanswered

    catalogue = load_catalogue()
    listing = []
    for tool in load_tools():
        owners = [r.id for r in ws.need_owners()] if tool.per_owner else [None]
        files = []
        for owner in owners:
            answers = answers_of(ws, tool, owner)
            missing = unanswered(tool, answers.get("answers")) if answers is not None else []
            files.append({"path": tool.path(owner), "owner": owner,
                          "answered": answers is not None, "date": (answers or {}).get("date"),
                          "required_unanswered": [f.key for f in missing]})
        listing.append({"id": tool.id, "danish_id": tool.danish_id,
                        "name": tool.name[ws.language],
                        "phases": [catalogue.phase(p).number for p in tool.phases],
                        "answers": files})
    return listing
