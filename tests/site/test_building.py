"""copi site's build: byte-reproducible, written whole or not at all, refused when a page would
leak, and inert whatever the process holds."""

from __future__ import annotations

import filecmp
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import commit_all, committed_example, copi_executable, git, outside_env


def _tree(top: Path) -> dict[str, bytes]:
    return {path.relative_to(top).as_posix(): path.read_bytes()
            for path in sorted(top.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def twice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example's site built twice from the same revision: once here, once from a clone at
    another path, in another time zone, with another cache."""
    top = tmp_path_factory.mktemp("twice")
    env = outside_env(top / "home")
    root = committed_example(top / "one" / "faerre-fald", env)
    subprocess.run(["git", "clone", "-q", str(root), str(top / "elsewhere" / "checkout")],
                   env=env, check=True, capture_output=True)
    other = dict(outside_env(top / "home2"), TZ="Pacific/Auckland")
    for cwd, environment, out in ((root, env, top / "a"),
                                  (top / "elsewhere" / "checkout", other, top / "b")):
        done = subprocess.run([*copi_executable(), "site", "--out", str(out), "--base-url",
                               "https://example.org/p/"], cwd=cwd, env=environment,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    return top / "a", top / "b"


def test_the_same_revision_builds_the_same_bytes(twice: tuple[Path, Path]) -> None:
    one, two = _tree(twice[0]), _tree(twice[1])
    assert len(one) > 10
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []
    assert filecmp.dircmp(twice[0], twice[1]).diff_files == []


def test_every_internal_link_is_relative(twice: tuple[Path, Path]) -> None:
    """Nothing starts at the host's root: served from https://host/project/ it all works."""
    for name, content in _tree(twice[0]).items():
        if not name.endswith(".html"):
            continue
        for target in re.findall(rb'(?:href|src)="([^"]*)"', content):
            assert not target.startswith(b"/"), (name, target)
            if b":" in target.split(b"/")[0]:  # a scheme: only the canonical link
                assert target.startswith(b"https://example.org/p/"), (name, target)


def test_a_folder_that_is_not_a_site_is_not_replaced(copi, example_repo: Path,
                                                     tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.txt").write_text("three years of work", encoding="utf-8")
    done = copi("site", "--out", str(mine), "--dir", str(example_repo))
    assert done.code == 2
    assert "not a site copi built" in done.err and ".copi-site" in done.err
    assert sorted(p.name for p in mine.iterdir()) == ["thesis.txt"]
    file = tmp_path / "a-file"
    file.write_text("x", encoding="utf-8")
    assert copi("site", "--out", str(file), "--dir", str(example_repo)).code == 2
    assert file.read_text(encoding="utf-8") == "x"


def test_a_site_copi_built_is_replaced_whole(copi, example_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert copi("site", "--out", str(out), "--dir", str(example_repo)).code == 0
    (out / "stale.html").write_text("old", encoding="utf-8")
    done = copi("site", "--out", str(out), "--dir", str(example_repo))
    assert done.code == 0, done.err
    assert "8 pages written" in done.out
    assert not (out / "stale.html").exists() and (out / "index.html").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no leftovers


def test_a_page_that_would_leak_is_refused_naming_the_record(copi, example_repo: Path,
                                                             tmp_path: Path) -> None:
    """A contact's e-mail pasted into the shared challenge: the front page would show it."""
    out = tmp_path / "site"
    assert copi("site", "--out", str(out), "--dir", str(example_repo)).code == 0
    before = _tree(out)
    path = example_repo / "copi.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("opdager dem i tide.",
                                 "opdager dem i tide. Skriv til loba@aarhus.example."),
                    encoding="utf-8")
    commit_all(example_repo, "lækage")
    done = copi("site", "--out", str(out), "--dir", str(example_repo))
    assert done.code == 1
    assert "index.html" in done.err and "loba@aarhus.example" in done.err
    assert re.search(r"organisationer/aarhus-kommune\.yaml:\d+ contacts", done.err), done.err
    assert "nothing was written" in done.err
    assert _tree(out) == before  # the earlier site as it was
    fresh = tmp_path / "fresh"
    assert copi("site", "--out", str(fresh), "--dir", str(example_repo)).code == 1
    assert not fresh.exists()


def test_a_base_url_must_be_http(copi, example_repo: Path, tmp_path: Path) -> None:
    done = copi("site", "--out", str(tmp_path / "s"), "--base-url", "javascript:alert(1)",
                "--dir", str(example_repo))
    assert done.code == 2 and "--base-url" in done.err
    assert not (tmp_path / "s").exists()
    # an empty one, as a CI job without a Pages address passes it: no absolute addresses
    assert copi("site", "--out", str(tmp_path / "s"), "--base-url", "",
                "--dir", str(example_repo)).code == 0
    assert b'rel="canonical"' not in (tmp_path / "s" / "index.html").read_bytes()


class _Tags(HTMLParser):
    """Every element and attribute of a page, and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


HOSTILE = '<script>alert("t")</script>{{ 7*7 }} #set page(fill: red) <img src=x onerror=alert(1)>'


def test_a_hostile_process_renders_as_inert_text(copi, example_repo: Path,
                                                 tmp_path: Path) -> None:
    """HTML, script, Jinja and typst in titles, places and texts: the site shows them as
    text and runs nothing."""
    root = example_repo
    process = root / "copi.yaml"
    process.write_text(process.read_text(encoding="utf-8").replace(
        "title: Sammen om færre fald i eget hjem", f"title: '{HOSTILE}'"), encoding="utf-8")
    event = root / "arrangementer" / "2026-09-10-leverandoerkonference.yaml"
    data = yaml.safe_load(event.read_text(encoding="utf-8"))
    data["title"] = HOSTILE
    data["place"] = "</dd><a href='javascript:alert(1)'>x</a>"
    data["description"] = "[klik](javascript:alert(1)) <a href=javascript:alert(2)>her</a>"
    data["materials"][0]["title"] = "<b onclick=alert(3)>Slides</b>"
    event.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    commit_all(root, "fjendtlig")
    out = tmp_path / "site"
    done = copi("site", "--out", str(out), "--dir", str(root))
    assert done.code == 0, done.out + done.err
    pages = sorted(out.rglob("*.html"))
    assert len(pages) == 8
    for page in pages:
        content = page.read_text(encoding="utf-8")
        parsed = _Tags()
        parsed.feed(content)
        names = [tag for tag, _ in parsed.tags]
        assert "script" not in names and "b" not in names, page
        assert names.count("img") == 1  # the logo, no other
        for _, attributes in parsed.tags:
            assert not any(key.startswith("on") for key in attributes), (page, attributes)
            for key in ("href", "src"):
                assert not (attributes.get(key) or "").lower().startswith("javascript:")
        text = "".join(parsed.text)
        assert "49" not in text.replace("2026", "")  # {{ 7*7 }} was not evaluated
        assert HOSTILE in text or page.name not in ("index.html", "events.html"), page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;{{ 7*7 }} #set page" in index
    ics = (out / "events.ics").read_bytes().replace(b"\r\n ", b"")
    assert b"<script>" in ics  # text in a calendar, where it is no markup
    atom = (out / "feed.atom").read_bytes()
    assert b"<script>" not in atom and b"&lt;script&gt;" in atom


def test_the_site_is_built_from_the_public_view_only(copi, example_repo: Path,
                                                     tmp_path: Path) -> None:
    """A question not yet published, and a meeting's confidential notes, stay out; the
    published answer is there without who asked."""
    out = tmp_path / "site"
    assert copi("site", "--out", str(out), "--dir", str(example_repo)).code == 0
    every = b"".join(_tree(out).values())
    questions = yaml.safe_load((example_repo / "spoergsmaal-og-svar.yaml").read_text(
        encoding="utf-8"))["questions"]
    unpublished = [q["question"] for q in questions if not q.get("published")]
    assert unpublished and not any(q.encode() in every for q in unpublished)
    assert "Må løsningen bruge radar".encode() in every
    assert b"radarbaseret sensor" not in every


def test_the_process_language_is_at_the_root_and_lang_chooses_another(
        copi, example_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert copi("site", "--out", str(out), "--lang", "en", "--dir", str(example_repo)).code == 0
    english = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in english
    # the process's own words keep their language on an English page (WCAG 3.1.2)
    assert '<h1><span lang="da">Sammen om færre fald i eget hjem</span></h1>' in english
    assert '<p lang="da">Hvert år falder' in english
    danish = (out / "da" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="da">' in danish and 'href="../index.html" hreflang="en"' in danish
    assert 'href="../style.css"' in danish
    assert 'lang="da"><' not in danish.split("<body>")[1].replace(
        'hreflang="en" lang="en">', "")  # nothing marked on a page in its own language


def test_without_git_the_site_is_still_built(copi, example: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    done = copi("site", "--out", str(out), "--dir", str(example))
    assert done.code == 0, done.err
    assert (out / "documents.html").is_file()


def test_a_published_document_is_offered_as_recorded(copi, example_repo: Path,
                                                     tmp_path: Path) -> None:
    """copi publish, then the site: the file's SHA-256 is the recorded one, and a file that
    cannot be made again as recorded is listed without a download."""
    import hashlib

    from conftest import publish

    publish(example_repo, "problem-description")
    recorded = yaml.safe_load((example_repo / "publikationer.yaml").read_text(
        encoding="utf-8"))["publications"][0]["files"][0]
    out = tmp_path / "site"
    assert copi("site", "--out", str(out), "--dir", str(example_repo)).code == 0
    offered = out / "documents" / recorded["sha256"][:12] / recorded["name"]
    assert hashlib.sha256(offered.read_bytes()).hexdigest() == recorded["sha256"]
    page = (out / "documents.html").read_text(encoding="utf-8")
    assert recorded["sha256"] in page and f'href="documents/{recorded["sha256"][:12]}/' in page
    english = (out / "en" / "documents.html").read_text(encoding="utf-8")
    assert 'href="../documents/' in english
    # a record that no rendering matches: listed, no download
    path = example_repo / "publikationer.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(recorded["sha256"], "0" * 64),
                    encoding="utf-8")
    git(example_repo, "commit", "-qam", "hånd")
    assert copi("site", "--out", str(out), "--dir", str(example_repo)).code == 0
    assert not (out / "documents").exists()
    assert "0" * 64 in (out / "documents.html").read_text(encoding="utf-8")


def test_a_javascript_link_or_a_logo_linked_out_of_the_process_is_refused(
        copi, example_repo: Path, tmp_path: Path) -> None:
    """Validation stops both before a page is made (S004, R016): nothing is written."""
    root = example_repo
    outside = tmp_path / "outside.png"
    outside.write_bytes((root / "materialer" / "logo.png").read_bytes())
    (root / "materialer" / "logo.png").unlink()
    (root / "materialer" / "logo.png").symlink_to(outside)
    event = root / "arrangementer" / "2026-09-10-leverandoerkonference.yaml"
    data = yaml.safe_load(event.read_text(encoding="utf-8"))
    data["materials"][0]["url"] = "javascript:alert(1)"
    event.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    commit_all(root, "fjendtlig")
    out = tmp_path / "site"
    done = copi("site", "--out", str(out), "--dir", str(root))
    assert done.code == 1
    assert "S004 materials/0/url" in done.out and "R016 materialer/logo.png" in done.out
    assert not out.exists()


def test_who_has_signed_the_declaration_is_shown(copi, example_repo: Path,
                                                 tmp_path: Path) -> None:
    """A signature of the day of the last commit or before: on the front page and with the
    declaration, the signer with their office; one dated later is not signed yet."""
    (example_repo / "underskrifter.yaml").write_text(
        "signatures:\n"
        "  - organisation: aarhus-kommune\n    decision: signed\n"
        "    signer: Anders Borgmester\n    title: Rådmand\n    date: '2026-01-10'\n"
        "    place: Aarhus\n"
        "  - organisation: horsens-kommune\n    decision: signed\n"
        "    signer: Hanne Senere\n    title: Borgmester\n    date: '2099-01-01'\n",
        encoding="utf-8")
    commit_all(example_repo, "underskrift")
    out = tmp_path / "site"
    done = copi("site", "--out", str(out), "--dir", str(example_repo))
    assert done.code == 0, done.out + done.err
    front = (out / "index.html").read_text(encoding="utf-8")
    assert re.search(r"Aarhus Kommune — har underskrevet hensigtserklæringen <time "
                     r'datetime="2026-01-10">10\. januar 2026</time>', front), front
    assert "Horsens Kommune — har ikke underskrevet" in front
    declaration = (out / "en" / "documents.html").read_text(encoding="utf-8")
    assert "Aarhus Kommune (Anders Borgmester, Rådmand) — signed the declaration" in declaration
    assert "Hanne Senere" not in declaration


@pytest.mark.parametrize("named", ["moeder/2026-09-24-sensa-care.yaml",
                                   "materialer/../.git/config", "minutes.pdf",
                                   "materialer/program.html", "materialer/plan.svg"])
def test_a_material_that_is_a_record_hidden_or_a_page_is_never_published(
        copi, example_repo: Path, tmp_path: Path, named: str) -> None:
    """A material's file is copied whole, past the confidentiality cut: one naming the
    minutes of a 1:1 meeting, or .git/config (which may hold a token), or a link to either,
    would publish them; an HTML page or an SVG would run its script on the site's origin.
    The build is refused, naming the event's record."""
    root = example_repo
    git(root, "config", "remote.origin.url", "https://user:s3cret-token@example.org/p.git")
    if named == "minutes.pdf":  # a link to the minutes, under a harmless name
        (root / named).symlink_to(root / "moeder" / "2026-09-24-sensa-care.yaml")
    if named.endswith((".html", ".svg")):  # script on the site's origin
        (root / named).write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>'
                                  "alert(document.domain)</script></svg>", encoding="utf-8")
    event = root / "arrangementer" / "2026-09-10-leverandoerkonference.yaml"
    data = yaml.safe_load(event.read_text(encoding="utf-8"))
    data["materials"].append({"title": "Referat", "file": named, "published": "2026-09-14",
                              "visibility": "all-market"})
    event.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    commit_all(root, "materiale")
    out = tmp_path / "site"
    done = copi("site", "--out", str(out), "--dir", str(root))
    assert done.code == 1, done.err
    assert "arrangementer/2026-09-10-leverandoerkonference.yaml" in done.err
    assert ("a browser runs script in" if named.endswith((".html", ".svg"))
            else "is a record of the process or a hidden file") in done.err
    assert not out.exists()


@pytest.mark.parametrize("around", [0, 1])
def test_the_process_or_a_folder_around_it_is_never_replaced(
        copi, example_repo: Path, around: int) -> None:
    """A process repo may carry a .copi-site file; `--out` naming the process (or the folder
    it lies in) then looked like a site copi built, and the build moved the process, its
    .git with it, aside and removed it."""
    root = example_repo
    target = root.parents[around - 1] if around else root
    (target / ".copi-site").write_text("copi site\n", encoding="utf-8")
    before = sorted(p.name for p in target.iterdir())
    done = copi("site", "--out", str(target), "--dir", str(root))
    assert done.code == 2, done.err
    assert "is the process or a folder it lies in" in done.err
    assert sorted(p.name for p in target.iterdir()) == before
    assert (root / "copi.yaml").is_file() and (root / ".git").is_dir()


def test_a_question_is_shown_from_the_day_it_is_published(copi, example_repo: Path,
                                                          tmp_path: Path) -> None:
    """The market sees an answer on the day it is published to all, not before: a question
    whose publication is set for a later day is not on the site built before it."""
    root = example_repo
    path = root / "spoergsmaal-og-svar.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    later = next(q for q in data["questions"] if q["id"] == "q-003")
    later.update(answer="Et svar, der offentliggøres senere.", answered="2026-10-03",
                 published="2099-01-01")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    commit_all(root, "svar planlagt")
    out = tmp_path / "site"
    done = copi("site", "--out", str(out), "--dir", str(root))
    assert done.code == 0, done.err
    site = b"".join(_tree(out).values()).decode("utf-8", "replace")
    assert "Hvilke omsorgssystemer" not in site and "offentliggøres senere" not in site
    assert "Må løsningen bruge radar" in site  # one published before is there


def test_an_out_in_a_link_loop_is_refused_not_a_crash(copi, example_repo: Path,
                                                      tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    done = copi("site", "--out", str(loop), "--dir", str(example_repo))
    assert done.code == 2 and "not a site copi built" in done.err, done.err
    assert "internal error" not in done.err


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_each_page_says_as_of_when_and_each_phase_when(copi, example_repo: Path,
                                                       tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """'Upcoming' is as of the last commit's day, so every page says that day; a phase done
    shows when it began and ended, the current one since when, one ahead that it has not
    started."""
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-11-02T12:00:00+01:00")
    git(example_repo, "commit", "-q", "--allow-empty", "-m", "i dag")
    out = tmp_path / "site"
    assert copi("site", "--out", str(out), "--dir", str(example_repo)).code == 0
    for name in ("index.html", "events.html", "market-dialogue.html", "documents.html"):
        assert "Senest opdateret 2. november 2026." in _text(
            (out / name).read_text(encoding="utf-8")), name
        assert "Last updated 2 November 2026." in _text(
            (out / "en" / name).read_text(encoding="utf-8")), name
    front = _text((out / "index.html").read_text(encoding="utf-8"))
    assert ("1. Innovationsbehov hos offentlig indkøber — afsluttet (1. september 2025 – "
            "1. december 2025)") in front
    assert "4. Markedsdialog — nu (siden 17. august 2026)" in front
    assert "5. Behovsformidling — ikke startet" in front
    english = _text((out / "en" / "index.html").read_text(encoding="utf-8"))
    assert "3. Needs exploration — done (2 March 2026 – 17 August 2026)" in english
    assert "4. Market dialogue — now (since 17 August 2026)" in english
    assert "6. The joint declaration of intent — not started" in english


def test_copis_starter_guidance_is_never_published(copi, process: Path, tmp_path: Path,
                                                   danish_cli: None) -> None:
    """A new process still holds copi's placeholder for its description: as a public render
    refuses it, so does the site, naming the page, the file and line, and what to do."""
    out = tmp_path / "site"
    done = copi("site", "--out", str(out), "--dir", str(process))
    assert done.code == 1, done.out + done.err
    assert "index.html: siden ville vise copis vejledning til at komme i gang" in done.err
    assert "»Beskriv i ét afsnit den fælles udfordring" in done.err
    assert "(copi.yaml:" in done.err
    assert "skriv processens egne ord i copi.yaml i stedet" in done.err
    assert not out.exists()


def test_no_date_in_the_feeds_is_later_than_the_site_is_as_of(
        copi, example_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A feed reader sorts by `updated`, and DTSTAMP says when a calendar entry was made: the
    example's launch on 10 June 2027 made both say 2027. The as-of moment is the last commit's
    time; no entry is news later than it, and the feed is as new as its newest entry."""
    from datetime import UTC, datetime
    from xml.etree import ElementTree

    import icalendar

    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-11-02T12:30:05+01:00")
    git(example_repo, "commit", "-q", "--allow-empty", "-m", "i dag")
    as_of = datetime(2026, 11, 2, 11, 30, 5, tzinfo=UTC)
    out = tmp_path / "site"
    assert copi("site", "--out", str(out), "--dir", str(example_repo)).code == 0
    for folder in (out, out / "en"):
        calendar = icalendar.Calendar.from_ical((folder / "events.ics").read_bytes())
        events = calendar.walk("VEVENT")
        assert {e.decoded("DTSTART") for e in events} >= {
            datetime(2027, 6, 10).date()}  # the launch ahead is in the calendar
        assert {e.decoded("DTSTAMP") for e in events} == {as_of}
        atom = "{http://www.w3.org/2005/Atom}"
        feed = ElementTree.fromstring((folder / "feed.atom").read_bytes())
        updated = {entry.findtext(f"{atom}id"): entry.findtext(f"{atom}updated")
                   for entry in feed.findall(f"{atom}entry")}
        assert max(updated.values()) == feed.findtext(f"{atom}updated") \
            == "2026-11-02T11:30:05Z"
        assert all(when <= "2026-11-02T11:30:05Z" for when in updated.values()), updated
        # an event ahead is news as of the build; one announced is news from its announcement
        launch = next(k for k in updated if k.endswith("/event/2027-06-10-lancering%40"
                                                      "faerre-fald.copi"))
        assert updated[launch] == "2026-11-02T11:30:05Z"
        conference = next(k for k in updated if "2026-09-10-leverandoerkonference" in k)
        assert updated[conference] == "2026-08-18T00:00:00Z"


def _advance_to_declaration(root: Path) -> None:
    """The example's copi.yaml moved on to phase 6 as copi advance writes it."""
    path = root / "copi.yaml"
    text = path.read_text(encoding="utf-8").replace("phase: market-dialogue",
                                                    "phase: declaration")
    text = text.replace("settings:", (
        "  - date: \"2026-09-20\"\n    from: market-dialogue\n    to: needs-communication\n"
        "    action: advance\n    actor: Mette Kjær\n"
        "  - date: \"2026-10-01\"\n    from: needs-communication\n    to: declaration\n"
        "    action: advance\n    actor: Mette Kjær\nsettings:"))
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("phase", [4, 6])
def test_before_the_declaration_phase_no_owner_is_said_not_to_have_signed(
        copi, example_repo: Path, tmp_path: Path, phase: int) -> None:
    """In phase 4 nobody has signed, as the method has it: "has not signed yet" beside every
    need owner said nothing but that. Until phase 6 the need owners are named, and one
    sentence says when they sign; from phase 6 on each shows whether they have signed."""
    if phase == 6:
        _advance_to_declaration(example_repo)
        commit_all(example_repo, "fase 6")
    out = tmp_path / "site"
    done = copi("site", "--out", str(out), "--dir", str(example_repo))
    assert done.code == 0, done.out + done.err
    pages = {(lang, name): _text((out / folder / name).read_text(encoding="utf-8"))
             for lang, folder in (("da", ""), ("en", "en"))
             for name in ("index.html", "documents.html")}
    sentence = {"da": "Behovsejerne underskriver hensigtserklæringen i fase 6: Den fælles "
                      "hensigtserklæring.",
                "en": "The need owners sign the declaration of intent in phase 6: The joint "
                      "declaration of intent."}
    not_signed = {"da": "har ikke underskrevet", "en": "has not signed"}
    for (lang, name), text in pages.items():
        assert "Aarhus Kommune" in text and "Region Midtjylland" in text, (lang, name)
        if phase == 4:
            assert not_signed[lang] not in text, (lang, name)
            assert text.count(sentence[lang]) == 1, (lang, name)
        else:
            assert text.count(f"Aarhus Kommune — {not_signed[lang]}") == 1, (lang, name)
            assert sentence[lang] not in text, (lang, name)
