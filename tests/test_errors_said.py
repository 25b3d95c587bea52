"""Every error copi raises speaks from the catalogue: a CopiError's message and hint are Said
(copi_cli.messages), never a str literal or an f-string, so that the error boundary can say
them in Danish or English (issue 22, point 4). The same holds for the findings and refusals
the core builds in the parts already converted (yamlsource's limits and tags, tool answers).

The scan reads the source: it finds every class that descends from CopiError and every call of
one, and every `super().__init__` of one, and looks at what is passed as message and hint."""

from __future__ import annotations

import ast
import json
import re
from functools import cache
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "copi_cli"
# Parts of copi still being converted by others (issue 22, point 4; rendering, trail and
# validation have landed): the lead removes each entry once its branch has landed, until the
# list is empty and the scan covers all of copi.
PENDING: list[str] = []
# Calls that are findings or refusals rather than CopiErrors, with the positions (and keyword)
# of their message and hint, checked in the converted parts.
FINDINGS = {"Problem": ((2, None), (3, "hint")), "LimitError": ((0, None), (3, "hint")),
            "TagError": ((0, None),)}


def _trees(paths: list[Path]) -> dict[str, ast.Module]:
    return {str(path.relative_to(REPO)): ast.parse(path.read_text(encoding="utf-8"))
            for path in paths}


@cache
def _all() -> dict[str, ast.Module]:
    return _trees(sorted(PACKAGE.rglob("*.py")))


def _pending(file: str) -> bool:
    return any(file == part or file.startswith(part + "/") for part in PENDING)


def copi_errors(trees: dict[str, ast.Module]) -> tuple[set[str], set[str]]:
    """(every class descending from CopiError, those with an __init__ of their own)."""
    bases: dict[str, set[str]] = {}
    own_init: set[str] = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases[node.name] = {getattr(b, "id", None) or getattr(b, "attr", "")
                                    for b in node.bases}
                if any(isinstance(f, ast.FunctionDef) and f.name == "__init__"
                       for f in node.body):
                    own_init.add(node.name)
    found = {"CopiError"}
    while True:
        more = {name for name, parents in bases.items() if parents & found} - found
        if not more:
            return found, own_init & found
        found |= more


def literal(node: ast.AST | None) -> bool:
    """Whether the node builds text from a literal: 'x', f'x', 'x' + y, 'x'.join(…),
    a if c else 'x', y or 'x'."""
    if node is None:
        return False
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return literal(node.left) or literal(node.right)
    if isinstance(node, ast.IfExp):
        return literal(node.body) or literal(node.orelse)
    if isinstance(node, ast.BoolOp):
        return any(literal(value) for value in node.values)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return literal(node.func.value) and node.func.attr in ("join", "format")
    return False


def _argument(call: ast.Call, position: int, keyword: str | None) -> ast.AST | None:
    if len(call.args) > position and not any(isinstance(a, ast.Starred) for a in call.args):
        return call.args[position]
    return next((k.value for k in call.keywords if keyword and k.arg == keyword), None)


def plain_texts(trees: dict[str, ast.Module], findings: bool = True) -> list[str]:
    """file:line: call for every message or hint given as plain text."""
    errors, own_init = copi_errors({**_all(), **trees})
    wrong = []
    for file, tree in trees.items():
        inits = {}  # super().__init__ calls, by the class they are in
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name in errors:
                for inner in ast.walk(node):
                    inits[id(inner)] = True
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None) or ""
            is_super = (name == "__init__" and isinstance(node.func, ast.Attribute)
                        and isinstance(node.func.value, ast.Call)
                        and getattr(node.func.value.func, "id", None) == "super"
                        and id(node) in inits)
            if (name in errors and name not in own_init) or is_super:
                places: tuple = ((0, "message"), (1, "hint"))
            elif findings and name in FINDINGS:
                places = FINDINGS[name]
            else:
                continue
            if any(literal(_argument(node, position, keyword)) for position, keyword in places):
                wrong.append(f"{file}:{node.lineno}: {ast.unparse(node)[:120]}")
    return wrong


def test_no_error_is_raised_with_plain_text() -> None:
    converted = {file: tree for file, tree in _all().items() if not _pending(file)}
    assert len(converted) > 30, "the scan reads copi's source"
    wrong = plain_texts(converted)
    assert not wrong, ("say it from the catalogue, Said(id, values…) "
                       "(data/messages/*.json):\n" + "\n".join(wrong))


def test_the_parts_still_pending_exist() -> None:
    """An entry that no longer names a part of copi would hide nothing: remove it."""
    for part in PENDING:
        assert (REPO / part).exists() or (REPO / part).with_suffix(".py").exists(), part


def test_the_scan_sees_plain_text_where_it_hides() -> None:
    """The test above is only as good as its reading of calls."""
    source = '''
class CopiError(Exception): ...
class UserError(CopiError): ...
class Refused(UserError):
    def __init__(self, path):
        super().__init__(f"{path} refused", hint=Said("x.y"))
class Other(Exception):
    def __init__(self):
        super().__init__("not ours")
raise UserError("literal")
raise UserError(Said("a.b"), hint="did you mean " + close)
raise UserError(Said("a.b"), hint=", ".join(names))
raise UserError(Said("a.b"), hint=Said("c.d") if close else f"use {x}")
raise UserError(Said("a.b"), Said("c.d"))
raise UserError(message)
raise Refused(path)
yield Problem(where, "R023", f"{key}: wrong", hint)
raise ValueError("not a CopiError")
'''
    tree = {"x.py": ast.parse(source)}
    lines = sorted(int(found.split(":")[1]) for found in plain_texts(tree))
    assert lines == [6, 10, 11, 12, 13, 17], plain_texts(tree)


def test_the_hierarchy_is_found() -> None:
    errors, own_init = copi_errors(_all())
    assert {"UserError", "UsageError", "EnvironmentProblem", "NotAProcessError", "GitError",
            "EditError", "ImportRefused", "AnswersRefused"} <= errors
    assert {"NotAProcessError", "ImportRefused", "AnswersRefused"} <= own_init


# The Danish of the core's messages, read for the glossary's words and the calques a native
# reader stopped at (tests/test_danish.py reads the files at the top of data/ only).
CORE = PACKAGE / "data" / "messages" / "core.json"


def _danish() -> list[tuple[str, str]]:
    catalogue = json.loads(CORE.read_text(encoding="utf-8"))
    found = []
    for key, entry in catalogue.items():
        texts = entry["da"].values() if isinstance(entry["da"], dict) else [entry["da"]]
        found += [(key, text) for text in texts]
    return found


def test_the_core_speaks_the_glossarys_danish() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("danish_rules", REPO / "tests" / "test_danish.py")
    assert spec is not None and spec.loader is not None
    rules = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rules)
    AVOID, CALQUES, NOT_PROSE = rules.AVOID, rules.CALQUES, rules.NOT_PROSE  # noqa: N806
    texts = [(key, NOT_PROSE.sub(" ", text)) for key, text in _danish()]
    hits = []
    for pattern, instead in CALQUES:
        hits += [f"{key}: {instead}" for key, text in texts if re.search(pattern, text)]
    for pattern, instead in AVOID:
        hits += [f"{key}: {instead}" for key, text in texts
                 if re.search(pattern, text, re.IGNORECASE)]
    assert not hits, "\n".join(hits)


@pytest.mark.parametrize("key", ["process.not-found", "lookup.unknown", "tool.per-owner"])
def test_danish_is_not_english(key: str) -> None:
    """A Danish text copied from the English would pass every other check."""
    entry = json.loads(CORE.read_text(encoding="utf-8"))[key]
    assert entry["da"] != entry["en"]
