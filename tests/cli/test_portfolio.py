"""copi portfolio at the command line: every line and total, as text and JSON, the filters,
Danish, and the exit code."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE, REPO, copi_executable, git, in_a_terminal

LINES = [
    "portfolio/a-faerre-fald: Sammen om færre fald i eget hjem — 4. Market dialogue (since "
    "2026-08-17) · 7 need owners, 7 fully backed · 0 of 7 signed · demand DKK 6,310,000 "
    "expected in 2028–2029 · 0 error(s), 0 warning(s) · last activity 2026-11-02 (git)",
    "portfolio/b-madservice: Fremtidens madservice — 1. Innovation need at a public buyer "
    "(since 2026-03-02) · 1 need owner, 0 fully backed · 0 of 1 signed · demand — · "
    "0 error(s), 6 warning(s) · last activity 2026-11-02 (git)",
    "portfolio/c-ugyldig: Sammen om færre fald i eget hjem — 4. Market dialogue (since "
    "2026-08-17) · 7 need owners, 7 fully backed · 0 of 7 signed · demand DKK 6,310,000 "
    "expected in 2028–2029 · 1 error(s), 0 warning(s) · last activity 2026-05-28 (file times)",
    "  invalid: organisationer/aarhus-kommune.yaml:7: R007 code 751 is Aarhus Kommune, but the "
    "name is 'Århus Kommune' (1 error in all)",
    "portfolio/d-flettes: mid-merge: a git merge is in progress in {top}/d-flettes; files in "
    "conflict: copi.yaml",
    "portfolio/e-brudt: cannot be read as a process: copi.yaml:3: Y001 did not find expected "
    "',' or ']' (while parsing a flow sequence)",
    "",
    "In all: 5 processes — 2 fine, 1 invalid, 1 mid-merge, 1 cannot be read as a process",
    "Processes per phase: 1. Innovation need at a public buyer: 1; 4. Market dialogue: 2",
    "Public bodies engaged (7): Aarhus Kommune (2), Horsens Kommune (3), Randers Kommune (2), "
    "Region Midtjylland (2), Silkeborg Kommune (2), Skanderborg Kommune (2), Viborg Kommune (2)",
    "Demand signal by year, expected (low – high), DKK:",
    "  2028  7,600,000 (6,100,000 – 9,900,000)",
    "  2029  5,020,000 (3,960,000 – 6,580,000)",
]


def test_every_line_and_total_as_text(copi, portfolio: Path) -> None:
    run = copi("portfolio", "portfolio", cwd=portfolio.parent)
    assert run.code == 1  # some processes have errors or could not be read
    assert run.out.splitlines() == [line.format(top=portfolio) for line in LINES]


def test_readme_shows_what_copi_prints() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("```console\n$ copi portfolio portfolio\n", 1)[1].split("```", 1)[0]
    assert block.splitlines() == [line.format(top="/home/mette/portfolio") for line in LINES]


def test_json_keys_and_values(copi, portfolio: Path) -> None:
    run = copi("portfolio", "--json", cwd=portfolio)  # the current folder by default
    assert run.code == 1
    data = json.loads(run.out)
    assert list(data) == ["processes", "totals"]
    first = data["processes"][0]
    assert list(first) == ["source", "path", "state", "problem", "id", "title", "phase",
                           "closed", "need_owners", "backing", "signatures", "demand",
                           "validation", "last_activity"]
    assert first["source"] == "." and first["path"] == "a-faerre-fald"
    assert first["phase"] == {"id": "market-dialogue", "number": 4, "since": "2026-08-17"}
    assert first["need_owners"][4] == {"identity": "region:1082", "id": "region-midtjylland",
                                       "name": "Region Midtjylland"}
    assert first["backing"] == {"backed": 7, "need_owners": 7, "complete": True}
    assert first["signatures"] == {"signed": 0, "need_owners": 7}
    assert first["demand"] == [
        {"year": 2028, "low": "3050000", "expected": "3800000", "high": "4950000"},
        {"year": 2029, "low": "1980000", "expected": "2510000", "high": "3290000"}]
    assert first["last_activity"] == {"date": "2026-11-02T10:00:00+00:00", "source": "git"}
    assert [(p["path"], p["state"], p["validation"]["errors"], p["validation"]["warnings"])
            for p in data["processes"]] == [
        ("a-faerre-fald", "ok", 0, 0), ("b-madservice", "ok", 0, 6),
        ("c-ugyldig", "invalid", 1, 0), ("d-flettes", "mid-merge", 1, 0),
        ("e-brudt", "broken", 1, 0)]
    assert data["processes"][3]["phase"] is None and data["processes"][4]["id"] is None
    totals = data["totals"]
    assert totals["processes"] == 5
    assert totals["states"] == {"ok": 2, "stale": 0, "invalid": 1, "mid-merge": 1, "broken": 1,
                                "unreadable": 0, "unavailable": 0}
    assert totals["phases"] == {"innovation-need": 1, "matchmaking": 0,
                                "needs-exploration": 0, "market-dialogue": 2,
                                "needs-communication": 0, "declaration": 0}
    assert totals["public_bodies"]["count"] == 7
    assert totals["public_bodies"]["bodies"][1] == {
        "identity": "municipality:615", "name": "Horsens Kommune", "processes": 3}
    assert totals["demand"] == [
        {"year": 2028, "low": "6100000", "expected": "7600000", "high": "9900000"},
        {"year": 2029, "low": "3960000", "expected": "5020000", "high": "6580000"}]
    assert totals["validation"] == {"errors": 3, "warnings": 6}


def test_filters(copi, portfolio: Path) -> None:
    def shown(*options: str) -> tuple[int, list[str]]:
        run = copi("portfolio", *options, "--json", cwd=portfolio)
        return run.code, [p["path"] for p in json.loads(run.out)["processes"]]

    unread = ["d-flettes", "e-brudt"]
    assert shown("--phase", "Markedsdialog") == (1, ["a-faerre-fald", "c-ugyldig", *unread])
    assert shown("--phase", "innovation-need", "--owner", "Horsens") == (
        1, ["b-madservice", *unread])
    assert shown("--owner", "viborg") == (1, ["a-faerre-fald", "c-ugyldig", *unread])
    run = copi("portfolio", "a-faerre-fald", "b-madservice", "--owner", "horsens",
               cwd=portfolio)
    assert run.code == 0  # every process shown is fine (warnings allowed)
    assert run.out.splitlines()[3] == "In all: 2 processes — 2 fine"


def test_an_unknown_phase_is_a_usage_error(copi, portfolio: Path) -> None:
    run = copi("portfolio", "--phase", "tender", cwd=portfolio)
    assert run.code == 2 and "tender" in run.err and "the phases are 1–6" in run.err


def test_in_danish(copi, portfolio: Path, danish_cli: None) -> None:
    run = copi("portfolio", "a-faerre-fald", "b-madservice", cwd=portfolio)
    assert run.code == 0
    assert run.out.splitlines() == [
        "a-faerre-fald: Sammen om færre fald i eget hjem — 4. Markedsdialog (siden 2026-08-17)"
        " · 7 behovsejere, 7 med fuld opbakning · 0 af 7 har underskrevet · efterspørgsel "
        "6.310.000 kr. forventet i 2028–2029 · 0 fejl, 0 advarsler · seneste aktivitet "
        "2026-11-02 (git)",
        "b-madservice: Fremtidens madservice — 1. Innovationsbehov hos offentlig indkøber "
        "(siden 2026-03-02) · 1 behovsejer, 0 med fuld opbakning · 0 af 1 har underskrevet · "
        "efterspørgsel — · 0 fejl, 6 advarsler · seneste aktivitet 2026-11-02 (git)",
        "",
        "I alt: 2 processer — 2 i orden",
        "Processer pr. fase: 1. Innovationsbehov hos offentlig indkøber: 1; 4. Markedsdialog: 1",
        "Offentlige organisationer som behovsejere (7): Aarhus Kommune (1), Horsens Kommune (2), "
        "Randers Kommune (1), Region Midtjylland (1), Silkeborg Kommune (1), "
        "Skanderborg Kommune (1), Viborg Kommune (1)",
        "Efterspørgselssignal pr. år, forventet (lav – høj), kr.:",
        "  2028  3.800.000 (3.050.000 – 4.950.000)",
        "  2029  2.510.000 (1.980.000 – 3.290.000)"]


def test_what_is_wrong_is_said_in_danish(copi, portfolio: Path, danish_cli: None) -> None:
    """A process's problem — its first finding, the merge and its files — is said in the
    language of the run, as copi validate and copi status say it."""
    run = copi("portfolio", "c-ugyldig", "d-flettes", "e-brudt", cwd=portfolio)
    assert run.code == 1
    lines = run.out.splitlines()
    assert lines[1] == ("  ugyldig: organisationer/aarhus-kommune.yaml:7: R007 koden 751 er "
                        "Aarhus Kommune, men navnet er 'Århus Kommune' (1 fejl i alt)")
    assert lines[2].startswith("d-flettes: midt i en fletning: ")
    assert lines[2].endswith("; filer i konflikt: copi.yaml")
    assert lines[3].startswith("e-brudt: kan ikke læses som proces: copi.yaml:3: Y001 YAML kan "
                               "ikke læses: ")
    assert not re.search(r"\b(the|is|in progress|files in conflict|error in all)\b",
                         "\n".join(lines[:4]))


def test_danish_totals_agree_in_number(copi, portfolio: Path, danish_cli: None) -> None:
    """Two invalid processes and two missing folders are "2 ugyldige", "2 ikke tilgængelige";
    the public bodies are named for what they are in the processes: need owners."""
    shutil.copytree(portfolio / "c-ugyldig", portfolio / "c2-ugyldig", symlinks=True)
    run = copi("portfolio", "c-ugyldig", "c2-ugyldig", "mangler", "mangler-ogsaa",
               cwd=portfolio)
    totals = [line for line in run.out.splitlines() if line.startswith("I alt")]
    assert totals == ["I alt: 4 processer — 2 ugyldige, 2 ikke tilgængelige"]
    assert "Offentlige organisationer som behovsejere (7): Horsens Kommune (2)" in run.out


@pytest.mark.parametrize("columns", [80, 200])
def test_a_table_in_a_terminal(portfolio: Path, columns: int) -> None:
    code, out = in_a_terminal([*copi_executable(), "portfolio"], portfolio,
                              {**os.environ, "COLUMNS": str(columns)})
    text = re.sub(r"\x1b\[[0-9;]*m", "", out.decode())
    assert code == 1
    lines = text.splitlines()
    assert lines[0].strip() == "The portfolio" and "In all: 5 processes" in text
    assert all(len(line) <= columns for line in lines)
    if columns == 200:  # room for every cell on one line
        for cell in ("Fremtidens madservice", "1. Innovation need at a public buyer",
                     "1, 0 backed", "0/1", "0 / 6", "2026-11-02"):
            assert cell in text, cell
        assert "\nd-flettes: mid-merge: a git merge is in progress" in text


def test_the_example_alone_is_fine(copi, tmp_path: Path) -> None:
    run = copi("portfolio", str(EXAMPLE), "--json", cwd=tmp_path)
    assert run.code == 0 and json.loads(run.out)["totals"]["states"]["ok"] == 1


def test_a_portfolio_file_with_a_remote_cloned_from_a_bare_repository(
        copi, portfolio: Path, tmp_path: Path) -> None:
    """--from: a remote (a local bare repository, cloned into copi's cache for real), a local
    path relative to the file, and a remote that is not there, each on its line."""
    work = tmp_path / "fjern-arbejde"
    shutil.copytree(EXAMPLE, work / "proces", ignore=shutil.ignore_patterns("build"))
    process = work / "proces" / "copi.yaml"
    process.write_text(process.read_text(encoding="utf-8").replace(
        "title: Sammen om færre fald i eget hjem", "title: Fald set fra fjernt"),
        encoding="utf-8")
    git(work, "init", "-q", "-b", "main")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "fjern")
    bare = tmp_path / "fjern.git"
    git(tmp_path, "clone", "-q", "--bare", str(work), str(bare))
    listing = portfolio / "portefoelje.yaml"
    listing.write_text(f"- url: {bare.as_uri()}\n  name: fjern\n  dir: proces\n"
                       "- path: b-madservice\n"
                       f"- url: {(tmp_path / 'mangler.git').as_uri()}\n", encoding="utf-8")
    run = copi("portfolio", "--from", "portefoelje.yaml", cwd=portfolio)
    lines = run.out.splitlines()
    assert lines[0] == (
        "fjern: Fald set fra fjernt — 4. Market dialogue (since 2026-08-17) · 7 need owners, "
        "7 fully backed · 0 of 7 signed · demand DKK 6,310,000 expected in 2028–2029 · "
        "0 error(s), 0 warning(s) · last activity 2026-11-02 (git)")
    assert lines[1] == f"{portfolio}/b-madservice: " + LINES[1].split(": ", 1)[1]
    assert lines[2].startswith(f"{(tmp_path / 'mangler.git').as_uri()}: unavailable: ")
    assert lines[4] == "In all: 3 processes — 2 fine, 1 unavailable"
    assert run.code == 1
    data = json.loads(copi("portfolio", "--from", "portefoelje.yaml", "--json",
                           cwd=portfolio).out)
    assert [(p["source"], p["path"], p["state"], p["title"]) for p in data["processes"]] == [
        ("fjern", "fjern", "ok", "Fald set fra fjernt"),
        ("b-madservice", f"{portfolio}/b-madservice", "ok", "Fremtidens madservice"),
        ((tmp_path / "mangler.git").as_uri(), (tmp_path / "mangler.git").as_uri(),
         "unavailable", None)]
