"""Invalid variants of the example, each with the exact diagnostics it must produce.

Each file in tests/cases/ changes some files of a copy of examples/faerre-fald (and may delete
some) and lists every finding validate must report, as `path:line:col: CODE message`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from copi_cli.diagnostics import CODES
from copi_cli.validation.pipeline import validate

from conftest import CASES

TODAY = dt.date(2026, 11, 26)
CASE_FILES = sorted(CASES.glob("*.yaml"))


def _line(path: str, line: int, col: int, code: str, level: str, message: str) -> str:
    prefix = "warning: " if level == "warning" else ""
    return f"{path}:{line}:{col}: {code} {prefix}{message}"


@pytest.mark.parametrize("case_file", CASE_FILES, ids=lambda p: p.stem)
def test_case(case_file: Path, example: Path) -> None:
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    for rel, content in case.get("files", {}).items():
        target = example / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    for rel in case.get("delete", []):
        (example / rel).unlink()
    report = validate(example, today=TODAY, use_cache=False)
    found = sorted(_line(d.path, d.line, d.col, d.code, d.level, d.message)
                   for d in report.diagnostics)
    assert found == sorted(case["expect"])
    assert all(d.hint for d in report.diagnostics), "every finding says what to do"


def test_every_code_has_a_case_or_a_test() -> None:
    """Each documented code is produced by at least one case, or asserted by the tests of
    validate (Y005 needs bytes that are not UTF-8), of the audit trail (A codes) and of the
    gate in CI (G codes); two clones at once are in test_collaboration.py, the audit of
    publications in test_publish.py."""
    import re

    covered = set()
    for test in ("test_validate.py", "test_advance.py", "test_audit.py", "test_ci.py",
                 "test_collaboration.py", "test_publish.py"):
        source = (CASES.parent / "e2e" / test).read_text(encoding="utf-8")
        covered.update(re.findall(r'[",=]([YSWRAG]\d{3})', source))
    for case_file in CASE_FILES:
        for line in yaml.safe_load(case_file.read_text(encoding="utf-8"))["expect"]:
            covered.add(line.split(": ", 1)[1].split(" ", 1)[0])
    assert covered == set(CODES)
