"""Writing a phase transition into copi.yaml without disturbing anything else in it.

copi.yaml is edited by people too (comments, order, quoting), so copi does not re-emit the file:
it replaces the `phase:` value in place and appends one item to the `history:` list
(copi_cli.model.yamledit), and the result must read back as intended.
"""

from typing import NamedTuple

from copi_cli.errors import EnvironmentProblem, UserError
from copi_cli.messages import Said
from copi_cli.model.yamledit import YamlEditor


class Transition(NamedTuple):
    """One change of phase, as recorded in copi.yaml's history and in the commit's trailers."""

    date: str
    from_phase: str | None
    to_phase: str
    action: str  # init | advance | revisit | close | reopen
    actor: str
    reason: str | None = None
    forced: bool = False

    def as_history_entry(self) -> dict:
        entry: dict = {"date": self.date, "from": self.from_phase, "to": self.to_phase,
                       "action": self.action, "actor": self.actor}
        if self.reason:
            entry["reason"] = self.reason
        if self.forced:
            entry["forced"] = True
        return entry


# The end state. The method has no phase after the declaration (phase 6): "Skaleringsprocessen
# beskriver processen forud for den egentlige udbuds- og/eller indkøbsprocedure" (Indkøb og
# udbud), which is the need owners' own. Closing records that the scaling process is over. It is
# a history entry that stays in phase 6 (from and to are `declaration`), so the phase and its
# history keep agreeing; `reopen` undoes it, for the method is not linear ("genbesøge dele af
# processen, der synes afsluttede", phases 1 and 2).
CLOSE = "close"
REOPEN = "reopen"


def closed_entry(process: object) -> dict | None:
    """The history entry that closed the process, if its last entry closed it."""
    history = process.get("history") if isinstance(process, dict) else None
    if not isinstance(history, list) or not history or not isinstance(history[-1], dict):
        return None
    return history[-1] if history[-1].get("action") == CLOSE else None


def refuse_closed(process: object, doing: str) -> None:
    """A closed process is neither moved nor recorded in until it is reopened. `doing` says
    what is refused; a Said is said in the reader's language."""
    entry = closed_entry(process)
    if entry is not None:
        raise UserError(Said("process.closed", date=entry.get("date"), doing=doing),
                        hint=Said("process.closed-hint"))


def append_transition(editor: YamlEditor, transition: Transition) -> None:
    """Set copi.yaml's phase and append the transition to its history, in the editor of its
    text (a change's, copi_cli.trail.change)."""
    process = editor.expected
    if not isinstance(process.get("phase"), str) or not isinstance(process.get("history"), list):
        raise UserError(Said("process.no-history"), hint=Said("process.run-validate"))
    if process["phase"] != transition.from_phase:
        raise EnvironmentProblem(Said("process.moved-meanwhile", phase=process["phase"]),
                                 hint=Said("process.moved-meanwhile-hint"))
    # The history usually follows the phase: appending first keeps the parsed positions of
    # the phase valid, so the file is parsed once for both edits.
    editor.append(("history",), transition.as_history_entry())
    editor.set(("phase",), transition.to_phase)
