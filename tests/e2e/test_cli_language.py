"""The command line speaks the language of the person at it (issue 22, point 4): Danish when the
locale or the process is Danish, English with COPI_LANG=en; what the process says (names,
titles, files) stays as written; codes, exit codes and the machine formats (JSON, SARIF, JUnit)
are the same in both, byte for byte."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import write

# Words copi says in the other language; none may be left once the process's own texts (its
# title, names, event titles) are taken out of what it printed.
ENGLISH = re.compile(r"(?i)\b(?:the|and|of|with|since|phases?|results|next steps|need "
                     r"owners?|organisations|scale|validation|errors?|warnings?|current|done|"
                     r"not started|joined|political|citizens|declaration|"
                     r"signed|declined|units|partners?|holds|files?|valid|hint|warning)\b")
DANISH = re.compile(r"(?i)\b(?:og|af|for at|med|siden|faser?|resultater|næste skridt|"
                    r"behovsejer(?:e|ne)?|organisationer|skala|validering|fejl|advarsler?|nu|"
                    r"færdig|ikke|startet|politisk|administrativ|borgere|hensigtserklæringen|"
                    r"underskrevet|enheder|partnere|opfyldt|filer|gyldige|råd)\b")


def _english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPI_LANG", "en")


def _danish_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Danish desktop: LANG=da_DK.UTF-8, no COPI_LANG."""
    monkeypatch.delenv("COPI_LANG")
    monkeypatch.setenv("LANG", "da_DK.UTF-8")


def _without_content(text: str, root: Path) -> str:
    """What copi printed, without the texts of the process (they are in its language)."""
    process = yaml.safe_load((root / "copi.yaml").read_text(encoding="utf-8"))
    content = [process["title"]]
    for folder in ("organisationer", "arrangementer", "leverandoerer"):
        for file in sorted((root / folder).glob("*.yaml")):
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
            content += [str(data[key]) for key in ("name", "title") if data.get(key)]
    for item in sorted(content, key=len, reverse=True):
        text = text.replace(item, "«»")
    return re.sub(r"[\w./-]+\.(?:yaml|md)|copi [a-z]+(?: [a-z-]+)?", "«»", text)  # files, commands


def test_status_is_wholly_danish_on_a_danish_desktop_and_wholly_english_when_asked(
        copi_process, example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _danish_locale(monkeypatch)
    danish = copi_process("status", cwd=example)
    _english_locale(monkeypatch)
    english = copi_process("status", cwd=example)
    assert danish.code == english.code == 0, danish.err + english.err
    assert "Næste skridt for behovsejerne" in danish.out and "Faser" in danish.out
    assert "Next steps for the need owners" in english.out and "Phases" in english.out
    said_in_danish = _without_content(danish.out, example)
    said_in_english = _without_content(english.out, example)
    assert not ENGLISH.findall(said_in_danish), ENGLISH.findall(said_in_danish)
    assert not DANISH.findall(said_in_english), DANISH.findall(said_in_english)
    # the same process, the same lines: only the words differ
    assert len(danish.out.splitlines()) == len(english.out.splitlines())


def test_the_scan_of_words_finds_the_other_language(example: Path) -> None:
    """The test above is only as good as its word lists."""
    assert ENGLISH.findall("Fase: 4. Markedsdialog (current)") == ["current"]
    assert DANISH.findall("Phase: 4. Market dialogue (nu)") == ["nu"]
    assert _without_content("Sammen om færre fald i eget hjem — see copi.yaml",
                            example) == "«» — see «»"


def _broken(example: Path) -> None:
    """A finding of each kind: an error in a record, and open results at the gate."""
    write(example, "organisationer/horsens-kommune.yaml",
          (example / "organisationer/horsens-kommune.yaml").read_text(encoding="utf-8")
          .replace("role: need-owner", "role: buyer"))


@pytest.mark.parametrize("args", [
    ("status", "--json"),
    ("validate", "--format", "json"),
    ("validate", "--format", "sarif"),
    ("validate", "--format", "junit"),
    ("gate", "--format", "json"),
    ("gate", "--format", "sarif"),
    ("owner", "list", "--json"),
    ("potential", "--json"),
])
def test_machine_formats_are_the_same_in_both_languages(
        copi, example: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]) -> None:
    if args[0] == "validate":
        _broken(example)
    _danish_locale(monkeypatch)
    danish = copi(*args, cwd=example)
    _english_locale(monkeypatch)
    english = copi(*args, cwd=example)
    assert danish.code == english.code
    assert danish.out == english.out and danish.out.strip()
    if args[0] == "validate":
        assert danish.code == 1 and "R0" in danish.out or "S0" in danish.out


def test_findings_and_counts_are_said_in_the_language_of_the_desktop(
        copi, example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _broken(example)
    _danish_locale(monkeypatch)
    danish = copi("validate", cwd=example)
    _english_locale(monkeypatch)
    english = copi("validate", cwd=example)
    assert danish.code == english.code == 1
    assert re.search(r"^\d+ fejl, \d+ advarsl?e?r? i \d+ filer$", danish.err, re.M), danish.err
    assert re.search(r"^\d+ error\(s\), \d+ warning\(s\) in \d+ files$", english.err, re.M)
    # the same findings at the same places, with the same codes
    where = re.compile(r"^(\S+:\d+:\d+: [A-Z]\d+) ", re.M)
    assert where.findall(danish.out) == where.findall(english.out) != []


def test_annotations_on_a_pull_request_are_for_people(
        copi, example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """GitHub annotations are read by people: in their language, the codes the same."""
    _danish_locale(monkeypatch)
    danish = copi("gate", "--format", "github", cwd=example)
    _english_locale(monkeypatch)
    english = copi("gate", "--format", "github", cwd=example)
    assert danish.code == english.code == 1
    assert "%0Aråd: copi status viser fasen" in danish.out
    assert "%0Ahint: copi status shows the phase" in english.out
    assert re.findall(r"title=(\w+)", danish.out) == re.findall(r"title=(\w+)", english.out)
    assert "Materialer fra hvert arrangement er gjort tilgængelige for alle" in danish.out
    assert "Materials from every event are made available to all" in english.out


def test_a_danish_process_is_spoken_to_in_danish_without_a_locale(
        copi, example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No COPI_LANG and no Danish locale (LANG=C.UTF-8, as on a server): the process is
    Danish, so copi is; an English process is spoken to in English."""
    monkeypatch.delenv("COPI_LANG")
    assert (example / "copi.yaml").read_text(encoding="utf-8").count("language: da") == 1
    danish = copi("gate", cwd=example)
    assert danish.code == 1
    assert danish.out.startswith("Kriterier for at gå videre fra fase 4. Markedsdialog: "
                                 "ikke opfyldt")
    english_process = (example / "copi.yaml").read_text(encoding="utf-8").replace(
        "language: da", "language: en")
    write(example, "copi.yaml", english_process)
    english = copi("gate", cwd=example)
    assert english.out.startswith("Gate of phase 4. Market dialogue: does not hold"), english.out


def test_errors_outside_a_process_follow_the_locale(
        copi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _danish_locale(monkeypatch)
    danish = copi("doctor", "--dir", str(tmp_path / "nowhere"), cwd=tmp_path)
    _english_locale(monkeypatch)
    english = copi("doctor", "--dir", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert danish.code == english.code == 2
    assert danish.err.splitlines() == [
        f"copi: fejl: mappen {tmp_path / 'nowhere'} findes ikke",
        "  råd: angiv en procesmappe med --dir"]
    assert english.err.splitlines() == [
        f"copi: error: no directory {tmp_path / 'nowhere'}",
        "  hint: give a process directory with --dir"]


@pytest.mark.usefixtures("danish_cli")
def test_a_recorded_change_is_said_in_danish_and_committed_in_the_process_language(
        copi, example_repo: Path) -> None:
    """The line shown is copi speaking; the commit subject is the process's record, in its
    language whoever made it."""
    from conftest import git

    write(example_repo, "copi.yaml", (example_repo / "copi.yaml").read_text(encoding="utf-8")
          .replace("language: da", "language: en"))
    git(example_repo, "commit", "-qam", "English process")
    done = copi("owner", "add", "Odder Kommune", cwd=example_repo)
    assert done.code == 0, done.err
    assert done.out.splitlines()[0] == "Organisation tilføjet: Odder Kommune"
    assert "filer: organisationer/odder-kommune.yaml" in done.out
    assert git(example_repo, "log", "-1", "--format=%s").strip() == \
        "Organisation added: Odder Kommune"


def test_a_schema_hint_is_said_in_the_language_of_the_desktop(
        copi, example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """S002's hint is the schema's title and description: Danish from the catalogue in a Danish
    session, the schema's own English otherwise and in JSON."""
    supplier = example / "leverandoerer" / "trygstep.yaml"
    supplier.write_text(supplier.read_text(encoding="utf-8").replace("name: TrygStep A/S\n", ""),
                        encoding="utf-8")
    monkeypatch.setenv("COPI_LANG", "da")
    danish = copi("validate", cwd=example)
    as_json = copi("validate", "--format", "json", cwd=example)
    _english_locale(monkeypatch)
    english = copi("validate", cwd=example)
    assert danish.code == english.code == as_json.code == 1
    assert "S002" in danish.out and "Navn: Virksomhedens navn." in danish.out, danish.out
    assert "Name: The company's name." not in danish.out
    assert "S002" in english.out and "Name: The company's name." in english.out, english.out
    assert "Name: The company's name." in as_json.out
