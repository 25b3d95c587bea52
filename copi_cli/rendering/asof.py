"""Documents as they stood: the process at a revision (read out of git and validated), and a
published document rendered as it was published.

Design:
1. plan: where each document renders from. With `--at REV`, every document from that
   revision. Otherwise a document with a publication whose phase the process has left
   renders from its latest publication's commit (it is what was sent; its phase is over),
   if that commit is in HEAD's history (a record can name any commit, even one made
   outside the branch with git commit-tree: that one is not trusted, and a note says so);
   every other document from the work tree (it is being worked on). A document rendered from
   a commit it was published from is seen as of the publication's day, which is its date, so
   it comes out as the files that were published; the rest are seen as of today.
2. open: each commit the plan needs is read out of git once (copi_cli.trail.revisions) into a
   private folder and validated there; a revision with errors is refused with its findings.
3. prepare: each group of documents through the pipeline (prepare_each), from its own state.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from copi_cli.errors import UserError
from copi_cli.messages import Said
from copi_cli.model import publications
from copi_cli.model.catalogue import load_catalogue
from copi_cli.model.documents import Document, as_typed
from copi_cli.rendering.context import IMPOSSIBLE
from copi_cli.rendering.pipeline import Prepared, Refusal, prepare_each
from copi_cli.trail import gitrepo, revisions
from copi_cli.validation.pipeline import Report, validate


class Origin(NamedTuple):
    """Where a group of documents renders from, and the day they are seen as of."""

    commit: str | None  # None: the work tree
    today: dt.date
    published: bool  # rendered from a commit they were published from, on that day
    documents: tuple[Document, ...]


class InvalidRevision(UserError):
    """The process had validation errors at the revision: nothing can be rendered from it."""

    def __init__(self, report: Report, shown: str) -> None:
        super().__init__(Said("render.revision-invalid", n=len(report.errors), at=shown),
                         hint=Said("render.revision-invalid-hint"))
        self.report = report


def plan(work: Report, documents: Iterable[Document], lang: str, today: dt.date,
         at: str | None = None, repo: gitrepo.Repo | None = None,
         notes: list[tuple[str, str]] | None = None) -> list[Origin]:
    """Where each document renders from (see Design); notes receives why a document renders
    from a publication."""
    ws = work.workspace
    assert ws is not None
    groups: dict[tuple[str | None, dt.date, bool], list[Document]] = {}
    if at is not None:
        assert repo is not None
        commit = revisions.resolve(repo, at)
        for document in documents:
            found = publications.from_commit(ws, document.id, commit, lang)
            key = (commit, found.date, True) if found else (commit, today, False)
            groups.setdefault(key, []).append(document)
    else:
        current = _phase_number(ws.process.get("phase"))
        for document in documents:
            found = publications.latest(ws, document.id, lang)
            if found is not None and repo is None and notes is not None:  # a copy of the files
                notes.append((document.id, Said("render.published-no-git", date=found.date)))
            if found is None or repo is None or _phase_number(document.phase) == current:
                groups.setdefault((None, today, False), []).append(document)
                continue
            if not revisions.in_history(repo, found.commit):  # a dangling or foreign commit
                groups.setdefault((None, today, False), []).append(document)
                if notes is not None:
                    notes.append((document.id, Said(
                        "render.published-off-branch", where=publications.where(ws, found),
                        date=found.date, commit=found.commit[:12])))
                continue
            groups.setdefault((found.commit, found.date, True), []).append(document)
            if notes is not None:
                notes.append((document.id, Said("render.as-published", date=found.date,
                                                commit=found.commit[:12],
                                                document=document.typed)))
    return [Origin(commit, day, published, tuple(docs))
            for (commit, day, published), docs in groups.items()]


def _phase_number(phase: object) -> int | None:
    try:
        return load_catalogue().phase(str(phase)).number
    except (KeyError, ValueError):
        return None


@contextlib.contextmanager
def opened(work: Report, origins: list[Origin], repo: gitrepo.Repo | None,
           shown: str | None = None) -> Iterator[list[tuple[Origin, Report]]]:
    """Each origin with the process it renders from, valid: the work tree as validated, and
    each commit read out of git once, for as long as the block lasts."""
    with contextlib.ExitStack() as stack:
        states: dict[str, Report] = {}
        opened_ = []
        for origin in origins:
            if origin.commit is None:
                opened_.append((origin, work))
                continue
            if origin.commit not in states:
                assert repo is not None
                label = (f"--at {shown}" if shown is not None else Said(
                    "render.the-publication", documents=as_typed(origin.documents),
                    date=origin.today))
                states[origin.commit] = stack.enter_context(
                    state_at(repo, work.root, origin.commit, origin.today, label))
            opened_.append((origin, states[origin.commit]))
        yield opened_


@contextlib.contextmanager
def state_at(repo: gitrepo.Repo, root: Path, commit: str, today: dt.date,
             shown: str) -> Iterator[Report]:
    """The process as it was at commit, read out of git and validated (as of today); refused
    with its findings when it has errors."""
    if not revisions.exists(repo, commit):
        raise UserError(Said("render.commit-missing", at=shown, commit=commit[:12]),
                        hint=Said("render.commit-missing-hint"))
    with revisions.checked_out(repo, root, commit, shown) as revision:
        report = validate(revision.root, today=today, want_workspace=True, use_cache=False)
        if any(d.code not in IMPOSSIBLE for d in report.errors):  # R036: see pipeline
            raise InvalidRevision(report, shown)
        yield report


def prepare_all(states: list[tuple[Origin, Report]], audience: str | None, lang: str,
                notes: list[tuple[str, str]] | None = None, skip: bool = False,
                refusals: list[Refusal] | None = None) -> Iterator[Prepared]:
    """Every document of every origin, each prepared from its own state (with refusals,
    a refused document is recorded there and the others go on)."""
    for origin, report in states:
        yield from prepare_each(report, origin.documents, audience, lang, origin.today, notes,
                                skip, origin.published, refusals)
