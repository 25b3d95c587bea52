"""The method's own rules: the phase history, enough need owners, who may sign, the tools."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from copi_cli.diagnostics import Diagnostic, named
from copi_cli.messages import Said, Worded
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
    return Said("transition.parallel-hint", process=process_id)


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
    due = [document.name for document in load_documents()
           if document.contact and catalogue.phase(document.phase).number <= reached]
    if not due:
        return
    documents = Worded({lang: _listed([name[lang].lower() for name in due], word)
                        for lang, word in (("da", "og"), ("en", "and"))})
    yield ctx.diag(record, ("facilitator",) if isinstance(facilitator, dict) else (), "R039",
                   Said("finding.r039.no-contact", documents=documents),
                   Said("finding.r039.hint"), key=True)


def _listed(items: list[str], last: str) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {last} " + items[-1]


@file_rule("process")
def history_leads_to_phase(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    history = record.data["history"]
    parallel = parallel_entries(history)
    expected_from = None
    for index, entry in enumerate(history):
        if index in parallel:
            yield ctx.diag(record, ("history", index, "from"), "R010",
                           Said("finding.history.parallel", first=index, second=index + 1,
                                phase=entry["from"]), parallel_hint(record.data["id"]))
        elif entry["from"] != expected_from:
            yield ctx.diag(record, ("history", index, "from"), "R010",
                           Said("finding.r010.starts-from", n=index + 1, phase=entry["from"],
                                expected=str(expected_from)),
                           Said("finding.r010.starts-from-hint"))
        if entry.get("action") in ("close", "reopen"):
            yield from _end_state(ctx, record, index)
        expected_from = entry["to"]
    if parallel:
        return  # the phase follows from the entry kept
    if history and history[-1]["to"] != record.data["phase"]:
        yield ctx.diag(record, ("phase",), "R010",
                       Said("finding.r010.phase", phase=record.data["phase"],
                            last=history[-1]["to"]),
                       Said("finding.r010.phase-hint"))


def _end_state(ctx: Context, record: Record, index: int) -> Iterator[Diagnostic]:
    """A close stays in the last phase (copi close), and a reopen undoes a close."""
    history = record.data["history"]
    entry = history[index]
    last = load_catalogue().phases[-1].id
    if entry["from"] != last or entry["to"] != last:
        yield ctx.diag(record, ("history", index, "to"), "R010",
                       Said("finding.r010.end-state", n=index + 1, action=entry["action"],
                            start=entry["from"], end=entry["to"], last=last),
                       Said("finding.r010.end-state-hint"))
    elif entry["action"] == "reopen" and (
            index == 0 or history[index - 1].get("action") != "close"):
        yield ctx.diag(record, ("history", index, "action"), "R010",
                       Said("finding.r010.reopen", n=index + 1),
                       Said("finding.r010.reopen-hint"))


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
                       Said("finding.r011.too-few", n=count, phase=current.number,
                            minimum=minimum),
                       Said("finding.r011.hint"))


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
        what = _backing_lacking(absent, bare, said[0] if said else None)
        joined_in = _phase_on(process.data, to_date(owner.data.get("joined")))
        name = named(owner.data, owner.id or owner.path)
        level = (absent + bare)[0]
        where: tuple = (("backing", level) if level in bare
                        else ("backing",) if "backing" in owner.data else ("joined",))
        yield ctx.diag(owner, where, "R028",
                       Said("finding.r028.missing-joined", name=name, what=what,
                            phase=catalogue.phase(joined_in).number)
                       if joined_in in catalogue.phase_ids
                       else Said("finding.r028.missing", name=name, what=what),
                       Said("finding.r028.hint", id=str(owner.id), level=level))


LEVELS = {"political": "finding.r028.political", "administrative": "finding.r028.administrative"}


def _backing_lacking(absent: list[str], bare: list[str], placeholder: str | None) -> Said:
    """What a need owner lacks of its backing: none at a level, or none with evidence."""
    pieces = []
    if absent:
        pieces.append(Said("finding.r028.none-both") if len(absent) == 2
                      else Said("finding.r028.none-one", level=Said(LEVELS[absent[0]])))
    if bare:
        piece = (Said("finding.r028.bare-both") if len(bare) == 2
                 else Said("finding.r028.bare-one", level=Said(LEVELS[bare[0]])))
        pieces.append(piece if placeholder is None else
                      Said("finding.r028.placeholder", backing=piece, placeholder=placeholder))
    return pieces[0] if len(pieces) == 1 else Said("finding.and", first=pieces[0],
                                                    second=pieces[1])


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
                           Said("finding.r008.not-need-owner", name=name, role=org.data["role"]),
                           Said("finding.r008.hint"))
        withdrawn = to_date(org.data.get("withdrawn"))
        if withdrawn and signed and signed >= withdrawn:
            yield ctx.diag(signatures, ("signatures", index, "date"), "R012",
                           Said("finding.r012.withdrawn", name=name, date=str(withdrawn)),
                           Said("finding.r012.hint"))
        joined = to_date(org.data["joined"])
        if joined and signed and signed < joined:
            yield ctx.diag(signatures, ("signatures", index, "date"), "R004",
                           Said("finding.r004.signed", signed=str(signed), name=name,
                                joined=str(joined)),
                           Said("finding.r004.signed-hint"))
        elif joined and communication_began and joined > communication_began:
            yield ctx.diag(signatures, ("signatures", index, "organisation"), "R009",
                           Said("finding.r009.late", name=name, joined=str(joined)),
                           Said("finding.r009.hint"))


@file_rule("tool-answers", "anchoring")
def tool_answers_fit_the_tool(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    """The answers belong to the tool whose file they are in, and fit its questions."""
    from copi_cli.model.tools import answer_problems, tool_of_file

    placed = tool_of_file(record.path)
    if placed is None:
        yield ctx.diag(record, (), "R025", Said("finding.r025.not-answer-file", path=record.path),
                       Said("finding.r025.not-answer-file-hint"))
        return
    tool, owner = placed
    if record.data.get("tool") != tool.id:
        yield ctx.diag(record, ("tool",), "R025",
                       Said("finding.r025.other-tool", tool=str(record.data.get("tool")),
                            file_tool=tool.danish_id),
                       Said("finding.r025.other-tool-hint", tool=tool.id))
        return
    if owner is not None and record.data.get("owner") != owner:
        yield ctx.diag(record, ("owner",) if "owner" in record.data else (), "R025",
                       Said("finding.r025.other-owner", owner=str(record.data.get("owner")),
                            file_owner=owner),
                       Said("finding.r025.other-owner-hint", file_owner=owner))
    for problem in answer_problems(tool, record.data.get("answers")):
        yield ctx.diag(record, problem.where, problem.code, problem.message, problem.hint,
                       key=problem.at_key)
