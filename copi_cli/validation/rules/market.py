"""Market dialogue: equal treatment, anonymous questions, prior involvement, contacts kept
no longer than needed."""

from __future__ import annotations

from collections.abc import Iterator

from copi_cli.diagnostics import Diagnostic, named
from copi_cli.messages import Said
from copi_cli.model.dialogue import is_open
from copi_cli.model.identifiers import (
    COMPANY_FORMS,
)
from copi_cli.model.workspace import Record
from copi_cli.validation.rules.base import (
    Context,
    file_rule,
    rule,
    to_date,
)


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
        if event is not None and announced and is_open(event.data):
            if str(announced.get("date", "")) > str(record.data["date"]):
                yield ctx.diag(record, ("date",), "R013",
                               Said("finding.r013.before-announced",
                                    date=str(announced["date"])),
                               Said("finding.r013.before-announced-hint"))
            continue
        where = ("event",) if "event" in record.data else ("kind",)
        yield ctx.diag(record, where, "R013",
                       Said("finding.r013.no-activity"), Said("finding.r013.no-activity-hint"))


@file_rule("event")
def market_activity_open(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    """A supplier conference or information meeting is the market dialogue's open activity:
    announced before it is held and open to every interested supplier (udbudsloven § 39,
    equal treatment). A closed or unannounced one is no dialogue on equal terms, and the gate
    of phase 4 does not count it (copi_cli.model.dialogue)."""
    from copi_cli.model.dialogue import MARKET_KINDS

    data = record.data
    if data["kind"] not in MARKET_KINDS:
        return
    kind = Said(KINDS[data["kind"]])
    announced = data.get("announced")
    if announced is None:
        if (to_date(data["date"]) or ctx.today) <= ctx.today:
            yield ctx.diag(record, ("date",), "R027",
                           Said("finding.r027.unannounced", kind=kind),
                           Said("finding.r027.unannounced-hint"))
        return
    if announced.get("open") is False:  # announced after it was held is R004's
        yield ctx.diag(record, ("announced", "open"), "R027",
                       Said("finding.r027.closed", kind=kind), Said("finding.r027.closed-hint"))
    elif "open" not in announced:  # practice.md: record that it was open to all
        yield ctx.diag(record, ("announced",), "R027",
                       Said("finding.r027.open-unsaid", kind=kind),
                       Said("finding.r027.open-unsaid-hint"))


# the market dialogue's open activities, as R027 names them
KINDS = {"supplier-conference": "finding.r027.supplier-conference",
         "information-meeting": "finding.r027.information-meeting"}


@rule
def one_information_level(ctx: Context) -> Iterator[Diagnostic]:
    """What a need owner shows one supplier must be published to all (equal treatment)."""
    published: set[str] = set()
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
                           Said("finding.r017.not-published", title=material["title"]),
                           Said("finding.r017.hint"))


@rule
def questions_published_anonymously(ctx: Context) -> Iterator[Diagnostic]:
    log = ctx.ws.single("questions")
    if not log:
        return
    suppliers = ctx.ws.by_id("supplier")
    for index, entry in enumerate(log.data.get("questions", [])):
        if "answer" in entry and "published" not in entry:
            yield ctx.diag(log, ("questions", index, "answer"), "R018",
                           Said("finding.r018.not-published", id=entry["id"]),
                           Said("finding.r018.hint", id=entry["id"]))
        asker = suppliers.get(entry.get("asked_by", ""))
        if asker is None:
            continue
        names = {asker.data["name"], COMPANY_FORMS.sub("", asker.data["name"]), asker.id,
                 *(c["name"] for c in asker.data.get("contacts", []))}
        text = f"{entry['question']}\n{entry.get('answer', '')}".casefold()
        named = sorted(n for n in names if len(n) > 2 and n.casefold() in text)
        if named:
            yield ctx.diag(log, ("questions", index, "question"), "R019",
                           Said("finding.r019.names-asker", id=entry["id"], name=named[0]),
                           Said("finding.r019.hint"))


@file_rule("organisation", "supplier")
def contacts_within_retention(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    for index, contact in enumerate(record.data.get("contacts", [])):
        until = to_date(contact.get("retention_until"))
        if until and until < ctx.today:
            person = contact.get("email") or contact["name"]
            yield ctx.diag(record, ("contacts", index, "retention_until"), "R020",
                           Said("finding.r020.kept", name=contact["name"], until=str(until)),
                           Said("finding.r020.hint", person=person))


@file_rule("supplier")
def prior_involvement_shared(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    for index, involvement in enumerate(record.data.get("prior_involvement", [])):
        if not involvement.get("shared", False):
            yield ctx.diag(record, ("prior_involvement", index), "R021",
                           Said("finding.r021.not-shared",
                                name=named(record.data, record.id or record.path)),
                           Said("finding.r021.hint"))
