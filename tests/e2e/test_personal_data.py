"""Personal data (issue 21, point 11): every contact has a retention date and a legal basis,
by default from the process; a contact written by hand without them is a finding; a number like
a CPR number in free text is a warning that names its place and never the number."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from conftest import commit_all, head, load, unchanged, write


def _contacts(process: Path) -> list[dict]:
    return load(process, "organisationer/aarhus-kommune.yaml")["contacts"]


def test_contact_add_records_retention_and_legal_basis_from_the_process(
        copi, process: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COPI_LANG")  # the process's language decides
    root = str(process)
    assert copi("contact", "add", "aarhus", "--name", "Louise Bach", "--dir", root).code == 0
    first = _contacts(process)[0]
    assert first["legal_basis"] == "public-task"  # a public facilitator's task (practice.md)
    assert first["retention_until"][:4] == str(dt.date.today().year + 2)

    config = (process / "copi.yaml").read_text(encoding="utf-8")
    assert "contact_retention_years: 2\n" in config  # copi init states the defaults
    (process / "copi.yaml").write_text(
        config.replace("contact_retention_years: 2", "contact_retention_years: 5")
        .replace("contact_legal_basis: public-task", "contact_legal_basis: consent"),
        encoding="utf-8")
    commit_all(process, "indstillinger")
    assert copi("contact", "add", "aarhus", "--name", "Ole Dam", "--dir", root).code == 0
    assert copi("contact", "add", "aarhus", "--name", "Eva Lund", "--legal-basis",
                "legal-obligation", "--dir", root).code == 0
    louise, ole, eva = _contacts(process)
    assert int(ole["retention_until"][:4]) - int(louise["retention_until"][:4]) == 3
    assert (ole["legal_basis"], eva["legal_basis"]) == ("consent", "legal-obligation")

    listed = copi("contact", "list", "--dir", root)
    assert "samtykke (art. 6, stk. 1, litra a)" in listed.out  # Danish, as the process is
    assert "retlig forpligtelse (art. 6, stk. 1, litra c)" in listed.out


def test_an_unknown_legal_basis_is_refused_with_a_suggestion(copi, process: Path) -> None:
    run = copi("contact", "add", "aarhus", "--name", "Ole", "--legal-basis", "public-tsk",
               "--dir", str(process))
    assert run.code == 2
    assert "did you mean 'public-task'?" in run.err and "Traceback" not in run.err
    assert "contacts" not in load(process, "organisationer/aarhus-kommune.yaml") or \
        not _contacts(process)


def test_a_contact_written_by_hand_without_them_is_a_finding(copi, process: Path) -> None:
    rel = "organisationer/aarhus-kommune.yaml"
    text = (process / rel).read_text(encoding="utf-8")
    text = re.sub(r"(?m)^contacts:.*\n?", "", text)
    write(process, rel, text + "contacts:\n  - name: Louise Bach\n    email: lb@aarhus.example\n")
    line = (process / rel).read_text(encoding="utf-8").splitlines().index(
        "  - name: Louise Bach") + 1
    run = copi("validate", "--dir", str(process))
    assert run.code == 0  # a warning: the process is still valid
    assert (f"{rel}:{line}:5: R031 warning: contact 1 has no retention date and "
            "legal basis") in run.out + run.err
    assert "Louise Bach" not in run.out + run.err  # a finding reaches CI logs: no person named
    assert "add retention_until: YYYY-MM-DD, legal_basis: public-task" in run.out + run.err


def test_a_cpr_number_in_free_text_is_flagged_without_being_shown(copi, process: Path) -> None:
    root = str(process)
    write(process, "udforskning/indsigter.yaml",
          "insights:\n"
          "  - id: nattefald\n"
          "    source: fieldwork\n"
          "    title: De fleste fald sker om natten\n"
          "    summary: >-\n"
          "      Observationer i hjemmeplejen; borgeren\n"
          "      med cpr 0703451234 faldt to gange.\n")
    run = copi("validate", "--json", "--dir", root)
    found = [d for d in json.loads(run.out)["diagnostics"] if d["code"] == "R032"]
    assert [(d["path"], d["line"], d["col"]) for d in found] == [
        ("udforskning/indsigter.yaml", 7, 15)]
    assert found[0]["severity"] == "warning"
    text = copi("validate", "--dir", root)
    assert "0703451234" not in text.out + text.err and "070345" not in text.out + text.err
    assert "xxxxxx-xxxx" in text.out + text.err


def test_no_finding_shows_a_cpr_number_in_any_format(copi, process: Path) -> None:
    """The schema quotes a value it refuses; the one place every finding passes masks it."""
    rel = "organisationer/aarhus-kommune.yaml"
    text = (process / rel).read_text(encoding="utf-8")
    write(process, rel, text + "contacts:\n"
          "  - name: Test Person\n"
          "    title: 1503801234\n"
          "    retention_until: \"150380-1234\"\n"
          "    legal_basis: public-task\n"
          "citizens: 2403801234  # borgeren 250380 1234\n")
    for fmt in ("text", "json", "github", "sarif", "junit"):
        run = copi("validate", "--format", fmt, "--dir", str(process))
        shown = run.out + run.err
        assert run.code != 0, fmt  # S003 and S004 are errors
        for digits in ("1503801234", "150380-1234", "150380", "2403801234", "250380"):
            assert digits not in shown, (fmt, digits)
        assert "xxxxxx-xxxx" in shown, fmt
    found = json.loads(copi("validate", "--json", "--dir", str(process)).out)["diagnostics"]
    codes = sorted(d["code"] for d in found if d["path"] == rel)
    assert codes.count("R032") == 4 and "S003" in codes and "S004" in codes


@pytest.mark.parametrize("written", ["150380-1234", "150380 1234", "1503801234"])
def test_a_public_render_refuses_a_cpr_number_and_writes_nothing(
        copi, example: Path, written: str) -> None:
    rel = "tekster/problembeskrivelse.md"
    text = (example / rel).read_text(encoding="utf-8")
    write(example, rel, text + f"\nBorgeren ({written}) faldt.\n")
    run = copi("render", "problem-description", "--format", "md,pdf", cwd=example)
    assert run.code == 1
    assert "problem-description: line" in run.err and "a number like a CPR number" in run.err
    assert "xxxxxx-xxxx" in run.err and "150380" not in run.out + run.err
    assert "nothing was written" in run.err
    assert not (example / "build").exists() or not any((example / "build").iterdir())
    internal = copi("render", "problem-description", "--format", "md", "--audience",
                    "internal", cwd=example)
    assert internal.code == 0  # the facilitator's own copy: R032 warns, the text is theirs


@pytest.mark.parametrize("phone", ["150380-1234", "150380 1234", "1503801234"])
def test_a_recording_command_refuses_a_cpr_number_before_committing(
        copi, process: Path, phone: str) -> None:
    before = head(process)
    run = copi("contact", "add", "aarhus-kommune", "--name", "Test Person", "--phone", phone,
               cwd=process)
    assert run.code == 1
    assert "R032 a number like a CPR number (xxxxxx-xxxx)" in run.err
    assert "organisationer/aarhus-kommune.yaml:" in run.err and "nothing was written" in run.err
    assert "150380" not in run.out + run.err
    assert unchanged(process, before)
    assert copi("contact", "add", "aarhus-kommune", "--name", "Test Person", "--phone",
                "70 20 30 40", cwd=process).code == 0  # a phone number is one


def test_tool_answers_with_a_cpr_number_are_refused_before_committing(
        copi, process: Path, tmp_path: Path) -> None:
    source = tmp_path / "svar.yaml"
    source.write_text("tool: planning\nanswers:\n  problem: Borgeren 150380-1234 faldt.\n",
                      encoding="utf-8")
    before = head(process)
    run = copi("tool", "import", str(source), cwd=process)
    assert run.code == 1 and "xxxxxx-xxxx" in run.err and "150380" not in run.out + run.err
    assert unchanged(process, before)
