"""The site's HTML helpers: text stays text, links only where a reader may follow them, brand
colours only where they keep the text readable."""

from __future__ import annotations

import re

from copi_cli.site import pages


def test_only_http_links_are_links() -> None:
    assert pages.external("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert pages.external("http://example.org") == "http://example.org"
    for hostile in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x",
                    "//evil.example/x", "/etc/passwd", "mailto:a@b.dk", "https:///nohost", None):
        assert pages.external(hostile) is None, hostile


def test_a_file_name_is_quoted_into_a_relative_link() -> None:
    assert pages.href("files/materialer/slides 1.pdf") == "files/materialer/slides%201.pdf"
    assert pages.href('files/"><script>.pdf') == "files/%22%3E%3Cscript%3E.pdf"
    assert pages.href("../style.css") == "../style.css"


def test_text_is_escaped_into_paragraphs() -> None:
    made = pages.paragraphs('<script>x</script> & "q"\n\n{{ 7*7 }}')
    assert made == ("<p>&lt;script&gt;x&lt;/script&gt; &amp; &quot;q&quot;</p>\n"
                    "<p>{{ 7*7 }}</p>\n")


def _rule(sheet: str, selector: str) -> str:
    found = re.search(re.escape(selector) + r" \{([^}]*)\}", sheet)
    assert found, selector
    return found.group(1)


def test_the_brand_colours_are_used_where_they_keep_text_readable() -> None:
    sheet = pages.style("#1f4e79", "#c0504d")
    assert "background: #1f4e79; color: #ffffff;" in _rule(sheet, "header")
    assert "#1f4e79" in _rule(sheet, "a")
    light = pages.style("#ffe680", "#c0504d")  # a light primary: dark text on it
    assert "background: #ffe680; color: #111111;" in _rule(light, "header")
    assert "#ffe680" not in _rule(light, "a")  # links on white keep copi's dark blue
    short = pages.style("#fff", None)
    assert "background: #ffffff" in _rule(short, "header")


def test_a_colour_that_is_not_one_is_not_written() -> None:
    sheet = pages.style("red; } body { display: none", "url(https://evil.example/x)")
    assert "display: none" not in sheet and "evil" not in sheet
    assert "background: #1f4e79" in _rule(sheet, "header")
    assert "@" not in sheet  # every placeholder filled


def test_contrast_is_computed_as_wcag_says() -> None:
    assert round(pages._contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(pages._contrast("#777777", "#ffffff"), 2) == 4.48


def test_the_market_dialogue_statement_is_the_report_s_own_words() -> None:
    """The site says what the market dialogue report says, word for word: the dialogue is not
    a tender, and taking part or not has no effect on later tenders."""
    from copi_cli.messages import message
    from copi_cli.resources import shipped_dir

    for lang in ("da", "en"):
        report = (shipped_dir("templates") / "documents" / lang /
                  "market-dialogue-report.md.j2").read_text(encoding="utf-8")
        statement = message("site.not-a-tender", lang)
        assert statement in report, lang
