"""Domain rules: what the schemas cannot see — references, real dates, identifiers, the method.

Two kinds of rule, so that validation can cache and parallelise:
- file rules look at one record only (real dates, CVR numbers, codes, a history's order). They
  run when the file is read, and their findings are cached with the file.
- workspace rules look across records (references, ids, signatures against organisations). They
  run over the whole loaded Workspace on every validation that is not a pure cache hit.
Rules see only records that passed their schema, so they can trust types; references may point
at any record that exists, valid or not, so one broken file is not reported twice.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from copi_cli.catalogue import load_catalogue
from copi_cli.diagnostics import Diagnostic
from copi_cli.identifiers import (
    COMPANY_FORMS,
    find_public_body,
    is_valid_cvr,
    public_bodies,
)
from copi_cli.workspace import Record, Workspace
from copi_cli.yamlsource import locate, split_front_matter

Path_ = tuple[str | int, ...]


class Locator:
    """Line and column of a node in a record's file; reads each file at most once."""

    def __init__(self, root: Path, texts: dict[str, tuple[str, int]] | None = None) -> None:
        self.root = root
        self._texts = dict(texts or {})

    def __call__(self, record: Record, where: Path_, key: bool = False) -> tuple[int, int]:
        if record.path not in self._texts:
            text = (self.root / record.path).read_text(encoding="utf-8-sig")
            offset = 0
            if record.path.endswith(".md"):
                split = split_front_matter(text)
                text, offset = (split[0], 1) if split else (text, 0)
            self._texts[record.path] = (text, offset)
        text, offset = self._texts[record.path]
        line, col, _ = locate(text, where, key=key, line_offset=offset)
        return line, col


class Context:
    def __init__(self, ws: Workspace | None, today: dt.date, locator: Locator) -> None:
        self._ws = ws
        self.today = today
        self.at = locator

    @property
    def ws(self) -> Workspace:
        assert self._ws is not None, "a file rule must not look at the workspace"
        return self._ws

    def diag(self, record: Record, where: Path_, code: str, message: str,
             hint: str | None = None, key: bool = False) -> Diagnostic:
        line, col = self.at(record, where, key=key)
        return Diagnostic(record.path, line, col, code, message, hint)


FileRule = Callable[[Context, Record], Iterator[Diagnostic]]
WorkspaceRule = Callable[[Context], Iterator[Diagnostic]]
FILE_RULES: list[tuple[frozenset[str] | None, FileRule]] = []
RULES: list[WorkspaceRule] = []


def file_rule(*kinds: str) -> Callable[[FileRule], FileRule]:
    """Register a rule over one record of these kinds (all kinds when none are named)."""
    def register(function: FileRule) -> FileRule:
        FILE_RULES.append((frozenset(kinds) or None, function))
        return function
    return register


def rule(function: WorkspaceRule) -> WorkspaceRule:
    RULES.append(function)
    return function


def check_file(root: Path, record: Record, text: str, offset: int,
               today: dt.date) -> list[Diagnostic]:
    """The file rules for one record, located in its already-read text.

    A record that failed its schema is checked too, so that a user sees every mistake at once;
    a rule that trips over the record's wrong types is skipped for it (the schema findings
    already say what is wrong there).
    """
    context = Context(None, today, Locator(root, {record.path: (text, offset)}))
    found: list[Diagnostic] = []
    for kinds, function in FILE_RULES:
        if kinds is not None and record.kind not in kinds:
            continue
        if record.valid:
            found.extend(function(context, record))
            continue
        try:
            found.extend(list(function(context, record)))
        except (KeyError, TypeError, AttributeError, ValueError, IndexError):
            continue
    return found


def check_rules(ws: Workspace, today: dt.date,
                texts: dict[str, str] | None = None) -> list[Diagnostic]:
    """The workspace rules; texts are files changed in memory and not yet written."""
    context = Context(ws, today, Locator(ws.root, {rel: (text, 0) for rel, text in
                                                   (texts or {}).items()}))
    return [d for function in RULES for d in function(context)]


def walk(data: Any, pattern: Path_) -> list[tuple[Path_, Any]]:
    """(path, value) at a path pattern where '*' stands for every list item.

    Breadth-first over lists rather than recursive generators: rules call this for every
    record of a large process.
    """
    found: list[tuple[Path_, Any]] = [((), data)]
    for step in pattern:
        following: list[tuple[Path_, Any]] = []
        if step == "*":
            for where, value in found:
                if isinstance(value, list):
                    following.extend(((*where, i), item) for i, item in enumerate(value))
        else:
            for where, value in found:
                if isinstance(value, dict) and step in value:
                    following.append(((*where, step), value[step]))
        found = following
    return found


_MISSING = object()


def values(data: Any, pattern: Path_) -> list[Any]:
    """The values walk() would give, without their paths: the cheap test on every record."""
    current = [data]
    for step in pattern:
        following: list[Any] = []
        if step == "*":
            for value in current:
                if isinstance(value, list):
                    following.extend(value)
        else:
            for value in current:
                if isinstance(value, dict):
                    found = value.get(step, _MISSING)
                    if found is not _MISSING:
                        following.append(found)
        current = following
    return current


def to_date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


# === file rules ==============================================================================

# --- dates ----------------------------------------------------------------------------------

DATE_KEYS = frozenset({"date", "joined", "withdrawn", "published", "retention_until", "updated"})
DATE_FORM = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date_fields(data: Any, prefix: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key in DATE_KEYS and isinstance(value, str):
                yield (*prefix, key), value
            elif isinstance(value, dict | list):
                yield from _date_fields(value, (*prefix, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            if isinstance(item, dict | list):
                yield from _date_fields(item, (*prefix, index))


@file_rule()
def dates_real(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    for where, value in _date_fields(record.data):
        if DATE_FORM.match(value) and to_date(value) is None:
            yield ctx.diag(record, where, "R003", f"{value} is not a real date",
                           "check the day and month (YYYY-MM-DD)")


def _before(ctx: Context, record: Record, early: Path_, late: Path_, what: str,
            ) -> Iterator[Diagnostic]:
    first = to_date(next((v for _, v in walk(record.data, early)), None))
    second = to_date(next((v for _, v in walk(record.data, late)), None))
    if first and second and second < first:
        yield ctx.diag(record, late, "R004", f"{what} ({second}) is before {early[-1]} ({first})",
                       "correct one of the two dates")


@file_rule("organisation")
def organisation_dates_in_order(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    yield from _before(ctx, record, ("joined",), ("withdrawn",), "withdrawn")


@file_rule("event")
def event_dates_in_order(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    event_date = to_date(record.data["date"])
    for index, material in enumerate(record.data.get("materials", [])):
        published = to_date(material.get("published"))
        if event_date and published and published < event_date:
            yield ctx.diag(record, ("materials", index, "published"), "R004",
                           f"material published ({published}) before the event ({event_date})",
                           "materials are published after the event; check the dates")
    yield from _before(ctx, record, ("announced", "date"), ("date",), "the event")


@file_rule("process")
def history_in_order(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    previous = None
    for index, entry in enumerate(record.data["history"]):
        date = to_date(entry["date"])
        if previous and date and date < previous:
            yield ctx.diag(record, ("history", index, "date"), "R004",
                           f"history entry {index + 1} ({date}) is older than the one before",
                           "history is oldest first; do not edit it by hand")
        previous = date or previous


# Backing, signatures and transitions record what happened: a future date is a typo.
RECORDED_DATES: dict[str, list[Path_]] = {
    "organisation": [("backing", "political", "date"), ("backing", "administrative", "date")],
    "signatures": [("signatures", "*", "date")],
    "process": [("history", "*", "date")],
    "confirmations": [("confirmations", "*", "date")],
    "insights": [("insights", "*", "date")],
    "questions": [("questions", "*", "date"), ("questions", "*", "answered"),
                  ("questions", "*", "published")],
    "supplier": [("prior_involvement", "*", "date")],
}


@file_rule(*RECORDED_DATES)
def recorded_dates_not_in_future(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    for pattern in RECORDED_DATES[record.kind]:
        for where, value in walk(record.data, pattern):
            date = to_date(value)
            if date and date > ctx.today:
                yield ctx.diag(record, where, "R014",
                               f"{value} lies in the future (today is {ctx.today})",
                               "it records something that has happened; check the year")


# --- identifiers ----------------------------------------------------------------------------

CVR_FORM = re.compile(r"^[1-9][0-9]{7}$")
MUNICIPALITY_FORM = re.compile(r"^[0-9]{3,4}$")
REGION_FORM = re.compile(r"^108[1-5]$")


@file_rule("organisation", "supplier")
def cvr_number_valid(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    cvr = record.data.get("cvr")
    # A CVR number of the wrong form is the schema's finding; this rule checks the digits.
    if isinstance(cvr, str) and CVR_FORM.match(cvr) and not is_valid_cvr(cvr):
        yield ctx.diag(record, ("cvr",), "R005", f"CVR number {cvr} fails the check",
                       "copy the number from the CVR register (datacvr.virk.dk)")


@file_rule("organisation")
def public_body_codes_known(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    """Codes exist in the reference list and agree with the name, type and region."""
    bodies = public_bodies()
    data = record.data
    municipality, region = data.get("municipality_code"), data.get("region_code")
    # Codes of the wrong form are the schema's findings; every region code of the right form
    # exists.
    if not (isinstance(municipality, str) and MUNICIPALITY_FORM.match(municipality)):
        municipality = None
    if not (isinstance(region, str) and REGION_FORM.match(region)):
        region = None
    if municipality is not None:
        body = bodies.get(municipality)
        if body is None or body.type != "municipality":
            yield ctx.diag(record, ("municipality_code",), "R006",
                           f"no municipality with code {municipality}",
                           "use the 3-digit code from the list of Danish municipalities")
            return
        field = "municipality_code"
    elif data["type"] == "region" and region is not None:
        body, field = bodies[region], "region_code"
    else:
        named = find_public_body(data["name"])
        if named and data["type"] not in (named.type, "other"):
            yield ctx.diag(record, ("type",), "R007",
                           f"{named.official_name} is a {named.type}, but type is "
                           f"{data['type']}", f"set type: {named.type}")
        return
    if data["name"].casefold() not in (body.official_name.casefold(), body.name.casefold()):
        yield ctx.diag(record, (field,), "R007",
                       f"code {body.code} is {body.official_name}, but the name is "
                       f"'{data['name']}'", f"use name: {body.official_name}, or correct the code")
    if body.type == "municipality" and region is not None and region != body.region_code:
        yield ctx.diag(record, ("region_code",), "R007",
                       f"{body.official_name} lies in region {body.region_code}, not {region}",
                       f"set region_code: '{body.region_code}' or leave it out")
    if data["type"] not in (body.type, "other"):
        yield ctx.diag(record, ("type",), "R007",
                       f"code {body.code} is a {body.type}, but type is {data['type']}",
                       f"set type: {body.type}")


# --- ids within one file --------------------------------------------------------------------

# kind -> (list key, key that must be unique in it)
UNIQUE_IN_LIST: dict[str, list[tuple[str, str]]] = {
    "stakeholders": [("stakeholders", "id"), ("value_chain", "id")],
    "insights": [("insights", "id")],
    "needs": [("needs", "id"), ("barriers", "id")],
    "glossary": [("terms", "term")],
    "signatures": [("signatures", "organisation")],
    "potential": [("owners", "owner")],
    "questions": [("questions", "id")],
}


@file_rule(*UNIQUE_IN_LIST)
def ids_unique_in_file(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    for list_key, unique_key in UNIQUE_IN_LIST[record.kind]:
        seen: dict[Any, int] = {}
        for index, item in enumerate(record.data.get(list_key, [])):
            value = item.get(unique_key)
            folded = value.casefold() if isinstance(value, str) else value
            if folded in seen:
                yield ctx.diag(
                    record, (list_key, index, unique_key), "R001",
                    f"{unique_key} '{value}' appears twice in {list_key} "
                    f"(first at item {seen[folded] + 1})",
                    f"merge the two entries or give one of them another {unique_key}")
            else:
                seen[folded] = index


# --- the phase history ----------------------------------------------------------------------

@file_rule("process")
def history_leads_to_phase(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    history = record.data["history"]
    expected_from = None
    for index, entry in enumerate(history):
        if entry["from"] != expected_from:
            yield ctx.diag(record, ("history", index, "from"), "R010",
                           f"history entry {index + 1} starts from {entry['from']}, but the "
                           f"entry before ends in {expected_from}",
                           "history is written by copi advance and copi revisit; restore it "
                           "from git (git log -p copi.yaml)")
        expected_from = entry["to"]
    if history and history[-1]["to"] != record.data["phase"]:
        yield ctx.diag(record, ("phase",), "R010",
                       f"phase is {record.data['phase']}, but the history ends in "
                       f"{history[-1]['to']}",
                       "change phase with copi advance or copi revisit, not by hand")


# === workspace rules =========================================================================

# (kind of the referring record, path pattern, kind of the target)
REFERENCES: list[tuple[str, Path_, str]] = [
    ("process", ("first_need_owner",), "organisation"),
    ("event", ("owners", "*"), "organisation"),
    ("meeting", ("supplier",), "supplier"),
    ("meeting", ("owners", "*"), "organisation"),
    ("meeting", ("event",), "event"),
    ("insights", ("insights", "*", "owners", "*"), "organisation"),
    ("needs", ("needs", "*", "owners", "*"), "organisation"),
    ("needs", ("needs", "*", "insights", "*"), "insight"),
    ("needs", ("barriers", "*", "owners", "*"), "organisation"),
    ("potential", ("owners", "*", "owner"), "organisation"),
    ("signatures", ("signatures", "*", "organisation"), "organisation"),
    ("signatures", ("signatures", "*", "event"), "event"),
    ("confirmations", ("confirmations", "*", "result"), "result"),
    ("questions", ("questions", "*", "event"), "event"),
    ("questions", ("questions", "*", "asked_by"), "supplier"),
    ("anchoring", ("owner",), "organisation"),
]

TARGET_FILES = {
    "organisation": "organisationer/", "supplier": "leverandoerer/", "event": "arrangementer/",
    "insight": "udforskning/indsigter.yaml", "result": "the phase catalogue",
}


def _targets(ctx: Context, kind: str) -> set[str]:
    if kind == "insight":
        insights = ctx.ws.single("insights")
        return {i["id"] for i in insights.data.get("insights", [])} if insights else set()
    if kind == "result":
        return set(load_catalogue().result_ids())
    return ctx.ws.ids(kind)


def _getter(pattern: Path_) -> Callable[[dict], list[Any]]:
    """values() for one pattern, with the two common shapes made direct: this runs for every
    reference of every record."""
    if len(pattern) == 1:
        key = pattern[0]
        return lambda data: [data[key]] if key in data else []
    if len(pattern) == 2 and pattern[1] == "*":
        key = pattern[0]
        return lambda data: data.get(key) or []
    return lambda data: values(data, pattern)


@rule
def references_resolve(ctx: Context) -> Iterator[Diagnostic]:
    import difflib

    for kind, pattern, target in REFERENCES:
        known = _targets(ctx, target)
        get = _getter(pattern)
        for record in ctx.ws.all(kind):
            if known.issuperset(get(record.data)):
                continue
            for where, value in walk(record.data, pattern):
                if isinstance(value, str) and value not in known:
                    close = [c for c in difflib.get_close_matches(value, sorted(known), n=3,
                                                                  cutoff=0.6)
                             if c[:2] == value[:2]][:1]
                    hint = (f"did you mean '{close[0]}'?" if close
                            else f"known ids are in {TARGET_FILES[target]}")
                    yield ctx.diag(record, where, "R002",
                                   f"no {target} with id '{value}'", hint)


@rule
def ids_unique_across_files(ctx: Context) -> Iterator[Diagnostic]:
    for kind in ("organisation", "event", "supplier", "meeting"):
        seen: dict[str, Record] = {}
        for record in ctx.ws.all(kind, valid_only=False):
            if record.id is None:
                continue
            if record.id in seen:
                yield ctx.diag(record, ("id",), "R001",
                               f"id '{record.id}' is also used by {seen[record.id].path}",
                               "give each record its own id, equal to its file name")
            else:
                seen[record.id] = record


def _entered(process: dict, phase_id: str) -> dt.date | None:
    """First date the process entered a phase, from its history."""
    for entry in process.get("history", []):
        if entry.get("to") == phase_id:
            return to_date(entry.get("date"))
    return None


@rule
def enough_need_owners(ctx: Context) -> Iterator[Diagnostic]:
    process = ctx.ws.single("process")
    if not process:
        return
    catalogue = load_catalogue()
    minimum = process.data.get("settings", {}).get("min_need_owners", 2)
    current = catalogue.phase(process.data["phase"])
    count = len(ctx.ws.need_owners())
    if current.number > catalogue.phase("matchmaking").number and count < minimum:
        yield ctx.diag(process, ("phase",), "R011",
                       f"{count} need owner(s) in phase {current.number}; the process asks for "
                       f"at least {minimum}",
                       "add need owners in organisationer/ or lower settings.min_need_owners")


@rule
def signatures_fit_the_method(ctx: Context) -> Iterator[Diagnostic]:
    signatures = ctx.ws.single("signatures")
    if not signatures:
        return
    organisations = ctx.ws.by_id("organisation")
    communication_began = _entered(ctx.ws.process, "needs-communication")
    for index, entry in enumerate(signatures.data.get("signatures", [])):
        org = organisations.get(entry["organisation"])
        if org is None or entry["decision"] != "signed":
            continue
        signed = to_date(entry["date"])
        if entry.get("kind", "buyer") == "buyer" and org.data["role"] != "need-owner":
            yield ctx.diag(signatures, ("signatures", index, "organisation"), "R008",
                           f"{org.data['name']} is a {org.data['role']}, not a need owner",
                           "record a partner's signature with kind: support, or make the "
                           "organisation a need owner")
        withdrawn = to_date(org.data.get("withdrawn"))
        if withdrawn and signed and signed >= withdrawn:
            yield ctx.diag(signatures, ("signatures", index, "date"), "R012",
                           f"{org.data['name']} withdrew on {withdrawn} and cannot sign after",
                           "remove the withdrawal from its file if it rejoined")
        joined = to_date(org.data["joined"])
        if joined and signed and signed < joined:
            yield ctx.diag(signatures, ("signatures", index, "date"), "R004",
                           f"signed ({signed}) before {org.data['name']} joined ({joined})",
                           "an organisation that signs without taking part joins on the day "
                           "it signs: set joined to that date")
        elif joined and communication_began and joined > communication_began:
            yield ctx.diag(signatures, ("signatures", index, "organisation"), "R009",
                           f"{org.data['name']} joined on {joined}, after the needs "
                           "exploration and market dialogue",
                           "late signatories are welcome; make sure the needs communication "
                           "reached them")


@rule
def meetings_belong_to_open_dialogue(ctx: Context) -> Iterator[Diagnostic]:
    events = {r.id: r for r in ctx.ws.all("event", valid_only=False) if r.id}
    for record in ctx.ws.all("meeting"):
        if record.data["kind"] != "one-to-one":
            continue
        event = events.get(record.data.get("event", ""))
        if event is not None and not event.valid:
            continue  # its own errors are reported; whether it was open cannot be told
        announced = event.data.get("announced") if event else None
        if announced and announced.get("open", True):
            if str(announced.get("date", "")) > str(record.data["date"]):
                yield ctx.diag(record, ("date",), "R013",
                               f"1:1 meeting held before its activity was announced "
                               f"({announced['date']})",
                               "a 1:1 meeting belongs after the open invitation: check the "
                               "dates, or link the meeting to the right event")
            continue
        where = ("event",) if "event" in record.data else ("kind",)
        yield ctx.diag(record, where, "R013",
                       "1:1 meeting without an open, announced dialogue activity",
                       "link it with event: to an event whose 'announced' shows it was open to "
                       "all suppliers (equal treatment)")


@rule
def one_information_level(ctx: Context) -> Iterator[Diagnostic]:
    """What a need owner shows one supplier must be published to all (equal treatment)."""
    published = set()
    events = ctx.ws.all("event", valid_only=False)
    if not all(event.valid for event in events):
        return  # an event that cannot be read may hold the publication; its errors are shown
    for event in events:
        for material in event.data.get("materials", []):
            if material.get("visibility", "all-market") == "all-market" and "published" in material:
                published.update(material.get(k) for k in ("file", "url", "title") if k in material)
    for record in ctx.ws.all("meeting"):
        for index, material in enumerate(record.data.get("materials", [])):
            if material.get("visibility") in ("supplier-confidential", "internal"):
                continue
            if any(material.get(k) in published for k in ("file", "url") if k in material) or (
                    "file" not in material and "url" not in material
                    and material["title"] in published):
                continue
            yield ctx.diag(record, ("materials", index), "R017",
                           f"'{material['title']}' was shown to one supplier but is not "
                           "published to all",
                           "publish it with an event (copi event publish EVENT --material "
                           "FILE), or mark it visibility: supplier-confidential if it is the "
                           "supplier's own")


@rule
def questions_published_anonymously(ctx: Context) -> Iterator[Diagnostic]:
    log = ctx.ws.single("questions")
    if not log:
        return
    suppliers = ctx.ws.by_id("supplier")
    for index, entry in enumerate(log.data.get("questions", [])):
        if "answer" in entry and "published" not in entry:
            yield ctx.diag(log, ("questions", index, "answer"), "R018",
                           f"question {entry['id']} is answered but not published to all",
                           f"publish it to all suppliers and record the date: copi question "
                           f"answer {entry['id']} --published DATE")
        asker = suppliers.get(entry.get("asked_by", ""))
        if asker is None:
            continue
        names = {asker.data["name"], COMPANY_FORMS.sub("", asker.data["name"]), asker.id,
                 *(c["name"] for c in asker.data.get("contacts", []))}
        text = f"{entry['question']}\n{entry.get('answer', '')}".casefold()
        named = sorted(n for n in names if len(n) > 2 and n.casefold() in text)
        if named:
            yield ctx.diag(log, ("questions", index, "question"), "R019",
                           f"question {entry['id']} names the supplier that asked it "
                           f"({named[0]})",
                           "word the question and answer so the asker cannot be identified; "
                           "they are published to all")


@file_rule("organisation", "supplier")
def contacts_within_retention(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    for index, contact in enumerate(record.data.get("contacts", [])):
        until = to_date(contact.get("retention_until"))
        if until and until < ctx.today:
            person = contact.get("email") or contact["name"]
            yield ctx.diag(record, ("contacts", index, "retention_until"), "R020",
                           f"contact details of {contact['name']} are kept past their "
                           f"retention date ({until})",
                           f'erase them (copi contact erase "{person}") or record a new '
                           "retention date if they are still needed")


@file_rule("supplier")
def prior_involvement_shared(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    for index, involvement in enumerate(record.data.get("prior_involvement", [])):
        if not involvement.get("shared", False):
            yield ctx.diag(record, ("prior_involvement", index), "R021",
                           f"{record.data['name']} helped prepare a procurement, and what it "
                           "learnt is not yet shared with all",
                           "share the information with every supplier, then set shared: "
                           "true on this entry")


@file_rule()
def confidential_fields_known(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    """`confidential: [notse]` would protect nothing while the notes go out: a name in the
    list must be a field of the record (or list item) it marks."""
    from copi_cli.schemas import bundled_schema
    from copi_cli.workspace import load_layout

    schema = bundled_schema(load_layout().kind(record.kind).schema)
    places: list[tuple[Path_, dict, dict]] = [((), record.data, schema)]
    for key, node in schema.get("properties", {}).items():
        items = node.get("items", {}) if node.get("type") == "array" else {}
        if "confidential" in items.get("properties", {}):
            places += [((key, index), item, items) for index, item in
                       enumerate(record.data.get(key) or []) if isinstance(item, dict)]
    for where, data, node in places:
        marking = data.get("confidential")
        if not isinstance(marking, list):
            continue
        known = sorted(set(node.get("properties", {})) - {"confidential", "id"})
        for index, field in enumerate(marking):
            if isinstance(field, str) and field not in known:
                close = difflib.get_close_matches(field, known, n=1)
                yield ctx.diag(record, (*where, "confidential", index), "R022",
                               f"confidential names '{field}', which is not a field here",
                               (f"did you mean '{close[0]}'? " if close else "")
                               + "fields: " + ", ".join(known))


@file_rule("tool-answers", "anchoring")
def tool_answers_fit_the_tool(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    """The answers belong to the tool whose file they are in, and fit its questions."""
    from copi_cli.tools import answer_problems, tool_of_file

    placed = tool_of_file(record.path)
    if placed is None:
        yield ctx.diag(record, (), "R025", f"{record.path} is not the answer file of a tool",
                       "the tools' answers are vaerktoejer/planlaegning.yaml, "
                       "behovsudforskning.yaml, markedsdialog.yaml and "
                       "ledelsesforankring/<need owner>.yaml (copi tool import puts them there)")
        return
    tool, owner = placed
    if record.data.get("tool") != tool.id:
        yield ctx.diag(record, ("tool",), "R025",
                       f"the file holds answers for {record.data.get('tool')}, but it is "
                       f"{tool.danish_id}'s answer file", f"set tool: {tool.id}, or import "
                       "the answers with copi tool import, which puts them in their place")
        return
    if owner is not None and record.data.get("owner") != owner:
        yield ctx.diag(record, ("owner",) if "owner" in record.data else (), "R025",
                       f"the answers are for {record.data.get('owner')}, but the file is "
                       f"{owner}'s", f"set owner: {owner}, or rename the file")
    for problem in answer_problems(tool, record.data.get("answers")):
        yield ctx.diag(record, problem.where, problem.code, problem.message, problem.hint,
                       key=problem.at_key)


# --- files referenced from records ----------------------------------------------------------

FILE_REFERENCES: list[tuple[str, Path_]] = [
    ("event", ("materials", "*", "file")),
    ("meeting", ("materials", "*", "file")),
    ("organisation", ("backing", "political", "evidence")),
    ("organisation", ("backing", "administrative", "evidence")),
    ("brand", ("logo",)),
    ("brand", ("font_files", "*")),
]


def inside(root: Path, relative: str) -> Path | None:
    """The path a record names, or None when it would lead outside the process directory."""
    if relative.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", relative):
        return None
    target = (root / relative).resolve()
    return target if target.is_relative_to(root.resolve()) else None


@rule
def referenced_files_exist(ctx: Context) -> Iterator[Diagnostic]:
    """Files change without the records changing, so this is checked on every run."""
    for kind, pattern in FILE_REFERENCES:
        for record in ctx.ws.all(kind):
            for where, value in walk(record.data, pattern):
                if not isinstance(value, str) or re.match(r"^[a-z]+://", value):
                    continue
                target = inside(ctx.ws.root, value)
                if target is None:
                    yield ctx.diag(record, where, "R016",
                                   f"{value} lies outside the process directory",
                                   "copy the file into materialer/ and refer to it from there")
                elif not target.is_file():
                    yield ctx.diag(record, where, "R015", f"no file {value} in the process",
                                   "add the file (e.g. under materialer/) or correct the path")
