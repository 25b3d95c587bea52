"""Invalid variants of the example, each with the exact diagnostics it must produce.

Each file in tests/cases/ changes some files of a copy of examples/faerre-fald (and may delete
some) and lists every finding validate must report, as `path:line:col: CODE message`: in
English (expect) and in Danish (expect_da), said in the language copi chooses for the person
(COPI_LANG, the process, the locale), with the same places and codes in both.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from copi_cli.cli import language
from copi_cli.diagnostics import CODES, Diagnostic
from copi_cli.messages import text_in
from copi_cli.validation.pipeline import Report, validate

from conftest import CASES

TODAY = dt.date(2026, 11, 26)
CASE_FILES = sorted(CASES.glob("*.yaml"))


# Cases read also with COPI_LANG unset and a Danish locale (LANG=da_DK.UTF-8), as a person
# at a Danish desktop runs copi.
LOCALE_SAMPLE = {"y001-syntax", "s004-not-allowed", "r028-backing-standing",
                 "r031-r032-personal-data", "r039-no-public-contact"}
WARNING = {"en": "warning: ", "da": "advarsel: "}


def _line(d: Diagnostic, lang: str) -> str:
    prefix = WARNING[lang] if d.level == "warning" else ""
    return f"{d.path}:{d.line}:{d.col}: {d.code} {prefix}{text_in(d.message, lang)}"


def _place(line: str) -> str:
    """`path:line:col: CODE` of an expected line: the same in every language."""
    return line.split(": ", 1)[0] + ": " + line.split(": ", 1)[1].split(" ", 1)[0]


def _spoken(monkeypatch: pytest.MonkeyPatch, process: Path, **env: str | None) -> str:
    """The language copi chooses for a person in this environment, at the process."""
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    monkeypatch.setattr(language, "_chosen", {})
    return language.choose([], cwd=process)


def _validated(case: dict, example: Path) -> Report:
    """The example as the case changes it, validated."""
    for rel, content in case.get("files", {}).items():
        target = example / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    for rel in case.get("delete", []):
        (example / rel).unlink()
    return validate(example, today=TODAY, use_cache=False)


@pytest.mark.parametrize("case_file", CASE_FILES, ids=lambda p: p.stem)
def test_case(case_file: Path, example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    assert case.get("expect_da"), f"{case_file.name}: say the findings in Danish too (expect_da)"
    assert sorted(map(_place, case["expect_da"])) == sorted(map(_place, case["expect"])), \
        "the same places and codes in both languages"
    report = _validated(case, example)
    environments: list[tuple[dict[str, str | None], str]] = [
        ({"COPI_LANG": "en"}, "expect"), ({"COPI_LANG": "da"}, "expect_da")]
    if case_file.stem in LOCALE_SAMPLE:
        environments.append(({"COPI_LANG": None, "LANG": "da_DK.UTF-8"}, "expect_da"))
    for env, key in environments:
        lang = _spoken(monkeypatch, example, **env)
        assert lang == ("da" if key == "expect_da" else "en"), env
        found = sorted(_line(d, lang) for d in report.diagnostics)
        assert found == sorted(case[key]), f"{key} with {env}"
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


def write_danish(case_file: Path, example: Path) -> None:
    """Write a case's expect_da as copi says its findings now, in the order of expect: after a
    change of the Danish wording (the diff is then the review)."""
    import json

    text = case_file.read_text(encoding="utf-8")
    case = yaml.safe_load(text)
    report = _validated(case, example)
    order = {line: index for index, line in enumerate(case["expect"])}
    said = sorted(report.diagnostics, key=lambda d: order.get(_line(d, "en"), len(order)))
    kept = text.split("\nexpect_da:\n", 1)[0].rstrip("\n") + "\n"
    case_file.write_text(kept + "expect_da:\n" + "".join(
        f"  - {json.dumps(_line(d, 'da'), ensure_ascii=False)}\n" for d in said),
        encoding="utf-8")


if __name__ == "__main__":  # PYTHONPATH=.:tests python tests/validation/test_cases.py
    import shutil
    import tempfile

    from conftest import EXAMPLE

    for case_file in CASE_FILES:
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch) / "faerre-fald"
            shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns("build"))
            write_danish(case_file, copy)
