"""Signatures on the joint declaration of intent, and who declined.

Taking part and signing are separate: any organisation in the process may sign (need owners as
buyers, partners with a support declaration), and a signature after the launch is an accession
that counts like the others. The method signs at the launch, in phase 6 (*Forbereder og
afvikler et arrangement ..., hvor hensigtserklæringen lanceres og underskrives*): a signature
recorded before phase 6 is refused, and one on a declaration whose text
(tekster/hensigtserklaering.md) is not yet final is recorded with a warning, since the wording
is worked on "indtil den rette balance ... er opnået". One entry per organisation: a later
decision replaces an earlier one (an organisation that declined and then signs), and git keeps
the earlier one.
"""

from __future__ import annotations

from typing import NamedTuple

from copi_cli.errors import UserError
from copi_cli.messages import Said
from copi_cli.model import organisations
from copi_cli.recording.market import find_event
from copi_cli.trail.change import Change

SIGNATURES = "underskrifter.yaml"
DECLARATION_TEXT = "tekster/hensigtserklaering.md"
SIGNING_PHASE = 6  # "Den fælles hensigtserklæring"


class Decision(NamedTuple):
    organisation: str  # name
    replaced: str | None  # the earlier decision it replaces
    accession: bool  # signed after the launch
    text_status: str | None = None  # of the declaration's text when it is not final


def _launch(change: Change) -> str | None:
    launches = sorted(str(r.data["date"]) for r in change.ws.all("event")
                      if r.data.get("kind") == "launch")
    return launches[0] if launches else None


# The decision said in words; a decision other than these two is shown as recorded.
_LATER = {"signed": "declaration.later-signed", "declined": "declaration.later-declined"}
_ALREADY = {"signed": "declaration.already-signed", "declined": "declaration.already-declined"}


def decide(change: Change, reference: str, decision: str, date: str,
           signer: str | None = None, title: str | None = None, event: str | None = None,
           place: str | None = None, kind: str | None = None,
           note: str | None = None) -> Decision:
    record = organisations.find(change.ws, reference)
    if "withdrawn" in record.data and decision == "signed":
        raise UserError(Said("declaration.withdrawn", name=record.data["name"],
                             date=record.data["withdrawn"]),
                        hint=Said("declaration.withdrawn-hint", path=record.path))
    if decision == "signed":
        _refuse_before_signing_phase(change, str(record.data["name"]))
    kind = kind or ("buyer" if record.data.get("role") == "need-owner" else "support")
    if kind == "buyer" and record.data.get("role") != "need-owner" and decision == "signed":
        raise UserError(Said("declaration.support-only", name=record.data["name"],
                             role=record.data.get("role")),
                        hint=Said("declaration.support-only-hint"))
    entry: dict = {"organisation": record.id, "decision": decision}
    if decision == "signed":
        entry["kind"] = kind
        entry["signer"] = signer
        entry["title"] = title
    entry["date"] = date
    if event:
        entry["event"] = find_event(change.ws, event).id
    if place:
        entry["place"] = place
    if note:
        entry["note"] = note
    current = list(change.ws.single_data("signatures").get("signatures", []))
    index = next((i for i, s in enumerate(current) if s.get("organisation") == record.id), None)
    replaced = None
    if index is not None:
        replaced = f"{current[index].get('decision')} {current[index].get('date')}"
        if str(current[index].get("date", "")) > date:
            earlier, when = current[index].get("decision"), current[index].get("date")
            raise UserError(Said(_LATER[earlier], name=record.data["name"], date=when, given=date)
                            if earlier in _LATER else
                            Said("declaration.later", name=record.data["name"], decision=earlier,
                                 date=when, given=date),
                            hint=Said("declaration.later-hint"))
        if current[index].get("decision") == decision:
            when = current[index].get("date")
            raise UserError(Said(_ALREADY[decision], name=record.data["name"], date=when)
                            if decision in _ALREADY else
                            Said("declaration.already", name=record.data["name"],
                                 decision=decision, date=when),
                            hint=Said("declaration.already-hint", file=SIGNATURES))
        with change.edit(SIGNATURES) as editor:
            editor.remove(("signatures", index))
            editor.append(("signatures",), entry)
    else:
        change.append(SIGNATURES, "signatures", entry)
    launch = _launch(change)
    status = _text_status(change) if decision == "signed" else "final"
    return Decision(str(record.data["name"]), replaced,
                    bool(decision == "signed" and launch and date > launch),
                    None if status == "final" else status)


def _refuse_before_signing_phase(change: Change, name: str) -> None:
    from copi_cli.model.catalogue import load_catalogue

    phase = load_catalogue().phase(str(change.ws.process.get("phase")))
    if phase.number < SIGNING_PHASE:
        raise UserError(Said("declaration.not-yet", name=name, phase=phase.number,
                             signing=SIGNING_PHASE),
                        hint=Said("declaration.not-yet-hint"))


def _text_status(change: Change) -> str:
    """The status of the declaration's text (front matter), 'missing' when there is none."""
    texts = [r for r in change.ws.all("text", valid_only=False) if r.path == DECLARATION_TEXT]
    return str(texts[0].data.get("status", "missing")) if texts else "missing"
