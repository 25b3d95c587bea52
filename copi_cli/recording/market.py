"""Events and the market dialogue: what facilitators record as it happens.

The legal frame (udbudsloven §§ 39-40, EU directive 2014/24 art. 40-41) shapes the records:
every dialogue activity says how it was announced and whether it was open to all; materials are
published to all after an event; a 1:1 meeting belongs to an open activity and lists what was
shown; questions are published with their answers but without the asker; suppliers that helped
prepare a procurement are registered with whether that knowledge has been shared. The rules that
watch this are in copi_cli.validation.rules (R013, R017-R019, R021, R027).
"""

from __future__ import annotations

import re
from pathlib import Path

from copi_cli.errors import UsageError, UserError
from copi_cli.messages import Said, message
from copi_cli.model import organisations
from copi_cli.model.identifiers import COMPANY_FORMS
from copi_cli.model.organisations import check_cvr, slugify
from copi_cli.model.vocabulary import checked
from copi_cli.model.workspace import Record, Workspace
from copi_cli.trail.change import Change

EVENTS, SUPPLIERS, MEETINGS = "arrangementer", "leverandoerer", "moeder"
QUESTIONS = "spoergsmaal-og-svar.yaml"


def _find(ws: Workspace, kind: str, reference: str, what: Said, listing: Said) -> Record:
    from copi_cli.model.lookup import resolve

    return resolve(ws.all(kind, valid_only=False),
                   lambda r: (str(r.id), str(r.data.get("name", "")),
                              str(r.data.get("title", ""))),
                   lambda r: f"{r.id} ({r.data.get('name') or r.data.get('title') or ''})",
                   reference, what, listing, lambda r: str(r.id))


def find_event(ws: Workspace, reference: str) -> Record:
    return _find(ws, "event", reference, Said("lookup.what.event"), Said("lookup.list.events"))


def find_supplier(ws: Workspace, reference: str) -> Record:
    return _find(ws, "supplier", reference, Said("lookup.what.supplier"),
                 Said("lookup.list.suppliers"))


def owner_ids(ws: Workspace, references: list[str]) -> list[str]:
    return [str(organisations.find(ws, r).id) for r in split_list(references)]


def split_list(values: list[str]) -> list[str]:
    """--owners a,b --owners c -> [a, b, c]"""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _free_name(change: Change, directory: str, stem: str) -> str:
    """directory/stem.yaml, or stem-2, stem-3 … when taken."""
    rel, number = f"{directory}/{stem}.yaml", 1
    while change.exists(rel):
        number += 1
        rel = f"{directory}/{stem}-{number}.yaml"
    return rel


def _material(change: Change, source: str, title: str | None, published: str | None,
              visibility: str | None) -> dict:
    material: dict = {}
    if re.match(r"^https?://", source):
        material = {"title": title or source, "url": source}
    else:
        rel = change.bring_in(Path(source))
        material = {"title": title or Path(rel).stem.replace("-", " ").capitalize(),
                    "file": rel}
    if published:
        material["published"] = published
    if visibility:
        material["visibility"] = checked("visibility", visibility, "--visibility")
    return material


# --- events ----------------------------------------------------------------------------------

def add_event(change: Change, kind: str, date: str, title: str, owners: list[str],
              place: str | None = None, announced: str | None = None,
              channel: str | None = None, open_to_all: bool = True,
              description: str | None = None) -> str:
    kind = checked("event_kind", kind, "--kind")
    data: dict = {"kind": kind, "title": title, "date": date}
    if place:
        data["place"] = place
    if owners:
        data["owners"] = owner_ids(change.ws, owners)
    if announced or channel:
        if not (announced and channel):
            raise UsageError(Said("event.announced-channel"),
                             hint=Said("event.announced-channel-hint"))
        data["announced"] = {"date": announced, "channel": channel, "open": open_to_all}
    if description:
        data["description"] = description
    same = [r for r in change.ws.all("event", valid_only=False)
            if r.data.get("date") == date and str(r.data.get("title", "")).casefold()
            == title.casefold()]
    if same:
        raise UserError(Said("event.exists", title=title, date=date, path=same[0].path),
                        hint=Said("event.exists-hint"))
    rel = _free_name(change, EVENTS, f"{date}-{slugify(title)}"[:80].rstrip("-"))
    change.create(rel, {"id": Path(rel).stem, **data})
    return rel


def publish(change: Change, event: str, sources: list[str], title: str | None,
            published: str, visibility: str = "all-market") -> Record:
    """Materials made available after an event (to all, unless said otherwise)."""
    record = find_event(change.ws, event)
    if title and len(sources) > 1:
        raise UsageError(Said("event.title-one-material"))
    with change.edit(record.path) as editor:
        for source in sources:
            material = _material(change, source, title, published, visibility)
            known = [m for m in record.data.get("materials", [])
                     if material.get("file", material.get("url")) in (m.get("file"), m.get("url"))]
            if known and "published" in known[0]:
                raise UserError(Said("event.material-published", title=known[0]["title"],
                                     date=known[0]["published"]),
                                hint=Said("event.material-published-hint", path=record.path))
            if known:  # listed before, now made available
                index = record.data["materials"].index(known[0])
                for key in ("published", "visibility"):
                    editor.set(("materials", index, key), material[key])
            else:
                editor.append(("materials",), material)
    return record


# --- suppliers -------------------------------------------------------------------------------

def add_supplier(change: Change, name: str, cvr: str | None = None,
                 website: str | None = None, record_id: str | None = None,
                 products: list[str] | None = None) -> str:
    record_id = record_id or slugify(COMPANY_FORMS.sub("", name.strip()))
    if not record_id:
        raise UsageError(Said("supplier.no-id", name=name), hint=Said("supplier.no-id-hint"))
    existing = [r for r in change.ws.all("supplier", valid_only=False)
                if r.id == record_id or (cvr and r.data.get("cvr") == cvr)]
    if existing:
        raise UserError(Said("supplier.exists", name=name, path=existing[0].path))
    data: dict = {"id": record_id, "name": name}
    if cvr := check_cvr(cvr):
        data["cvr"] = cvr
    if website:
        data["website"] = website
    if wanted := list(dict.fromkeys(p.strip() for p in products or () if p.strip())):
        data["products"] = wanted  # so a need text naming one is found (R033)
    rel = f"{SUPPLIERS}/{record_id}.yaml"
    change.create(rel, data)
    return rel


def involve(change: Change, supplier: str, date: str, description: str,
            shared: bool) -> Record:
    """Register a supplier's part in preparing a later procurement (prior involvement)."""
    record = find_supplier(change.ws, supplier)
    with change.edit(record.path) as editor:
        editor.append(("prior_involvement",),
                      {"date": date, "description": description, "shared": shared})
    return record


# --- meetings --------------------------------------------------------------------------------

def add_meeting(change: Change, supplier: str, owners: list[str], date: str,
                event: str | None = None, notes: str | None = None,
                confidential: bool = False, topics: list[str] | None = None,
                materials: list[str] | None = None, kind: str = "one-to-one") -> tuple[str, str]:
    kind = checked("meeting_kind", kind, "--kind")
    found = find_supplier(change.ws, supplier)
    data: dict = {"kind": kind, "supplier": found.id, "owners": owner_ids(change.ws, owners),
                  "date": date}
    if not data["owners"]:
        raise UsageError(Said("meeting.owners"))
    if event:
        data["event"] = find_event(change.ws, event).id
    if topics:
        data["topics"] = split_list(topics)
    if notes:
        data["notes"] = notes
    if materials:
        data["materials"] = [_material(change, m, None, None, None) for m in materials]
    if confidential:
        data["confidential"] = True
    rel = _free_name(change, MEETINGS, f"{date}-{found.id}")
    change.create(rel, {"id": Path(rel).stem, **data})
    return rel, str(found.data.get("name", found.id))


# --- questions and answers -------------------------------------------------------------------

def add_question(change: Change, question: str, date: str, asked_by: str | None = None,
                 event: str | None = None) -> str:
    """A supplier's question, numbered q-001, q-002 …; the asker stays internal."""
    taken = {str(q.get("id")) for q in change.ws.single_data("questions").get("questions", [])}
    number = len(taken) + 1
    while f"q-{number:03d}" in taken:
        number += 1
    entry: dict = {"id": f"q-{number:03d}", "date": date}
    if event:
        entry["event"] = find_event(change.ws, event).id
    if asked_by:
        entry["asked_by"] = find_supplier(change.ws, asked_by).id
    entry["question"] = question
    change.append(QUESTIONS, "questions", entry,
                  comment=message("question.file-comment", change.language))
    return entry["id"]


def find_question(questions: list, reference: str) -> int:
    """The index of the question meant by its id (q-001, or just 1) or the start of its text."""
    from copi_cli.model.lookup import resolve

    if not questions:
        raise UsageError(Said("question.none", reference=reference, file=QUESTIONS),
                         hint=Said("question.none-hint"))
    if reference.strip().isdigit():
        reference = f"q-{int(reference):03d}"
    return resolve(list(range(len(questions))),
                   lambda i: (str(questions[i].get("id", "")),
                              str(questions[i].get("question", ""))),
                   lambda i: str(questions[i].get("id", "")), reference,
                   Said("lookup.what.question"), Said("lookup.list.questions"))


def answer_question(change: Change, question_id: str, answer: str | None, answered: str,
                    published: str | None) -> dict:
    questions = list(change.ws.single_data("questions").get("questions", []))
    index = find_question(questions, question_id)
    question_id = str(questions[index].get("id"))
    if answer is None and published is None:
        raise UsageError(Said("question.answer-or-published"))
    asked = str(questions[index].get("date", ""))
    if answer is not None and answered < asked:
        raise UsageError(Said("question.answered-before", answered=answered, asked=asked))
    if answer is not None and "published" in questions[index]:
        raise UserError(Said("question.published", id=question_id,
                             date=questions[index]["published"]),
                        hint=Said("question.published-hint"))
    with change.edit(QUESTIONS) as editor:
        if answer is not None:
            editor.set(("questions", index, "answer"), answer)
            editor.set(("questions", index, "answered"), answered)
        if published is not None:
            given = answered if answer is not None else questions[index].get("answered")
            if given and published < given:
                raise UsageError(Said("question.published-before", published=published,
                                      given=given),
                                 hint=Said("question.published-before-hint"))
            if answer is None and "answer" not in questions[index]:
                raise UsageError(Said("question.no-answer", id=question_id),
                                 hint=Said("question.no-answer-hint"))
            editor.set(("questions", index, "published"), published)
    return questions[index]
