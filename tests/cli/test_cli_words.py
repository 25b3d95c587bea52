"""copi's command line says nothing in English only: every sentence, header, count and error it
writes comes from the message catalogue, in Danish and English (issue 22, point 4).

The scan reads copi_cli/cli/ and fails on a text with words in it that goes to a person without
the catalogue: an f-string with words anywhere; a literal with words handed to what prints
(echo, write, line, tell, note, print, prompt, tables) or to an error copi raises; a sentence
(two words or more) anywhere else. Help texts and docstrings are left out (they are said by
typer, another part of the work). What must stay as it is — a program's name, a file suffix, the
syntax of a machine format — is allowed below, each with its reason; an allowance that no longer
matches anything fails too, so the list cannot rot.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from conftest import REPO

CLI = REPO / "copi_cli" / "cli"
WORD = re.compile(r"[^\W\d_]{2,}")  # two letters or more: a word (not a mark, not a number)
SENTENCE = re.compile(r"[^\W\d_]{2,}[ ,;:]+[^\W\d_]{2,}")
# what puts text in front of a person
PRINTS = {"echo", "secho", "write", "line", "tell", "note", "print", "prompt", "confirm",
          "add_row", "add_column", "Table", "TextColumn", "Text", "_text"}
# errors of copi's own, said by the boundary (a ValueError or a LookupError is a bug's)
USER_ERRORS = re.compile(r"(?:Copi|User|Usage|NotAProcess|Refused\w*)Error$|Problem$")
# calls whose texts are help (typer says them; help texts are converted on their own) or code
NOT_SAID = {"Option", "Argument", "Typer", "group", "command", "callback", "date_option",
            "_amount_option", "import_module", "getattr", "startswith", "endswith", "split",
            "replace", "join", "get", "sub", "compile", "fullmatch", "match", "search",
            "strip", "rstrip", "lstrip", "add_task", "update", "format", "relpath",
            "junit", "sarif"}  # the machine formats: English, the same in every language
# calls that take a message's id, or a vocabulary's name (labels of data/labels.json)
CATALOGUE = {"say", "Said", "message", "finish", "in_language", "label"}
SAID_KEYWORDS = {None, "hint", "title", "message", "text", "description"}
HELP_KEYWORDS = {"help", "short_help", "epilog", "metavar", "rich_help_panel"}

# (file under copi_cli/cli, the literal text) -> why it stays as it is.
ALLOWED = {
    ("app.py", "copi "): "copi --version: the program's name and its version",
    ("app.py", "copi: "): "the program's name before each error line, as Unix tools say it",
    ("app.py", " --help"): "typer's usage errors (`see copi … --help`): converted with the help",
    ("app.py", "copi_cli.cli.commands."): "a module's name",
    ("commands/declaration.py", "copi: "): "the program's name before a warning line",
    ("reporters/text_reporter.py", "copi: "): "the program's name before an error line",
    ("commands/tool.py", ".html"): "a file's suffix",
    ("reporters/progress.py", "{task.description}"): "rich's template for the bar's text",
    ("reporters/text_reporter.py", ", CVR "): "the register's name, CVR in both languages",
    ("reporters/json_reporter.py", '{\n  "processes": ['): "copi portfolio's JSON, written a "
                                                          "process at a time: its keys",
    ("reporters/json_reporter.py", ',\n  "totals": '): "copi portfolio's JSON: its keys",
}
# Machine formats: the same in every language, English where they hold words (JUnit, SARIF),
# and the syntax of GitHub's workflow commands.
MACHINE = {("formats.py", "github"), ("formats.py", "junit"), ("formats.py", "sarif")}


def _parts(node: ast.AST) -> Iterator[str]:
    """The literal text in an expression: a string, an f-string's fixed parts, + and if/else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        for value in node.values:
            if isinstance(value, ast.Constant):
                yield value.value
    elif isinstance(node, ast.BinOp):
        yield from _parts(node.left)
        yield from _parts(node.right)
    elif isinstance(node, ast.IfExp):
        yield from _parts(node.body)
        yield from _parts(node.orelse)
    elif isinstance(node, ast.Tuple | ast.List):
        for element in node.elts:
            yield from _parts(element)


def _name(call: ast.Call) -> str:
    return getattr(call.func, "id", None) or getattr(call.func, "attr", None) or ""


def unsaid(source: str, file: str) -> list[tuple[str, int, str]]:
    """(file, line, text) for every text with words that reaches a person without the
    catalogue."""
    tree = ast.parse(source)
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    docstrings = {id(body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
                  and (body := node.body) and isinstance(body[0], ast.Expr)
                  and isinstance(body[0].value, ast.Constant)}

    def outside(node: ast.AST) -> tuple[str | None, str | None, bool]:
        """The function it is in, the call that takes it (printing or raising), and whether
        it is help or code."""
        function = caller = None
        child, here = node, parents.get(node)
        while here is not None:
            if isinstance(here, ast.keyword) and (here.arg in HELP_KEYWORDS or (
                    caller is None and here.arg not in SAID_KEYWORDS)):
                return None, None, True  # help, or a setting (style="bold")
            if (isinstance(here, ast.Subscript) and child is here.slice) or isinstance(
                    here, ast.Compare) or (isinstance(here, ast.Dict) and child in here.keys):
                return None, None, True  # a key, or a value compared with: code
            if isinstance(here, ast.Call) and child is not here.func:
                name = _name(here)
                raised = isinstance(parents.get(here), ast.Raise)
                if name in NOT_SAID or name in CATALOGUE or (
                        raised and not USER_ERRORS.search(name)):
                    return None, None, True  # help, code, an id, or a bug's own exception
                if caller is None and (name in PRINTS or raised):
                    caller = name
            if isinstance(here, ast.FunctionDef) and function is None:
                function = here.name
            child, here = here, parents.get(here)
        return function, caller, False

    found = []
    for node in ast.walk(tree):
        if id(node) in docstrings or not isinstance(node, ast.Constant | ast.JoinedStr):
            continue
        if isinstance(node, ast.Constant) and not isinstance(node.value, str):
            continue
        if isinstance(parents.get(node), ast.JoinedStr):
            continue  # read with its f-string
        function, caller, help_or_code = outside(node)
        if help_or_code or (file, function) in MACHINE:
            continue
        for text in _parts(node):
            said = (WORD.search(text) if isinstance(node, ast.JoinedStr) or caller
                    else SENTENCE.search(text))
            if said and (file, text) not in ALLOWED:
                found.append((file, node.lineno, text))
    return sorted(found)


def _sources() -> Iterator[tuple[str, str]]:
    for path in sorted(CLI.rglob("*.py")):
        yield path.relative_to(CLI).as_posix(), path.read_text(encoding="utf-8")


def test_the_command_line_says_nothing_outside_the_catalogue() -> None:
    found = [hit for file, source in _sources() for hit in unsaid(source, file)]
    assert not found, "say these with the catalogue (copi_cli/data/messages/cli.json):\n" + \
        "\n".join(f"  copi_cli/cli/{file}:{line}: {text!r}" for file, line, text in found)


def test_every_allowance_is_still_needed() -> None:
    texts: set[tuple[str, str]] = set()
    for file, source in _sources():
        for node in ast.walk(ast.parse(source)):
            texts.update((file, text) for text in _parts(node))
    assert not set(ALLOWED) - texts, sorted(set(ALLOWED) - texts)


def test_the_scan_finds_english_said_around_the_catalogue() -> None:
    """The scan above is only as good as its reading of code."""
    source = '''
def command(name, reporter, count):
    """A docstring is help: left out."""
    option = typer.Option("--dir", help="The process directory (help: left out).")
    typer.echo(f"Created {name}")
    reporter.note("nothing to validate")
    reporter.tell(f"{count} " + "files written")
    raise UsageError("give --amount", hint=say("cli.hint"))
    raise UserError(Said("cli.ci.invalid"), hint="run copi validate")
    line = f"  {say('cli.warning')}: {name}"
    heading = "Next steps"
    reporter.line(say("cli.created", target=name))
    raise ValueError("a bug, not a user's mistake")
'''
    assert [(line, text) for _, line, text in unsaid(source, "x.py")] == [
        (5, "Created "), (6, "nothing to validate"), (7, "files written"),
        (8, "give --amount"), (9, "run copi validate"), (11, "Next steps")]


# --- what copi says as it runs: values as typed, their words in Danish -----------------------

def _both(copi, monkeypatch, *args: str, cwd=None):  # noqa: ANN001, ANN202 - fixtures
    """The same command in Danish and in English."""
    runs = {}
    for lang in ("da", "en"):
        monkeypatch.setenv("COPI_LANG", lang)
        runs[lang] = copi(*args, cwd=cwd)
    return runs["da"], runs["en"]


def test_a_did_you_mean_shows_the_value_as_typed_and_its_danish_label(
        copi, process, monkeypatch) -> None:
    danish, english = _both(copi, monkeypatch, "owner", "add", "Odder", "--role", "neeed-owner",
                            cwd=process)
    assert danish.code == english.code == 2
    assert "  råd: mente du »need-owner« (behovsejer)?" in danish.err, danish.err
    assert "»neeed-owner« er ikke en af disse: need-owner (behovsejer), " \
        "project-partner (projektpartner)" in danish.err
    assert "  hint: did you mean 'need-owner'?" in english.err, english.err
    assert "'neeed-owner' is not one of need-owner, project-partner," in english.err
    danish, _ = _both(copi, monkeypatch, "owner", "backing", "aarhus", "--level", "politcal",
                      "--by", "Byrådet", "--date", "2026-01-05", "--evidence", "x", cwd=process)
    assert "mente du »political« (politisk)?" in danish.err, danish.err
    # a value whose Danish label is the id itself is not said twice
    danish, _ = _both(copi, monkeypatch, "owner", "add", "Odder", "--type", "regio",
                      cwd=process)
    assert "region (region)" not in danish.err


DOCTOR_CHECKS = ("git identity", "repository", "editor schemas", "build/ ignored", "process")


def test_doctor_names_its_checks_in_danish_and_by_their_ids_in_json(
        copi, example_repo, monkeypatch) -> None:
    import json

    danish, english = _both(copi, monkeypatch, "doctor", cwd=example_repo)
    assert danish.code == english.code
    names = [line[7:25].strip() for line in danish.out.splitlines() if line[:1] != " "]
    assert {"git-identitet", "editorskemaer", "proces", "build/ ignoreres"} <= set(names), names
    # 'repository' is Danish too, as the rest of the catalogue says it
    assert not (set(DOCTOR_CHECKS) - {"repository"}) & set(names), names
    assert "sætter PDF" in danish.out and "sets PDF" in english.out
    assert {line[5:21].strip() for line in english.out.splitlines()} >= set(DOCTOR_CHECKS)
    assert "build/ ignoreres  build/" in danish.out  # the column widens for the Danish names
    danish, english = _both(copi, monkeypatch, "doctor", "--json", cwd=example_repo)
    assert danish.out == english.out
    assert set(DOCTOR_CHECKS) <= {check["name"] for check in json.loads(danish.out)}


def test_log_says_what_each_commit_did_in_danish_and_its_id_in_json(
        copi, process, monkeypatch) -> None:
    monkeypatch.setenv("COPI_LANG", "da")
    assert copi("owner", "add", "Odder Kommune", cwd=process).code == 0
    assert copi("advance", "--force", "--reason", "prøve", cwd=process).code == 0
    danish, english = _both(copi, monkeypatch, "log", cwd=process)
    assert danish.code == english.code == 0
    heads = [line for line in danish.out.splitlines() if not line.startswith(" ")]
    assert "  T  oprettet  fase – → 1  " in heads[0] or "oprettet  fase – → 1" in heads[0], heads
    assert "organisation tilføjet  " in heads[1], heads
    assert "gået videre GENNEMTVUNGET  fase 1 → 2  " in heads[2], heads
    for english_word in ("init", "owner-add", "advance", "FORCED", "innovation-need"):
        assert english_word not in "\n".join(heads), english_word
    english_heads = [line for line in english.out.splitlines() if not line.startswith(" ")]
    assert "  owner-add  " in english_heads[1] and "advance FORCED  innovation-need → " \
        "matchmaking" in english_heads[2], english_heads
    danish, english = _both(copi, monkeypatch, "log", "--json", cwd=process)
    assert danish.out == english.out and '"owner-add"' in danish.out


def test_every_action_copi_commits_has_its_danish_words() -> None:
    """The Copi-Action of every recording command (finish(change, "owner-add", …)) and of
    every transition is said in Danish by copi log."""
    from copi_cli.cli.reporters.words import ACTIONS
    from copi_cli.model.vocabulary import choices

    written = set(re.findall(r'finish\(\w+, "([a-z-]+)"', "\n".join(
        path.read_text(encoding="utf-8") for path in (REPO / "copi_cli").rglob("*.py"))))
    assert len(written) > 15
    assert written | {"edit"} == set(ACTIONS), sorted(written ^ set(ACTIONS))
    assert {"init", "advance", "revisit", "close", "reopen"} == set(choices("action"))


def test_render_list_says_the_audience_in_danish_and_json_keeps_it(
        copi, example, monkeypatch) -> None:
    danish, english = _both(copi, monkeypatch, "render", "--list", cwd=example)
    assert danish.code == english.code == 0
    assert re.search(r"fase 1  offentlig problembeskrivelse$", danish.out, re.M), danish.out
    assert not re.search(r"\b(?:public|internal)\b", danish.out), danish.out
    assert re.search(r"phase 1  public   problembeskrivelse$", english.out, re.M)
    danish, english = _both(copi, monkeypatch, "render", "--list", "--json", cwd=example)
    assert danish.out == english.out and '"audience": "public"' in danish.out


# --- the OS's errors -------------------------------------------------------------------------

def test_the_common_errors_of_the_os_are_said_in_danish() -> None:
    import errno
    import os
    import sys

    from copi_cli.messages import _ERRNOS, catalogue, os_reason, text_in

    for number, key in _ERRNOS.items():
        said = os_reason(OSError(number, os.strerror(number)))
        assert said == os.strerror(number)  # English: the OS's own words, as before
        assert text_in(said, "da") == said.in_language("da") == catalogue()[key]["da"]
        if sys.platform == "linux":  # the catalogue's English documents glibc's words
            assert catalogue()[key]["en"] == os.strerror(number), key
    other = os_reason(OSError(errno.ECONNREFUSED, os.strerror(errno.ECONNREFUSED)))
    assert other == os.strerror(errno.ECONNREFUSED) and not hasattr(other, "in_language")


def test_an_os_error_at_the_boundary_is_said_in_danish(copi, tmp_path, monkeypatch) -> None:
    too_long = str(tmp_path / ("a" * 300))
    danish, english = _both(copi, monkeypatch, "status", "--dir", too_long, cwd=tmp_path)
    assert danish.code == english.code == 3
    assert danish.err.splitlines()[0].endswith(": filnavnet er for langt"), danish.err
    assert english.err.splitlines()[0].endswith(": File name too long"), english.err
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    danish, english = _both(copi, monkeypatch, "status")
    assert danish.err.startswith("copi: fejl: .: filen eller mappen findes ikke"), danish.err
    assert english.err.startswith("copi: error: .: No such file or directory"), english.err


def test_audit_names_phases_by_number_in_danish_and_never_says_none(
        copi, example_repo, monkeypatch) -> None:
    """The example's history has no transition commits: A001 names each entry's phases."""
    danish, english = _both(copi, monkeypatch, "audit", cwd=example_repo)
    assert danish.code == english.code
    assert "A001 punkt 1 i historikken (– → fase 1, " in danish.out, danish.out
    assert "A001 punkt 2 i historikken (fase 1 → fase 2, " in danish.out
    assert "A001 history entry 1 (– → innovation-need, " in english.out, english.out
    assert "None" not in danish.out + english.out


def test_a_document_is_named_as_a_dane_types_it(copi, example, monkeypatch) -> None:
    """render takes a document's id or its Danish file name: Danish messages give the Danish
    name, English ones the id, and a near miss gets a did-you-mean."""
    danish, english = _both(copi, monkeypatch, "render", "problembeskrivlese", cwd=example)
    assert danish.code == english.code == 2
    assert "råd: mente du »problembeskrivelse«? Dokumenterne: problembeskrivelse, " \
        "pressemeddelelse, invitation, behovsudforskning" in danish.err, danish.err
    assert "hint: did you mean 'problembeskrivelse'? The documents: problem-description, " \
        "press-release" in english.err, english.err
    danish, english = _both(copi, monkeypatch, "render", cwd=example)
    assert "fx copi render hensigtserklaering --format pdf,docx" in danish.err, danish.err
    assert "e.g. copi render declaration --format pdf,docx" in english.err
