"""The checks behind the results of the phase catalogue.

data/phases.yaml names a check and its parameters for every result; this module implements each
named check once. status shows the outcomes as a checklist; the lifecycle's gates build on them.
A check never raises on odd data: it says the result does not hold, and why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from copi_cli.diagnostics import named
from copi_cli.messages import message
from copi_cli.model import guidance
from copi_cli.model.catalogue import Phase, Result
from copi_cli.model.vocabulary import label
from copi_cli.model.workspace import Record, Workspace, load_layout

if TYPE_CHECKING:
    from copi_cli.model.publications import Publication

PUBLICATIONS = "publikationer.yaml"


class Outcome(NamedTuple):
    result: Result
    holds: bool
    why: str  # in the process language
    where: str | None  # the file to fix or to look at
    # what the method gives as an example ("fx") or as typical ("typisk") and the process has
    # not done: said beside the result, never a reason it does not hold
    advice: str | None = None


class CheckContext(NamedTuple):
    ws: Workspace
    today: dt.date
    lang: str

    def say(self, key: str, /, **values: object) -> str:
        """A message of data/messages.json in the process language."""
        return message(key, self.lang, **values)


Check = Callable[[CheckContext, Result], Outcome]
CHECKS: dict[str, Check] = {}


def check(name: str) -> Callable[[Check], Check]:
    def register(function: Check) -> Check:
        CHECKS[name] = function
        return function
    return register


def check_results(ws: Workspace, phase: Phase, today: dt.date, lang: str) -> list[Outcome]:
    context = CheckContext(ws, today, lang)
    return [CHECKS[result.check_name](context, result) for result in phase.gate]


def _by(ctx: CheckContext, value: object) -> bool:
    """Dated on or before the day the gate is judged as of (a transition's stated --date):
    a decision, confirmation or publication dated after it was not there yet. An undated or
    unreadable date is validation's finding, and counts as it always did."""
    day = _date(value)
    return day is None or day <= ctx.today


def _latest_by(ctx: CheckContext, document: str) -> Publication | None:
    """The latest publication of a document dated on or before ctx.today."""
    from copi_cli.model.publications import publications

    mine = [p for p in publications(ctx.ws) if p.document == document and p.date <= ctx.today]
    return max(mine, key=lambda p: (p.date, p.place)) if mine else None


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _body_line(ws: Workspace, record: Record) -> int:
    """The line of its file a text's body starts on (1 when the file cannot be read now)."""
    from copi_cli.model.workspace import read_regular
    from copi_cli.model.yamlsource import LIMITS, split_front_matter

    try:
        split = split_front_matter(read_regular(ws.root / record.path, LIMITS.size)
                                   .decode("utf-8-sig"))
    except (OSError, UnicodeError):
        return 1
    return split[0].count("\n") + 3 if split else 1


def _text_state(ctx: CheckContext, result: Result, wanted: set[str]) -> Outcome:
    layout = load_layout()
    for document in result.check["documents"]:
        file = layout.texts[document]["file"]
        name = layout.texts[document]["name"][ctx.lang]
        record = ctx.ws.text(document)
        if record is None:
            return Outcome(result, False, ctx.say("check.text-missing", name=name), file)
        status = record.data["status"]
        if status not in wanted or not (record.body or "").strip():
            state = {"starter": ctx.say("check.text-starter"),
                     "draft": ctx.say("check.text-draft")}.get(status, status)
            return Outcome(result, False, f"{name} {state} (status: {status})", file)
        left = guidance.find(record.body or "")
        if left:  # marked written, but copi's prompts are still in it
            body = record.body or ""
            line = _body_line(ctx.ws, record) + body.count("\n", 0, left[0].start)
            return Outcome(result, False, ctx.say("check.text-guidance", name=name, line=line),
                           file)
    return Outcome(result, True, ctx.say("check.text-written") if "draft" in wanted
                   else ctx.say("check.text-final"), None)


@check("text-written")
def text_written(ctx: CheckContext, result: Result) -> Outcome:
    return _text_state(ctx, result, {"draft", "final"})


@check("text-final")
def text_final(ctx: CheckContext, result: Result) -> Outcome:
    return _text_state(ctx, result, {"final"})


@check("confirmed")
def confirmed(ctx: CheckContext, result: Result) -> Outcome:
    entries = ctx.ws.single_data("confirmations").get("confirmations", [])
    for entry in entries:
        if entry["result"] == result.id and _by(ctx, entry.get("date")):
            return Outcome(result, True, ctx.say("check.confirmed", by=entry["by"],
                                                 date=entry["date"]), None)
    return Outcome(result, False, ctx.say("check.not-confirmed", result=result.id),
                   "bekraeftelser.yaml")


def _missing_backing(record: Record, day: dt.date | None = None) -> list[str]:
    """Levels without a recorded decision: by whom, when, and evidence (a placeholder such as
    'n/a' is none)."""
    from copi_cli.model.organisations import has_evidence

    backing = record.data.get("backing", {})
    return [level for level in ("political", "administrative")
            if not has_evidence(backing.get(level))
            or (day is not None and (_date(backing[level].get("date")) or dt.date.min) > day)]


@check("backing")
def backing(ctx: CheckContext, result: Result) -> Outcome:
    organisations = ctx.ws.by_id("organisation")
    if result.check["who"] == "first-need-owner":
        first = ctx.ws.process.get("first_need_owner")
        owners = [organisations[first]] if first in organisations else []
        if not owners:
            return Outcome(result, False, ctx.say("check.first-need-owner-missing"),
                           "copi.yaml")
    elif result.check["who"] == "new-need-owners":
        # phase 2: the new owners' backing; the first owner's is phase 1's result and the
        # standing result asks for every owner's from phase 3 on
        first = ctx.ws.process.get("first_need_owner")
        owners = [owner for owner in ctx.ws.need_owners() if owner.data["id"] != first]
        if not owners:
            return Outcome(result, False, ctx.say("check.no-new-need-owners"), None)
    else:
        owners = ctx.ws.need_owners()
    gaps = [(owner, _missing_backing(owner, ctx.today)) for owner in owners]
    gaps = [(owner, missing) for owner, missing in gaps if missing]
    if not gaps:
        return Outcome(result, True, ctx.say("check.backed", owners=len(owners)), None)
    owner, missing = gaps[0]
    levels = [label("backing_level", level, ctx.lang) for level in missing]
    what = ctx.say("check.both-levels", first=levels[0], second=levels[1]) if len(levels) > 1 \
        else levels[0]
    more = " " + ctx.say("check.more-owners", more=len(gaps) - 1) if len(gaps) > 1 else ""
    return Outcome(result, False, ctx.say("check.backing-missing",
                                          owner=named(owner.data, owner.id or owner.path),
                                          levels=what, more=more), owner.path)


@check("records")
def records(ctx: CheckContext, result: Result) -> Outcome:
    kind, minimum = result.check["file"], result.check["min"]
    data = ctx.ws.single_data(kind)
    file = load_layout().kind(kind).pattern
    counts = {key: len(data.get(key, [])) for key in result.check["keys"]}
    missing = [key for key, count in counts.items() if count < minimum]
    if missing:
        return Outcome(result, False, ctx.say("check.records-missing", key=missing[0],
                                              what=label("record_key", missing[0], ctx.lang),
                                              file=file), file)
    shown = ", ".join(f"{count} {label('record_key', key, ctx.lang)}"
                      for key, count in counts.items())
    return Outcome(result, True, ctx.say("check.records", counts=shown), None)


@check("text-states")
def text_states(ctx: CheckContext, result: Result) -> Outcome:
    layout = load_layout()
    document = result.check["document"]
    file = layout.texts[document]["file"]
    record = ctx.ws.text(document)
    phrases = result.check["phrases"][ctx.lang]
    body = " ".join((record.body or "").split()).casefold() if record else ""
    if any(phrase.casefold() in body for phrase in phrases):
        return Outcome(result, True, ctx.say("check.text-states"), None)
    return Outcome(result, False, ctx.say("check.text-states-missing", phrase=phrases[0]), file)


@check("need-owners-min")
def need_owners_min(ctx: CheckContext, result: Result) -> Outcome:
    minimum = ctx.ws.process.get("settings", {}).get("min_need_owners", 2)
    count = len(ctx.ws.need_owners())
    holds = count >= minimum
    return Outcome(result, holds, ctx.say("check.need-owners", n=count, minimum=minimum),
                   None if holds else "organisationer/")


def _held_events(ctx: CheckContext, kinds: list[str]) -> list[Record]:
    return [e for e in ctx.ws.all("event") if e.data["kind"] in kinds
            and (_date(e.data["date"]) or dt.date.max) <= ctx.today]


def _held_market_activities(ctx: CheckContext) -> list[Record]:
    """The activities with the market held by today (copi_cli.model.dialogue says which)."""
    from copi_cli.model.dialogue import is_market_activity

    return [e for e in ctx.ws.all("event") if is_market_activity(e.data)
            and (_date(e.data["date"]) or dt.date.max) <= ctx.today]


@check("event-held")
def event_held(ctx: CheckContext, result: Result) -> Outcome:
    held = _held_events(ctx, result.check["kinds"])
    if held:
        latest = max(held, key=lambda e: e.data["date"])
        return Outcome(result, True, f"{latest.data['title']} ({latest.data['date']})", None)
    kinds = ", ".join(result.check["kinds"])
    return Outcome(result, False, ctx.say("check.no-event-held", kinds=kinds), "arrangementer/")


@check("insight-sources")
def insight_sources(ctx: CheckContext, result: Result) -> Outcome:
    present = {i["source"] for i in ctx.ws.single_data("insights").get("insights", [])}
    missing = [s for s in result.check["sources"] if s not in present]
    names = {source: ctx.say(SOURCE_NAMES[source]) for source in result.check["sources"]}
    if not missing:
        return Outcome(result, True, ctx.say("check.insights", sources=", ".join(names.values())),
                       None)
    return Outcome(result, False, ctx.say("check.insights-missing",
                                          sources=", ".join(names[m] for m in missing)),
                   "udforskning/indsigter.yaml")


# The sources as a check names them ("insights from the value chain"); labels.json has the
# bare words for documents.
SOURCE_NAMES = {
    "fieldwork": "check.source.fieldwork",
    "data": "check.source.data",
    "literature": "check.source.literature",
    "value-chain": "check.source.value-chain",
    "workshop": "check.source.workshop",
    "market-dialogue": "check.source.market-dialogue",
}


@check("needs-owned")
def needs_owned(ctx: CheckContext, result: Result) -> Outcome:
    owners = {r.id for r in ctx.ws.need_owners()}
    needs = ctx.ws.single_data("needs").get("needs", [])
    if not needs:
        return Outcome(result, False, ctx.say("check.no-needs"), "udforskning/behov.yaml")
    orphans = [n["id"] for n in needs if not owners.intersection(n["owners"])]
    if orphans:
        return Outcome(result, False, ctx.say("check.needs-unowned", needs=", ".join(orphans)),
                       "udforskning/behov.yaml")
    return Outcome(result, True, ctx.say("check.needs", needs=len(needs)), None)


POTENTIAL_ORDER = ["not-started", "started", "final"]


@check("potential-status")
def potential_status(ctx: CheckContext, result: Result) -> Outcome:
    status = ctx.ws.single_data("potential").get("status", "not-started")
    if status == "not-started" and result.check.get("optional"):
        return Outcome(result, True, ctx.say("check.potential-none"), None,
                       ctx.say("check.potential-optional"))
    holds = POTENTIAL_ORDER.index(status) >= POTENTIAL_ORDER.index(result.check["at_least"])
    return Outcome(result, holds, f"status: {status}", None if holds else "potentiale.yaml")


# The ways a result can be met where the method names them as examples ("fx"): whether the
# process has taken the way, and the file that records it. phases.yaml says which ways a result
# lists.
def _insights_from(source: str) -> Callable[[CheckContext], bool]:
    return lambda ctx: any(i["source"] == source
                           for i in ctx.ws.single_data("insights").get("insights", []))


class Way(NamedTuple):
    taken: Callable[[CheckContext], bool]
    where: str
    name: str  # a message id


WAYS: dict[str, Way] = {
    "fieldwork": Way(_insights_from("fieldwork"), "udforskning/indsigter.yaml",
                     "check.way.fieldwork"),
    "data": Way(_insights_from("data"), "udforskning/indsigter.yaml", "check.way.data"),
    "literature": Way(_insights_from("literature"), "udforskning/indsigter.yaml",
                      "check.way.literature"),
    "value-chain": Way(lambda ctx: bool(ctx.ws.single_data("stakeholders").get("value_chain"))
                       or _insights_from("value-chain")(ctx), "interessenter.yaml",
                       "check.way.value-chain"),
    "potential": Way(lambda ctx: ctx.ws.single_data("potential").get("status", "not-started")
                     != "not-started", "potentiale.yaml", "check.way.potential"),
    "terms": Way(lambda ctx: bool(ctx.ws.single_data("glossary").get("terms")),
                 "ordliste.yaml", "check.way.terms"),
    "standards": Way(lambda ctx: bool(ctx.ws.single_data("glossary").get("standards")),
                     "ordliste.yaml", "check.way.standards"),
}


@check("one-of")
def one_of(ctx: CheckContext, result: Result) -> Outcome:
    """Where the method gives examples, one of them is enough; the others are suggested."""
    ways = result.check["ways"]
    names = {way: ctx.say(WAYS[way].name) for way in ways}
    taken = [way for way in ways if WAYS[way].taken(ctx)]
    if not taken:
        return Outcome(result, False, ctx.say("check.ways-none",
                                              ways=", ".join(names.values())),
                       WAYS[ways[0]].where)
    left = [names[way] for way in ways if way not in taken]
    return Outcome(result, True, ", ".join(names[way] for way in taken), None,
                   ctx.say("check.ways-suggested", ways=", ".join(left)) if left else None)


@check("open-activity-held")
def open_activity_held(ctx: CheckContext, result: Result) -> Outcome:
    """The essential of the market dialogue: an open, announced activity with the market has
    been held. What the method calls typical (a supplier conference and several 1:1 meetings)
    is advice."""
    from copi_cli.model.dialogue import is_open

    held = _held_market_activities(ctx)
    open_ = [e for e in held if is_open(e.data)
             and str(e.data["announced"]["date"]) <= str(e.data["date"])]
    if not open_:
        if held:  # held, but closed or not announced: no dialogue on equal terms
            event = max(held, key=lambda e: str(e.data["date"]))
            return Outcome(result, False, ctx.say("check.activity-not-open",
                                                  event=event.data["title"],
                                                  date=event.data["date"]), event.path)
        return Outcome(result, False, ctx.say("check.no-market-events"), "arrangementer/")
    typical = result.check["typical"]
    advice = []
    if not any(e.data["kind"] == typical["kind"] for e in open_):
        advice.append(ctx.say("check.typical-conference"))
    meetings = [m for m in ctx.ws.all("meeting") if m.data["kind"] == "one-to-one"
                and (_date(m.data["date"]) or dt.date.max) <= ctx.today]
    if len(meetings) < typical["meetings"]:
        advice.append(ctx.say("check.typical-meetings", held=len(meetings)))
    latest = max(open_, key=lambda e: str(e.data["date"]))
    return Outcome(result, True, f"{latest.data['title']} ({latest.data['date']})", None,
                   "; ".join(advice) or None)


@check("materials-published")
def materials_published(ctx: CheckContext, result: Result) -> Outcome:
    """Every market dialogue event held has material published to all, and the report of the
    market dialogue (events, materials, meetings, the Q&A) was published on or after it."""
    from copi_cli.model.documents import find_document

    held = _held_market_activities(ctx)
    if not held:
        return Outcome(result, False, ctx.say("check.no-market-events"), "arrangementer/")
    for event in held:
        published = [m for m in event.data.get("materials", []) if m.get("published")
                     and _by(ctx, m.get("published"))
                     and m.get("visibility", "all-market") == "all-market"]
        if not published:
            return Outcome(result, False, ctx.say("check.materials-missing",
                                                  event=event.data["title"]), event.path)
    report = result.check.get("report")
    if report:
        last = max(held, key=lambda e: str(e.data["date"]))
        found = _latest_by(ctx, report)
        if found is None or found.date.isoformat() < str(last.data["date"]):
            document = find_document(report)
            return Outcome(result, False, ctx.say(
                "check.report-not-published", name=document.name[ctx.lang],
                event=last.data["title"], date=last.data["date"], document=document.typed),
                PUBLICATIONS)
    return Outcome(result, True, ctx.say("check.materials", n=len(held)), None)


@check("published")
def published(ctx: CheckContext, result: Result) -> Outcome:
    """The documents have been published (copi publish): what went out, not a text's status."""
    from copi_cli.model.documents import find_document

    shown = []
    for document in result.check["documents"]:
        name = find_document(document).name[ctx.lang]
        found = _latest_by(ctx, document)
        if found is None:
            record = ctx.ws.text(document) if document in load_layout().texts else None
            return Outcome(result, False, ctx.say("check.not-published", name=name,
                                                  document=find_document(document).typed),
                           record.path if record is not None
                           and record.data.get("status") != "final" else PUBLICATIONS)
        shown.append(f"{name} {found.date.isoformat()}")
    return Outcome(result, True, ctx.say("check.published", documents=", ".join(shown)), None)


@check("signatures-complete")
def signatures_complete(ctx: CheckContext, result: Result) -> Outcome:
    decided = {s["organisation"] for s in ctx.ws.single_data("signatures").get("signatures", [])
               if _by(ctx, s.get("date"))}
    pending = [named(r.data, r.id or r.path) for r in ctx.ws.need_owners()
               if r.id not in decided]
    if pending:
        return Outcome(result, False, ctx.say("check.signatures-pending",
                                              owners=", ".join(pending)), "underskrifter.yaml")
    return Outcome(result, True, ctx.say("check.signatures"), None)


@check("tool-answered")
def tool_answered(ctx: CheckContext, result: Result) -> Outcome:
    """A tool filled in: its answer file exists and answers every required question."""
    from copi_cli.model.tools import find_tool, unanswered, unmet

    tool = find_tool(result.check["tool"])
    path = tool.path()
    record = next((r for r in ctx.ws.all("tool-answers") if r.path == path), None)
    if record is None:
        return Outcome(result, False, ctx.say("check.tool-unanswered", tool=tool.danish_id),
                       path)
    if not _by(ctx, record.data.get("date")):  # answered after the day judged
        return Outcome(result, False, ctx.say("check.tool-unanswered", tool=tool.danish_id),
                       path)
    missing = unanswered(tool, record.data.get("answers"))
    if missing:
        shown = ", ".join(f.label[ctx.lang] for f in missing[:3])
        return Outcome(result, False, ctx.say("check.tool-answers-missing", fields=shown), path)
    contrary = unmet(tool, record.data.get("answers"))
    if contrary:
        shown = ", ".join(f.label[ctx.lang] for f in contrary[:3])
        return Outcome(result, False, ctx.say("check.tool-plan-says-no", fields=shown), path)
    when = record.data.get("date")
    return Outcome(result, True, ctx.say("check.tool-answered", tool=tool.name[ctx.lang])
                   + (f" {when}" if when else ""), None)
