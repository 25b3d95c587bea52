"""A document's date and whether it is a draft, read back from the outputs: the front matter's
date wins, a signed declaration is dated by its signing and stays final when an earlier phase
is reopened, a draft is dated today and says why it is one; and render --at's refusals."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from copi_cli.rendering.formatting import date

from conftest import git

TODAY = dt.date.today()


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def _days_ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def test_a_date_in_the_front_matter_wins(copi, example: Path) -> None:
    text = example / "tekster" / "pressemeddelelse.md"
    text.write_text(text.read_text(encoding="utf-8").replace(
        'updated: "2025-10-28"', 'date: "2026-03-15"'), encoding="utf-8")
    run = copi("render", "press-release", "problem-description", "--format", "pdf,docx,md",
               cwd=example)
    assert run.code == 0, run.err
    build = example / "build"
    assert "15. marts 2026" in pdf_text(build / "pressemeddelelse.pdf")
    assert b"/CreationDate(D:20260315000000Z)" in (build / "pressemeddelelse.pdf").read_bytes()
    with zipfile.ZipFile(build / "pressemeddelelse.docx") as archive:
        core = archive.read("docProps/core.xml").decode("utf-8")
        assert {info.date_time[:3] for info in archive.infolist()} == {(2026, 3, 15)}
    assert re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core) == [
        "2026-03-15T00:00:00Z"] * 2
    assert 'date: "15. marts 2026"' in (build / "pressemeddelelse.md").read_text("utf-8")
    # updated (the day of the text's last edit) is not the date of a document with today's
    # figures: the problem description, whose text has only updated, is today's
    assert f'date: "{date(TODAY, "da")}"' in (build / "problembeskrivelse.md").read_text("utf-8")


def test_a_draft_is_dated_today_and_says_why(copi, example: Path) -> None:
    run = copi("render", "declaration", "--format", "pdf,md", cwd=example)
    assert run.code == 0, run.err
    markdown = (example / "build" / "hensigtserklaering.md").read_text(encoding="utf-8")
    assert f'date: "{date(TODAY, "da")}"' in markdown
    assert ("**Udkast.** Processen er endnu ikke nået til fasen Den fælles "
            "hensigtserklæring. Teksten (tekster/hensigtserklaering.md) er ikke endelig "
            "(status: draft).") in markdown
    text = pdf_text(example / "build" / "hensigtserklaering.pdf")
    assert "UDKAST" in text and date(TODAY, "da") in text


def test_a_missing_text_is_named_as_not_written(copi, example: Path) -> None:
    (example / "tekster" / "behovsformidling.md").unlink()
    run = copi("render", "needs-communication", "--format", "md", "--lang", "en", cwd=example)
    assert run.code == 0, run.err
    markdown = (example / "build" / "needs-communication.md").read_text(encoding="utf-8")
    assert "The text (tekster/behovsformidling.md) has not been written yet." in markdown


@pytest.fixture
def signed(copi, example_repo: Path) -> Path:
    """The example taken to phase 6 and signed by three need owners; Viborg declines and
    Randers has not decided yet."""
    for _ in range(2):
        run = copi("advance", "--force", "--reason", "Prøve", cwd=example_repo)
        assert run.code == 0, run.err
    for owner, days in (("aarhus", 12), ("horsens", 11), ("silkeborg", 9)):
        run = copi("sign", owner, "--signer", f"Borgmester i {owner}", "--title", "Borgmester",
                   "--date", _days_ago(days), cwd=example_repo)
        assert run.code == 0, run.err
    assert copi("decline", "viborg", "--date", _days_ago(8), cwd=example_repo).code == 0
    return example_repo


def test_a_signed_declaration_is_final_dated_by_its_last_signature(copi, signed: Path) -> None:
    run = copi("render", "declaration", "--format", "pdf,md", cwd=signed)
    assert run.code == 0, run.err
    markdown = (signed / "build" / "hensigtserklaering.md").read_text(encoding="utf-8")
    assert f'date: "{date(_days_ago(9), "da")}"' in markdown
    assert "Udkast" not in markdown and "UDKAST" not in pdf_text(
        signed / "build" / "hensigtserklaering.pdf")
    # the parties are those who signed: no blank block for Randers, none for Viborg
    parties = markdown.split("## Parter", 1)[1].split("##", 1)[0]
    assert "Aarhus Kommune, Horsens Kommune og Silkeborg Kommune" in parties
    assert "Randers" not in markdown and "Viborg" not in markdown


def test_reopening_an_earlier_phase_leaves_what_was_reached_final(copi, signed: Path) -> None:
    """Revisiting phase 2 takes back neither the signatures nor the phases reached."""
    assert copi("event", "add", "--kind", "launch", "--date", _days_ago(10), "--title",
                "Lancering", cwd=signed).code == 0
    run = copi("revisit", "matchmaking", "--reason", "Odense vil med", cwd=signed)
    assert run.code == 0, run.err
    run = copi("render", "declaration", "market-dialogue-report", "--format", "pdf,md",
               cwd=signed)
    assert run.code == 0, run.err
    markdown = (signed / "build" / "hensigtserklaering.md").read_text(encoding="utf-8")
    assert f'date: "{date(_days_ago(10), "da")}"' in markdown  # the launch
    for name in ("hensigtserklaering", "markedsdialog"):
        assert "UDKAST" not in pdf_text(signed / "build" / f"{name}.pdf")
        assert "Udkast" not in (signed / "build" / f"{name}.md").read_text(encoding="utf-8")
    # a phase never reached is still a draft: needs communication's text is a draft too
    run = copi("render", "needs-communication", "--format", "md", cwd=signed)
    assert "Udkast" in (signed / "build" / "behovsformidling.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(("day", "final"), [(TODAY + dt.timedelta(days=5), False),
                                            (TODAY - dt.timedelta(days=5), True)])
def test_a_signature_signs_from_its_day(copi, example: Path, day: dt.date,
                                        final: bool) -> None:
    """The signed declaration is final however far the process is, but not before the day
    of its signature."""
    (example / "underskrifter.yaml").write_text(
        "signatures:\n  - {organisation: aarhus-kommune, decision: signed, kind: buyer, "
        f"signer: B, title: Borgmester, date: \"{day.isoformat()}\"}}\n", encoding="utf-8")
    run = copi("render", "declaration", "--format", "md", cwd=example)
    assert run.code == 0, run.err
    markdown = (example / "build" / "hensigtserklaering.md").read_text("utf-8")
    assert ("Udkast" not in markdown) == final
    assert f'date: "{date(day if final else TODAY, "da")}"' in markdown


def test_render_at_refuses_what_names_no_state(copi, example_repo: Path, tmp_path: Path) -> None:
    unknown = copi("render", "press-release", "--at", "ingen-tag", cwd=example_repo)
    assert unknown.code == 2 and "--at ingen-tag: no such revision" in unknown.err
    assert "hint: give a tag (git tag)" in unknown.err
    early = copi("render", "press-release", "--at", "2000-01-01", cwd=example_repo)
    assert early.code == 2 and "no commit on or before that day (the first is of" in early.err
    # a process added to a repository later did not exist at its first commit
    outer = tmp_path / "samling"
    outer.mkdir()
    git(outer, "init", "-q")
    (outer / "LÆSMIG.md").write_text("procesrepo\n", encoding="utf-8")
    git(outer, "add", "-A")
    git(outer, "commit", "-q", "-m", "første")
    first = git(outer, "rev-parse", "HEAD").strip()
    assert copi("init", "madservice", "--owner", "Aarhus Kommune", cwd=outer).code == 0
    missing = copi("render", "press-release", "--at", first[:10], cwd=outer / "madservice")
    assert missing.code == 2, missing.err
    assert f"--at {first[:10]}: the process madservice did not exist at that revision" \
        in missing.err


def test_a_revision_with_errors_is_refused_with_its_findings(copi, example_repo: Path) -> None:
    broken = example_repo / "organisationer" / "aarhus-kommune.yaml"
    broken.write_text(broken.read_text(encoding="utf-8") + "bakcing: x\n", encoding="utf-8")
    git(example_repo, "commit", "-qam", "fejl")
    git(example_repo, "tag", "fejl")
    git(example_repo, "revert", "--no-edit", "HEAD")
    run = copi("render", "press-release", "--at", "fejl", "--format", "md", cwd=example_repo)
    assert run.code == 1
    assert "organisationer/aarhus-kommune.yaml:" in run.out and "S001" in run.out
    assert "the process has 1 validation error(s) at --at fejl" in run.err
    assert copi("render", "press-release", "--format", "md", cwd=example_repo).code == 0
