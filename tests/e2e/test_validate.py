"""copi validate through the CLI: output formats, exit codes, the cache, odd files."""

from __future__ import annotations

import json
import os
from pathlib import Path

from copi_cli.diagnostics import CODES


def test_example_is_valid(copi, example: Path) -> None:
    run = copi("validate", "--dir", str(example))
    assert run.code == 0, run.out
    assert run.out == "" and "files valid" in run.err


def test_text_format_lists_every_finding_with_hint(copi, example: Path) -> None:
    (example / "organisationer/welfare-tech.yaml").write_text(
        "id: welfare-tech\nname: Welfare Tech\ntype: member-organisation\nrole: scaling-partner\n"
        "joined: '2025-10-01'\nbakcing: {}\n", encoding="utf-8")
    (example / "leverandoerer/trygstep.yaml").write_text(
        "id: trygstep\nname: TrygStep A/S\ncvr: '12345678'\n", encoding="utf-8")
    run = copi("validate", cwd=example)
    assert run.code == 1
    lines = run.out.splitlines()
    assert lines == [
        "leverandoerer/trygstep.yaml:3:6: R005 CVR number 12345678 fails the check",
        "    hint: copy the number from the CVR register (datacvr.virk.dk)",
        "organisationer/welfare-tech.yaml:6:1: S001 unknown key 'bakcing'",
        "    hint: did you mean 'backing'?",
    ]
    assert "2 error(s), 0 warning(s)" in run.err


def test_paths_are_relative_to_where_you_stand(copi, example: Path) -> None:
    (example / "ordliste.yaml").write_text("terms: 3\n", encoding="utf-8")
    run = copi("validate", "--dir", str(example), cwd=example.parent)
    assert run.out.startswith("faerre-fald/ordliste.yaml:1:8: S003")


def test_json_format(copi, example: Path) -> None:
    (example / "ordliste.yaml").write_text("terms:\n  - term: A\n", encoding="utf-8")
    run = copi("validate", "--format", "json", cwd=example)
    assert run.code == 1
    report = json.loads(run.out)
    assert report["errors"] == 1 and report["warnings"] == 0
    assert report["diagnostics"] == [{
        "path": "ordliste.yaml", "line": 2, "col": 5, "code": "S002",
        "message": "missing required key 'definition' in terms/0",
        "hint": "Definition: What the need owners agree it means.", "severity": "error",
    }]


def test_warnings_alone_exit_zero(copi, example: Path) -> None:
    (example / "noter.yml").write_text("a: 1\n")
    run = copi("validate", cwd=example)
    assert run.code == 0 and "W001 warning:" in run.out


def test_not_utf8(copi, example: Path) -> None:
    (example / "ordliste.yaml").write_bytes("terms:\n  - term: Fælles\n".encode("latin-1"))
    run = copi("validate", cwd=example)
    assert run.code == 1
    assert run.out.startswith("ordliste.yaml:2:12: Y005 not UTF-8 text")
    assert "Y005" in CODES


def test_symbolic_link_is_not_followed(copi, example: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: secret\n")
    os.symlink(secret, example / "leverandoerer" / "secret.yaml")
    run = copi("validate", cwd=example)
    assert run.code == 1 and "leverandoerer/secret.yaml:1:1: Y005 is a symbolic link" in run.out


def test_not_a_process(copi, tmp_path: Path) -> None:
    run = copi("validate", cwd=tmp_path)
    assert run.code == 3
    assert "not a scaling process" in run.err and "copi init" in run.err


def test_found_from_a_subdirectory(copi, example: Path) -> None:
    run = copi("validate", cwd=example / "organisationer")
    assert run.code == 0


def test_unknown_format_is_a_usage_error(copi, example: Path) -> None:
    run = copi("validate", "--format", "xml", cwd=example)
    assert run.code == 2 and "unknown format" in run.err


def test_cache_sees_every_change(copi, example: Path) -> None:
    assert copi("validate", cwd=example).code == 0
    assert copi("validate", cwd=example).code == 0  # from the cache
    broken = example / "leverandoerer/trygstep.yaml"
    original = broken.read_text(encoding="utf-8")
    broken.write_text(original.replace("34037655", "34037656"), encoding="utf-8")
    run = copi("validate", cwd=example)
    assert run.code == 1 and "R005" in run.out
    broken.write_text(original, encoding="utf-8")
    assert copi("validate", cwd=example).code == 0
    # a new file, a removed file
    extra = example / "leverandoerer/ny.yaml"
    extra.write_text("id: ny\nname: Ny ApS\ncvr: '11111111'\n")
    assert "R005" in copi("validate", cwd=example).out
    extra.unlink()
    assert copi("validate", cwd=example).code == 0
    # a referenced material file disappears: the rules depend on it too
    (example / "materialer/leverandoerkonference-slides.pdf").unlink()
    run = copi("validate", cwd=example)
    assert "R015" in run.out


def test_corrupt_cache_is_ignored(copi, example: Path) -> None:
    assert copi("validate", cwd=example).code == 0
    cache = Path(os.environ["COPI_CACHE_DIR"])
    for file in cache.iterdir():
        file.write_text("{not json")
    assert copi("validate", cwd=example).code == 0
    for file in cache.iterdir():
        file.write_text('{"key": 1, "fingerprints": [], "files": 7}')
    assert copi("validate", cwd=example).code == 0
    # right key, wrong shapes inside
    for file in cache.iterdir():
        data = json.loads(file.read_text())
        for entry_key in data.get("files", {}):
            data["files"][entry_key] = {"odd": True}
        file.write_text(json.dumps(data))
    assert copi("validate", cwd=example).code == 0


def test_cache_that_cannot_be_written_is_not_an_error(copi, example: Path, monkeypatch,
                                                       tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("COPI_CACHE_DIR", str(blocker / "cache"))
    assert copi("validate", cwd=example).code == 0


def test_cache_sees_new_links_and_unknown_files(copi, example: Path) -> None:
    assert copi("validate", cwd=example).code == 0
    (example / "organisationer/odder.yml").write_text("id: odder\n")
    assert "W001" in copi("validate", cwd=example).out
    os.symlink("/etc/passwd", example / "organisationer" / "evil.yaml")
    run = copi("validate", cwd=example)
    assert run.code == 1 and "Y005" in run.out


def test_the_cache_holds_only_json(copi, example: Path) -> None:
    """No executable code is kept in (or read from) copi's cache: after validating, showing
    the status and rendering, it holds JSON files only, the user's alone."""
    assert copi("validate", cwd=example).code == 0
    assert copi("status", cwd=example).code == 0
    assert copi("render", "all", "--format", "md", cwd=example).code == 0
    cache = Path(os.environ["COPI_CACHE_DIR"])
    kept = list(cache.rglob("*"))
    assert kept and all(p.is_file() and p.suffix == ".json" for p in kept), kept
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in kept)
    assert cache.stat().st_mode & 0o777 == 0o700


def test_cross_file_rules_see_records_with_other_mistakes(copi, example: Path) -> None:
    """A wrong date in one entry, an unknown key in an organisation: the other findings of the
    same files are reported in the same run."""
    (example / "bekraeftelser.yaml").write_text(
        "confirmations:\n  - {result: expectations-aligned, by: M, date: \"2026-02-30\"}\n"
        "  - {result: fit-asessed, by: M, date: \"2025-10-20\"}\n", encoding="utf-8")
    owner = example / "organisationer/aarhus-kommune.yaml"
    owner.write_text(owner.read_text(encoding="utf-8").replace("backing:", "bakcing:")
                     + "backing:\n  political: {by: X, date: \"2025-10-07\", evidence: "
                     "materialer/mangler.pdf}\n", encoding="utf-8")
    codes = {line.split(": ")[1].split(" ")[0] for line in copi("validate", cwd=example)
             .out.splitlines() if not line.startswith(" ")}
    assert {"R003", "R002", "S001", "R015"} <= codes
