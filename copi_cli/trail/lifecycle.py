"""Moving a process between phases, with git as the audit trail.

Design:
1. check the gate: validate the workspace (an invalid one cannot pass), then run the checks of
   the current phase's results (copi_cli.validation.checks) — the same ones `copi status` shows.
2. plan the transition: where to, who, why, forced or not. Nothing is written yet.
3. apply it as the only side effect, under the process's lock: write copi.yaml (phase and one
   history entry), commit everything under the process directory with copi's trailers, and tag
   the commit. Any failure on the way — a refusing hook, a full disk, Ctrl-C — restores copi.yaml,
   and git is left as it was (see gitrepo.commit_transition).
"""

# The records here are plain classes, not NamedTuples: each advance imports this module, and
# building a NamedTuple class costs ~70 µs at import (README, Speed).
import datetime as dt
import os
from pathlib import Path

from copi_cli.errors import UsageError, UserError
from copi_cli.model.catalogue import Phase, load_catalogue
from copi_cli.model.processfile import Transition, append_transition
from copi_cli.model.workspace import PROCESS_FILE
from copi_cli.storage import read_kept, write_atomically, written_as
from copi_cli.trail import gitrepo
from copi_cli.trail.change import TRAILER_ACTION, TRAILER_ACTOR, TRAILER_PROCESS
from copi_cli.trail.locking import workspace_lock
from copi_cli.validation.checks import Outcome, check_results
from copi_cli.validation.pipeline import Report, validate

TRAILER_FROM = "Copi-Phase-From"
TRAILER_TO = "Copi-Phase-To"
TRAILER_FORCED = "Copi-Forced"
TRAILER_REASON = "Copi-Reason"
TRANSITION_ACTIONS = ("init", "advance", "revisit")


class Gate:
    __slots__ = ("phase", "outcomes")

    def __init__(self, phase: Phase, outcomes: list[Outcome]) -> None:
        self.phase = phase
        self.outcomes = outcomes

    @property
    def holds(self) -> bool:
        return all(o.holds for o in self.outcomes)


class Plan:
    __slots__ = ("process_id", "language", "gate", "transition", "number")

    def __init__(self, process_id: str, language: str, gate: Gate | None,
                 transition: Transition, number: int) -> None:
        self.process_id = process_id
        self.language = language
        self.gate = gate  # None for a revisit: going back needs no gate
        self.transition = transition
        self.number = number  # the transition's place in the history, 1-based


def tag_name(process_id: str, number: int, phase_id: str) -> str:
    """Unique even when a phase is entered again: the history position is part of it."""
    return f"copi/{process_id}/{number:02d}-{phase_id}"


def subject(language: str, transition: Transition) -> str:
    """`Fase 3 → 4: Markedsdialog` in the process language."""
    catalogue = load_catalogue()
    to = catalogue.phase(transition.to_phase)
    word = {"da": "Fase", "en": "Phase"}[language]
    if transition.from_phase is None:
        return f"{word} {to.number}: {to.name[language]}"
    start = catalogue.phase(transition.from_phase)
    text = f"{word} {start.number} → {to.number}: {to.name[language]}"
    if transition.action == "revisit":
        text += {"da": " (genåbnet)", "en": " (reopened)"}[language]
    if transition.forced:
        text += {"da": " (tvunget)", "en": " (forced)"}[language]
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
    return found


class Prepared:
    __slots__ = ("repo", "actor", "report", "asked")

    def __init__(self, repo: gitrepo.Repo | None, actor: str, report: Report,
                 asked: gitrepo.Questions | None) -> None:
        self.repo = repo  # None with --no-commit
        self.actor = actor
        self.report = report
        self.asked = asked  # what changed, asked of git while validating

    def close(self) -> None:
        if self.asked:
            self.asked.close()


def prepare(root: Path, today: dt.date, commit: bool) -> Prepared:
    """Check the repository, learn who acts and what changed (git runs meanwhile), and load
    the valid workspace."""
    repo = gitrepo.require_repo(root) if commit else gitrepo.find_repo(root)
    if commit:
        gitrepo.ensure_ready(repo)
    asked = gitrepo.Questions(repo, [root] if commit else None) if repo else None
    try:
        report = load_valid(root, today)
        if asked:
            actor = asked.actor()
        else:  # --no-commit outside a repository: the login name is all there is
            import getpass

            actor = getpass.getuser()
    except BaseException:
        if asked:
            asked.close()
        raise
    return Prepared(repo if commit else None, actor, report, asked if commit else None)


def load_valid(root: Path, today: dt.date) -> Report:
    """The workspace, or a refusal carrying the validation findings."""
    report = validate(root, today=today, want_workspace=True)
    if report.errors:
        raise InvalidWorkspace(report)
    return report


class InvalidWorkspace(UserError):
    """The process has validation errors: no gate can be judged on it."""

    def __init__(self, report: Report) -> None:
        super().__init__(f"the process has {len(report.errors)} validation error(s)",
                         hint="fix them first (copi validate lists them); nothing was changed")
        self.report = report


def check_gate(report: Report, today: dt.date) -> Gate:
    ws = report.workspace
    assert ws is not None
    phase = load_catalogue().phase(ws.process["phase"])
    return Gate(phase, check_results(ws, phase, today, ws.language))


def plan_advance(report: Report, today: dt.date, actor: str, force: bool = False,
                 reason: str | None = None) -> Plan:
    """The transition to the next phase, if the gate holds (or is forced with a reason)."""
    if force and not (reason and reason.strip()):
        raise UsageError("--force needs --reason", hint='say why, e.g. --reason "Aftalt på '
                         'styregruppemødet 12/11"')
    ws = report.workspace
    assert ws is not None
    catalogue = load_catalogue()
    gate = check_gate(report, today)
    if gate.phase.number == len(catalogue.phases):
        raise UserError(f"phase {gate.phase.number} ({gate.phase.id}) is the last phase",
                        hint="there is nothing to advance to; copi status shows what is left")
    following = catalogue.phase(gate.phase.number + 1)
    transition = Transition(today.isoformat(), gate.phase.id, following.id, "advance", actor,
                            reason.strip() if reason else None, force and not gate.holds)
    return Plan(ws.process["id"], ws.language, gate, transition,
                len(ws.process["history"]) + 1)


def plan_revisit(report: Report, today: dt.date, actor: str, target: str,
                 reason: str | None) -> Plan:
    """Reopen an earlier phase: the method is not linear."""
    if not (reason and reason.strip()):
        raise UsageError("copi revisit needs --reason",
                         hint='say why, e.g. --reason "Nye behovsejere skal med"')
    ws = report.workspace
    assert ws is not None
    catalogue = load_catalogue()
    try:
        phase = catalogue.phase(target)
    except KeyError:
        raise UsageError(f"no phase '{target}'",
                         hint="name a phase by number (1-6) or id: "
                              + ", ".join(catalogue.phase_ids)) from None
    current = catalogue.phase(ws.process["phase"])
    if phase.number >= current.number:
        raise UserError(f"phase {phase.number} is not before the current phase "
                        f"({current.number})",
                        hint="revisit goes back to an earlier phase; copi advance goes forward")
    transition = Transition(today.isoformat(), current.id, phase.id, "revisit", actor,
                            reason.strip(), False)
    return Plan(ws.process["id"], ws.language, None, transition,
                len(ws.process["history"]) + 1)


class Applied:
    __slots__ = ("plan", "commit", "tag", "files")

    def __init__(self, plan: Plan, commit: str | None, tag: str | None,
                 files: list[str]) -> None:
        self.plan = plan
        self.commit = commit  # None with --no-commit
        self.tag = tag
        self.files = files  # what went into the commit, relative to the process directory


def apply(root: Path, plan: Plan, repo: gitrepo.Repo | None,
          asked: gitrepo.Questions | None = None) -> Applied:
    """Write the transition and, with a repository, commit it: all or nothing.

    The caller has checked the repository (gitrepo.ensure_ready); repo None means --no-commit.
    """
    found = repo or gitrepo.find_repo(root)
    tag = tag_name(plan.process_id, plan.number, plan.transition.to_phase)
    if found and gitrepo.tag_exists(found, tag):
        raise UserError(f"tag {tag} already exists, though copi.yaml's history has "
                        f"{plan.number - 1} entries: the history and the git trail disagree",
                        hint="run copi audit to see where, and repair the history or the tags")
    with workspace_lock(found, root):
        path = root / PROCESS_FILE
        original = path.read_bytes()
        text, style = read_kept(original)
        write_atomically(path, written_as(append_transition(text, plan.transition), style))
        if repo is None:
            return Applied(plan, None, tag, [PROCESS_FILE])
        try:
            committed = gitrepo.commit_transition(
                repo, [root], subject(plan.language, plan.transition),
                trailers(plan.process_id, plan.transition), tag, asked)
        except BaseException:
            write_atomically(path, original)
            raise
    prefix = os.path.relpath(root, repo.root)
    files = {f if prefix == "." else os.path.relpath(f, prefix) for f in committed.files}
    files.add(PROCESS_FILE)  # written after git was asked what had changed
    return Applied(plan, committed.commit, committed.tag, sorted(files))

