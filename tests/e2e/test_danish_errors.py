"""The errors of render, publish and the trail (git, the lock, a process's template) said in
Danish to a Danish reader, through the real command line: the same refusal, the same exit code,
in the words of the catalogue (data/messages/rendering.json, trail.json); git's and the
template's own words go in as they are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import fulfil_phase_1, git, state_and_work_tree


def _both(copi, monkeypatch: pytest.MonkeyPatch, root: Path, *args: str) -> dict:  # noqa: ANN001
    """The command run in English and in Danish on the same process, which a refusal leaves
    as it was."""
    runs = {}
    for lang in ("en", "da"):
        monkeypatch.setenv("COPI_LANG", lang)
        before = state_and_work_tree(root) if (root / ".git").exists() else None
        runs[lang] = copi(*args, cwd=root)
        if before is not None:
            assert state_and_work_tree(root) == before, lang
    return runs


def _said(runs: dict, code: int, english: list[str], danish: list[str]) -> None:
    """Both refused with the same exit code; each in its own words, and the Danish without
    the English ones."""
    en, da = runs["en"], runs["da"]
    assert en.code == da.code == code, (en.err, da.err)
    assert en.err.startswith("copi: error: ") and "\n  hint: " in en.err, en.err
    assert da.err.startswith("copi: fejl: ") and "\n  råd: " in da.err, da.err
    for words in english:
        assert words in en.err, en.err
        assert words not in da.err, da.err
    for words in danish:
        assert words in da.err, da.err


def _append(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _line_of(root: Path, rel: str, wanted: str) -> int:
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if wanted in line)


def test_a_leak_in_a_public_document(copi, example: Path, monkeypatch) -> None:  # noqa: ANN001
    _append(example, "tekster/pressemeddelelse.md", "\nSkriv til LOBA@aarhus.example.\n")
    record = _line_of(example, "organisationer/aarhus-kommune.yaml", "email: loba@")
    text = _line_of(example, "tekster/pressemeddelelse.md", "LOBA@")
    runs = _both(copi, monkeypatch, example, "render", "press-release", "-f", "md")
    _said(runs, 1, [
        'the public document would contain confidential material or personal data: '
        f'"loba@aarhus.example" (personal data, organisationer/aarhus-kommune.yaml:{record} '
        "contacts.email)",
        f"hint: it is in tekster/pressemeddelelse.md:{text}: remove it there, or mark the "
        "passage ::: fortroligt … :::; nothing was written"], [
        "copi: fejl: press-release: det offentlige dokument ville indeholde fortroligt "
        "materiale eller persondata: »loba@aarhus.example« (persondata, "
        f"organisationer/aarhus-kommune.yaml:{record} contacts.email)",
        f"råd: det står i tekster/pressemeddelelse.md:{text}: fjern det der, eller markér "
        "afsnittet ::: fortroligt … :::; intet blev skrevet"])
    assert not (example / "build").exists()


def test_an_output_folder_inside_the_process(copi, example: Path, monkeypatch) -> None:  # noqa: ANN001
    runs = _both(copi, monkeypatch, example, "render", "problem-description", "-f", "md",
                 "--out", "tekster")
    _said(runs, 2, ["--out tekster lies inside the process directory"],
          ["copi: fejl: --out tekster ligger inde i procesmappen",
           "råd: copi skriver kun dokumenter i build/ inde i processen eller i en mappe uden "
           "for den"])


def test_a_failing_template_of_the_process(copi, example: Path, monkeypatch) -> None:  # noqa: ANN001
    """A process's template runs in a child process: its problem comes back as a message of
    the catalogue, said in the reader's language; Python's own words as they are."""
    (example / "templates").mkdir()
    (example / "templates" / "press-release.md.j2").write_text("Linje\n{{ 1/0 }}\n",
                                                               encoding="utf-8")
    runs = _both(copi, monkeypatch, example, "render", "press-release", "-f", "md")
    _said(runs, 1, ["the template computes something that fails on this process's data"],
          ["templates/press-release.md.j2:2: ZeroDivisionError: division by zero",
           "råd: skabelonen beregner noget, der fejler med denne proces' data; ret skabelonen"])


def test_a_revision_before_the_first_commit(copi, example_repo: Path, monkeypatch) -> None:  # noqa: ANN001
    first = git(example_repo, "log", "--format=%cs", "-1").strip()
    runs = _both(copi, monkeypatch, example_repo, "render", "press-release", "-f", "md",
                 "--at", "1999-01-01")
    _said(runs, 2, [f"--at 1999-01-01: no commit on or before that day (the first is of {first})"],
          [f"copi: fejl: --at 1999-01-01: ingen commit på eller før den dag (den første er fra "
           f"{first})", "råd: angiv en senere dag eller et tag eller en commit"])


@pytest.mark.parametrize(("args", "change", "code", "english", "danish"), [
    (["declaration"], None, 1,
     "declaration is a draft: the process has never reached its phase (declaration); "
     "tekster/hensigtserklaering.md has status: draft",
     "copi: fejl: hensigtserklaering er et udkast: processen har aldrig nået dokumentets fase "
     "(declaration); tekster/hensigtserklaering.md har status: draft"),
    (["status-report"], None, 2, "status-report is an internal document and is never published",
     "copi: fejl: statusrapport er et internt dokument og offentliggøres aldrig"),
    (["press-release"], "materialer/ny.txt", 1,
     "the process has changes that are not committed: materialer/ny.txt",
     "copi: fejl: processen har ændringer, der ikke er committet: materialer/ny.txt"),
])
def test_what_is_not_published(copi, example_repo: Path, monkeypatch, args: list[str],  # noqa: ANN001
                               change: str | None, code: int, english: str,
                               danish: str) -> None:
    if change:
        (example_repo / change).write_text("ny\n", encoding="utf-8")
    runs = _both(copi, monkeypatch, example_repo, "publish", *args, "--format", "md")
    _said(runs, code, [english], [danish])


def test_git_refuses_the_commit_of_an_advance(copi, process: Path, monkeypatch) -> None:  # noqa: ANN001
    """A refusing hook: git's words are said as git said them, around them copi's Danish."""
    fulfil_phase_1(process)
    hook = process / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'hook says no' >&2\nexit 1\n")
    hook.chmod(0o755)
    runs = _both(copi, monkeypatch, process, "advance")
    _said(runs, 3, ["git commit failed: hook says no",
                    "fix what git reports and run the command again; nothing was changed"],
          ["copi: fejl: git commit mislykkedes: hook says no",
           "råd: ret det, git melder, og kør kommandoen igen; intet blev ændret"])


def test_the_lock_held_by_another_copi(copi, process: Path, monkeypatch) -> None:  # noqa: ANN001
    from copi_cli.trail import gitrepo, locking

    fulfil_phase_1(process)
    monkeypatch.setenv("COPI_LOCK_WAIT", "0")
    held = locking.take(gitrepo.require_repo(process), process)  # as another copi holds it
    try:
        runs = _both(copi, monkeypatch, process, "advance")
    finally:
        locking.release(held)
    _said(runs, 3, [f"another copi (pid {os.getpid()}) is making a change in this repository "
                    "right now"],
          [f"copi: fejl: en anden copi (pid {os.getpid()}) laver en ændring i dette "
           "repository lige nu",
           "råd: vent, til den er færdig, og kør kommandoen igen (copi venter det antal "
           "sekunder, som COPI_LOCK_WAIT angiver, ellers 60)"])


@pytest.mark.parametrize(("args", "danish"), [
    (["revisit", "1"], "copi: fejl: copi revisit kræver --reason"),
    (["advance", "--date", "2999-01-01", "--force", "--reason", "x"],
     "copi: fejl: --date 2999-01-01 ligger i fremtiden"),
    (["revisit", "9", "--reason", "x"], "copi: fejl: ingen fase '9'"),
])
def test_a_transition_refused(copi, process: Path, monkeypatch, args: list[str],  # noqa: ANN001
                              danish: str) -> None:
    runs = _both(copi, monkeypatch, process, *args)
    assert runs["en"].code == runs["da"].code == 2, (runs["en"].err, runs["da"].err)
    assert danish in runs["da"].err and "råd: " in runs["da"].err, runs["da"].err


def test_a_value_in_both_languages_and_a_grouped_number() -> None:
    """A kind of record's label and a bound copi names (12,000 characters) go into a message
    in the language it is said in."""
    from copi_cli.messages import Said, Worded, grouped, text_in

    said = Said("render.no-records-for", document="needs-report",
                kinds=Worded({"da": "indsigter", "en": "insights"}),
                pattern="udforskning/indsigter.yaml")
    assert said == "needs-report: no insights recorded yet (udforskning/indsigter.yaml)"
    assert text_in(said, "da") == \
        "needs-report: ingen indsigter registreret endnu (udforskning/indsigter.yaml)"
    long = Said("render.too-long", document="x", size=grouped(1234567), most=grouped(1000000))
    assert long == "x: the document would hold 1,234,567 characters of Markdown; copi renders " \
                   "at most 1,000,000"
    assert text_in(long, "da") == \
        "x: dokumentet ville fylde 1.234.567 tegn Markdown; copi danner højst 1.000.000"
    import pickle

    assert text_in(pickle.loads(pickle.dumps(said)), "da") == text_in(said, "da")


def test_a_render_note_is_a_message_of_the_catalogue(process: Path) -> None:
    """What render tells besides its errors (a document left out of `copi render all`) is a
    message the command line says in its reader's language; JSON keeps the English."""
    import datetime as dt

    from copi_cli.messages import Said, text_in
    from copi_cli.model.documents import find_document
    from copi_cli.rendering.pipeline import prepare
    from copi_cli.validation.pipeline import validate

    report = validate(process, today=dt.date.today(), want_workspace=True)
    notes: list[tuple[str, str]] = []
    assert prepare(report, [find_document("exploration-summary")], None, "da",
                   dt.date.today(), notes, skip=True) == []
    [(document, note)] = notes
    assert document == "exploration-summary" and isinstance(note, Said)
    assert note == "no insights recorded yet (udforskning/indsigter.yaml)"
    assert text_in(note, "da") == "ingen indsigter registreret endnu (udforskning/indsigter.yaml)"


def test_a_problem_from_the_template_child_is_said_in_the_readers_language() -> None:
    """The child sends its problem as JSON: a catalogue message comes back as one, with its
    values (a number grouped as each language writes it), not as its English text; what is
    not a message of the catalogue comes back as text."""
    import json

    from copi_cli.messages import Said, grouped, text_in
    from copi_cli.rendering.templating import _as_json, _from_json

    said = Said("template.too-long", where=Said("render.copis-template", template="da/x.md.j2:3"),
                most=grouped(1_000_000))
    back = _from_json(json.loads(json.dumps(_as_json(said))))
    assert back == said and back.startswith("copi's template da/x.md.j2:3: the template wrote "
                                            "more than 1,000,000 characters")
    assert text_in(back, "da").startswith("copis skabelon da/x.md.j2:3: skabelonen skrev mere "
                                          "end 1.000.000 tegn Markdown")
    assert _from_json("plain words") == "plain words"
    unknown = {"said": "no.such-id", "values": {}}
    assert _from_json(unknown) == json.dumps(unknown)
