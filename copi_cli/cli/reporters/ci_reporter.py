"""Findings in the formats CI systems read (GitHub annotations, JUnit XML, SARIF), chosen with
--format; copi_cli.cli.formats writes them. Annotations are read by people on a pull request,
in the language of this run; JUnit and SARIF are read by machines, the same in every language.

Only findings have a CI form: an unmet gate is reported as its open results, each a finding.
Anything else a command says in CI is plain text, as in any log.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from copi_cli.cli import formats
from copi_cli.cli.reporters.base import gate_findings
from copi_cli.cli.reporters.text_reporter import TextReporter

if TYPE_CHECKING:
    from copi_cli.trail.lifecycle import Gate
    from copi_cli.validation.pipeline import Report

CI_FORMATS = ("github", "junit", "sarif")


class CiReporter(TextReporter):
    """Findings as GitHub workflow commands, a JUnit document or a SARIF log."""

    def __init__(self, output: str) -> None:
        super().__init__()
        self.output = output  # one of CI_FORMATS

    def diagnostics(self, report: Report, scope: str | None = None,
                    suite: str | None = None) -> None:
        prefix = formats.printable(formats.repository_prefix(report.root))
        findings = report.diagnostics
        if self.output == "github":  # for people: in the language of this run
            self.write(formats.github([self.spoken(d) for d in findings], prefix,
                                      self.say("cli.hint")))
        elif self.output == "sarif":
            self.write(formats.sarif(findings, prefix))
        else:
            self.write(formats.junit(findings, f"copi {suite or 'validate'}", report.files,
                                     prefix, warnings_fail=suite == "gate"))
        self.out.flush()

    def gate(self, gate: Gate, root: Path, language: str) -> None:
        """Each open result as a finding, G001, at the file to work on."""
        self.diagnostics(*gate_findings(gate, root, language))
