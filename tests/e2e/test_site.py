"""copi site in a real browser, served by a real HTTP server from a sub-path.

The example's site is built once for the module (with a published document, so the documents
page has files to download) and served from /proj/site/ — as a forge's project pages serve it
— by python's http.server. Headless Chromium walks every page: every internal link and asset
answers 200 under the sub-path, axe-core finds no WCAG 2.1 A/AA violation, nothing is fetched
from elsewhere, no script runs, a phone's width fits. The calendar and the feed are read by
their own parsers, and no confidential or personal string of the example is in any file.
"""

from __future__ import annotations

import functools
import re
import subprocess
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urlsplit
from xml.etree import ElementTree

import pytest
import yaml

from conftest import (
    EXAMPLE,
    axe_failures,
    committed_example,
    copi_executable,
    outside_env,
    require_chromium,
)

require_chromium()

SUB_PATH = "/proj/site/"
BASE_URL = "https://example.github.io/proj/site/"
PAGES = ("index.html", "events.html", "market-dialogue.html", "documents.html")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example, committed, its problem description published, and its site built into
    served/proj/site: (the process, the folder served)."""
    top = tmp_path_factory.mktemp("site")
    env = outside_env(top / "home")
    root = committed_example(top / "faerre-fald", env)
    for args in (["publish", "problem-description", "--format", "html"],
                 ["site", "--out", str(top / "served" / "proj" / "site"), "--base-url",
                  BASE_URL]):
        done = subprocess.run([*copi_executable(), *args], cwd=root, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    return root, top / "served"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        pass


@pytest.fixture(scope="module")
def server(built: tuple[Path, Path]) -> Iterator[str]:
    """The served folder over HTTP on 127.0.0.1; the site's address under its sub-path."""
    handler = functools.partial(_Quiet, directory=str(built[1]))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}{SUB_PATH}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    from conftest import chromium

    driver = chromium(tmp_path_factory.mktemp("chromium"))
    yield driver
    driver.quit()


def _site(built: tuple[Path, Path]) -> Path:
    return built[1] / "proj" / "site"


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - our own server
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code


def _every_page(site: Path) -> list[str]:
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html")
                  if not path.relative_to(site).as_posix().startswith("documents/"))


def test_the_site_has_both_languages_and_every_page(built) -> None:
    site = _site(built)
    assert _every_page(site) == sorted([*PAGES, *(f"en/{page}" for page in PAGES)])
    assert (site / ".copi-site").is_file()
    assert '<html lang="da">' in (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in (site / "en" / "index.html").read_text(encoding="utf-8")


def test_every_internal_link_and_asset_resolves_under_a_sub_path(browser, built,
                                                                 server: str) -> None:
    """Walk every page from the front page; every link and asset the pages name answers 200,
    stays under the sub-path, and every #fragment names an element of its page."""
    host = urlsplit(server)
    seen: set[str] = set()
    queue = [server + "index.html"]
    checked: dict[str, int] = {}
    fragments: list[tuple[str, str, str]] = []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        browser.get(url)
        assert browser.execute_script("return document.readyState") == "complete"
        found = browser.execute_script(
            "return [...document.querySelectorAll('a[href], link[href], img[src]')]"
            ".map(e => e.href || e.src)")
        for target in found:
            address, fragment = urldefrag(target)
            parts = urlsplit(address)
            if (parts.scheme, parts.netloc) != (host.scheme, host.netloc):
                continue  # a link the process gives to elsewhere: followed by no one here
            assert parts.path.startswith(SUB_PATH), f"{url} leads out of the sub-path: {target}"
            if address not in checked:
                checked[address] = _status(address)
            assert checked[address] == 200, f"{url} links to {target}: {checked[address]}"
            if fragment:
                fragments.append((url, address, fragment))
            if address.endswith(".html") and "/documents/" not in address:
                queue.append(address)
    walked = {url[len(server):] for url in seen}
    assert walked == set(_every_page(_site(built)))
    for url, address, fragment in fragments:
        browser.get(address)
        assert browser.execute_script("return !!document.getElementById(arguments[0])",
                                      fragment), f"{url}: no #{fragment} in {address}"
    assert any(address.endswith(".ics") for address in checked)
    assert any(address.endswith(".atom") for address in checked)
    assert any("/files/materialer/" in address for address in checked)  # materials
    assert any("/documents/" in address for address in checked)  # the publication


@pytest.mark.parametrize("page", [*PAGES, *(f"en/{page}" for page in PAGES)])
def test_a_page_loads_nothing_from_elsewhere_runs_nothing_and_fits_a_phone(
        browser, server: str, page: str) -> None:
    browser.set_window_size(390, 844)
    try:
        browser.get(server + page)
        resources = browser.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)")
        assert all(name.startswith(server) for name in resources), resources
        assert browser.execute_script("return document.scripts.length") == 0
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - "
            "document.documentElement.clientWidth")
        assert overflow <= 0, f"{page} is wider than a phone ({overflow} px)"
        # the skip link comes first and leads to the main landmark
        first = browser.execute_script(
            "return document.querySelector('body a').getAttribute('href')")
        assert first == "#main"
        headings = browser.execute_script(
            "return [...document.querySelectorAll('h1,h2,h3')].map(h => +h.tagName[1])")
        assert headings[0] == 1 and headings.count(1) == 1
        assert all(b - a <= 1 for a, b in zip(headings, headings[1:], strict=False)), headings
    finally:
        browser.set_window_size(1200, 900)


def test_axe_finds_no_wcag_21_a_or_aa_violation_on_any_page(browser, built,
                                                            server: str) -> None:
    failures = {}
    for page in _every_page(_site(built)):
        failures.update(axe_failures(browser, server + page, page))
    assert not failures, failures


def _public_events() -> list[dict]:
    events = [yaml.safe_load(path.read_text(encoding="utf-8"))
              for path in sorted((EXAMPLE / "arrangementer").glob("*.yaml"))]
    return [event for event in events if event.get("confidential") is not True]


@pytest.mark.parametrize("folder", ["", "en/"])
def test_the_calendar_holds_every_public_event(built, folder: str) -> None:
    import icalendar

    calendar = icalendar.Calendar.from_ical((_site(built) / folder / "events.ics").read_bytes())
    found = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    expected = _public_events()
    assert len(expected) >= 5
    assert sorted(found) == sorted(f"{e['id']}@faerre-fald.copi" for e in expected)
    for event in expected:
        entry = found[f"{event['id']}@faerre-fald.copi"]
        assert str(entry["SUMMARY"]) == event["title"]
        assert entry.decoded("DTSTART").isoformat() == event["date"]
        assert str(entry["URL"]).startswith(f"{BASE_URL}{folder}events.html#event-")


@pytest.mark.parametrize("folder", ["", "en/"])
def test_the_feed_parses_with_publications_and_events(built, folder: str) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.fromstring((_site(built) / folder / "feed.atom").read_bytes())
    assert feed.tag == f"{atom}feed"
    entries = feed.findall(f"{atom}entry")
    titles = [entry.findtext(f"{atom}title") for entry in entries]
    assert len(entries) == len(_public_events()) + 1  # and the one publication
    assert any("problembeskrivelse" in t.lower() or "problem description" in t.lower()
               for t in titles), titles
    links = [link.get("href") for link in feed.iter(f"{atom}link")]
    assert f"{BASE_URL}{folder}feed.atom" in links
    assert all(link.startswith(BASE_URL) for link in links), links


def _secrets() -> set[str]:
    """What the public must never read, collected from the example's records by hand: every
    contact's name, e-mail and phone, the facilitator's own name and e-mail, who asked each
    question, the notes of confidential meetings and of confidential insights, and any field a
    record lists as confidential."""
    found: set[str] = set()

    def walk(value: object) -> Iterator[dict]:
        if isinstance(value, dict):
            yield value
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)

    for path in sorted(EXAMPLE.rglob("*.yaml")):
        if ".copi" in path.parts:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for record in walk(data):
            for contact in record.get("contacts", []) if isinstance(record.get("contacts"),
                                                                    list) else []:
                found.update(str(contact[k]) for k in ("name", "email", "phone")
                             if contact.get(k))
            if record.get("confidential") is True:
                found.update(str(record[k]) for k in ("notes", "minutes", "note", "text")
                             if isinstance(record.get(k), str))
            elif isinstance(record.get("confidential"), list):
                found.update(str(record[k]) for k in record["confidential"]
                             if isinstance(record.get(k), str))
    process = yaml.safe_load((EXAMPLE / "copi.yaml").read_text(encoding="utf-8"))
    found.update([process["facilitator"]["name"], process["facilitator"]["email"]])
    return {text for text in found if len(text) >= 6}


def test_nothing_confidential_or_personal_in_any_file_of_the_site(built) -> None:
    from html import escape

    secrets = _secrets()
    assert "Louise Bach" in secrets and "loba@aarhus.example" in secrets
    assert any("radarbaseret sensor" in s for s in secrets)  # a confidential meeting's notes
    leaks = []
    for path in sorted(p for p in _site(built).rglob("*") if p.is_file()):
        content = path.read_bytes()
        unfolded = content.replace(b"\r\n ", b"")  # the calendar folds long lines
        for secret in secrets:
            for form in {secret, escape(secret), escape(secret, quote=False)}:
                needle = form.encode("utf-8")
                if needle in content or needle in unfolded:
                    leaks.append((path.name, secret))
        # a long passage is looked for by its start too: a page may break it in two
        for secret in (s for s in secrets if len(s) > 40):
            if re.sub(r"\s+", " ", secret[:40]).encode() in re.sub(rb"\s+", b" ", unfolded):
                leaks.append((path.name, secret[:40]))
    assert not leaks, leaks


def test_the_public_contact_and_not_a_tender_are_on_the_market_dialogue_page(built) -> None:
    page = (_site(built) / "market-dialogue.html").read_text(encoding="utf-8")
    assert "Markedsdialogen er ikke et udbud." in page
    assert "kontakt@co-pi.example" in page
    english = (_site(built) / "en" / "market-dialogue.html").read_text(encoding="utf-8")
    assert "The market dialogue is not a tender." in english
    # the published answers, never the asker
    assert "Må løsningen bruge radar" in page
    assert "Sensa Care" not in page.split('id="questions"')[1].split("</section>")[0]


def test_nothing_the_public_cut_removes_is_in_any_file_of_the_site(built) -> None:
    """The second collection: what the confidentiality cut itself removes from the example's
    records for the public (a passage of 20 characters or more; the personal data and
    business secrets whatever their length), looked for in what each file reads as. A text
    the public view shows elsewhere all the same (the slides of an open event, listed again
    on a confidential meeting) is no secret."""
    import datetime as dt

    from copi_cli.rendering.confidentiality import reading
    from copi_cli.rendering.context import Sources
    from copi_cli.validation.pipeline import validate

    report = validate(built[0], today=dt.date(2026, 10, 15), want_workspace=True)
    cut: dict[str, object] = {}
    for lang in ("da", "en"):
        sources = Sources(report, "public", lang, dt.date(2026, 10, 15))
        shown = set(sources.public_texts())
        view = sources.view
        cut.update({text: origin for text, origin in view.cut.items()
                    if len(text) >= 20 and text not in shown})
        cut.update({text: origin for text, origin in view.sensitive.items()
                    if len(text) >= 6 and text not in shown})
    assert len(cut) >= 10, cut
    leaks = []
    for path in sorted(p for p in _site(built).rglob("*") if p.is_file()):
        if path.suffix not in (".html", ".ics", ".atom"):
            continue
        content = path.read_bytes().replace(b"\r\n ", b"")
        text = " ".join(reading("html" if path.suffix == ".html" else "md", content).split())
        text = text.replace("\\,", ",").replace("\\;", ";")
        leaks += [(path.name, needle, origin) for needle, origin in cut.items()
                  if " ".join(needle.split()) in text]
    assert not leaks, leaks
