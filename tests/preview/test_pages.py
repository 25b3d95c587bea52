"""The preview's pages: in the process's language, every value from the process as text, the
document in a sandboxed frame, readable without script."""

from __future__ import annotations

import base64
import re
from html import escape
from html.parser import HTMLParser
from pathlib import Path

from copi_cli.preview import pages
from copi_cli.preview.session import Session


def _set(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


class _Frames(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.frames: list[dict[str, str | None]] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "iframe":
            self.frames.append(dict(attrs))
        self.scripts += tag == "script"


def test_an_english_process_gets_english_pages(example: Path) -> None:
    _set(example, "copi.yaml", "language: da", "language: en")
    session = Session(example)
    overview = pages.page(session, "/?audience=internal", "Overview", pages.overview(session),
                          "n0nce")
    assert 'lang="en"' in overview
    assert "Internal view — not for publication" in overview
    assert "Show the public version" in overview
    assert "Phase 4 of 6: Market dialogue" in overview
    assert "The demand signal" in overview and "Intern visning" not in overview
    public = pages.page(session, "/documents/declaration?audience=public", "x", "", "n0nce")
    assert "Public view: exactly what a public render shows" in public
    assert 'href="/documents/declaration?audience=internal"' in public


def test_the_document_is_in_a_sandboxed_frame_and_there_without_script(example: Path) -> None:
    session = Session(example)
    shown = session.document("problem-description", "internal")
    html = pages.page(session, "/documents/problem-description?audience=internal", "x",
                      pages.document_page(session, "problem-description", "internal", shown),
                      "n0nce")
    found = _Frames()
    found.feed(html)
    assert found.scripts == 1  # the page's own few lines, which only fetch it again
    [frame] = found.frames
    assert frame["sandbox"] == "allow-same-origin"  # no script runs in it
    assert frame["srcdoc"] == shown.html  # escaped into the attribute, read back whole
    assert "Hvert år falder omkring hver tredje borger" in (frame["srcdoc"] or "")
    assert frame["title"] == "Kort problembeskrivelse"


def test_values_from_the_process_are_text(example: Path) -> None:
    _set(example, "organisationer/aarhus-kommune.yaml", "name: Aarhus Kommune",
         'name: "Aarhus </td><script>alert(1)</script>"')
    session = Session(example)
    html = pages.overview(session)
    assert "<script>" not in html
    assert "Aarhus &lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_change_that_could_not_be_followed_is_said(example: Path) -> None:
    session = Session(example)
    session.trouble = "<b>gone</b>"
    html = pages.findings(session)
    assert "copi kunne ikke følge den seneste ændring (&lt;b&gt;gone&lt;/b&gt;)" in html


def test_a_process_broken_from_the_start_shows_its_findings(example: Path) -> None:
    _set(example, "copi.yaml", "phase: market-dialogue", "phase: somewhere-else")
    session = Session(example)
    assert not session.valid
    html = pages.overview(session)
    assert "Processens stade kan ikke vises" in html
    assert '<span class="where">copi.yaml:' in html
    shown = session.document("declaration", "internal")
    assert shown.html is None and shown.stale
    assert "Dokumentet vises, når processens fejl er rettet." in pages.document_page(
        session, "declaration", "internal", shown)


def test_the_overview_draws_the_demand_signal_beside_its_table(example: Path) -> None:
    from copi_cli.rendering import charts

    session = Session(example)
    html = pages.overview(session)
    potential, colours = session.chart_data()
    alt = charts.demand_chart_alt(potential, "da")
    assert alt and f'alt="{escape(alt)}"' in html
    found = re.search(r'<img class="chart" src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert found is not None
    svg = base64.b64decode(found.group(1)).decode("utf-8")
    assert svg == charts.demand_chart_svg(potential, "da", colours)
    assert "Silkeborg Kommune" in svg
