"""Real dates in order, valid identifiers, unique ids and references that resolve."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from copi_cli.diagnostics import Diagnostic
from copi_cli.model.catalogue import load_catalogue
from copi_cli.model.identifiers import (
    find_public_body,
    is_valid_cvr,
    public_bodies,
)
from copi_cli.model.workspace import Record
from copi_cli.validation.rules.base import (
    Context,
    Path_,
    file_rule,
    rule,
    to_date,
    values,
    walk,
)

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
    "publications": [("publications", "*", "date")],
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


# kind -> (list key, key that must be unique in it)
UNIQUE_IN_LIST: dict[str, list[tuple[str, str]]] = {
    "stakeholders": [("stakeholders", "id"), ("value_chain", "id")],
    "insights": [("insights", "id")],
    "needs": [("needs", "id"), ("barriers", "id"), ("choices", "id")],
    "glossary": [("terms", "term"), ("standards", "name")],
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
    ("needs", ("choices", "*", "needs", "*"), "need"),
    ("needs", ("choices", "*", "insights", "*"), "insight"),
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
    "insight": "udforskning/indsigter.yaml", "need": "udforskning/behov.yaml",
    "result": "the phase catalogue",
}


def _targets(ctx: Context, kind: str) -> set[str]:
    if kind == "insight":
        insights = ctx.ws.single("insights")
        return {i["id"] for i in insights.data.get("insights", [])} if insights else set()
    if kind == "need":
        needs = ctx.ws.single("needs")
        return {n["id"] for n in needs.data.get("needs", [])} if needs else set()
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
