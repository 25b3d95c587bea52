"""Where a process stands: phases, the current phase's results, need owners, scale, next steps.

build_status turns a validation Report (with its Workspace) into a Status value; the CLI draws it
as tables or JSON. Nothing here prints.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, NamedTuple

from copi_cli.errors import UserError
from copi_cli.messages import Said
from copi_cli.model import figures
from copi_cli.model.catalogue import Phase, load_catalogue
from copi_cli.model.organisations import is_facilitator
from copi_cli.model.processfile import CLOSE, REOPEN, closed_entry
from copi_cli.model.workspace import Workspace
from copi_cli.validation.checks import Outcome, check_results
from copi_cli.validation.pipeline import Report


class PhaseState(NamedTuple):
    number: int
    id: str
    name: str
    state: str  # done | current | reopened | closed | left | not-started
    entered: str | None  # date the phase was last entered (as stated: copi advance --date)
    # date the phase was last left: by advance (done) or by revisit (left: its gate never held)
    left: str | None = None


class OwnerRow(NamedTuple):
    id: str
    name: str
    type: str
    role: str
    joined: str
    withdrawn: str | None
    political: str | None  # date of the political backing
    administrative: str | None
    units: Decimal
    spend_dkk: Decimal  # expected spend over the planned purchases
    citizens: int | None


class Scale(NamedTuple):
    need_owners: int
    partners: int  # taking part, not need owners and not the facilitator
    fully_backed: int  # need owners with political and administrative backing
    units: Decimal
    spend_dkk: Decimal
    # the citizens the need owners cover, none counted twice, as the declaration counts
    # them (model.figures.citizens): a region beside its own municipalities on its own
    citizens: dict[str, Any]
    signed: int  # need owners that signed as buyers (accessions included)
    supported: int  # partners' support declarations
    declined: int


class Status(NamedTuple):
    id: str
    title: str
    language: str
    phase: PhaseState
    phases: list[PhaseState]
    outcomes: list[Outcome]
    owners: list[OwnerRow]
    scale: Scale
    next_steps: dict[str, list[str]]  # role -> what to do, from the phase catalogue
    errors: int
    warnings: int
    # copi's starter guidance still in the process, as work to do: path, line, guidance
    guidance: tuple[dict[str, object], ...] = ()
    closed: str | None = None  # the date the process was closed (copi close), if it is

    def as_dict(self) -> dict:
        data = {
            "id": self.id, "title": self.title, "language": self.language,
            "phase": self.phase._asdict(),
            "phases": [p._asdict() for p in self.phases],
            "results": [{"id": o.result.id, "text": o.result.text[self.language],
                         "holds": o.holds, "why": o.why, "where": o.where,
                         "advice": o.advice}
                        for o in self.outcomes],
            "owners": [o._asdict() for o in self.owners],
            "scale": self.scale._asdict(),
            "next_steps": self.next_steps,
            "validation": {"errors": self.errors, "warnings": self.warnings},
            "guidance": list(self.guidance),
            "closed": self.closed,
        }
        return {key: _jsonable(value) for key, value in data.items()}


def _jsonable(value: object) -> object:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _phase_states(process: dict, lang: str) -> list[PhaseState]:
    catalogue = load_catalogue()
    current = catalogue.phase(process["phase"])
    history = process.get("history", [])
    entered: dict[str, str] = {}
    left: dict[str, tuple[str, str]] = {}  # phase -> (date, action) of its last leaving
    for entry in history:
        if entry.get("action") not in (CLOSE, REOPEN):  # these stay in the phase
            entered[entry["to"]] = entry["date"]
            if entry.get("from"):
                left[entry["from"]] = (entry["date"], entry.get("action", ""))
    reopened = bool(history) and history[-1].get("action") == "revisit"
    closed = closed_entry(process) is not None
    states = []
    for phase in catalogue.phases:
        if phase.id == current.id:
            state = "closed" if closed else "reopened" if reopened else "current"
        elif left.get(phase.id, ("", ""))[1] == "revisit":
            state = "left"  # gone back from before its gate held: not completed
        elif phase.number < current.number or phase.id in entered:
            state = "done"  # its gate passed (advance), even if revisited since
        else:
            state = "not-started"
        leaving = left.get(phase.id) if state in ("done", "left") else None
        states.append(PhaseState(phase.number, phase.id, phase.name[lang], state,
                                 entered.get(phase.id), leaving[0] if leaving else None))
    return states


def _number(value: object) -> Decimal:
    return Decimal(str(value)) if isinstance(value, int | float) else Decimal(0)


def _owner_rows(ws: Workspace, facilitator: dict | None) -> list[OwnerRow]:
    """The organisations, the facilitator with its role whatever it is recorded as
    (model.organisations.is_facilitator)."""
    purchases: dict[str, tuple[Decimal, Decimal]] = {}
    for entry in ws.single_data("potential").get("owners", []):
        units = sum((_number(p.get("units")) for p in entry.get("purchases", [])), Decimal(0))
        spend = sum((_number(p.get("spend_dkk", {}).get("expected"))
                     for p in entry.get("purchases", [])), Decimal(0))
        before = purchases.get(entry["owner"], (Decimal(0), Decimal(0)))
        purchases[entry["owner"]] = (before[0] + units, before[1] + spend)
    rows = []
    for record in sorted(ws.all("organisation"), key=lambda r: (r.data["joined"], r.data["name"])):
        data = record.data
        backing = data.get("backing", {})
        units, spend = purchases.get(record.id or "", (Decimal(0), Decimal(0)))
        role = "facilitator" if is_facilitator(data, facilitator) else data["role"]
        rows.append(OwnerRow(
            record.id or "", data["name"], data["type"], role, data["joined"],
            data.get("withdrawn"), backing.get("political", {}).get("date"),
            backing.get("administrative", {}).get("date"), units, spend, data.get("citizens"),
        ))
    return rows


def build_status(report: Report, today: dt.date | None = None,
                 lang: str | None = None) -> Status:
    """Where the process stands, worded in lang (default: the process's language)."""
    ws = report.workspace
    assert ws is not None, "validate(..., want_workspace=True) gives the workspace"
    process_record = ws.single("process")
    if process_record is None:
        raise UserError(Said("validation.no-state"), hint=Said("validation.no-state-hint"))
    process = process_record.data
    lang = lang or ws.language
    today = today or dt.date.today()
    catalogue = load_catalogue()
    phase: Phase = catalogue.phase(process["phase"])
    phases = _phase_states(process, lang)
    owners = _owner_rows(ws, process.get("facilitator"))
    active = [o for o in owners if o.role == "need-owner" and o.withdrawn is None]
    decisions = ws.single_data("signatures").get("signatures", [])
    records = {record.id or "": record.data for record in ws.all("organisation")}
    scale = Scale(
        need_owners=len(active),
        partners=len([o for o in owners if o.role not in ("need-owner", "facilitator")
                      and o.withdrawn is None]),
        fully_backed=len([o for o in active if o.political and o.administrative]),
        units=sum((o.units for o in active), Decimal(0)),
        spend_dkk=sum((o.spend_dkk for o in active), Decimal(0)),
        citizens=figures.citizens(records[o.id] for o in active),
        signed=len([s for s in decisions if s.get("decision") == "signed"
                    and s.get("kind", "buyer") == "buyer"]),
        supported=len([s for s in decisions if s.get("decision") == "signed"
                       and s.get("kind") == "support"]),
        declined=len([s for s in decisions if s.get("decision") == "declined"]),
    )
    closed = closed_entry(process)
    # a closed process has no next steps: its last phase's work is done
    next_steps = {} if closed else {
        "need-owner": [item[lang] for item in phase.need_owners],
        "facilitator": [item[lang] for item in phase.facilitator],
    }
    from copi_cli.model.guidance import excerpt
    from copi_cli.validation.rules.guidance import located_guidance

    left = tuple({"path": located.finding.path, "line": located.finding.line,
                  "guidance": excerpt(located.found.guidance, lang)}
                 for located in located_guidance(ws, today, due_only=True))
    return Status(
        id=process["id"], title=process["title"], language=lang,
        phase=next(p for p in phases if p.id == phase.id), phases=phases,
        outcomes=check_results(ws, phase, today, lang), owners=owners, scale=scale,
        next_steps=next_steps, errors=len(report.errors), warnings=len(report.warnings),
        guidance=left, closed=str(closed["date"]) if closed else None,
    )
