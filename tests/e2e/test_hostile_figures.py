"""Figures and names beyond what a document prints: every other document and `copi status`
go on, the one that prints them refuses with a located message, and the charts stay bounded.
(From the attack review of issue 22.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from copi_cli.rendering import charts

from conftest import copi_executable

EXIT_BUG = 3  # cli/app.py: an internal error


def test_units_beyond_what_a_document_prints_stop_only_the_document_that_prints_them(
        copi, example: Path) -> None:
    path = example / "potentiale.yaml"
    text = path.read_text(encoding="utf-8")
    assert "        units: 400\n" in text
    path.write_text(text.replace("        units: 400\n", "        units: 1.0e+30\n"),
                    encoding="utf-8")
    assert copi("validate", "--dir", str(example)).code == 0
    done = copi("render", "press-release", "-f", "md", "--dir", str(example))
    assert done.code == 0, done.err
    status = copi("status", "--dir", str(example))
    assert status.code == 0, status.err


def test_spend_beyond_what_a_document_prints_is_a_located_message(copi, example: Path) -> None:
    path = example / "potentiale.yaml"
    text = path.read_text(encoding="utf-8")
    old = "spend_dkk: {low: 650000, expected: 800000, high: 1050000}"
    assert old in text
    path.write_text(text.replace(old, "spend_dkk: {low: 1.0e+29, expected: 1.0e+29, "
                                      "high: 1.0e+29}"), encoding="utf-8")
    done = copi("render", "potential", "-f", "md", "--dir", str(example))
    assert done.code not in (0, EXIT_BUG), done.err
    assert "bug in copi" not in done.err and "internal error" not in done.err


def test_a_need_owners_name_is_cut_in_the_chart_not_in_the_table() -> None:
    """Vega fits a label by measuring it again for each character it drops: a name of any
    length is cut to MAX_LABEL characters before it is drawn."""
    potential = {"purchases": [{"year": 2028, "name": "W" * 40_000,
                                "spend_dkk": {"expected": 5}}],
                 "demand": {"years": [{"year": 2028,
                                       "spend_dkk": {"low": 5, "expected": 5, "high": 5}}]}}
    chart = charts.demand(potential, "da")
    assert chart is not None
    drawn = json.dumps(chart.spec, ensure_ascii=False)
    assert "W" * charts.MAX_LABEL not in drawn and "W" * (charts.MAX_LABEL - 1) + "…" in drawn
    assert "W" * charts.MAX_LABEL not in chart.alt


def test_a_removed_working_directory_is_no_traceback(tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    code = ("import os, sys; os.chdir(sys.argv[1]); os.rmdir(sys.argv[1]); "
            "sys.argv = ['copi', 'status']; from copi_cli.cli.app import run; run()")
    done = subprocess.run([sys.executable, "-c", code, str(gone)], capture_output=True,
                          text=True, env={**os.environ}, timeout=120)
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr


def test_a_dir_too_long_to_name_is_a_message_not_a_bug(tmp_path: Path) -> None:
    done = subprocess.run([*copi_executable(), "status", "--dir", "a/" * 3000], cwd=tmp_path,
                          capture_output=True, text=True, env={**os.environ}, timeout=120)
    assert "internal error" not in done.stderr and "copi: error:" in done.stderr, done.stderr
