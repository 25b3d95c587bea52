"""Results as JSON on standard output (--json, --format json), for scripts and other tools.

What a command was asked to show is one JSON document, UTF-8 as written, indented. What a change
says when it is done stays plain text: no command that changes the process prints JSON.

Texts from the process go in as they are (findings as the other formats show them), and JSON's
escapes (copi_cli.cli.formats.json_document) keep what a terminal or a CI runner would obey from
being printed as such.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from copi_cli.cli.formats import _clean, json_document, printable
from copi_cli.cli.reporters.base import gate_findings
from copi_cli.cli.reporters.text_reporter import TextReporter

if TYPE_CHECKING:
    from copi_cli.cli.results import DocumentRow, OrganisationDetail, ToolRow
    from copi_cli.model.potential import Calculation
    from copi_cli.portfolio.summary import Portfolio
    from copi_cli.setup.doctor import Finding
    from copi_cli.trail.audit import TrailEntry
    from copi_cli.trail.lifecycle import Gate
    from copi_cli.validation.pipeline import Report
    from copi_cli.validation.status import Status


class JsonReporter(TextReporter):
    """What was asked for as one JSON document."""

    def __init__(self) -> None:
        super().__init__()
        self.notes: list[tuple[str, str]] = []

    def dump(self, value: object) -> None:
        self.write(json_document(value))

    def diagnostics(self, report: Report, scope: str | None = None,
                    suite: str | None = None) -> None:
        self.dump({
            "root": printable(str(report.root)), "files": report.files,
            "errors": len(report.errors), "warnings": len(report.warnings),
            "diagnostics": [_clean(d).as_dict() for d in report.diagnostics],
        })

    def gate(self, gate: Gate, root: Path, language: str) -> None:
        """Each open result as a finding, G001, at the file to work on."""
        self.diagnostics(*gate_findings(gate, root, language))

    def status(self, status: Status) -> None:
        self.dump(status.as_dict())

    def trail(self, trail: Sequence[TrailEntry]) -> None:
        self.dump([e._asdict() for e in trail])

    def organisations(self, rows: Sequence[dict[str, Any]]) -> None:
        self.dump(rows)

    def records(self, kind: str, rows: Sequence[dict[str, Any]]) -> None:
        self.dump(rows)

    def organisation(self, detail: OrganisationDetail) -> None:
        self.dump({"file": detail.record.path, **detail.record.data,
                   "signatures": detail.decisions, "meetings": detail.meetings})

    def contacts(self, rows: Sequence[dict[str, Any]]) -> None:
        self.dump(rows)

    def potential(self, calculation: Calculation, names: Mapping[str | None, str],
                  need_owners: int) -> None:
        from copi_cli.model.potential import as_json

        self.dump({**as_json(calculation), "need_owners": need_owners})

    def portfolio(self, portfolio: Portfolio) -> None:
        """The document of summary.as_json, written a process at a time: a thousand
        processes' JSON is never all in memory at once."""
        from textwrap import indent

        from copi_cli.portfolio.summary import process_json, totals_json

        def part(value: object, depth: int) -> str:
            return indent(json_document(value).rstrip("\n"), " " * depth).lstrip(" ")

        self.write('{\n  "processes": [')
        for index, summary in enumerate(portfolio.processes):
            self.write(("," if index else "") + "\n    " + part(process_json(summary), 4))
        self.write(("\n  ]" if portfolio.processes else "]") + ',\n  "totals": '
                   + part(totals_json(portfolio.totals), 2) + "\n}\n")

    def documents(self, rows: Sequence[DocumentRow]) -> None:
        self.dump(rows)

    def render_notes(self, notes: Sequence[tuple[str, str]]) -> None:
        """Kept for the one document rendered() prints."""
        self.notes = list(notes)

    def rendered(self, paths: Sequence[Path],
                 refused: Sequence[tuple[str, str, str | None]] = ()) -> None:
        """{"written": [paths], "refused": [{document, message, hint}], "notes": [...]}."""
        self.dump({
            "written": [str(path) for path in paths],
            "refused": [{"document": document_id, "message": why, "hint": hint}
                        for document_id, why, hint in refused],
            "notes": [{"document": document_id, "note": note}
                      for document_id, note in self.notes],
        })

    def tools(self, rows: Sequence[ToolRow]) -> None:
        self.dump(rows)

    def doctor(self, findings: Sequence[Finding]) -> None:
        self.dump([f._asdict() for f in findings])

