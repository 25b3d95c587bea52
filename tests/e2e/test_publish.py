"""copi publish, render as published, render --at, and the audit of publications, on a real
process: the example rewound to phase 1, its press release published then, the process grown
afterwards to more need owners and the last phase. Outputs are read back (PDF text, DOCX parts)
and compared byte for byte."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from conftest import EXAMPLE, git, head, state_and_work_tree

FORMATS = ("pdf", "docx", "html", "md")
LATER = ("horsens-kommune", "randers-kommune", "region-midtjylland", "silkeborg-kommune",
         "viborg-kommune", "via-university-college")
PHASE_1_DAY = "2025-09-01"  # the process was made, its phase-1 texts committed
PUBLISHED_ON = "2025-10-28"


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def docx_dates(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        core = archive.read("docProps/core.xml").decode("utf-8")
        times = {info.date_time[:3] for info in archive.infolist()}
    return re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core) + [
        dt.date(*day).isoformat() for day in sorted(times)]


def phase_1_of_the_example(root: Path) -> None:
    """The example as it stood in phase 1: Aarhus Kommune alone with its partner, the two
    texts of phase 1 final (and dated by nothing in their front matter)."""
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    for rel in ("arrangementer", "moeder", "leverandoerer", "udforskning"):
        shutil.rmtree(root / rel)
    for rel in ("potentiale.yaml", "underskrifter.yaml", "spoergsmaal-og-svar.yaml",
                "ordliste.yaml", "vaerktoejer/behovsudforskning.yaml",
                "vaerktoejer/markedsdialog.yaml", "tekster/behovsformidling.md",
                "tekster/hensigtserklaering.md", *(f"organisationer/{o}.yaml" for o in LATER)):
        (root / rel).unlink()
    config = (root / "copi.yaml").read_text(encoding="utf-8")
    config = config.replace("phase: market-dialogue", "phase: innovation-need")
    config = config[:config.index('  - date: "2025-12-01"')] + config[config.index("settings:"):]
    (root / "copi.yaml").write_text(config, encoding="utf-8")
    for rel in ("tekster/pressemeddelelse.md", "tekster/problembeskrivelse.md"):
        text = (root / rel).read_text(encoding="utf-8")
        (root / rel).write_text(re.sub(r'updated: "[^"]*"\n', "", text), encoding="utf-8")


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Phase 1 committed and its texts published (all four formats, kept aside), the
    published revision tagged; then five more need owners and forced advances to phase 6."""
    import os
    import subprocess

    from conftest import copi_executable

    tmp = tmp_path_factory.mktemp("grown")
    home = tmp / "home"
    home.mkdir()
    (home / ".gitconfig").write_text("[user]\n\tname = Test Facilitator\n\temail = t@example.dk\n"
                                     "[init]\n\tdefaultBranch = main\n[gc]\n\tauto = 0\n")
    env = {**os.environ, "HOME": str(home), "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
           "GIT_CONFIG_NOSYSTEM": "1", "COPI_CACHE_DIR": str(home / "cache"),
           "NO_COLOR": "1", "COLUMNS": "80", "COPI_LANG": "en"}
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME",
                 "GIT_COMMITTER_EMAIL", "GIT_DIR", "GIT_WORK_TREE"):
        env.pop(name, None)
    root = tmp / "faerre-fald"

    def copi(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*copi_executable(), *args], cwd=root, env=env, text=True,
                              capture_output=True, timeout=300)

    def commit(message: str, day: str | None = None) -> None:
        dated = {} if day is None else {"GIT_AUTHOR_DATE": f"{day}T10:00:00",
                                        "GIT_COMMITTER_DATE": f"{day}T10:00:00"}
        subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
        subprocess.run(["git", "commit", "-q", "-m", message], cwd=root, check=True,
                       env={**env, **dated})

    phase_1_of_the_example(root)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True, env=env)
    # the process as copi init would have committed it, with phase 1's texts
    commit("Opret skaleringsproces: Sammen om færre fald i eget hjem\n\nCopi-Action: init\n"
           "Copi-Process: faerre-fald\nCopi-Phase-To: innovation-need\nCopi-Actor: Mette Kjær\n"
           "Copi-Reason: Processen oprettet\n", PHASE_1_DAY)
    subprocess.run(["git", "tag", "-a", "-m", "Fase 1", "copi/faerre-fald/01-innovation-need"],
                   cwd=root, check=True, env=env)
    revision = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, env=env, text=True,
                              capture_output=True, check=True).stdout.strip()
    published = copi("publish", "press-release", "problem-description", "--date",
                     PUBLISHED_ON, "--format", ",".join(FORMATS))
    assert published.returncode == 0, published.stderr
    kept = tmp / "published"
    shutil.copytree(root / "build", kept)
    subprocess.run(["git", "tag", "pressemeddelelse-1", revision], cwd=root, check=True,
                   env=env)
    shutil.rmtree(root / "build")
    advanced = copi("advance")  # the gate of phase 1 holds: the texts are published
    assert advanced.returncode == 0, advanced.stdout + advanced.stderr
    for owner in LATER:
        shutil.copy(EXAMPLE / "organisationer" / f"{owner}.yaml", root / "organisationer")
    commit("Fem behovsejere mere")
    for _ in range(4):
        forced = copi("advance", "--force", "--reason", "Prøve")
        assert forced.returncode == 0, forced.stderr
    return {"root": root, "published": kept, "revision": revision, "copi": copi,
            "publish_stdout": published.stdout}


def test_publish_records_the_commit_the_day_and_every_files_hash(grown: dict) -> None:
    import hashlib

    root, kept = grown["root"], grown["published"]
    record = yaml.safe_load((root / "publikationer.yaml").read_text(encoding="utf-8"))
    entries = {entry["document"]: entry for entry in record["publications"]}
    assert set(entries) == {"press-release", "problem-description"}
    entry = entries["press-release"]
    assert entry["date"] == PUBLISHED_ON and entry["language"] == "da"
    assert entry["commit"] == grown["revision"]
    from copi_cli import __version__
    assert entry["copi_version"] == __version__
    assert [(f["name"], f["format"]) for f in entry["files"]] == [
        (f"pressemeddelelse.{fmt}", fmt) for fmt in FORMATS]
    for published in entry["files"]:
        assert hashlib.sha256((kept / published["name"]).read_bytes()).hexdigest() \
            == published["sha256"]
    message = git(root, "log", "--format=%B", "--", "publikationer.yaml")
    assert message.startswith("Offentliggør 2 dokumenter (28. oktober 2025)")
    assert "Copi-Action: publish" in message and "Copi-Actor: Test Facilitator" in message
    # the published PDF and DOCX carry the day of publication, and only it
    assert "28. oktober 2025" in pdf_text(kept / "pressemeddelelse.pdf")
    assert b"/CreationDate(D:20251028000000Z)" in (kept / "pressemeddelelse.pdf").read_bytes()
    assert set(docx_dates(kept / "pressemeddelelse.docx")) == {"2025-10-28T00:00:00Z",
                                                                "2025-10-28"}


def test_the_published_press_release_renders_as_published_in_phase_6(grown: dict) -> None:
    root, kept, copi = grown["root"], grown["published"], grown["copi"]
    run = copi("render", "press-release", "--format", ",".join(FORMATS))
    assert run.returncode == 0, run.stderr
    assert "rendered as published on 2025-10-28" in run.stderr
    for fmt in FORMATS:
        assert (root / "build" / f"pressemeddelelse.{fmt}").read_bytes() == \
            (kept / f"pressemeddelelse.{fmt}").read_bytes(), fmt
    text = pdf_text(root / "build" / "pressemeddelelse.pdf")
    assert "28. oktober 2025" in text and "Behovsejere: Aarhus Kommune" in text
    assert "Horsens" not in text and "UDKAST" not in text
    # the work tree's own render of a document of the current phase knows all six owners
    declaration = copi("render", "declaration", "--format", "md")
    assert declaration.returncode == 0, declaration.stderr
    assert "Horsens Kommune" in (root / "build" / "hensigtserklaering.md").read_text("utf-8")


def test_render_all_renders_each_published_document_as_published(grown: dict) -> None:
    root, kept, copi = grown["root"], grown["published"], grown["copi"]
    run = copi("render", "all", "--format", "md", "--out", str(root.parent / "alle"))
    assert run.returncode == 0, run.stderr
    noted = [line for line in run.stderr.splitlines() if "rendered as published" in line]
    assert [line.split(":")[1].strip() for line in noted] == ["problem-description",
                                                              "press-release"]
    for name in ("pressemeddelelse.md", "problembeskrivelse.md"):
        assert (root.parent / "alle" / name).read_bytes() == (kept / name).read_bytes()
    assert "Horsens Kommune" in (root.parent / "alle" / "invitation.md").read_text("utf-8")


def test_render_at_the_published_revision_is_the_published_files(grown: dict) -> None:
    root, kept, copi = grown["root"], grown["published"], grown["copi"]
    out = root.parent / "ved-tag"
    before = git(root, "status", "--porcelain", "--ignored")
    run = copi("render", "press-release", "--at", "pressemeddelelse-1", "--format",
               ",".join(FORMATS), "--out", str(out))
    assert run.returncode == 0, run.stderr
    for fmt in FORMATS:
        assert (out / f"pressemeddelelse.{fmt}").read_bytes() == \
            (kept / f"pressemeddelelse.{fmt}").read_bytes(), fmt
    # by the commit, and by a day: the same state, the same date (it was published from it)
    by_day = copi("render", "press-release", "--at", PUBLISHED_ON, "--format", "pdf",
                  "--out", str(root.parent / "ved-dag"))
    assert by_day.returncode == 0, by_day.stderr
    assert (root.parent / "ved-dag" / "pressemeddelelse.pdf").read_bytes() == \
        (kept / "pressemeddelelse.pdf").read_bytes()
    assert git(root, "status", "--porcelain", "--ignored") == before  # work tree untouched


def test_a_copy_outside_git_renders_its_files_as_they_are(grown: dict, copi,
                                                        tmp_path: Path) -> None:
    copy = tmp_path / "kopi"
    shutil.copytree(grown["root"], copy, ignore=shutil.ignore_patterns(".git", "build"))
    run = copi("render", "press-release", "--format", "md", cwd=copy)
    assert run.code == 0, run.err
    assert "press-release: published on 2025-10-28, but the process is not in a git " \
        "repository: rendered from its files as they are" in run.err
    assert "Horsens Kommune" in (copy / "build" / "pressemeddelelse.md").read_text("utf-8")


def test_a_publication_from_a_commit_outside_the_branch_renders_from_the_work_tree(
        grown: dict) -> None:
    """A record can name any commit: one made with git commit-tree, holding a forged text,
    is not in the branch's history, so the document renders from the work tree, with a note
    that names the entry."""
    import os
    import subprocess

    root, copi = grown["root"], grown["copi"]
    forged = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=root, text=True,
                            input="---\ndocument: press-release\ntitle: FORFALSKET\n"
                                  "status: final\n---\nFORFALSKET\n", capture_output=True,
                            check=True).stdout.strip()
    index = {**os.environ, "GIT_INDEX_FILE": str(root.parent / "forfalsket-index")}
    subprocess.run(["git", "read-tree", grown["revision"]], cwd=root, env=index, check=True)
    subprocess.run(["git", "update-index", "--cacheinfo",
                    f"100644,{forged},tekster/pressemeddelelse.md"], cwd=root, env=index,
                   check=True)
    tree = subprocess.run(["git", "write-tree"], cwd=root, env=index, text=True,
                          capture_output=True, check=True).stdout.strip()
    dangling = git(root, "commit-tree", tree, "-m", "forfalsket").strip()
    original = (root / "publikationer.yaml").read_text(encoding="utf-8")
    lines = original.splitlines()
    entry = next(n for n, line in enumerate(lines) if "document: press-release" in line) + 1
    try:
        (root / "publikationer.yaml").write_text(
            original.replace(grown["revision"], dangling), encoding="utf-8")
        run = copi("render", "press-release", "--format", "md", "--out",
                   str(root.parent / "dinglende"))
        assert run.returncode == 0, run.stderr
        text = (root.parent / "dinglende" / "pressemeddelelse.md").read_text("utf-8")
        assert "FORFALSKET" not in text and "Horsens Kommune" in text  # the work tree's
        assert f"publikationer.yaml:{entry}: published on 2025-10-28 from commit " \
               f"{dangling[:12]}, which is not in this branch's history" in \
               " ".join(run.stderr.split()), run.stderr
    finally:
        (root / "publikationer.yaml").write_text(original, encoding="utf-8")


def test_render_at_head_is_the_process_as_committed_now(grown: dict) -> None:
    root, copi = grown["root"], grown["copi"]
    run = copi("render", "press-release", "--at", "HEAD", "--format", "md", "--out",
               str(root.parent / "nu"))
    assert run.returncode == 0, run.stderr
    text = (root.parent / "nu" / "pressemeddelelse.md").read_text(encoding="utf-8")
    assert "Horsens Kommune" in text  # today's owners: it was not published from HEAD
    from copi_cli.rendering.formatting import date

    assert f'date: "{date(dt.date.today(), "da")}"' in text


def test_publish_then_audit_passes_and_a_changed_record_is_located(grown: dict) -> None:
    root, copi = grown["root"], grown["copi"]
    audited = copi("audit")
    assert audited.returncode == 0, audited.stdout
    assert "A011" not in audited.stdout and "A012" not in audited.stdout
    original = (root / "publikationer.yaml").read_text(encoding="utf-8")
    lines = original.splitlines()
    try:
        # a hash changed by hand: the file it names no longer matches
        at = next(n for n, line in enumerate(lines) if "sha256:" in line)
        digest = lines[at].split("sha256:")[1].strip().strip('"')
        (root / "publikationer.yaml").write_text(
            original.replace(digest, "a" * 64, 1), encoding="utf-8")
        audited = copi("audit")
        assert audited.returncode == 1
        assert re.search(rf"^publikationer\.yaml:{at + 1}:\d+: A011 the publication of "
                         r"press-release on 2025-10-28: pressemeddelelse\.pdf differs",
                         audited.stdout, re.MULTILINE), audited.stdout
        # the revision changed to one the history does not have
        line = next(n for n, text in enumerate(lines) if "commit:" in text)
        (root / "publikationer.yaml").write_text(
            original.replace(grown["revision"], "deadbeef" * 5), encoding="utf-8")
        audited = copi("audit")
        assert audited.returncode == 1
        assert re.search(rf"^publikationer\.yaml:{line + 1}:\d+: A012 the publication of "
                         r"press-release on 2025-10-28 names commit deadbeefdead, which is not "
                         r"in this branch's history", audited.stdout, re.MULTILINE), \
            audited.stdout
        # the revision changed to another that is in the history: its files differ
        (root / "publikationer.yaml").write_text(
            original.replace(grown["revision"], head(root)), encoding="utf-8")
        audited = copi("audit")
        assert audited.returncode == 1 and "A011" in audited.stdout
        assert "pressemeddelelse.pdf differs" in audited.stdout
        # a record that no longer reads as one cannot be audited: said, not passed over
        (root / "publikationer.yaml").write_text(
            original.replace("language: da", "language: 7", 1), encoding="utf-8")
        audited = copi("audit")
        assert audited.returncode == 1
        assert re.search(r"^publikationer\.yaml:\d+:\d+: S00\d ", audited.stdout, re.MULTILINE)
    finally:
        (root / "publikationer.yaml").write_text(original, encoding="utf-8")


def _committed(root: Path, text: str, message: str) -> None:
    """publikationer.yaml changed to text and committed with message (a subject and maybe
    trailers), as a user with git could."""
    (root / "publikationer.yaml").write_text(text, encoding="utf-8")
    git(root, "add", "publikationer.yaml")
    git(root, "commit", "-q", "-m", message)


def _audit_findings(copi) -> tuple[int, list[dict]]:  # noqa: ANN001 - the fixture's runner
    import json

    audited = copi("audit", "--format", "json")
    return audited.returncode, json.loads(audited.stdout)["diagnostics"]


def test_another_version_of_copi_makes_a_difference_a_warning(grown: dict) -> None:
    """Only a record a publish commit wrote: the upgrade's case, made here by a commit that
    carries copi publish's trailer."""
    root, copi = grown["root"], grown["copi"]
    original = (root / "publikationer.yaml").read_text(encoding="utf-8")
    before = head(root)
    try:
        changed = re.sub(r'copi_version: "?[^"\n]*"?', 'copi_version: "0.0.1"', original,
                         count=1)
        changed = changed.replace(re.search(r"sha256: \"?([0-9a-f]{64})", changed)[1],
                                  "f" * 64, 1)
        _committed(root, changed, "Offentliggør med copi 0.0.1\n\nCopi-Action: publish\n")
        code, findings = _audit_findings(copi)
        found = [d for d in findings if d["code"] == "A011"]
        assert code == 0 and len(found) == 1, findings
        assert found[0]["severity"] == "warning"
        assert "published with copi 0.0.1" in found[0]["message"]
        assert "an upgrade may set a document differently" in found[0]["message"]
    finally:
        git(root, "reset", "-q", "--hard", before)


def test_a_back_dated_or_hand_made_record_fails_the_audit(grown: dict) -> None:
    """A date moved before its revision's commit, committed by hand, is A013 at the date's
    line and A014 at the entry; a forged hash under a copi version that never existed stays
    an error when no publish commit wrote it."""
    root, copi = grown["root"], grown["copi"]
    original = (root / "publikationer.yaml").read_text(encoding="utf-8")
    lines = original.splitlines()
    entry = next(n for n, line in enumerate(lines) if "document: press-release" in line) + 1
    dated = next(n for n, line in enumerate(lines[entry - 1:], entry) if "date:" in line)
    before = head(root)
    try:
        back = lines[dated - 1].split("date:")[0] + 'date: "2024-01-01"'
        _committed(root, "\n".join(lines[:dated - 1] + [back] + lines[dated:]) + "\n",
                   "Ret datoen")
        code, findings = _audit_findings(copi)
        assert code == 1
        where = {(d["code"], d["line"]) for d in findings}
        assert ("A013", dated) in where and ("A014", entry) in where, findings
        assert any(d["code"] == "A014" and "Ret datoen" in d["message"] for d in findings)
        git(root, "reset", "-q", "--hard", before)
        forged = re.sub(r'copi_version: "?[^"\n]*"?', 'copi_version: "0.1.1"', original,
                        count=1)
        forged = forged.replace(re.search(r"sha256: \"?([0-9a-f]{64})", forged)[1],
                                "f" * 64, 1)
        _committed(root, forged, "Ny version")
        code, findings = _audit_findings(copi)
        assert code == 1
        assert [d["severity"] for d in findings if d["code"] == "A011"] == ["error"], findings
        assert any(d["code"] == "A014" for d in findings)
        # a day after the commit that recorded it, even in a commit that says publish
        git(root, "reset", "-q", "--hard", before)
        ahead = lines[dated - 1].split("date:")[0] + 'date: "2099-01-01"'
        _committed(root, "\n".join(lines[:dated - 1] + [ahead] + lines[dated:]) + "\n",
                   "Offentliggør\n\nCopi-Action: publish\n")
        code, findings = _audit_findings(copi)
        assert code == 1
        assert [(d["code"], d["line"]) for d in findings if "after the commit" in d["message"]
                ] == [("A013", dated)], findings
    finally:
        git(root, "reset", "-q", "--hard", before)


def test_a_commit_that_only_removes_a_publication_is_found(grown: dict) -> None:
    root, copi = grown["root"], grown["copi"]
    original = (root / "publikationer.yaml").read_text(encoding="utf-8")
    before = head(root)
    try:
        data = yaml.safe_load(original)
        data["publications"] = data["publications"][:1]
        _committed(root, yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                   "Fjern en publikation")
        code, findings = _audit_findings(copi)
        assert code == 1
        assert [(d["code"], d["line"]) for d in findings if d["code"] == "A014"] == [
            ("A014", 1)], findings
        assert "Fjern en publikation" in findings[-1]["message"]
    finally:
        git(root, "reset", "-q", "--hard", before)


# --- refusals ---------------------------------------------------------------------------------

def test_publish_with_uncommitted_changes_is_refused_and_changes_nothing(
        copi, example_repo: Path) -> None:
    text = example_repo / "tekster" / "pressemeddelelse.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nEn ny linje.\n", encoding="utf-8")
    (example_repo / "materialer" / "ny.txt").write_text("ny\n", encoding="utf-8")
    before = state_and_work_tree(example_repo)
    run = copi("publish", "press-release", "--format", "md", cwd=example_repo)
    assert run.code == 1
    assert "not committed: materialer/ny.txt, tekster/pressemeddelelse.md" in run.err
    assert "git stash" in run.err
    assert state_and_work_tree(example_repo) == before
    assert not (example_repo / "build").exists()
    assert not (example_repo / "publikationer.yaml").exists()


def test_publish_undone_when_the_commit_hook_refuses(copi, example_repo: Path) -> None:
    hook = example_repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'hook siger nej' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = state_and_work_tree(example_repo)
    run = copi("publish", "press-release", "--format", "pdf,md", cwd=example_repo)
    assert run.code == 3 and "hook siger nej" in run.err
    assert state_and_work_tree(example_repo) == before
    assert not (example_repo / "publikationer.yaml").exists()
    assert not (example_repo / "build").exists() or not list((example_repo / "build").iterdir())


@pytest.mark.parametrize(("args", "code", "said"), [
    (["declaration"], 1, "declaration is a draft: the process has never reached its phase "
                         "(declaration); tekster/hensigtserklaering.md has status: draft"),
    (["status-report"], 2, "status-report is an internal document and is never published"),
    (["press-release", "--date", "2099-01-01"], 2, "a publication cannot lie ahead"),
    (["press-release", "--date", "2020-01-01"], 2, "--date 2020-01-01 is before the commit"),
])
def test_what_is_not_published(copi, example_repo: Path, args: list[str], code: int,
                               said: str) -> None:
    before = state_and_work_tree(example_repo)
    run = copi("publish", *args, "--format", "md", cwd=example_repo)
    assert run.code == code and said in run.err, run.err
    assert state_and_work_tree(example_repo) == before


@pytest.mark.usefixtures("danish_cli")
def test_a_published_result_needs_a_publication_not_a_status(copi, process: Path) -> None:
    from conftest import commit_all, fulfil_phase_1

    fulfil_phase_1(process)
    (process / "publikationer.yaml").unlink()
    commit_all(process, "Publikationerne slettet")
    gate = copi("advance", "--dry-run", cwd=process)
    assert gate.code == 1
    assert "[ ] Kort problembeskrivelse og pressemeddelelse er skrevet og offentliggjort — " \
           "Kort problembeskrivelse er ikke offentliggjort (copi publish problembeskrivelse)" \
        in gate.out
