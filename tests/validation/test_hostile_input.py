"""Hostile input, read within bounds (issue 19): every case ends in a located finding and a
documented exit code, never a hang, a blow-up or an internal error.

Hangs are guarded by generous subprocess time-outs, never timed; memory is measured as the
peak resident size of a copi started by a fresh Python (RUSAGE_CHILDREN of that Python sees
only it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from copi_cli.model.workspace import NotRegular, discover, read_regular
from copi_cli.validation.pipeline import validate

from conftest import copi_executable

GUARD = 120  # seconds: a hang guard, far above what any of these takes


def run_measured(*args: str, cwd: Path | None = None) -> tuple[int, str, str, int]:
    """copi in a subprocess: exit code, output, errors, and its peak memory in bytes."""
    script = ("import json, resource, subprocess, sys\n"
              "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
              "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024\n"
              "print(json.dumps([done.returncode, done.stdout, done.stderr, peak]))\n")
    done = subprocess.run([sys.executable, "-c", script, *copi_executable(), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=GUARD, env=os.environ.copy())
    code, out, err, peak = json.loads(done.stdout)
    return code, out, err, peak


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*copi_executable(), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=GUARD, env=os.environ.copy())


def codes(report_out: str) -> list[str]:
    return [line.split(": ", 2)[1].split(" ")[0] for line in report_out.splitlines()
            if not line.startswith(" ")]


# --- 9: a FIFO, a socket where a record belongs -------------------------------------------

# status shows where the process stands whatever its findings (exit 0), counting the error.
COMMANDS = [(("validate",), 1, "organisationer/x.yaml:1:1: Y005"),
            (("status",), 0, "Validering: 1 fejl"),
            (("render", "press-release", "--format", "md"), 1, "organisationer/x.yaml")]


@pytest.mark.parametrize(("command", "code", "shown"), COMMANDS)
def test_a_fifo_as_a_record_file_is_a_finding_not_a_hang(
        example_repo: Path, command: tuple[str, ...], code: int, shown: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    if command == ("status",):
        monkeypatch.setenv("COPI_LANG", "da")  # status says it in Danish
    os.mkfifo(example_repo / "organisationer" / "x.yaml")
    done = run(*command, cwd=example_repo)
    assert done.returncode == code, done.stderr
    assert shown in done.stdout + done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr


def test_validate_reports_the_fifo_where_it_is(example: Path) -> None:
    os.mkfifo(example / "tekster" / "noter.md")
    report = validate(example, use_cache=False)
    assert [(d.path, d.code) for d in report.errors] == [("tekster/noter.md", "Y005")]
    assert "not a regular file" in report.errors[0].message


def test_a_fifo_put_in_a_file_s_place_after_discovery_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    with pytest.raises(NotRegular):
        read_regular(fifo, 100)
    link = tmp_path / "link.yaml"
    link.symlink_to(tmp_path / "elsewhere.yaml")
    (tmp_path / "elsewhere.yaml").write_text("a: 1\n")
    with pytest.raises(OSError):
        read_regular(link, 100)
    assert read_regular(link, 100, follow_links=True) == b"a: 1\n"


# --- 10: alias amplification ---------------------------------------------------------------

def _alias_bomb(anchored: int = 1_000_000, aliases: int = 4_000) -> str:
    return ("terms:\n  - term: &a " + "x" * anchored + "\n    definition: y\n"
            + "".join("  - term: *a\n    definition: y\n" for _ in range(aliases)))


def test_a_1_mb_alias_bomb_is_refused_while_parsing(example: Path) -> None:
    (example / "ordliste.yaml").write_text(_alias_bomb(), encoding="utf-8")
    code, out, err, peak = run_measured("validate", cwd=example)
    assert code == 1, err
    assert out.startswith("ordliste.yaml:") and " Y003 " in out
    assert peak < 200 * 2**20, f"{peak / 2**20:.0f} MB"
    cache = Path(os.environ["COPI_CACHE_DIR"])
    assert sum(p.stat().st_size for p in cache.rglob("*") if p.is_file()) < 2**20


def test_fewer_aliases_of_a_long_text_are_refused_by_their_expanded_size(example: Path) -> None:
    (example / "ordliste.yaml").write_text(_alias_bomb(100_000, 500), encoding="utf-8")
    report = validate(example, use_cache=False)
    assert [(d.path, d.code) for d in report.errors] == [("ordliste.yaml", "Y003")]
    assert "characters" in report.errors[0].message


def test_an_alias_inside_what_it_names_is_refused(example: Path) -> None:
    (example / "ordliste.yaml").write_text("terms: &t [*t]\n", encoding="utf-8")
    report = validate(example)  # the cache would have choked on the circular list
    assert [(d.line, d.code) for d in report.errors] == [(1, "Y003")]


# --- 11: locating in linear time -----------------------------------------------------------

def test_8000_unknown_keys_are_located_one_by_one(example: Path) -> None:
    (example / "ordliste.yaml").write_text(
        "terms: []\n" + "".join(f"k{i}: 1\n" for i in range(8_000)), encoding="utf-8")
    done = run("validate", "--format", "json", cwd=example)
    findings = json.loads(done.stdout)
    found = findings if isinstance(findings, list) else findings["diagnostics"]
    assert done.returncode == 1
    assert sorted((d["line"], d["code"]) for d in found if d["path"] == "ordliste.yaml") == [
        (i + 2, "S001") for i in range(8_000)]


# --- 12: explicit tags ---------------------------------------------------------------------

@pytest.mark.parametrize("value", ["!!timestamp 2026-01-01", "!!set {a, b}", "!!binary aGVq",
                                   "!!python/name:os.system ''", "!!float abc", "!!bool maybe",
                                   "!!omap [a: 1]", "!custom x"])
def test_an_explicit_tag_is_a_located_finding_with_the_cache_too(copi, example: Path,
                                                                value: str) -> None:
    (example / "ordliste.yaml").write_text(
        f"terms:\n  - term: Fald\n    definition: {value}\n", encoding="utf-8")
    for _ in range(2):  # the second run answers from the cache
        result = copi("validate", cwd=example)
        assert result.code == 1, result.err
        assert result.out.startswith("ordliste.yaml:3:17: Y008 "), result.out


# --- 15: a long list under an unknown question --------------------------------------------

def test_a_100000_item_list_under_an_unknown_question(example: Path) -> None:
    path = example / "vaerktoejer" / "markedsdialog.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "answers:\n", "answers:\n  nope: [" + ", ".join(["1"] * 100_000) + "]\n", 1),
        encoding="utf-8")
    done = run("validate", cwd=example)
    assert done.returncode == 1
    assert codes(done.stdout) == ["Y007"] and "vaerktoejer/markedsdialog.yaml:7:" in done.stdout


def test_20000_wrong_items_are_each_located(example: Path) -> None:
    path = example / "vaerktoejer" / "markedsdialog.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "answers:\n", "answers:\n  nope:\n" + "".join("    - 1\n" for _ in range(20_000)),
        1), encoding="utf-8")
    report = validate(example, use_cache=False)
    lines = sorted(d.line for d in report.errors if d.code == "S003")
    assert lines == list(range(8, 8 + 20_000))


# --- 16: internal errors instead of findings -----------------------------------------------

@pytest.mark.parametrize(("command", "code", "shown"), [
    (("validate",), 1, "potentiale.yaml:4:12: Y007 a number of 5,000 digits"),
    (("status",), 0, "Validering: 1 fejl"),
    (("render", "press-release", "--format", "md"), 1, "potentiale.yaml")])
def test_a_number_of_5000_digits_is_a_finding(example_repo: Path, command: tuple[str, ...],
                                              code: int, shown: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    if command == ("status",):
        monkeypatch.setenv("COPI_LANG", "da")  # status says it in Danish
    path = example_repo / "potentiale.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "base_year: 2026", "base_year: " + "9" * 5_000, 1), encoding="utf-8")
    done = run(*command, cwd=example_repo)
    assert done.returncode == code, done.stderr
    assert shown in done.stdout + done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr


def test_an_evidence_path_over_255_characters_is_a_finding(copi, example: Path) -> None:
    path = example / "organisationer" / "aarhus-kommune.yaml"
    text = path.read_text(encoding="utf-8")
    assert "evidence: materialer/aarhus-direktionsnotat.pdf" in text
    path.write_text(text.replace("evidence: materialer/aarhus-direktionsnotat.pdf",
                                 "evidence: materialer/" + "x" * 300 + ".pdf"), encoding="utf-8")
    for _ in range(2):  # fresh, then from the cache
        result = copi("validate", cwd=example)
        assert result.code == 0 and "internal error" not in result.err, result.err
        assert codes(result.out) == ["R015"]  # a warning: no file by that name


# --- 17: a record folder replaced by a link ------------------------------------------------

@pytest.mark.parametrize("folder", ["organisationer", "tekster", "vaerktoejer/ledelsesforankring"])
def test_a_record_folder_replaced_by_a_link_is_a_finding(copi, example: Path, tmp_path: Path,
                                                        folder: str) -> None:
    moved = tmp_path / "elsewhere"
    (example / folder).rename(moved)
    (example / folder).symlink_to(moved)
    result = copi("validate", cwd=example)
    assert result.code == 1
    assert f"{folder}:1:1: Y005 is a symbolic link to a folder" in result.out


def test_a_record_folder_linked_out_of_the_process_is_a_finding(copi, example: Path) -> None:
    import shutil

    shutil.rmtree(example / "leverandoerer")
    (example / "leverandoerer").symlink_to("/etc")
    result = copi("validate", cwd=example)
    assert result.code == 1 and "leverandoerer:1:1: Y005" in result.out


def test_discover_reports_any_linked_folder(example: Path, tmp_path: Path) -> None:
    (tmp_path / "more").mkdir()
    (example / "udforskning" / "mere").symlink_to(tmp_path / "more")
    assert "udforskning/mere/" in discover(example).links


# --- F4: the cached summary judges files as a fresh run does -------------------------------

def test_a_cached_result_does_not_pass_evidence_turned_into_a_link_out(copi, example: Path,
                                                                     tmp_path: Path) -> None:
    assert copi("validate", cwd=example).code == 0
    evidence = example / "materialer" / "aarhus-direktionsnotat.pdf"
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(evidence.read_bytes())
    evidence.unlink()
    evidence.symlink_to(outside)
    result = copi("validate", cwd=example)
    assert result.code == 1 and codes(result.out) == ["R016"]
    assert codes(copi("validate", "--no-cache", cwd=example).out) == ["R016"]


def test_an_edit_that_keeps_size_time_and_inode_is_seen(copi, example: Path) -> None:
    path = example / "ordliste.yaml"
    assert copi("validate", cwd=example).code == 0
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert "terms:" in text
    with open(path, "r+b") as handle:  # in place: the same inode
        handle.write(text.replace("terms:", "termz:", 1).encode("utf-8"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_ino == before.st_ino and path.stat().st_size == before.st_size
    result = copi("validate", cwd=example)
    assert result.code == 1 and "S001 unknown key 'termz'" in result.out


# --- F11: a value failing the fast check always has a finding ------------------------------

def test_a_pattern_s_dollar_is_the_end_of_the_text_in_both_checks(example: Path) -> None:
    path = example / "leverandoerer" / "trygstep.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "id: trygstep", 'id: "trygstep\\n"', 1), encoding="utf-8")
    report = validate(example, use_cache=False)
    assert ("leverandoerer/trygstep.yaml", "S004") in [(d.path, d.code) for d in report.errors]


def test_a_fast_check_failure_without_detail_is_still_a_finding(
        example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from copi_cli.validation import reading

    monkeypatch.setattr(reading, "is_valid", lambda name, data: name != "glossary")
    report = validate(example, use_cache=False)
    assert [(d.path, d.line, d.code) for d in report.errors] == [("ordliste.yaml", 1, "S004")]
