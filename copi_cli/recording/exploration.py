"""Needs exploration and common language: insights, shared needs, barriers, the glossary.

Insights carry their source (fieldwork, data, literature, value chain …) so the needs they
support can be traced back; a shared need names the need owners who own it and is written as a
need, not a solution; barriers are the shared obstacles (legislation, financing …). The glossary
holds the terms the needs communication uses, defined once for every need owner.
"""

from __future__ import annotations

from copi_cli.errors import UsageError, UserError
from copi_cli.messages import Said
from copi_cli.model.organisations import slugify
from copi_cli.model.vocabulary import checked
from copi_cli.recording.market import owner_ids, split_list
from copi_cli.trail.change import Change

INSIGHTS, NEEDS, GLOSSARY = "udforskning/indsigter.yaml", "udforskning/behov.yaml", "ordliste.yaml"


def _new_id(change: Change, kind: str, key: str, wanted: str | None, title: str) -> str:
    record_id = wanted or slugify(title)[:60].rstrip("-")
    if not record_id:
        raise UsageError(Said("exploration.no-id"))
    if any(item.get("id") == record_id
           for item in change.ws.single_data(kind).get(key, [])):
        raise UserError(Said("exploration.id-taken", id=record_id, key=key),
                        hint=Said("exploration.id-taken-hint"))
    return record_id


def add_insight(change: Change, source: str, title: str, summary: str | None,
                owners: list[str], date: str, reference: str | None = None,
                record_id: str | None = None, confidential: bool = False) -> str:
    source = checked("insight_source", source, "--source")
    entry: dict = {"id": _new_id(change, "insights", "insights", record_id, title),
                   "source": source, "title": title}
    if summary:
        entry["summary"] = summary
    if owners:
        entry["owners"] = owner_ids(change.ws, owners)
    entry["date"] = date
    if reference:
        entry["reference"] = reference
    if confidential:
        entry["confidential"] = True
    change.append(INSIGHTS, "insights", entry)
    return entry["id"]


def add_need(change: Change, title: str, description: str | None, owners: list[str],
             insights: list[str], criteria: list[str], record_id: str | None = None) -> str:
    known = {i.get("id") for i in change.ws.single_data("insights").get("insights", [])}
    wanted = split_list(insights)
    unknown = [i for i in wanted if i not in known]
    if unknown:
        raise UsageError(Said("exploration.insight-unknown", insight=unknown[0]),
                         hint=Said("exploration.insight-unknown-hint",
                                   known=", ".join(sorted(map(str, known))))
                         if known else Said("exploration.insight-unknown-none"))
    entry: dict = {"id": _new_id(change, "needs", "needs", record_id, title), "title": title}
    if description:
        entry["description"] = description
    entry["owners"] = owner_ids(change.ws, owners)
    if not entry["owners"]:
        raise UsageError(Said("exploration.need-owners"))
    if wanted:
        entry["insights"] = wanted
    if criteria:
        entry["success_criteria"] = criteria
    change.append(NEEDS, "needs", entry)
    return entry["id"]


def add_barrier(change: Change, kind: str, description: str, owners: list[str],
                record_id: str | None = None) -> str:
    kind = checked("barrier_kind", kind, "--kind")
    entry: dict = {"id": _new_id(change, "needs", "barriers", record_id, description),
                   "kind": kind, "description": description}
    if owners:
        entry["owners"] = owner_ids(change.ws, owners)
    change.append(NEEDS, "barriers", entry)
    return entry["id"]


def add_term(change: Change, term: str, definition: str, english: str | None = None,
             source: str | None = None) -> None:
    if any(str(t.get("term", "")).casefold() == term.casefold()
           for t in change.ws.single_data("glossary").get("terms", [])):
        raise UserError(Said("exploration.term-exists", term=term),
                        hint=Said("exploration.term-exists-hint", file=GLOSSARY))
    entry: dict = {"term": term, "definition": definition}
    if english:
        entry["english"] = english
    if source:
        entry["source"] = source
    change.append(GLOSSARY, "terms", entry)
