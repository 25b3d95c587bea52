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
    ("commands/advance.py", "--force --reason TEXT"): "options, put in a message as a value",
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
