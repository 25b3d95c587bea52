"""Publishing documents, and auditing what was published.

Design (publish):
1. open a Change (copi_cli.trail.change): the repository's lock first, so nothing moves while
   the process is read.
2. refuse uncommitted changes in the process directory (its build/ folder aside): the files
   must be rendered from a commit, and the commit must be what the files say they are.
3. read HEAD's process out of git (copi_cli.rendering.asof) and render each document's public
   version from it, as of the publication's day, which is its date (`copi render DOC --at HEAD`
   after publishing gives the same files). A draft is not published; neither is a day ahead,
   or one before the commit (the text did not exist yet).
4. write the outputs beside their targets under temporary names, add one entry per document to
   publikationer.yaml (document, day, language, commit, copi's version, each file's name,
   format and SHA-256) and commit it as one change, then move the outputs into place. A failure
   before that (a refusing hook, Ctrl-C) leaves the files, the index and the history as they
   were, and no output written.

Design (audit): every publication is rendered again from its commit, as of its day, in its
language and formats; a file whose SHA-256 differs is A011, a commit that is not in the
branch's history A012, each located at its entry in publikationer.yaml. The record is
untrusted too: each entry must be one a `Copi-Action: publish` commit wrote (the file as that
commit left it holds the same entry), else A014, as a hand-edited copi.yaml history is A003;
a commit that changed the file without being a publish commit is A014 as well. A date before
its revision's commit day, or after the day of the commit that recorded it, is A013. Only an
entry a publish commit wrote, by another version of copi, turns a differing file into a
warning (an upgrade may set a document differently): a version written by hand does not.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from copi_cli import __version__
from copi_cli.diagnostics import Diagnostic
from copi_cli.errors import CopiError, UsageError, UserError
from copi_cli.messages import Said, message
from copi_cli.model import publications
from copi_cli.model.documents import Document, find_document
from copi_cli.model.publications import PUBLICATIONS, Publication
from copi_cli.rendering import asof, formatting
from copi_cli.rendering.pipeline import (
    Conversions,
    Prepared,
    joined,
    move_into_place,
    open_output_dir,
    output_dir,
    refuse_obstacles,
    write_temporary,
)
from copi_cli.trail import gitrepo, revisions
from copi_cli.trail.audit import TrailEntry, read_trail
from copi_cli.trail.change import Change
from copi_cli.validation.pipeline import Report


class Published(NamedTuple):
    """What copi publish did."""

    day: dt.date
    revision: str  # the commit the files were rendered from
    commit: str | None  # the commit that records the publication
    files: list[Path]  # the files written


def publish(root: Path, documents: Iterable[Document], formats: list[str], lang: str | None,
            day: dt.date | None, out: Path | None, today: dt.date) -> Published:
    """Render the public version of each document from HEAD, record the publication and
    commit it, and write the files (see Design)."""
    chosen = list({document.id: document for document in documents}.values())
    for document in chosen:
        if document.audience != "public":
            raise UsageError(Said("publish.internal", document=document.typed),
                             hint=Said("publish.internal-hint", document=document.typed))
    day = day or today
    if day > today:
        raise UsageError(Said("publish.date-ahead", day=day, today=today),
                         hint=Said("publish.date-ahead-hint"))
    with Change(root, today) as change:
        assert change.repo is not None
        repo = change.repo
        _refuse_uncommitted(repo, root)
        revision = gitrepo.run(repo.root, "rev-parse", "--verify", "HEAD^{commit}").stdout.strip()
        committed = revisions.commit_day(repo, revision)
        if day < committed:
            raise UsageError(Said("publish.date-before-commit", day=day,
                                  commit=revision[:12], committed=committed),
                             hint=Said("publish.date-before-commit-hint"))
        language = lang or change.language
        target = output_dir(root, out)
        with asof.state_at(repo, root, revision, day, "HEAD") as state, \
                Conversions(formats, root) as conversions:
            for prepared in asof.prepare_all([(_origin(chosen, day), state)], "public",
                                             language):
                _refuse_draft(prepared)
                conversions.start(prepared)
            outputs = conversions.collect()
        folder = open_output_dir(root, target)
        written: list[tuple[str, str]] = []
        try:
            names = [p.document.file_name(language, "public", fmt) for p, fmt, _ in outputs]
            refuse_obstacles(folder, names)
            for number, ((_, _, content), name) in enumerate(zip(outputs, names, strict=True)):
                written.append((write_temporary(folder, name, content, number), name))
            for document in chosen:
                change.append(PUBLICATIONS, "publications", _entry(
                    document, day, language, revision,
                    [(name, fmt, content) for (p, fmt, content), name
                     in zip(outputs, names, strict=True) if p.document.id == document.id]))
            recorded = change.apply(_subject(chosen, day, change.language), "publish")
            move_into_place(folder, [(temporary, name) for temporary, name in written])
            written = []
        finally:
            for temporary, _ in written:
                with contextlib.suppress(OSError):
                    os.unlink(temporary, dir_fd=folder)
            os.close(folder)
    return Published(day, revision, recorded.commit, [target / name for name in names])


def _subject(documents: list[Document], day: dt.date, lang: str) -> str:
    """The commit's subject: the documents by name, or their number when the names would
    not fit git's subject line."""
    when = formatting.date(day, lang)
    subject = message("publish.subject", lang, date=when,
                      documents=", ".join(d.name[lang] for d in documents))
    if len(subject) > 72:
        subject = message("publish.subject-many", lang, n=len(documents), date=when)
    return subject


def _origin(documents: list[Document], day: dt.date) -> asof.Origin:
    return asof.Origin(None, day, True, tuple(documents))


def _refuse_uncommitted(repo: gitrepo.Repo, root: Path) -> None:
    """The process directory must be as committed (its build/ folder aside): the publication
    says which commit its files were rendered from."""
    prefix = revisions.prefix_of(repo, root)
    shown = []
    for name in gitrepo.changes(repo, [root]).files:
        relative = name[len(prefix) + 1:] if prefix else name
        if not relative.startswith("build/"):
            shown.append(relative)
    if shown:
        raise UserError(Said("publish.uncommitted", files=", ".join(shown[:5]),
                             more=Said("render.and-more", n=len(shown) - 5)
                             if len(shown) > 5 else ""),
                        hint=Said("publish.uncommitted-hint"))


def _refuse_draft(prepared: Prepared) -> None:
    if prepared.draft:
        raise UserError(Said("publish.draft", document=prepared.document.typed,
                             why=joined(prepared.draft)),
                        hint=Said("publish.draft-hint"))


def _entry(document: Document, day: dt.date, language: str, revision: str,
           files: list[tuple[str, str, bytes]]) -> dict:
    return {"document": document.id, "date": day.isoformat(), "language": language,
            "commit": revision, "copi_version": __version__,
            "files": [{"name": name, "format": fmt,
                       "sha256": hashlib.sha256(content).hexdigest()}
                      for name, fmt, content in files]}


# --- the audit ---------------------------------------------------------------------------

def audit(root: Path, work: Report, repo: gitrepo.Repo) -> list[Diagnostic]:
    """Every publication rendered again from its commit and compared, file by file (see
    Design); findings located at the publication's entry in publikationer.yaml."""
    ws = work.workspace
    assert ws is not None
    # a record that cannot be read cannot be audited: its own findings say why
    findings = [d for d in work.errors if d.path == PUBLICATIONS]
    found = publications.publications(ws)
    if not found:
        return findings
    text = (root / PUBLICATIONS).read_text(encoding="utf-8-sig")

    def at(publication: Publication, *where: str | int) -> tuple[int, int]:
        from copi_cli.model.yamlsource import locate

        line, col, _ = locate(text, ("publications", publication.place, *where))
        return line, col

    recorded, by_hand = _recorded(repo, root)
    entries = ws.single_data("publications").get("publications", [])
    named: set[str] = set()
    for publication in found:
        what = Said("render.the-publication", documents=publication.document,
                    date=publication.date)
        by = recorded.get(_key(entries[publication.place]))
        if by is None:
            last = by_hand[-1] if by_hand else None
            if last is not None:
                named.add(last.commit)
            findings.append(Diagnostic(
                PUBLICATIONS, *at(publication), "A014",
                Said("publish.audit-by-hand", what=what, how=Said(
                    "publish.audit-by-hand-commit", commit=last.commit[:10],
                    subject=last.subject) if last is not None
                    else Said("publish.audit-by-hand-uncommitted")),
                hint=Said("publish.audit-by-hand-hint")))
        if not revisions.exists(repo, publication.commit) or not revisions.in_history(
                repo, publication.commit):
            findings.append(Diagnostic(
                PUBLICATIONS, *at(publication, "commit"), "A012",
                Said("publish.audit-off-branch", what=what, commit=publication.commit[:12]),
                hint=Said("publish.audit-off-branch-hint")))
            continue
        made = revisions.commit_day(repo, publication.commit)
        if publication.date < made:
            findings.append(Diagnostic(
                PUBLICATIONS, *at(publication, "date"), "A013",
                Said("publish.audit-before-commit", what=what,
                     commit=publication.commit[:12], made=made),
                hint=Said("publish.audit-before-commit-hint")))
        if by is not None and publication.date > by[1]:
            findings.append(Diagnostic(
                PUBLICATIONS, *at(publication, "date"), "A013",
                Said("publish.audit-after-record", what=what, commit=by[0][:12],
                     recorded=by[1]),
                hint=Said("publish.audit-after-record-hint")))
        try:
            rendered = render_again(repo, root, publication)
        except CopiError as error:
            findings.append(Diagnostic(
                PUBLICATIONS, *at(publication), "A011",
                Said("publish.audit-unrenderable", what=what, reason=error.message),
                hint=error.hint or f"copi render --at {publication.commit[:12]}"))
            continue
        other = publication.copi_version != __version__ and by is not None
        for index, published in enumerate(publication.files):
            again = rendered.get(published.name)
            if again is not None and hashlib.sha256(again).hexdigest() == published.sha256:
                continue
            change = Said("publish.audit-not-made" if again is None
                          else "publish.audit-differs")
            findings.append(Diagnostic(
                PUBLICATIONS, *at(publication, "files", index, "sha256"), "A011",
                Said("publish.audit-file", what=what, file=published.name, change=change,
                     upgrade=Said("publish.audit-upgrade", then=publication.copi_version,
                                  now=__version__) if other else ""),
                hint=Said("publish.audit-upgrade-hint", commit=publication.commit[:12])
                if other else Said("publish.audit-changed-hint"),
                severity="warning" if other else None))
    for edit in by_hand:
        if edit.commit not in named:  # it removed or reordered entries, say
            findings.append(Diagnostic(
                PUBLICATIONS, 1, 1, "A014",
                Said("publish.audit-outside", commit=edit.commit[:10], subject=edit.subject,
                     file=PUBLICATIONS),
                hint=Said("publish.audit-outside-hint", commit=edit.commit[:10],
                          file=PUBLICATIONS)))
    return findings


def _key(entry: object) -> str:
    """An entry as text that is equal only for an equal entry."""
    return json.dumps(entry, sort_keys=True, default=str, ensure_ascii=False)


def _recorded(repo: gitrepo.Repo, root: Path
              ) -> tuple[dict[str, tuple[str, dt.date]], list[TrailEntry]]:
    """Each entry a publish commit wrote, with the first such commit and its day; and the
    commits that changed publikationer.yaml without being publish commits, oldest first."""
    from copi_cli.model.yamlsource import parse_yaml

    prefix = revisions.prefix_of(repo, root)
    path = f"{prefix}/{PUBLICATIONS}" if prefix else PUBLICATIONS
    recorded: dict[str, tuple[str, dt.date]] = {}
    by_hand: list[TrailEntry] = []
    for change in read_trail(repo, root):
        if PUBLICATIONS not in change.files:
            continue
        if change.action != "publish":
            by_hand.append(change)
            continue
        shown = gitrepo.run(repo.root, "show", f"{change.commit}:{path}", check=False)
        data = parse_yaml(shown.stdout, PUBLICATIONS).data if shown.returncode == 0 else None
        entries = data.get("publications") if isinstance(data, dict) else None
        for entry in entries if isinstance(entries, list) else []:
            recorded.setdefault(_key(entry), (change.commit,
                                              dt.date.fromisoformat(change.date)))
    return recorded, by_hand


def render_again(repo: gitrepo.Repo, root: Path, publication: Publication) -> dict[str, bytes]:
    """The files of a publication, rendered again from its commit: name -> bytes."""
    document = find_document(publication.document)
    formats = list(dict.fromkeys(f.format for f in publication.files))
    with asof.state_at(repo, root, publication.commit, publication.date,
                       Said("render.the-publication", documents=document.typed,
                            date=publication.date)) as state, \
            Conversions(formats, root) as conversions:
        for prepared in asof.prepare_all([(_origin([document], publication.date), state)],
                                         "public", publication.language):
            conversions.start(prepared)
        return {p.document.file_name(publication.language, "public", fmt): content
                for p, fmt, content in conversions.collect()}
