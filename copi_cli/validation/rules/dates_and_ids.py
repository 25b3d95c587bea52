"""Real dates in order, valid identifiers, unique ids and references that resolve."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from copi_cli.diagnostics import Diagnostic
from copi_cli.messages import Said
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
            yield ctx.diag(record, where, "R003", Said("finding.r003.not-real", value=value),
                           Said("finding.r003.hint"))


def _before(ctx: Context, record: Record, early: Path_, late: Path_, said: str,
            ) -> Iterator[Diagnostic]:
    first = to_date(next((v for _, v in walk(record.data, early)), None))
    second = to_date(next((v for _, v in walk(record.data, late)), None))
    if first and second and second < first:
        yield ctx.diag(record, late, "R004", Said(said, second=str(second), first=str(first)),
                       Said("finding.r004.hint"))


@file_rule("organisation")
def organisation_dates_in_order(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    yield from _before(ctx, record, ("joined",), ("withdrawn",), "finding.r004.withdrawn")


@file_rule("event")
def event_dates_in_order(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    event_date = to_date(record.data["date"])
    for index, material in enumerate(record.data.get("materials", [])):
        published = to_date(material.get("published"))
        if event_date and published and published < event_date:
            yield ctx.diag(record, ("materials", index, "published"), "R004",
                           Said("finding.r004.material", published=str(published),
                                event=str(event_date)),
                           Said("finding.r004.material-hint"))
    yield from _before(ctx, record, ("announced", "date"), ("date",), "finding.r004.event")


@file_rule("process")
def history_in_order(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    previous = None
    for index, entry in enumerate(record.data["history"]):
        date = to_date(entry["date"])
        if previous and date and date < previous:
            yield ctx.diag(record, ("history", index, "date"), "R004",
                           Said("finding.r004.history", n=index + 1, date=str(date)),
                           Said("finding.r004.history-hint"))
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
                               Said("finding.r014.future", value=value,
                                    today=ctx.today.isoformat()),
                               Said("finding.r014.hint"))


CVR_FORM = re.compile(r"^[1-9][0-9]{7}$")


MUNICIPALITY_FORM = re.compile(r"^[0-9]{3,4}$")


REGION_FORM = re.compile(r"^108[1-5]$")


@file_rule("organisation", "supplier")
def cvr_number_valid(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    cvr = record.data.get("cvr")
    # A CVR number of the wrong form is the schema's finding; this rule checks the digits.
    if isinstance(cvr, str) and CVR_FORM.match(cvr) and not is_valid_cvr(cvr):
        yield ctx.diag(record, ("cvr",), "R005", Said("finding.r005.cvr", cvr=cvr),
                       Said("finding.r005.hint"))


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
                           Said("finding.r006.no-municipality", code=municipality),
                           Said("finding.r006.hint"))
            return
        field = "municipality_code"
    elif data["type"] == "region" and region is not None:
        body, field = bodies[region], "region_code"
    else:
        named = find_public_body(data["name"])
        if named and data["type"] not in (named.type, "other"):
            yield ctx.diag(record, ("type",), "R007",
                           Said("finding.r007.named-type", name=named.official_name,
                                type=named.type, actual=data["type"]),
                           Said("finding.r007.set-type", type=named.type))
        return
    if data["name"].casefold() not in (body.official_name.casefold(), body.name.casefold()):
        yield ctx.diag(record, (field,), "R007",
                       Said("finding.r007.code-name", code=body.code,
                            official=body.official_name, name=data["name"]),
                       Said("finding.r007.code-name-hint", official=body.official_name))
    if body.type == "municipality" and region is not None and region != body.region_code:
        yield ctx.diag(record, ("region_code",), "R007",
                       Said("finding.r007.region", official=body.official_name,
                            expected=body.region_code, region=region),
                       Said("finding.r007.region-hint", expected=body.region_code))
    if data["type"] not in (body.type, "other"):
        yield ctx.diag(record, ("type",), "R007",
                       Said("finding.r007.code-type", code=body.code, type=body.type,
                            actual=data["type"]),
                       Said("finding.r007.set-type", type=body.type))


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
                    Said("finding.r001.twice-in-list", key=unique_key, value=str(value),
                         list=list_key, first=seen[folded] + 1),
                    Said("finding.r001.twice-in-list-hint", key=unique_key))
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
}
# what R002 says of a reference to nothing, by the kind of record it should lead to
NOT_FOUND = {
    "organisation": "finding.r002.organisation", "supplier": "finding.r002.supplier",
    "event": "finding.r002.event", "insight": "finding.r002.insight",
    "need": "finding.r002.need", "result": "finding.r002.result",
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
                    # a result's ids are in copi's phase catalogue, not in a file of the process
                    place = TARGET_FILES.get(target) or Said("finding.r002.phase-catalogue")
                    hint = (Said("finding.did-you-mean", close=close[0]) if close
                            else Said("finding.r002.known-in", place=place))
                    yield ctx.diag(record, where, "R002", Said(NOT_FOUND[target], id=value),
                                   hint)


@rule
def ids_unique_across_files(ctx: Context) -> Iterator[Diagnostic]:
    for kind in ("organisation", "event", "supplier", "meeting"):
        seen: dict[str, Record] = {}
        for record in ctx.ws.all(kind, valid_only=False):
            if record.id is None:
                continue
            if record.id in seen:
                yield ctx.diag(record, ("id",), "R001",
                               Said("finding.r001.used-by", id=record.id,
                                    path=seen[record.id].path),
                               Said("finding.r001.used-by-hint"))
            else:
                seen[record.id] = record
