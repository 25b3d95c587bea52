"""Rendered HTML documents in a real headless browser (Debian's Chromium and ChromeDriver).

The HTML version is what a facilitator puts on a web page or mails as an attachment: it must load
nothing from anywhere, run no script, fit a phone's width and show the brand. Chromium is a
system package (`apt-get install chromium chromium-driver`, as .ci/run does); without it these
tests are skipped, unless COPI_REQUIRE_BROWSER is set (CI sets it), when they fail.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import EXAMPLE, copi_executable, require_chromium

require_chromium()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("browser") / "faerre-fald"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    done = subprocess.run([*copi_executable(), "render", "all", "--format", "html"], cwd=root,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return root / "build"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    from conftest import chromium

    driver = chromium(tmp_path_factory.mktemp("chromium"))
    yield driver
    driver.quit()


DOCUMENTS = ("hensigtserklaering", "markedsdialog", "potentialeberegning", "behovsformidling",
             "underskriftsark", "statusrapport")


@pytest.mark.parametrize("name", DOCUMENTS)
def test_a_document_loads_nothing_runs_nothing_and_fits_a_phone(browser, pages: Path,
                                                                 name: str) -> None:
    browser.set_window_size(390, 844)  # a phone
    browser.get((pages / f"{name}.html").as_uri())
    assert browser.title
    assert browser.find_element("css selector", "h1.title").text
    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    assert resources == []  # styles inline, pictures as data: nothing is fetched
    assert browser.execute_script("return document.scripts.length") == 0
    overflow = browser.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} is wider than a phone ({overflow} px)"  # wide tables scroll


def test_the_declaration_shows_brand_draft_and_signature_blocks(browser, pages: Path) -> None:
    browser.set_window_size(1200, 900)
    browser.get((pages / "hensigtserklaering.html").as_uri())
    logo = browser.find_element("css selector", "header.copi-brand img")
    assert logo.get_attribute("src").startswith("data:image/png;base64,")
    assert browser.execute_script("return arguments[0].naturalWidth", logo) > 0  # decoded
    colour = browser.execute_script(
        "return getComputedStyle(document.querySelector('h1.title')).color")
    assert colour == "rgb(31, 78, 121)"  # brand.yaml's primary, #1f4e79
    draft = browser.find_element("css selector", "div.draft")
    assert draft.is_displayed() and "Udkast" in draft.text
    blocks = browser.find_elements("css selector", "div.signature")
    assert [b.find_element("css selector", "strong").text for b in blocks] == [
        "Aarhus Kommune", "Horsens Kommune", "Randers Kommune", "Region Midtjylland",
        "Silkeborg Kommune", "Skanderborg Kommune", "Viborg Kommune"]
    assert all("Underskrift:" in b.text for b in blocks)
    rows = [b.location["y"] for b in blocks]  # a grid: two blocks to a row on a wide screen
    assert rows[0] == rows[1] < rows[2] == rows[3] < rows[4] == rows[5] < rows[6]
    line = browser.find_element("css selector", "div.signature span.signing-line")
    assert line.size["width"] > 100  # a line to sign on


def test_number_columns_of_the_potential_are_right_aligned(browser, pages: Path) -> None:
    browser.set_window_size(1200, 900)
    browser.get((pages / "potentialeberegning.html").as_uri())
    cell = browser.find_element("css selector", "table tbody tr td:last-child")
    assert browser.execute_script("return getComputedStyle(arguments[0]).textAlign",
                                  cell) == "right"
    assert cell.text.endswith("kr.")


@pytest.mark.parametrize("name, charts", [("potentialeberegning", 1), ("statusrapport", 2)])
def test_every_chart_is_drawn_and_has_alternative_text(browser, pages: Path, name: str,
                                                       charts: int) -> None:
    """The accessibility check of the charts: each picture loads (an SVG the page's policy
    allows), fits the phone and says its figures to a screen reader."""
    browser.set_window_size(390, 844)
    browser.get((pages / f"{name}.html").as_uri())
    found = browser.execute_script(
        "return [...document.querySelectorAll('main figure img')].map(i => ({alt: i.alt, "
        "loaded: i.complete && i.naturalWidth > 0, width: i.getBoundingClientRect().width, "
        "room: i.parentElement.getBoundingClientRect().width}))")
    assert len(found) == charts
    for image in found:
        assert image["loaded"] and 0 < image["width"] <= image["room"]
        assert len(image["alt"]) > 80 and re.search(r"\d{4}", image["alt"])
