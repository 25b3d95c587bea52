"""The method's own rules: the phase history, enough need owners, who may sign, the tools."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from copi_cli.diagnostics import Diagnostic, named
from copi_cli.messages import message
from copi_cli.model.catalogue import load_catalogue
from copi_cli.model.organisations import has_evidence, is_placeholder
from copi_cli.model.workspace import Record
from copi_cli.validation.rules.base import (
    Context,
    file_rule,
    rule,
    to_date,
)


def parallel_entries(history: list[dict]) -> list[int]:
    """The history entries that leave the same phase as the entry before them: two clones'
    transitions made at the same time, both kept when their work was merged or rebased."""
    return [index for index in range(1, len(history))
            if history[index].get("from") == history[index - 1].get("from")
            and history[index].get("from") != history[index - 1].get("to")]


def parallel_hint(process_id: str) -> str:
    """What to do about parallel transitions: validate and audit say the same."""
    return message("transition.parallel-hint", "en", process=process_id)


@file_rule("process")
def public_contact_for_replies(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    """A public document its readers answer (documents.yaml: contact) ends with the
    facilitator's public_contact; without one, the invitation, the press releases and the
    market-dialogue report go out with no way to reply (R039). Only documents of the phases
    the process has reached are named: they are the ones it would render now."""
    from copi_cli.model.documents import load_documents

    facilitator = record.data.get("facilitator")
    if isinstance(facilitator, dict) and str(facilitator.get("public_contact") or "").strip():
        return
    catalogue = load_catalogue()
    try:
        reached = catalogue.phase(record.data["phase"]).number
    except KeyError:
        return  # an unknown phase is R010's
    due = [document.name["en"].lower() for document in load_documents()
           if document.contact and catalogue.phase(document.phase).number <= reached]
    if not due:
        return
    yield ctx.diag(record, ("facilitator",) if isinstance(facilitator, dict) else (), "R039",
                   "the facilitator has no public_contact, so the " + _listed(due)
                   + " would go out with no way to reply",
                   "add public_contact under facilitator in copi.yaml, e.g. "
                   "'public_contact: kontakt@co-pi.dk, tlf. 12 34 56 78'", key=True)


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@file_rule("process")
def history_leads_to_phase(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    history = record.data["history"]
    parallel = parallel_entries(history)
    expected_from = None
    for index, entry in enumerate(history):
        if index in parallel:
            yield ctx.diag(record, ("history", index, "from"), "R010",
                           f"history entries {index} and {index + 1} both leave "
                           f"{entry['from']}: transitions made in parallel in two clones were "
                           "both kept", parallel_hint(record.data["id"]))
        elif entry["from"] != expected_from:
            yield ctx.diag(record, ("history", index, "from"), "R010",
                           f"history entry {index + 1} starts from {entry['from']}, but the "
                           f"entry before ends in {expected_from}",
                           "history is written by copi advance and copi revisit; restore it "
                           "from git (git log -p copi.yaml)")
        if entry.get("action") in ("close", "reopen"):
            yield from _end_state(ctx, record, index)
        expected_from = entry["to"]
    if parallel:
        return  # the phase follows from the entry kept
    if history and history[-1]["to"] != record.data["phase"]:
        yield ctx.diag(record, ("phase",), "R010",
                       f"phase is {record.data['phase']}, but the history ends in "
                       f"{history[-1]['to']}",
                       "change phase with copi advance or copi revisit, not by hand")


def _end_state(ctx: Context, record: Record, index: int) -> Iterator[Diagnostic]:
    """A close stays in the last phase (copi close), and a reopen undoes a close."""
    history = record.data["history"]
    entry = history[index]
    last = load_catalogue().phases[-1].id
    if entry["from"] != last or entry["to"] != last:
        yield ctx.diag(record, ("history", index, "to"), "R010",
                       f"history entry {index + 1} ({entry['action']}) goes from "
                       f"{entry['from']} to {entry['to']}; a process is closed and reopened "
                       f"in its last phase, {last}",
                       "copi close and copi reopen write these entries; restore it from git "
                       "(git log -p copi.yaml)")
    elif entry["action"] == "reopen" and (
            index == 0 or history[index - 1].get("action") != "close"):
        yield ctx.diag(record, ("history", index, "action"), "R010",
                       f"history entry {index + 1} reopens a process that was not closed",
                       "copi reopen follows copi close; restore the history from git "
                       "(git log -p copi.yaml)")


def _entered(process: dict, phase_id: str) -> dt.date | None:
    """First date the process entered a phase, from its history."""
    for entry in process.get("history", []):
        if entry.get("to") == phase_id:
            return to_date(entry.get("date"))
    return None


@rule
def enough_need_owners(ctx: Context) -> Iterator[Diagnostic]:
    process = ctx.ws.single("process")
    if not process:
        return
    catalogue = load_catalogue()
    minimum = process.data.get("settings", {}).get("min_need_owners", 2)
    current = catalogue.phase(process.data["phase"])
    count = len(ctx.ws.need_owners())
    if current.number > catalogue.phase("matchmaking").number and count < minimum:
        yield ctx.diag(process, ("phase",), "R011",
                       f"{count} need owner(s) in phase {current.number}; the process asks for "
                       f"at least {minimum}",
                       "add need owners in organisationer/ or lower settings.min_need_owners")


def _phase_on(process: dict, day: dt.date | None) -> str | None:
    """The phase the process was in on day, from its history (None before it began)."""
    phase = None
    for entry in process.get("history", []):
        entered = to_date(entry.get("date"))
        if day is None or entered is None or entered > day:
            break
        phase = entry.get("to")
    return phase


@rule
def every_need_owner_backed(ctx: Context) -> Iterator[Diagnostic]:
    """Backing is a standing requirement: the method asks for commitment and backing from the
    political and administrative management of the first need owner (phase 1) and of each new
    one (phase 2), and a need owner that joins later brings the same, whatever the phase. A
    withdrawn need owner no longer needs it."""
    process = ctx.ws.single("process")
    if not process:
        return
    catalogue = load_catalogue()
    for owner in ctx.ws.need_owners():
        backing = owner.data.get("backing")
        backing = backing if isinstance(backing, dict) else {}
        absent = [level for level in ("political", "administrative")
                  if not isinstance(backing.get(level), dict)]
        bare = [level for level in ("political", "administrative")
                if level not in absent and not has_evidence(backing[level])]
        if not absent and not bare:
            continue
        said = [str(backing[level]["evidence"]).strip() for level in bare
                if is_placeholder(backing[level].get("evidence"))]
        pieces = (["no " + " and no ".join(absent) + " backing"] if absent else []) + \
            ([" and ".join(bare) + " backing without evidence"
              + (f" ('{said[0]}' is a placeholder)" if said else "")] if bare else [])
        joined_in = _phase_on(process.data, to_date(owner.data.get("joined")))
        when = f" (joined in phase {catalogue.phase(joined_in).number})" if joined_in in \
            catalogue.phase_ids else ""
        level = (absent + bare)[0]
        where: tuple = (("backing", level) if level in bare
                        else ("backing",) if "backing" in owner.data else ("joined",))
        yield ctx.diag(owner, where, "R028",
                       f"{named(owner.data, owner.id or owner.path)}{when} has "
                       f"{' and '.join(pieces)}; every need "
                       "owner needs both, with "
                       "evidence, before the next gate, whenever it joined",
                       f"record each with copi owner backing {owner.id} --level {level} --by "
                       "\"…\" --date YYYY-MM-DD --evidence FILE|URL, or import its management "
                       f"anchoring (copi tool form ledelsesforankring --owner {owner.id})")


@rule
def signatures_fit_the_method(ctx: Context) -> Iterator[Diagnostic]:
    signatures = ctx.ws.single("signatures")
    if not signatures:
        return
    organisations = ctx.ws.by_id("organisation")
    communication_began = _entered(ctx.ws.process, "needs-communication")
    for index, entry in enumerate(signatures.data.get("signatures", [])):
        org = organisations.get(entry["organisation"])
        if org is None or entry["decision"] != "signed":
            continue
        signed = to_date(entry["date"])
        name = named(org.data, org.id or entry["organisation"])
        if entry.get("kind", "buyer") == "buyer" and org.data["role"] != "need-owner":
            yield ctx.diag(signatures, ("signatures", index, "organisation"), "R008",
                           f"{name} is a {org.data['role']}, not a need owner",
                           "record a partner's signature with kind: support, or make the "
                           "organisation a need owner")
        withdrawn = to_date(org.data.get("withdrawn"))
        if withdrawn and signed and signed >= withdrawn:
            yield ctx.diag(signatures, ("signatures", index, "date"), "R012",
                           f"{name} withdrew on {withdrawn} and cannot sign after",
                           "remove the withdrawal from its file if it rejoined")
        joined = to_date(org.data["joined"])
        if joined and signed and signed < joined:
            yield ctx.diag(signatures, ("signatures", index, "date"), "R004",
                           f"signed ({signed}) before {name} joined ({joined})",
                           "an organisation that signs without taking part joins on the day "
                           "it signs: set joined to that date")
        elif joined and communication_began and joined > communication_began:
            yield ctx.diag(signatures, ("signatures", index, "organisation"), "R009",
                           f"{name} joined on {joined}, after the needs "
                           "exploration and market dialogue",
                           "late signatories are welcome; make sure the needs communication "
                           "reached them")


@file_rule("tool-answers", "anchoring")
def tool_answers_fit_the_tool(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    """The answers belong to the tool whose file they are in, and fit its questions."""
    from copi_cli.model.tools import answer_problems, tool_of_file

    placed = tool_of_file(record.path)
    if placed is None:
        yield ctx.diag(record, (), "R025", f"{record.path} is not the answer file of a tool",
                       "the tools' answers are vaerktoejer/planlaegning.yaml, "
                       "behovsudforskning.yaml, markedsdialog.yaml and "
                       "ledelsesforankring/<need owner>.yaml (copi tool import puts them there)")
        return
    tool, owner = placed
    if record.data.get("tool") != tool.id:
        yield ctx.diag(record, ("tool",), "R025",
                       f"the file holds answers for {record.data.get('tool')}, but it is "
                       f"{tool.danish_id}'s answer file", f"set tool: {tool.id}, or import "
                       "the answers with copi tool import, which puts them in their place")
        return
    if owner is not None and record.data.get("owner") != owner:
        yield ctx.diag(record, ("owner",) if "owner" in record.data else (), "R025",
                       f"the answers are for {record.data.get('owner')}, but the file is "
                       f"{owner}'s", f"set owner: {owner}, or rename the file")
    for problem in answer_problems(tool, record.data.get("answers")):
        yield ctx.diag(record, problem.where, problem.code, problem.message, problem.hint,
                       key=problem.at_key)
