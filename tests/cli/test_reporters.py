"""Reporters: the format chosen once per command, every reporter drawing every kind of result,
and rich left unloaded until a table is drawn."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("output", "terminal", "chosen"), [
    ("text", False, "TextReporter"), ("text", True, "RichReporter"),
    ("json", True, "JsonReporter"), ("github", False, "CiReporter"),
    ("junit", True, "CiReporter"), ("sarif", False, "CiReporter"),
])
def test_the_format_and_the_terminal_choose_the_reporter(
        monkeypatch: pytest.MonkeyPatch, output: str, terminal: bool, chosen: str) -> None:
    from copi_cli.cli.reporters import reporter_for

    monkeypatch.setattr(sys, "stdout", _Terminal() if terminal else io.StringIO())
    assert type(reporter_for(output)).__name__ == chosen


def test_an_unknown_format_has_no_reporter() -> None:
    from copi_cli.cli.reporters import reporter_for

    with pytest.raises(ValueError, match="xml"):
        reporter_for("xml")


def test_every_reporter_draws_every_kind_of_result() -> None:
    """The base class names each kind of result once; a reporter that forgot one could not
    be made."""
    from copi_cli.cli.reporters import Reporter
    from copi_cli.cli.reporters.ci_reporter import CiReporter
    from copi_cli.cli.reporters.json_reporter import JsonReporter
    from copi_cli.cli.reporters.rich_reporter import RichReporter
    from copi_cli.cli.reporters.text_reporter import TextReporter

    kinds = {name for name in vars(Reporter) if not name.startswith("_")}
    assert kinds == Reporter.__abstractmethods__
    assert {"diagnostics", "gate", "status", "recorded"} <= kinds
    for made in (TextReporter(), RichReporter(), JsonReporter(), CiReporter("sarif")):
        assert not type(made).__abstractmethods__


def test_a_reporter_writes_to_the_streams_of_its_command(
        monkeypatch: pytest.MonkeyPatch, example: Path) -> None:
    """Findings to standard output, the count to standard error; --quiet drops the count."""
    from copi_cli.cli.reporters import reporter_for
    from copi_cli.diagnostics import Diagnostic
    from copi_cli.validation.pipeline import Report

    report = Report(example, [Diagnostic("copi.yaml", 3, 5, "S001", "unknown key 'x'",
                                         "did you mean 'y'?")], 12, None)
    for quiet, count in (("0", "1 error(s), 0 warning(s) in 12 files\n"), ("1", "")):
        out, err = io.StringIO(), io.StringIO()
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stderr", err)
        monkeypatch.setenv("COPI_QUIET", quiet)
        reporter_for("text").diagnostics(report)
        assert out.getvalue().endswith("copi.yaml:3:5: S001 unknown key 'x'\n"
                                       "    hint: did you mean 'y'?\n")
        assert err.getvalue() == count
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    reporter_for("json").diagnostics(report)
    assert json.loads(out.getvalue())["diagnostics"][0]["code"] == "S001"


def test_rich_is_loaded_only_to_draw() -> None:
    code = ("import sys\nfrom copi_cli.cli.reporters import reporter_for\n"
            "from copi_cli.cli.reporters.rich_reporter import RichReporter\n"
            "reporter_for('text')\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'rich', 'yaml'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=REPO)
    assert done.stdout.strip() == "[]"
