"""docs/method.md stays true: every element of the method text has a place in copi that exists,
the catalogue says nothing the method does not, and the page is the data as it is now."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import pytest

from conftest import REPO


def _generator() -> Any:
    """docs/method.py, which is a script beside the page and not part of the package."""
    spec = importlib.util.spec_from_file_location("method_page", REPO / "docs" / "method.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PAGE = _generator()
ELEMENTS: list[dict] = PAGE.load_elements()


@cache
def _catalogue() -> Any:
    from copi_cli.model.catalogue import load_catalogue
    return load_catalogue()


def _enum(schema: str, key: str) -> set[str]:
    """Every value a schema allows under `key`, wherever in the schema it is."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for name, value in node.items():
                if name == key and isinstance(value, dict):
                    found.update(value.get("enum", ()))
                    found.update(value.get("items", {}).get("enum", ()))
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads((REPO / "schemas" / f"{schema}.schema.json").read_text(encoding="utf-8")))
    return found


def _command_exists(words: str) -> bool:
    """A command as a user types it after `copi`, looked up as copi's own group does (the
    commands loaded on first use included)."""
    import typer

    from copi_cli.cli.app import app

    command: Any = typer.main.get_command(app)
    for word in words.split():
        if not hasattr(command, "get_command"):  # a command, not a group: no further words
            return False
        command = command.get_command(command.context_class(command), word)
    return command is not None


def _tool_exists(value: str) -> bool:
    from copi_cli.resources import load_data

    tool, _, question = value.partition("/")
    for entry in load_data("tools.yaml")["tools"]:
        if entry["id"] == tool:
            return not question or any(f["key"] == question for f in entry["fields"])
    return False


def _lines(element: dict, role: str) -> list[str]:
    phase = element.get("phase")
    if not phase:
        return []
    found = _catalogue().phase(phase)
    return [line["en"] for line in (found.need_owners if role == "need-owners"
                                    else found.facilitator)]


def _exists(kind: str, value: str, element: dict) -> bool:
    """Whether a reference names something copi has."""
    from copi_cli.diagnostics import CODES
    from copi_cli.model.documents import load_documents
    from copi_cli.resources import load_data
    from copi_cli.validation.checks import CHECKS

    known: dict[str, Callable[[], bool]] = {
        "result": lambda: value in _catalogue().result_ids(),
        "check": lambda: value in CHECKS,
        "need-owners": lambda: any(value in line for line in _lines(element, kind)),
        "facilitator": lambda: any(value in line for line in _lines(element, kind)),
        "rule": lambda: value in CODES,
        "command": lambda: _command_exists(value),
        "document": lambda: value in {d.id for d in load_documents()},
        "tool": lambda: _tool_exists(value),
        "template": lambda: (REPO / value).is_file() and value.startswith("templates/"),
        "record": lambda: value in {k["kind"] for k in load_data("layout.json")["kinds"]},
        "event-kind": lambda: value in _enum("event", "kind"),
        "role": lambda: value in _enum("organisation", "role"),
        "insight-source": lambda: value in _enum("insights", "source"),
    }
    return known[kind]()


def _references() -> Iterator[tuple[dict, str, str]]:
    for element in ELEMENTS:
        for reference in element["where"]:
            (kind, value), = reference.items()
            yield element, kind, str(value)


def test_every_element_is_whole_and_has_a_place() -> None:
    phases = set(_catalogue().phase_ids)
    ids = [e["id"] for e in ELEMENTS]
    assert len(ids) == len(set(ids)), "element ids repeat"
    for element in ELEMENTS:
        assert set(element) <= {"id", "phase", "kind", "da", "en", "where", "difference"}, (
            element["id"])
        assert element["kind"] in PAGE.KINDS, element["id"]
        assert element["da"] and element["en"], element["id"]
        assert element["where"], f"{element['id']} has no place in copi"
        # cross-cutting elements belong to no phase, every other one to a phase copi has
        assert (element["kind"] == "cross-cutting") == ("phase" not in element), element["id"]
        assert element.get("phase", "innovation-need") in phases, element["id"]
        for reference in element["where"]:
            assert len(reference) == 1 and next(iter(reference)) in PAGE.SHOWN, (
                f"{element['id']}: {reference}")


def test_every_reference_names_something_copi_has() -> None:
    broken = [f"{e['id']}: {kind} {value!r}" for e, kind, value in _references()
              if not _exists(kind, value, e)]
    assert not broken, "no longer in copi (update docs/method.yaml): " + "; ".join(broken)


def test_a_reference_to_nothing_is_found() -> None:
    """The check above has teeth: names that are not in copi are refused, each by its kind."""
    element = {"id": "1.N1", "phase": "innovation-need"}
    for kind, value in [("result", "problem-scope"), ("check", "backings"), ("rule", "R999"),
                        ("need-owners", "Is ready to follow"), ("facilitator", "Sells"),
                        ("command", "owner adopt"), ("command", "validate now"),
                        ("document", "brochure"), ("tool", "planning/budget"),
                        ("tool", "anchoring"), ("template", "templates/none.j2"),
                        ("record", "contract"), ("event-kind", "tender"),
                        ("role", "buyer"), ("insight-source", "rumour")]:
        assert not _exists(kind, value, element), (kind, value)
    assert _exists("command", "owner backing", element)
    assert _exists("tool", "planning/budget_later", element)


def test_the_tools_of_each_phase_are_the_methods() -> None:
    """Each phase's tool elements are the tools the catalogue gives it, no more, no less."""
    for phase in _catalogue().phases:
        named = {str(ref["tool"]) for e in ELEMENTS if e.get("phase") == phase.id
                 and e["kind"] == "tool" for ref in e["where"] if "tool" in ref}
        assert named == set(phase.tools), phase.id


def test_the_catalogue_says_nothing_the_method_does_not() -> None:
    """Every result, need-owner duty and facilitator task of the catalogue is the place of
    some element of the method: a line added to phases.yaml needs its row here."""
    referenced = {(kind, value, e.get("phase")) for e, kind, value in _references()}
    results = {value for kind, value, _ in referenced if kind == "result"}
    unplaced = [r.id for p in _catalogue().phases for r in p.results if r.id not in results]
    for phase in _catalogue().phases:
        for role, lines in (("need-owners", phase.need_owners),
                            ("facilitator", phase.facilitator)):
            quotes = [value for kind, value, where in referenced
                      if kind == role and where == phase.id]
            unplaced += [f"{phase.id} {role}: {line['en']}" for line in lines
                         if not any(quote in line["en"] for quote in quotes)]
    assert not unplaced, "no element of the method text points here: " + "; ".join(unplaced)


def test_the_page_is_the_data() -> None:
    page = (REPO / "docs" / "method.md").read_text(encoding="utf-8")
    assert page == PAGE.to_markdown(ELEMENTS), "regenerate with: python docs/method.py"


def test_the_page_counts_what_it_lists() -> None:
    page = PAGE.to_markdown(ELEMENTS)
    rows = [line for line in page.splitlines() if line.startswith("| ") and
            not line.startswith(("| # ", "| --- "))]
    assert len(rows) == len(ELEMENTS)
    assert f"{len(ELEMENTS)} elements (" in page


@pytest.mark.parametrize("doc", ["README.md", "docs/architecture.md"])
def test_the_page_is_linked(doc: str) -> None:
    assert "method.md" in (REPO / doc).read_text(encoding="utf-8")
