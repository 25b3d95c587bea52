"""The preview's one long-lived state: the process as last validated, and each document as
last rendered, kept between edits so an edit costs what it changes.

Design:
1. start: validate the process (the pipeline, with its cache) and note where it stands.
2. a change (paths relative to the process): validate again; mark the renderings the change
   can affect (affected()) as stale, and render again at once those someone is looking at.
   While the process has errors nothing is rendered: the last good rendering stays, shown with
   the findings; once they are fixed, what went stale meanwhile is rendered.
3. a page asks for a document: its rendering, made now if it is missing or stale.
Rendering is `copi render DOC --format html` in memory: the same plan (a published document
as published), the same audience view and the same leak check, through the render
pipeline's own functions; nothing is written. One lock: one change or render at a time.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from copi_cli.diagnostics import Diagnostic
from copi_cli.errors import CopiError
from copi_cli.model.documents import Document, load_documents
from copi_cli.validation.pipeline import Report, validate
from copi_cli.validation.status import Status

if TYPE_CHECKING:
    from copi_cli.model.potential import Demand
    from copi_cli.trail.gitrepo import Repo

AUDIENCES = ("internal", "public")
Key = tuple[str, str]  # (document id, audience)


class Shown(NamedTuple):
    """A document as the page shows it: its HTML, or why it cannot be shown."""

    html: str | None
    refusal: tuple[str, str | None] | None = None  # message, hint
    stale: bool = False  # the process has changed since, and cannot be rendered now


class Session:
    """The process behind one preview (see Design)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.documents = {d.id: d for d in load_documents()}
        self.lock = threading.RLock()
        self.version = 0
        self.trouble: str | None = None  # why the last change could not be followed
        self.rendered: dict[Key, Shown] = {}
        self.stale: set[Key] = set()
        self.report: Report
        # where the process stands (standing()), worked out when asked; the last good one
        self._standing: tuple[Status | None, Demand | None, str | None] | None = None
        self._good: tuple[Status | None, Demand | None, str | None] | None = None
        self._chart: tuple[dict | None, dict | None] | None = None  # chart_data(), kept
        self._repo: Repo | None = None
        self._repo_found = False
        self._validate()

    # -- the process ------------------------------------------------------------------------

    @property
    def findings(self) -> list[Diagnostic]:
        return self.report.diagnostics

    @property
    def valid(self) -> bool:
        """Documents can render: no error but one only the documents showing it refuse."""
        from copi_cli.rendering.context import IMPOSSIBLE

        return not any(d.code not in IMPOSSIBLE for d in self.report.errors)

    @property
    def language(self) -> str:
        ws = self.report.workspace
        return ws.language if ws is not None else "da"

    def _validate(self) -> None:
        self.report = validate(self.root, today=dt.date.today(), want_workspace=True)
        self._standing = None
        if self.valid:
            self._chart = None  # made again when the overview asks

    def standing(self) -> tuple[Status | None, Demand | None, str | None]:
        """Where the process stands, its demand signal, and why it cannot be said (None when
        it can): worked out when a page asks, from the process as last validated if it is
        valid, else the last good state stays beside the findings (none yet: tried anyway)."""
        from copi_cli.model.potential import calculate
        from copi_cli.validation.status import build_status

        with self.lock:
            if self._standing is not None:
                return self._standing
            if not self.valid and self._good is not None:
                return self._good
            ws = self.report.workspace
            assert ws is not None
            try:
                potential = ws.single_data("potential")
                self._standing = (build_status(self.report),
                                  calculate(potential, dt.date.today()).demand
                                  if potential.get("owners") else None, None)
                self._good = self._standing
            except Exception as error:
                if self.valid:
                    raise  # a valid process has a state: failing to say it is a bug
                # invalid from the start: records that failed their schema may be any shape
                self._standing = (None, None, str(error))
            return self._standing

    def change(self, paths: Iterable[str], watched: Iterable[Key] = ()) -> set[Key]:
        """The process after a change of these files (relative paths): validated again, the
        renderings it affects stale, those watched rendered again. The keys that changed."""
        with self.lock:
            self._validate()
            self.trouble = None
            touched = affected(paths, self.documents.values(), self.rendered.keys() | set(watched))
            self.stale |= touched
            if self.valid:
                for key in sorted(set(watched) & self.stale):
                    self._render(key)
            self.version += 1
            return touched

    def chart_data(self) -> tuple[dict | None, dict | None]:
        """The demand signal as the documents' charts see it (the internal view's `potential`),
        and brand.yaml's colours, for the overview's chart."""
        from copi_cli.rendering.context import Sources

        with self.lock:
            ws = self.report.workspace
            if self._chart is None and ws is not None and self.valid:
                sources = Sources(self.report, "internal", ws.language, dt.date.today())
                self._chart = (sources.context.get("potential"),
                               ws.single_data("brand").get("colours"))
            return self._chart or (None, None)  # while the process is broken: the last good

    # -- documents --------------------------------------------------------------------------

    def document(self, document_id: str, audience: str) -> Shown:
        """A document for the page: rendered now if missing or stale and the process allows."""
        key = (document_id, audience)
        with self.lock:
            if (key not in self.rendered or key in self.stale) and self.valid:
                self._render(key)
            shown = self.rendered.get(key)
            if shown is None:
                return Shown(None, stale=True)
            return shown._replace(stale=key in self.stale)

    def _render(self, key: Key) -> None:
        try:
            html = render_html(self.report, self.documents[key[0]], key[1], self._git())
            self.rendered[key] = Shown(html)
        except CopiError as error:  # refused: the same message copi render gives
            self.rendered[key] = Shown(None, (error.message, error.hint))
        self.stale.discard(key)

    def _git(self) -> Repo | None:
        """The repository, asked once, and only where a document may render from a commit
        (a publication), as copi render does."""
        ws = self.report.workspace
        if ws is None or not ws.single("publications"):
            return None
        if not self._repo_found:
            from copi_cli.trail import gitrepo

            self._repo, self._repo_found = gitrepo.find_repo(self.root), True
        return self._repo


def render_html(report: Report, document: Document, audience: str, repo: Repo | None) -> str:
    """One document as `copi render DOC --format html [--audience …]` makes it, in memory: its
    plan (as published, if it was and its phase is over), the audience view, the draft and
    internal notices, and for the public the leak check on what the HTML reads as."""
    from copi_cli.rendering import asof
    from copi_cli.rendering.pipeline import Conversions

    ws = report.workspace
    assert ws is not None
    language = ws.language
    today = dt.date.today()
    notes: list[tuple[str, str]] = []
    origins = asof.plan(report, [document], language, today, None, repo, notes)
    with asof.opened(report, origins, repo) as states, \
            Conversions(["html"], report.root) as conversions:
        for prepared in asof.prepare_all(states, audience, language, notes):
            conversions.start(prepared)
        outputs = conversions.collect()
    return outputs[0][2].decode("utf-8")


def affected(paths: Iterable[str], documents: Iterable[Document],
             keys: Iterable[Key]) -> set[Key]:
    """The renderings a change of these files can alter.

    A text (tekster/*.md) alters the documents written from it; every public one too, since
    what the leak check allows is what the public texts say; and the status report, which
    lists each text's open guidance. Anything else — a record, brand.yaml, a template, a
    picture — can alter every document: their records are the whole process."""
    from copi_cli.model.workspace import load_layout
    from copi_cli.rendering.context import text_file

    keys = set(keys)
    changed = list(paths)
    texts = {text["file"] for text in load_layout().texts.values()}
    if any(path not in texts for path in changed):
        return keys
    by_id = {d.id: d for d in documents}
    return {(doc, audience) for doc, audience in keys
            if audience == "public" or doc == "status-report"
            or (doc in by_id and text_file(by_id[doc]) in changed)}
