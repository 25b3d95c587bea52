"""Moving a process between phases, with git as the audit trail.

Design:
1. open the transition's change (copi_cli.trail.change), whose evidence is the whole process
   directory: the repository's lock is taken first, so the phase is read, and the gate judged,
   by the one copi that may move it. The repository is checked, git is asked who acts and what
   changed while the workspace is loaded, and refused are: an invalid workspace (no gate can be
   judged on it); a process another copi moved while this one waited for the lock (it would
   move twice; only a copi that read it before the other moved it can tell, so --from PHASE
   names the phase the move is meant from, checked under the lock); a transition written into
   copi.yaml but never committed (a copi killed half-way, or --no-commit), which would be
   folded into this one's commit. The last transition's commit
   without its tag (a copi killed before `git tag`) gets its tag, and a warning says so.
2. check the gate: the checks of the current phase's results (copi_cli.validation.checks) — the
   same ones `copi status` shows.
3. plan the transition: where to, who, why, forced or not. Nothing is written yet.
4. apply it: the change edits copi.yaml (the phase and one history entry,
   copi_cli.model.processfile) and goes the way every change goes — validated in memory, then
   written, committed with copi's trailers and tagged under the repository's lock. Any failure
   on the way (a refusing hook, a tag that fails, Ctrl-C) puts copi.yaml back and leaves git as
   it was.
"""

import datetime as dt
import os
from pathlib import Path
from typing import NamedTuple

from copi_cli.diagnostics import Diagnostic
from copi_cli.errors import EnvironmentProblem, UsageError, UserError
from copi_cli.messages import Said, message
from copi_cli.model.catalogue import Phase, load_catalogue
from copi_cli.model.processfile import (
    CLOSE,
    REOPEN,
    Transition,
    append_transition,
    closed_entry,
    refuse_closed,
)
from copi_cli.model.workspace import PROCESS_FILE
from copi_cli.trail import gitrepo, uncommitted
from copi_cli.trail.change import TRAILER_ACTION, TRAILER_ACTOR, TRAILER_PROCESS, Change
from copi_cli.validation.checks import Outcome, check_results
from copi_cli.validation.pipeline import Progress, Report, validate

TRAILER_FROM = "Copi-Phase-From"
TRAILER_TO = "Copi-Phase-To"
TRAILER_FORCED = "Copi-Forced"
TRAILER_REASON = "Copi-Reason"
# The date the transition happened, as stated (--date for work done earlier, else the day it
# was made); the commit keeps its own date beside it, and copi audit tells the two apart.
TRAILER_DATE = "Copi-Date"
TRANSITION_ACTIONS = ("init", "advance", "revisit", CLOSE, REOPEN)
CLOSED_TAG = "closed"  # the tag's last part for a close: it stays in phase 6


class Gate(NamedTuple):
    """A phase's gate: the outcome of the check behind each of its results."""

    phase: Phase
    outcomes: list[Outcome]

    @property
    def holds(self) -> bool:
        return all(o.holds for o in self.outcomes)


class Plan(NamedTuple):
    """A transition decided on and not yet written: what --dry-run shows."""

    process_id: str
    language: str
    gate: Gate | None  # None for a revisit: going back needs no gate
    transition: Transition
    number: int  # the transition's place in the history, 1-based


def tag_name(process_id: str, number: int, phase_id: str) -> str:
    """Unique even when a phase is entered again: the history position is part of it."""
    return f"copi/{process_id}/{number:02d}-{phase_id}"


def tag_part(action: object, to_phase: object) -> str:
    """What a transition's tag ends in: the phase entered, or `closed` for a close."""
    return CLOSED_TAG if action == CLOSE else str(to_phase or "")


def subject(language: str, transition: Transition) -> str:
    """`Fase 3 → 4: Markedsdialog` in the process language."""
    catalogue = load_catalogue()
    to = catalogue.phase(transition.to_phase)
    if transition.action == CLOSE:
        return message("transition.closed", language) + (
            " " + message("transition.forced", language) if transition.forced else "")
    if transition.action == REOPEN:
        return message("transition.resumed", language, to=to.number, name=to.name[language])
    if transition.from_phase is None:
        return message("transition.first", language, to=to.number, name=to.name[language])
    start = catalogue.phase(transition.from_phase)
    text = message("transition.moved", language, start=start.number, to=to.number,
                   name=to.name[language])
    if transition.action == "revisit":
        text += " " + message("transition.reopened", language)
    if transition.forced:
        text += " " + message("transition.forced", language)
    return text


def trailers(process_id: str, transition: Transition) -> dict[str, str]:
    found = {TRAILER_ACTION: transition.action, TRAILER_PROCESS: process_id}
    if transition.from_phase:
        found[TRAILER_FROM] = transition.from_phase
    found[TRAILER_TO] = transition.to_phase
    found[TRAILER_ACTOR] = transition.actor
    if transition.forced:
        found[TRAILER_FORCED] = "yes"
    if transition.reason:
        found[TRAILER_REASON] = " ".join(transition.reason.split())
    found[TRAILER_DATE] = transition.date
    return found


def stated_date(process: dict, date: dt.date | None, today: dt.date) -> dt.date:
    """The date a transition is recorded with: --date for work that happened earlier (a
    process brought in with its real dates), else today. Never in the future, and never
    before the transition before it: the history stays in the order it happened."""
    if date is None:
        return today
    if date > today:
        raise UsageError(Said("transition.date-ahead", date=date.isoformat()),
                         hint=Said("transition.date-ahead-hint"))
    history = _history(process)
    last = history[-1].get("date") if history and isinstance(history[-1], dict) else None
    if isinstance(last, str) and date.isoformat() < last:
        raise UsageError(Said("transition.date-before", date=date.isoformat(), last=last,
                              entry=len(history)),
                         hint=Said("transition.date-before-hint", last=last))
    return date


def prepare(root: Path, today: dt.date, commit: bool, lock: bool = True,
            expected: str | None = None) -> Change:
    """Open a transition: the lock taken (lock=False for a dry run, which writes nothing),
    the repository checked, who acts and what changed asked of git (which answers
    meanwhile), the workspace loaded and valid, and (--from) the process standing in the
    phase expected. The caller closes it."""
    change = Change(root, today, commit, evidence=True, lock=lock)
    try:
        if change.before.errors:
            raise InvalidWorkspace(change.before)
        if expected is not None:
            _refuse_elsewhere(change, expected)
        if lock:
            _refuse_moved_meanwhile(change)
            _refuse_uncommitted_transition(change)
            if change.repo:
                change.repaired = _tag_left_untagged(change)
    except BaseException:
        change.close()
        raise
    return change


_history = uncommitted.history


def _refuse_elsewhere(change: Change, expected: str) -> None:
    """--from PHASE: the move is meant from that phase; read under the lock, so of two copis
    given the same --from only one ever moves the process, however they are timed."""
    catalogue = load_catalogue()
    try:
        meant = catalogue.phase(expected)
    except KeyError:
        raise UsageError(Said("transition.no-phase-from", phase=expected),
                         hint=Said("transition.no-phase-hint",
                                   ids=", ".join(catalogue.phase_ids))) from None
    now = catalogue.phase(change.ws.process["phase"])
    if now.id != meant.id:
        raise EnvironmentProblem(
            Said("transition.not-from", now=now.number, now_id=now.id, meant=meant.number,
                 meant_id=meant.id),
            hint=Said("transition.not-from-hint"))


def _refuse_moved_meanwhile(change: Change) -> None:
    """The process as the command found it, before it waited for the lock, against the
    process read under the lock: another copi's transition in between is not made twice."""
    now = change.ws.process
    if change.found is None or (change.root / PROCESS_FILE).read_bytes() == change.found:
        return
    import yaml

    try:
        found = yaml.safe_load(change.found)
    except yaml.YAMLError:
        found = None
    if (not isinstance(found, dict) or found.get("phase") != now.get("phase")
            or len(_history(found)) != len(_history(now))):
        raise EnvironmentProblem(Said("transition.moved-meanwhile", phase=now.get("phase")),
                                 hint=Said("transition.decide-again"))


def _committed_process(change: Change) -> dict | None:
    """copi.yaml as HEAD has it; None when HEAD has none (or there is no HEAD)."""
    repo = change.enclosing
    assert repo is not None
    rel = os.path.relpath(change.root / PROCESS_FILE, repo.root).replace(os.sep, "/")
    shown = gitrepo.run(repo.root, "show", f"HEAD:./{rel}", check=False)
    if shown.returncode != 0:
        return None
    import yaml

    try:
        found = yaml.safe_load(shown.stdout)
    except yaml.YAMLError:
        return None
    return found if isinstance(found, dict) else None


def _refuse_uncommitted_transition(change: Change) -> None:
    """A transition in copi.yaml that HEAD does not have (a copi stopped between writing and
    committing, or --no-commit): refused, never folded into this one's commit."""
    if change.enclosing is None:
        return
    if change.repo is not None:  # git said what changed while the process was loaded
        rel = os.path.relpath(change.root / PROCESS_FILE, change.repo.root).replace(os.sep, "/")
        if rel not in change.changed():
            return
    committed = _committed_process(change)
    if committed is None:
        return
    entry = uncommitted.entry(change.ws.process, committed)
    if entry is not None:
        raise EnvironmentProblem(Said("transition.uncommitted-refused",
                                      uncommitted=uncommitted.message(entry)),
                                 hint=uncommitted.hint())


def _tag_left_untagged(change: Change) -> list[Diagnostic]:
    """The last transition's commit without its tag (a copi killed between `git commit` and
    `git tag`): tagged now as copi would have, and said so in a warning."""
    repo = change.repo
    assert repo is not None
    history = _history(change.ws.process)
    if not history or not isinstance(history[-1], dict):
        return []
    process_id = change.process_id
    tag = tag_name(process_id, len(history),
                   tag_part(history[-1].get("action"), history[-1].get("to")))
    if gitrepo.tag_exists(repo, tag):
        return []
    shown = gitrepo.run(repo.root, "log", "-1", "--format=%H%x00%s%x00%(trailers:only,unfold)",
                        "--", gitrepo.pathspec(change.root / PROCESS_FILE, repo.root),
                        check=False).stdout
    if shown.count("\0") < 2:
        return []
    commit, subject_line, lines = shown.split("\0", 2)
    found = dict(line.split(": ", 1) for line in lines.splitlines() if ": " in line)
    if (found.get(TRAILER_PROCESS) != process_id or found.get(TRAILER_ACTION) not in
            TRANSITION_ACTIONS or found.get(TRAILER_TO) != history[-1].get("to")
            or (found.get(TRAILER_ACTION) == CLOSE) != (history[-1].get("action") == CLOSE)):
        return []
    gitrepo.run(repo.root, "tag", "-a", tag, "-m", subject_line, commit)
    return [Diagnostic(PROCESS_FILE, 1, 1, "A004",
                       Said("transition.tag-made", commit=commit[:10], tag=tag),
                       severity="warning", hint=Said("transition.tag-made-hint"))]


def load_valid(root: Path, today: dt.date, tolerated: frozenset[str] = frozenset(),
               progress: Progress | None = None) -> Report:
    """The workspace, or a refusal carrying the validation findings. Errors of the tolerated
    codes do not refuse: rendering lets through a finding that only the documents showing it
    depend on (they are refused at it there). progress: as validate's."""
    report = validate(root, today=today, want_workspace=True, progress=progress)
    if any(d.code not in tolerated for d in report.errors):
        raise InvalidWorkspace(report)
    return report


class InvalidWorkspace(UserError):
    """The process has validation errors: no gate can be judged on it."""

    def __init__(self, report: Report) -> None:
        super().__init__(Said("transition.invalid", n=len(report.errors)),
                         hint=Said("transition.invalid-hint"))
        self.report = report


def check_gate(report: Report, today: dt.date) -> Gate:
    """The current phase's gate as of today: what is dated after it does not count."""
    ws = report.workspace
    assert ws is not None
    phase = load_catalogue().phase(ws.process["phase"])
    return Gate(phase, check_results(ws, phase, today, ws.language))


def plan_advance(report: Report, today: dt.date, actor: str, force: bool = False,
                 reason: str | None = None, date: dt.date | None = None) -> Plan:
    """The transition to the next phase, if the gate holds (or is forced with a reason)."""
    if force and not (reason and reason.strip()):
        raise UsageError(Said("transition.force-reason"),
                         hint=Said("transition.force-reason-hint"))
    ws = report.workspace
    assert ws is not None
    refuse_closed(ws.process, Said("transition.closed-advance"))
    catalogue = load_catalogue()
    when = stated_date(ws.process, date, today)
    # judged as of the stated date: evidence dated after it (a publication, a confirmation,
    # an event, a backing decision) was not there when the phase ended
    gate = check_gate(report, when)
    if gate.phase.number == len(catalogue.phases):
        raise UserError(Said("transition.last-phase", phase=gate.phase.number,
                             id=gate.phase.id),
                        hint=Said("transition.last-phase-hint"))
    following = catalogue.phase(gate.phase.number + 1)
    transition = Transition(when.isoformat(), gate.phase.id, following.id, "advance", actor,
                            reason.strip() if reason else None, force and not gate.holds)
    return Plan(ws.process["id"], ws.language, gate, transition,
                len(ws.process["history"]) + 1)


def plan_revisit(report: Report, today: dt.date, actor: str, target: str,
                 reason: str | None, date: dt.date | None = None) -> Plan:
    """Reopen an earlier phase: the method is not linear."""
    if not (reason and reason.strip()):
        raise UsageError(Said("transition.reason", command="revisit"),
                         hint=Said("transition.revisit-reason-hint"))
    ws = report.workspace
    assert ws is not None
    refuse_closed(ws.process, Said("transition.closed-revisit"))
    catalogue = load_catalogue()
    try:
        phase = catalogue.phase(target)
    except KeyError:
        raise UsageError(Said("transition.no-phase", phase=target),
                         hint=Said("transition.no-phase-hint",
                                   ids=", ".join(catalogue.phase_ids))) from None
    current = catalogue.phase(ws.process["phase"])
    if phase.number >= current.number:
        raise UserError(Said("transition.not-before", phase=phase.number,
                             current=current.number),
                        hint=Said("transition.not-before-hint"))
    when = stated_date(ws.process, date, today)
    transition = Transition(when.isoformat(), current.id, phase.id, "revisit", actor,
                            reason.strip(), False)
    return Plan(ws.process["id"], ws.language, None, transition,
                len(ws.process["history"]) + 1)


def plan_close(report: Report, today: dt.date, actor: str, reason: str | None,
               force: bool = False, date: dt.date | None = None) -> Plan:
    """End the process: only from the last phase (the declaration, whose results are the
    method's last), its gate judged like an advance's, or forced with the reason."""
    if not (reason and reason.strip()):
        raise UsageError(Said("transition.reason", command="close"),
                         hint=Said("transition.close-reason-hint"))
    ws = report.workspace
    assert ws is not None
    refuse_closed(ws.process, Said("transition.closed-close"))
    catalogue = load_catalogue()
    when = stated_date(ws.process, date, today)
    gate = check_gate(report, when)  # as of the stated date, like an advance's
    last = catalogue.phases[-1]
    if gate.phase.id != last.id:
        raise UserError(Said("transition.close-early", phase=gate.phase.number,
                             id=gate.phase.id, last=last.number, last_id=last.id),
                        hint=Said("transition.close-early-hint"))
    transition = Transition(when.isoformat(), last.id, last.id, CLOSE, actor, reason.strip(),
                            force and not gate.holds)
    return Plan(ws.process["id"], ws.language, gate, transition,
                len(ws.process["history"]) + 1)


def plan_reopen(report: Report, today: dt.date, actor: str, reason: str | None,
                date: dt.date | None = None) -> Plan:
    """Undo a close: the process stands in its last phase again, recorded like a revisit."""
    if not (reason and reason.strip()):
        raise UsageError(Said("transition.reason", command="reopen"),
                         hint=Said("transition.reopen-reason-hint"))
    ws = report.workspace
    assert ws is not None
    entry = closed_entry(ws.process)
    if entry is None:
        raise UserError(Said("transition.not-closed"), hint=Said("transition.not-closed-hint"))
    when = stated_date(ws.process, date, today)
    phase = str(entry.get("to"))
    transition = Transition(when.isoformat(), phase, phase, REOPEN, actor, reason.strip(),
                            False)
    return Plan(ws.process["id"], ws.language, None, transition,
                len(ws.process["history"]) + 1)


class Applied(NamedTuple):
    """A transition written, and committed unless --no-commit."""

    plan: Plan
    commit: str | None  # None with --no-commit
    tag: str  # made with the commit; with --no-commit, the one to make
    files: list[str]  # what went into the commit, relative to the process directory
    warnings: list[Diagnostic]  # new in copi.yaml: the transition was made all the same


def apply(change: Change, plan: Plan) -> Applied:
    """Write the transition into copi.yaml and, unless --no-commit, commit and tag it: all or
    nothing."""
    with change.edit(PROCESS_FILE) as editor:  # refused if another copi moved it meanwhile
        append_transition(editor, plan.transition)
    tag = tag_name(plan.process_id, plan.number,
                   tag_part(plan.transition.action, plan.transition.to_phase))
    if change.enclosing and gitrepo.tag_exists(change.enclosing, tag):
        raise UserError(Said("transition.tag-exists", tag=tag, entries=plan.number - 1),
                        hint=Said("transition.tag-exists-hint"))
    done = change.apply(subject(plan.language, plan.transition), plan.transition.action,
                        tag=tag, trailers=trailers(plan.process_id, plan.transition))
    return Applied(plan, done.commit, tag, done.files, [*change.repaired, *done.warnings])
