"""The one interface every reporter draws results through: a method per kind of result.

A command builds a result and hands it to the reporter that its --format / --json and the
terminal chose (copi_cli.cli.reporters.reporter_for); the reporter decides what the result looks
like there. The core never prints, and neither does a command.
"""

from __future__ import annotations

import abc
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from copi_cli.cli.language import current as language_of_run
from copi_cli.messages import Said, in_language

if TYPE_CHECKING:  # importing them would load the whole core just to print diagnostics
    from copi_cli.cli.results import DocumentRow, OrganisationDetail, ToolRow
    from copi_cli.diagnostics import Diagnostic
    from copi_cli.model.potential import Calculation
    from copi_cli.portfolio.summary import Portfolio
    from copi_cli.recording.contacts import Mention
    from copi_cli.rendering.pipeline import Rendered
    from copi_cli.rendering.publishing import Published
    from copi_cli.setup.doctor import Finding
    from copi_cli.tools.feeding import Feeding
    from copi_cli.trail.audit import TrailEntry
    from copi_cli.trail.change import Recorded
    from copi_cli.trail.lifecycle import Applied, Gate, Plan
    from copi_cli.validation.pipeline import Report
    from copi_cli.validation.status import Status


def quiet() -> bool:
    """copi --quiet (or COPI_QUIET=1): only errors, findings and what a command was asked to
    show; no counts, no lists of files written, no progress."""
    return os.environ.get("COPI_QUIET") == "1"


class Reporter(abc.ABC):
    """How the results of copi's commands reach a person or a machine."""

    def __init__(self) -> None:
        # The streams of the moment the command runs (a test's captured ones, too).
        self.out = sys.stdout
        self.err = sys.stderr
        self.quiet = quiet()
        # copi's own words (headers, counts, hints) in the language of this run; what the
        # process says (names, texts, commit subjects) stays as it is written
        self.lang = language_of_run()
        self.say = in_language(self.lang)

    # --- findings: validation, the audit trail, a gate -----------------------------------

    @abc.abstractmethod
    def diagnostics(self, report: Report, scope: str | None = None,
                    suite: str | None = None) -> None:
        """The report's findings. scope says what was checked ("in the audit trail"; by default
        the files); suite names the check where a format groups findings (validate, audit,
        gate)."""

    @abc.abstractmethod
    def gate(self, gate: Gate, root: Path, language: str) -> None:
        """Whether the current phase's gate holds, result by result; language: the one its
        outcomes are worded in (the process's for JSON, JUnit and SARIF, which are the same
        in every language of the command line)."""

    # --- what the process holds -------------------------------------------------------------

    @abc.abstractmethod
    def status(self, status: Status) -> None:
        """Where the process stands: phases, results, organisations, scale, next steps."""

    @abc.abstractmethod
    def trail(self, trail: Sequence[TrailEntry]) -> None:
        """The audit trail, oldest change first."""

    @abc.abstractmethod
    def organisations(self, rows: Sequence[dict[str, Any]]) -> None:
        """The organisations of the process, one summary each (copi_cli.cli.results)."""

    @abc.abstractmethod
    def records(self, kind: str, rows: Sequence[dict[str, Any]]) -> None:
        """Events, suppliers, meetings or questions (kind), one line each (copi_cli.cli.results)."""

    @abc.abstractmethod
    def organisation(self, detail: OrganisationDetail) -> None:
        """One organisation's record, with its decisions on the declaration and meetings."""

    @abc.abstractmethod
    def contacts(self, rows: Sequence[dict[str, Any]]) -> None:
        """Every contact person, with holder, retention date and whether it has passed."""

    @abc.abstractmethod
    def potential(self, calculation: Calculation, names: Mapping[str | None, str],
                  need_owners: int) -> None:
        """The demand signal per year and the net present value; names by organisation id.
        need_owners: how many the process has, so a total over fewer says so."""

    @abc.abstractmethod
    def portfolio(self, portfolio: Portfolio) -> None:
        """Many processes, one line each with what is wrong where something is, and their
        totals."""

    @abc.abstractmethod
    def documents(self, rows: Sequence[DocumentRow]) -> None:
        """The documents copi render can make."""

    @abc.abstractmethod
    def tools(self, rows: Sequence[ToolRow]) -> None:
        """The method's tools, their phases and the process's answers to them."""

    @abc.abstractmethod
    def doctor(self, findings: Sequence[Finding]) -> None:
        """What copi needs and how the process is set up, with how to fix what is missing."""

    @abc.abstractmethod
    def note(self, text: str) -> None:
        """A remark beside the result, not part of it."""

    # --- what a change did ----------------------------------------------------------------

    @abc.abstractmethod
    def created(self, target: Path, unknown_owner: str | None) -> None:
        """A new process, and what to do next; unknown_owner names a first need owner whose
        type could not be looked up."""

    @abc.abstractmethod
    def planned(self, plan: Plan) -> None:
        """What advance would do (--dry-run)."""

    @abc.abstractmethod
    def applied(self, applied: Applied) -> None:
        """A phase transition written, and committed and tagged unless --no-commit."""

    @abc.abstractmethod
    def recorded(self, recorded: Recorded, line: str) -> None:
        """A recording command's change: line says what it was (the commit's subject)."""

    @abc.abstractmethod
    def fed(self, feeding: Feeding) -> None:
        """What a tool's answers would add to the records, as a diff per file, before it is
        applied; the lines left out and why."""

    @abc.abstractmethod
    def erased(self, mentions: Sequence[Mention]) -> None:
        """After a person's contact details are erased: the texts that still name them."""

    @abc.abstractmethod
    def answers_refused(self, file: Path, findings: Sequence[Diagnostic]) -> None:
        """Every mistake in a filled-in tool that was not imported."""

    @abc.abstractmethod
    def render_notes(self, notes: Sequence[tuple[str, str]]) -> None:
        """Documents left out of a rendering, each with why."""

    @abc.abstractmethod
    def progress(self, total: int) -> AbstractContextManager[Callable[[Rendered], None]]:
        """Around a rendering of total files: the function to call as each one is done."""

    @abc.abstractmethod
    def rendered(self, paths: Sequence[Path],
                 refused: Sequence[tuple[str, str, str | None]] = ()) -> None:
        """The files a rendering wrote, and the documents it refused and left out (document
        id, message, hint) while it wrote the others."""

    @abc.abstractmethod
    def published(self, published: Published) -> None:
        """What copi publish published: the files, their commit and the record's commit."""

    @abc.abstractmethod
    def schemas_written(self, written: Sequence[Path], total: int, folder: Path) -> None:
        """The schemas copi schema export wrote (those that changed) of total."""

    @abc.abstractmethod
    def workflow_written(self, paths: Sequence[Path], commit: str | None,
                         left: Sequence[Path] = ()) -> None:
        """The CI workflows copi ci wrote, and their commit unless --no-commit or nothing was
        written; left: those already as copi would write them, or kept as they are."""


def gate_findings(gate: Gate, root: Path, language: str) -> tuple[Report, str, str]:
    """An unmet gate as a report of findings, with its scope and suite, for the formats that
    speak in findings (JSON and the CI formats)."""
    from copi_cli.diagnostics import Diagnostic
    from copi_cli.validation.pipeline import Report

    findings = [Diagnostic(o.where or "copi.yaml", 1, 1, "G001",
                           Said("cli.gate.open", result=o.result.text[language], why=o.why),
                           Said("cli.gate.open-hint"))
                for o in gate.outcomes if not o.holds]
    return (Report(root, findings, len(gate.outcomes), None),
            Said("cli.scope.gate", number=gate.phase.number), "gate")
