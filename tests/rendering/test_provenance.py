"""Where a leak came from: the record and field it was cut from, the text line or template line
that put it in the document. Read from a real process (the example) and copi's own templates."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from copi_cli.model.documents import find_document
from copi_cli.rendering import provenance
from copi_cli.rendering.confidentiality import Guard, Needle, Origin
from copi_cli.rendering.context import Sources
from copi_cli.rendering.templating import environment, render_traced
from copi_cli.trail.lifecycle import load_valid

from conftest import EXAMPLE


@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "faerre-fald"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("build"))
    return target


def _needle(guard: Guard, text: str) -> Needle:
    found = guard.findings(text)
    assert len({needle.shown for needle in found}) == 1, found
    return found[0]


def test_a_record_field_is_shown_at_its_line(root: Path) -> None:
    guard = Guard({}, sensitive={"loba@aarhus.example": Origin(
        "organisationer/aarhus-kommune.yaml", ("contacts", 0, "email"), "personal")})
    needle = _needle(guard, "loba@aarhus.example")
    lines = (root / "organisationer" / "aarhus-kommune.yaml").read_text().splitlines()
    line = lines.index("    email: loba@aarhus.example") + 1
    assert provenance.origin_shown(root, needle, guard) == \
        f"organisationer/aarhus-kommune.yaml:{line} contacts.email"


def test_a_leak_in_a_text_is_found_at_its_open_line_not_in_a_marked_passage(root: Path
                                                                            ) -> None:
    text = root / "tekster" / "pressemeddelelse.md"
    body = text.read_text(encoding="utf-8")
    text.write_text(body + "\n<!-- loba@aarhus.example -->\n\n::: fortroligt\n"
                    "loba@aarhus.example\n:::\n\nSkriv til\nloba@aarhus.example\n",
                    encoding="utf-8")
    guard = Guard({}, sensitive=["loba@aarhus.example"])
    needle = _needle(guard, "loba@aarhus.example")
    printed = provenance.printed_at(needle, guard, root, load_valid(root, dt.date.today())
                                    .workspace, "tekster/pressemeddelelse.md", list)
    assert printed.text == f"tekster/pressemeddelelse.md:{body.count(chr(10)) + 9}"
    assert printed.hint("").startswith(f"it is in {printed.text}: remove it there")


def test_a_leak_through_a_template_is_traced_to_the_line_and_the_field(root: Path) -> None:
    """The facilitator's contact line in the press release: two fields on one template line."""
    report = load_valid(root, dt.date.today())
    sources = Sources(report, "public", "da", dt.date.today())
    document = find_document("press-release")
    context = {**sources.for_document(document), "text": None}
    env = environment(root, "da")
    parts = render_traced(env, document.template, context)
    assert "".join(part for part, _, _ in parts).startswith("Hvert år falder")
    guard = Guard({}, people={"Mette Kjær": None})
    needle = _needle(guard, "Mette Kjær, CO-PI")
    printed = provenance.printed_at(needle, guard, root, report.workspace, "",
                                    lambda: parts)
    template = next(p for p in (Path(__file__).parents[2] / "templates" / "documents" / "da"
                                ).glob("press-release.md.j2"))
    line = next(n for n, text in enumerate(template.read_text().splitlines(), 1)
                if text.startswith("- Kontakt:"))
    assert printed.template == f"copi's template da/press-release.md.j2:{line}"
    assert printed.fields[0].startswith("copi.yaml:") and \
        printed.fields[0].endswith(" facilitator.name")
    assert printed.hint("").startswith(f"it is printed by {printed.template} from copi.yaml:")


def test_a_process_template_is_traced_in_its_bounded_child(root: Path) -> None:
    (root / "templates").mkdir()
    (root / "templates" / "press-release.md.j2").write_text(
        "Første linje\n\nSkriv til {{ process.title }}\n", encoding="utf-8")
    env = environment(root, "da")
    parts = render_traced(env, "press-release.md.j2", {"process": {"title": "x@y.example"}})
    assert parts[-2] == ("x\\@y\\.example", True, str(root / "templates" /
                                                  "press-release.md.j2") + ":3")
