"""copi portfolio --site: each process's public site under DIR/<id>/ and an index linking
them, in both languages, with the totals; the processes without a site only in the terminal,
with why."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLE, git


class _Page(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _words(path: Path) -> str:
    return " ".join(" ".join(_Page(path.read_text(encoding="utf-8")).text).split())


def _private_strings() -> list[str]:
    """Contact persons' names and e-mail addresses (need owners' and suppliers'), and the
    confidential meetings' notes."""
    found = []
    for path in sorted([*(EXAMPLE / "organisationer").glob("*.yaml"),
                        *(EXAMPLE / "leverandoerer").glob("*.yaml")]):
        for contact in yaml.safe_load(path.read_text(encoding="utf-8")).get("contacts") or []:
            found += [contact.get("name"), contact.get("email")]
    for path in sorted((EXAMPLE / "moeder").glob("*.yaml")):
        found.append(" ".join(str(yaml.safe_load(path.read_text(encoding="utf-8"))
                                  .get("notes", "")).split()[:6]))
    return [text for text in found if text]


def _described(process: Path) -> None:
    """A new process's own description in place of copi's placeholder, which no site shows."""
    path = process / "copi.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("description: >-\n")
    end = text.index("facilitator:", start)
    path.write_text(text[:start] + "description: Maden skal smage, og den skal spises.\n"
                    + text[end:], encoding="utf-8")
    git(process, "commit", "-q", "-am", "beskrivelse")


@pytest.fixture
def built(copi, portfolio: Path) -> tuple[Path, str]:
    """The portfolio's site, and what copi said on the terminal's error stream."""
    _described(portfolio / "b-madservice")
    run = copi("portfolio", ".", "--site", "../web", cwd=portfolio)
    assert run.code == 1, run.err  # some processes have errors, as without --site
    assert run.err.splitlines()[-1] == (
        "The portfolio's site written: ../web (2 processes with a site)")
    return portfolio.parent / "web", run.err


@pytest.fixture
def web(built: tuple[Path, str]) -> Path:
    return built[0]


def test_the_index_links_each_process_site_and_only_those(built: tuple[Path, str]) -> None:
    """A public page lists only the processes whose site was built: one that is invalid,
    mid-merge or unreadable is left off it entirely, not named with copi's or git's words;
    the terminal says why each has no site."""
    web, told = built
    assert (web / "faerre-fald" / "index.html").is_file()
    assert (web / "b-madservice" / "index.html").is_file()
    assert sorted(p.name for p in web.iterdir()) == [
        ".copi-site", "b-madservice", "da", "faerre-fald", "index.html", "style.css"]
    english = _words(web / "index.html")
    assert ("Process Phase Need owners Signed "
            "Sammen om færre fald i eget hjem 4. Market dialogue since 17 August 2026 7 0 of 7 "
            "Fremtidens madservice 1. Innovation need at a public buyer since 2 March 2026 1 "
            "0 of 1") in english
    for page in (web / "index.html", web / "da" / "index.html"):
        words = _words(page)
        assert words.count("Sammen om færre fald i eget hjem") == 1, page  # not c-ugyldig
        for internal in ("Without a public site", "Uden offentlig side", "c-ugyldig",
                         "d-flettes", "e-brudt", "validation error", "valideringsfejl",
                         "mid-merge", "fletning", "cannot be read", "kan ikke læses", " of 5 ",
                         " af 5 "):
            assert internal not in words, (page, internal)
    # the terminal, and only the terminal, says why the others have no site
    lines = told.splitlines()
    assert "c-ugyldig: no site: the process has 1 validation error(s)" in told
    assert any(line.startswith("d-flettes: no site: mid-merge") for line in lines), told
    assert any(line.startswith("e-brudt: no site: cannot be read as a process")
               for line in lines), told
    assert ("In all 2 processes have a public site. Processes per phase "
            "1. Innovation need at a public buyer: 1 4. Market dialogue: 1 "
            "Public bodies engaged (7) Aarhus Kommune (1) Horsens Kommune (2) Randers Kommune "
            "(1) Region Midtjylland (1) Silkeborg Kommune (1) Skanderborg Kommune (1) "
            "Viborg Kommune (1)") in english
    danish = _words(web / "da" / "index.html")
    assert "Porteføljen" in danish and "4. Markedsdialog siden 17. august 2026" in danish
    assert "2 processer har en offentlig side." in danish
    # the page is about many processes, and built by copi portfolio
    assert danish.endswith("Siden er dannet med copi ud fra processernes offentlige oplysninger.")
    assert english.endswith("This page is built with copi from the public information of the "
                            "processes.")
    # a Danish title on the English page says so, for a screen reader
    assert '<span lang="da">Fremtidens madservice</span>' in (web / "index.html").read_text(
        encoding="utf-8")


def test_every_link_is_relative_and_resolves(web: Path) -> None:
    for page in (web / "index.html", web / "da" / "index.html"):
        for link in _Page(page.read_text(encoding="utf-8")).links:
            if link.startswith(("#", "data:")):
                continue
            assert not re.match(r"^[a-z]+:|^/", link), link  # never absolute
            assert (page.parent / link).resolve().is_file(), (page, link)


def test_nothing_private_is_on_the_index(web: Path) -> None:
    pages = " ".join((web / p).read_text(encoding="utf-8")
                     for p in ("index.html", "da/index.html"))
    private = _private_strings()
    assert len(private) >= 5
    for text in private:
        assert text not in pages, text
    assert str(web.parent) not in pages  # no folder of this machine


def test_a_folder_that_is_not_a_copi_site_is_refused(copi, portfolio: Path) -> None:
    mine = portfolio.parent / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine\n", encoding="utf-8")
    run = copi("portfolio", "a-faerre-fald", "--site", str(mine), cwd=portfolio)
    assert run.code == 2 and (mine / "notes.txt").is_file()
    # refused before any process is read, with the option this command has
    assert run.out == "" and "--site" in run.err and "--out" not in run.err, run.err


def test_building_again_replaces_the_site(copi, web: Path, portfolio: Path) -> None:
    shutil.rmtree(portfolio / "b-madservice")
    assert copi("portfolio", ".", "--site", "../web", cwd=portfolio).code == 1
    assert not (web / "b-madservice").exists() and (web / "faerre-fald").is_dir()


def test_axe_finds_no_wcag_21_a_or_aa_violation(web: Path, tmp_path: Path) -> None:
    from conftest import axe_failures, chromium, require_chromium

    require_chromium()
    browser = chromium(tmp_path / "chromium")
    failures = {}
    try:
        for page in ("index.html", "da/index.html"):
            failures.update(axe_failures(browser, (web / page).as_uri(), page))
    finally:
        browser.quit()
    assert not failures, failures


def test_what_a_refused_site_would_have_leaked_stays_off_the_page(copi, portfolio: Path,
                                                                   tmp_path: Path) -> None:
    """A process whose site is refused because a page would show a contact's e-mail (or
    copi's starter guidance) is left off the index, and what it would have shown with it:
    the index is public too. The terminal says in full why."""
    _described(portfolio / "b-madservice")
    event = portfolio / "a-faerre-fald" / "arrangementer" / "2026-12-08-workshop-kriterier.yaml"
    email = next(contact["email"] for contact in yaml.safe_load(
        (portfolio / "a-faerre-fald" / "organisationer" / "aarhus-kommune.yaml")
        .read_text(encoding="utf-8"))["contacts"])
    event.write_text(re.sub(r"(?m)^description:.*$", f"description: Skriv til {email}.",
                            event.read_text(encoding="utf-8")), encoding="utf-8")
    git(portfolio / "a-faerre-fald", "commit", "-q", "-am", "lækage")
    run = copi("portfolio", ".", "--site", "../web", cwd=portfolio)
    web = portfolio.parent / "web"
    for page in (web / "index.html", web / "da" / "index.html"):
        text = page.read_text(encoding="utf-8")
        assert email not in text and "aarhus-kommune.yaml" not in text, page
    english = _words(web / "index.html")
    assert "Sammen om færre fald i eget hjem" not in english
    assert "Fremtidens madservice" in english
    assert f"a-faerre-fald: no site: events.html: the page would contain confidential " \
           f"material or personal data: \"{email}\"" in run.err


def test_a_confidential_need_owner_is_not_counted_on_the_index(copi, portfolio: Path) -> None:
    """A need owner whose record is confidential is off its process's front page, so the
    index neither counts it among the need owners nor names it."""
    _described(portfolio / "b-madservice")
    process = portfolio / "a-faerre-fald"
    viborg = process / "organisationer" / "viborg-kommune.yaml"
    viborg.write_text(viborg.read_text(encoding="utf-8") + "confidential: true\n",
                      encoding="utf-8")
    git(process, "commit", "-q", "-am", "fortrolig")
    copi("portfolio", ".", "--site", "../web", cwd=portfolio)
    web = portfolio.parent / "web"
    assert "Viborg Kommune" not in _words(web / "faerre-fald" / "index.html")
    for page, of in ((web / "index.html", "0 of 6"), (web / "da" / "index.html", "0 af 6")):
        assert "Viborg" not in _words(page), page
        row = re.search(r'<a href="(?:\.\./)?faerre-fald/index.html">.*?</tr>',
                        page.read_text(encoding="utf-8")).group(0)
        assert "<td>6</td>" in row and of in row, row
