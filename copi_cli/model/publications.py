"""The publications a process records (publikationer.yaml): what copi publish published, when,
in which language, from which commit, and each file's SHA-256.

A document that has been published renders as it was published once the process has left its
phase; `copi audit` renders every publication again and compares. Both read them from here.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from copi_cli.model.workspace import Workspace

PUBLICATIONS = "publikationer.yaml"


class PublishedFile(NamedTuple):
    name: str
    format: str
    sha256: str


class Publication(NamedTuple):
    place: int  # its index in the file's list, to locate it
    document: str
    date: dt.date
    language: str
    commit: str
    copi_version: str
    files: tuple[PublishedFile, ...]


def publications(ws: Workspace) -> list[Publication]:
    """Every publication the process records, in the file's order (oldest first); an entry
    whose date is not a real day is left out (validation reports it)."""
    found = []
    for index, entry in enumerate(ws.single_data("publications").get("publications", [])):
        try:
            day = dt.date.fromisoformat(str(entry["date"]))
        except ValueError:
            continue
        found.append(Publication(
            index, entry["document"], day, entry["language"], entry["commit"],
            entry["copi_version"],
            tuple(PublishedFile(f["name"], f["format"], f["sha256"]) for f in entry["files"])))
    return found


def latest(ws: Workspace, document: str, language: str | None = None) -> Publication | None:
    """The latest publication of a document (by date, then by place in the file), in the
    language asked for when there is one, else in any."""
    mine = [p for p in publications(ws) if p.document == document]
    if language is not None and any(p.language == language for p in mine):
        mine = [p for p in mine if p.language == language]
    return max(mine, key=lambda p: (p.date, p.place)) if mine else None


def from_commit(ws: Workspace, document: str, commit: str,
                language: str | None = None) -> Publication | None:
    """The latest publication of a document rendered from this commit (in the language asked
    for when there is one)."""
    mine = [p for p in publications(ws) if p.document == document and p.commit == commit]
    if language is not None and any(p.language == language for p in mine):
        mine = [p for p in mine if p.language == language]
    return max(mine, key=lambda p: (p.date, p.place)) if mine else None


def where(ws: Workspace, publication: Publication) -> str:
    """The publication's entry as file:line, for messages that name it."""
    from copi_cli.model.yamlsource import locate

    text = (ws.root / PUBLICATIONS).read_text(encoding="utf-8-sig")
    line, _, _ = locate(text, ("publications", publication.place))
    return f"{PUBLICATIONS}:{line}"
