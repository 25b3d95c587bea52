"""The document catalogue (data/documents.yaml) as typed values.

What copi can render is data: a document is a template, the phase it belongs to, its audience,
the text it is written from and the records it needs. `copi render`, its help and the docs read
the list from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import NamedTuple

from copi_cli.errors import UsageError
from copi_cli.messages import Said, Worded, message
from copi_cli.resources import load_data

AUDIENCES = ("public", "internal")
FORMATS = ("pdf", "docx", "html", "md")


class Document(NamedTuple):
    id: str
    name: dict[str, str]
    file: dict[str, str]
    template: str
    phase: str
    audience: str  # the widest audience it is written for: public or internal
    text: str | None
    requires: tuple[str, ...]
    signing: bool = False  # signed by need owners: final once signed, dated by the signing
    contact: bool = False  # its readers reply to the facilitator's public_contact

    @property
    def typed(self) -> Worded:
        """The document in a message, as one types it: its id in English (as JSON keeps it),
        its Danish file name in Danish (render and publish take both)."""
        return Worded({"en": self.id, "da": self.file["da"]})

    def file_name(self, lang: str, audience: str, extension: str) -> str:
        """problembeskrivelse.pdf; an internal render of a public document gets its own name
        (…-intern.pdf), so the two never overwrite each other."""
        internal = audience == "internal" and self.audience == "public"
        suffix = "-" + message("document.internal", lang) if internal else ""
        return f"{self.file[lang]}{suffix}.{extension}"


@cache
def load_documents() -> tuple[Document, ...]:
    return tuple(
        Document(entry["id"], entry["name"], entry["file"], entry["template"], entry["phase"],
                 entry["audience"], entry.get("text"), tuple(entry.get("requires", ())),
                 entry.get("signing", False), entry.get("contact", False))
        for entry in load_data("documents.yaml")["documents"]
    )


def document_ids() -> list[str]:
    return [document.id for document in load_documents()]


def as_typed(documents: Iterable[Document]) -> Worded:
    """Documents as one may type them: by id in English, by their Danish file names in Danish
    (render and publish take both)."""
    documents = tuple(documents)
    return Worded({"en": ", ".join(d.id for d in documents),
                   "da": ", ".join(d.file["da"] for d in documents)})


def document_names() -> Worded:
    """Every document, as one may type it."""
    return as_typed(load_documents())


def find_document(reference: str) -> Document:
    """A document by id or by its Danish or English file name (hensigtserklaering)."""
    import difflib

    wanted = reference.strip().lower()
    for document in load_documents():
        if wanted in (document.id, *document.file.values()):
            return document
    names = [name for d in load_documents() for name in dict.fromkeys((d.id, *d.file.values()))]
    close = difflib.get_close_matches(wanted, names, n=1)
    raise UsageError(Said("document.unknown", reference=reference),
                     hint=Said("document.did-you-mean", close=close[0], documents=document_names())
                     if close else Said("document.unknown-hint", documents=document_names()))


def parse_formats(value: str) -> list[str]:
    """'pdf,docx' → ['pdf', 'docx'], in the order given, each once."""
    formats: list[str] = []
    for part in value.replace(" ", ",").split(","):
        name = part.strip().lower().lstrip(".")
        if not name:
            continue
        if name == "markdown":
            name = "md"
        if name not in FORMATS:
            raise UsageError(Said("document.format-unknown", format=part.strip()),
                             hint=Said("document.formats-hint", formats=",".join(FORMATS)))
        if name not in formats:
            formats.append(name)
    if not formats:
        raise UsageError(Said("document.format-none"),
                         hint=Said("document.formats-hint", formats=",".join(FORMATS)))
    return formats
