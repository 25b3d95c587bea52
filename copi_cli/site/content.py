"""What each page of the site says, from the public context of the records.

The context is the one a public document's template sees (copi_cli.rendering.context): the
records after the confidentiality cut, ids resolved to names. Nothing here reads the
workspace: what the public may not see is not in the context to print.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from copi_cli.messages import in_language
from copi_cli.site.pages import (
    CALENDAR,
    FEED,
    _e,
    day,
    href,
    listing,
    paragraphs,
    section,
    written_in,
)

# The phase in which the need owners sign the declaration of intent (copi_cli/data/phases.yaml).
DECLARATION_PHASE = "declaration"


@dataclass(frozen=True)
class Material:
    """A material published to the whole market, and where the site holds its file."""

    event: str
    title: str
    published: str
    path: str | None  # from the site's root, None when the process has no such file
    url: str | None  # a link the process gives (http or https)


@dataclass(frozen=True)
class PublishedFile:
    name: str
    format: str
    sha256: str
    path: str | None  # from the site's root; None when it could not be made again as recorded


@dataclass(frozen=True)
class PublishedDocument:
    document: str
    name: str  # in the page's language
    date: str
    language: str
    files: tuple[PublishedFile, ...]


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def front(context: dict, today: str, lang: str) -> str:
    """The shared challenge, the need owners and who has signed, the phase and its timeline,
    what happens next and how to take part."""
    say = in_language(lang)
    t, source = _written(context, lang)
    process = context["process"]
    parts = [section(say("site.challenge"), paragraphs(process.get("description"), source),
                     "challenge")]
    signed = {s.get("organisation_name"): s for s in context["signed"]}
    ahead = signing_ahead(context)
    owners = []
    for owner in context["need_owners"]:
        name = _text(owner.get("name"))
        entry = signed.get(name)
        if ahead:
            owners.append(_e(name))
            continue
        state = (say("site.signed-on", date=day(entry.get("date"), lang)) if entry
                 else _e(say("site.not-signed")))
        owners.append(f"{_e(name)} — {state}")
    when = f"<p>{_e(say('site.signed-in-phase', **ahead))}</p>\n" if ahead else ""
    parts.append(section(say("site.need-owners"), listing(owners, say("site.no-need-owners"))
                         + when, "need-owners"))
    current = process["phase"]["number"]
    entered, left = _entered(process.get("history", []))
    phases = []
    for phase in context["phases"]:
        number = phase["number"]
        state = ("site.phase-done" if number < current else
                 "site.phase-now" if number == current else "site.phase-ahead")
        since, until = entered.get(phase["id"]), left.get(phase["id"])
        when = ""
        if since and number < current and until and until >= since:
            when = f" ({say('site.period', start=day(since, lang), end=day(until, lang))})"
        elif since and number <= current:
            when = f" ({say('site.since', date=day(since, lang))})"
        mark = ' class="now" aria-current="step"' if number == current else ""
        phases.append(f"<li{mark}>{_e(number)}. {_e(phase['name'])} — "
                      f"{_e(say(state))}{when}</li>\n")
    now = say("site.phase", number=current, name=process["phase"]["name"])
    parts.append(section(say("site.phases"), f"<p>{_e(now)}</p>\n<ol class=\"phases\">"
                         + "".join(phases) + "</ol>\n", "phases"))
    following = [p for p in context["phases"] if p["number"] == current + 1]
    upcoming = [e for e in context["events"] if str(e.get("date")) >= today]
    nexts = []
    if following:
        then = following[0]
        nexts.append(f"<p>{_e(say('site.next-phase', number=then['number'], name=then['name']))}"
                     f" {_e(then['summary'])}</p>\n")
    if upcoming:
        items = [f'{day(e.get("date"), lang)}: <a href="events.html#{_e(anchor(e))}">'
                 f"{t(e.get('title'))}</a>" for e in upcoming]
        nexts.append(f"<p>{_e(say('site.next-events'))}</p>\n" + listing(items, ""))
    if not nexts:
        nexts.append(f"<p>{_e(say('site.nothing-next'))}</p>\n")
    parts.append(section(say("site.next"), "".join(nexts), "next"))
    contact = _text(process["facilitator"].get("public_contact"))
    organisation = _text(process["facilitator"].get("organisation"))
    take_part = [f"<p>{_e(say('site.take-part-text'))}</p>\n"]
    if contact:
        take_part.append(f"<p>{_e(say('site.contact'))}: {_e(contact)}"
                         + (f" ({_e(organisation)})" if organisation else "") + "</p>\n")
    take_part.append(f'<p><a href="{href(CALENDAR)}">{_e(say("site.calendar"))}</a> · '
                     f'<a href="{href(FEED)}">{_e(say("site.feed"))}</a></p>\n')
    parts.append(section(say("site.take-part"), "".join(take_part), "take-part"))
    return "".join(parts)


def signing_ahead(context: dict) -> dict[str, object]:
    """The number and name of the phase in which the need owners sign the declaration of
    intent, while the process has not reached it and nobody has signed; else empty. Until
    then, "has not signed yet" beside every need owner says nothing the method does not."""
    if context["signed"]:
        return {}
    current = context["process"]["phase"]["number"]
    for phase in context["phases"]:
        if phase.get("id") == DECLARATION_PHASE and phase["number"] > current:
            return {"number": phase["number"], "name": phase["name"]}
    return {}


def _written(context: dict, lang: str) -> tuple[Callable[[object], str], str | None]:
    """How this page puts the process's own texts: a phrase (`written_in`), and the language
    a paragraph is marked with (None on a page in the process's language)."""
    source = str(context.get("site_source") or lang)
    return written_in(source, lang), (source if source != lang else None)


def _entered(history: object) -> tuple[dict[str, str], dict[str, str]]:
    """The day the process last entered each phase, and the day it last left each."""
    entered: dict[str, str] = {}
    left: dict[str, str] = {}
    for entry in history if isinstance(history, list) else []:
        if not isinstance(entry, dict):
            continue
        if isinstance(entry.get("to"), str):
            entered[entry["to"]] = str(entry.get("date") or "")
        if isinstance(entry.get("from"), str) and entry.get("from") != entry.get("to"):
            left[entry["from"]] = str(entry.get("date") or "")
    return entered, left


def anchor(event: dict) -> str:
    """An event's place on the events page (its id, in characters safe in any URL)."""
    return "event-" + "".join(c if c.isalnum() or c in "-_" else "-"
                              for c in str(event.get("id") or ""))


def events(context: dict, materials: Sequence[Material], today: str, lang: str,
           up: str) -> str:
    """Every public event, upcoming first, then those held, with their published materials."""
    say = in_language(lang)
    by_event: dict[str, list[Material]] = {}
    for material in materials:
        by_event.setdefault(material.event, []).append(material)
    upcoming = [e for e in context["events"] if str(e.get("date")) >= today]
    held = [e for e in context["events"] if str(e.get("date")) < today][::-1]
    parts = [f'<p><a href="{href(CALENDAR)}">{_e(say("site.calendar-subscribe"))}</a></p>\n']
    for heading, chosen, ident in ((say("site.upcoming"), upcoming, "upcoming"),
                                   (say("site.held"), held, "held")):
        body = "".join(_event(e, by_event.get(str(e.get("id")), []), context, lang, up)
                       for e in chosen) \
            or f"<p>{_e(say('site.no-events'))}</p>\n"
        parts.append(section(heading, body, ident))
    return "".join(parts)


def _event(event: dict, materials: Sequence[Material], context: dict, lang: str,
           up: str) -> str:
    say = in_language(lang)
    t, source = _written(context, lang)
    facts = [f"<dt>{_e(say('site.date'))}</dt><dd>{day(event.get('date'), lang)}</dd>"]
    if _text(event.get("place")):
        facts.append(f"<dt>{_e(say('site.place'))}</dt><dd>{t(event['place'])}</dd>")
    if _text(event.get("kind_label")):
        facts.append(f"<dt>{_e(say('site.kind'))}</dt><dd>{_e(event['kind_label'])}</dd>")
    owners = [n for n in event.get("owner_names", []) if isinstance(n, str)]
    if owners:
        facts.append(f"<dt>{_e(say('site.organisers'))}</dt><dd>{_e(', '.join(owners))}</dd>")
    files = ""
    if materials:
        files = f"<p>{_e(say('site.materials'))}</p>\n" + listing(
            [_material(m, t, lang, up) for m in materials], "")
    return (f'<article id="{_e(anchor(event))}">\n<h3>{t(event.get("title"))}</h3>\n'
            f"<dl>{''.join(facts)}</dl>\n{paragraphs(event.get('description'), source)}"
            f"{files}"
            "</article>\n")


def _material(material: Material, t: Callable[[object], str], lang: str, up: str) -> str:
    say = in_language(lang)
    when = say("site.published-on", date=day(material.published, lang))
    if material.path is not None:
        return f'<a href="{href(up + material.path)}">{t(material.title)}</a> ({when})'
    if material.url is not None:
        return f'<a href="{_e(material.url)}">{t(material.title)}</a> ({when})'
    return f"{t(material.title)} ({when})"


def market_dialogue(context: dict, materials: Sequence[Material], statement: str,
                    lang: str, up: str) -> str:
    """Announcements, the materials published to all, the anonymised questions and answers,
    the statement that the dialogue is not a tender, and the contact."""
    say = in_language(lang)
    t, source = _written(context, lang)
    parts = [f'<p class="statement">{_e(statement)}</p>\n']
    announced = []
    for event in context["events"]:
        notice = event.get("announced")
        if not event.get("market_activity") or not isinstance(notice, dict):
            continue
        channel = _e(say("site.announced-in", channel="\x00")).replace(
            "\x00", t(_text(notice.get("channel"))))
        announced.append(
            f'{day(notice.get("date"), lang)}: <a href="events.html#{_e(anchor(event))}">'
            f'{t(event.get("title"))}</a> ({day(event.get("date"), lang)}) — {channel}')
    parts.append(section(say("site.announcements"),
                         listing(announced, say("site.no-announcements")), "announcements"))
    titles = {str(e.get("id")): _text(e.get("title")) for e in context["events"]}
    shared = [f"{_material(m, t, lang, up)} — {t(titles.get(m.event, ''))}" for m in materials]
    parts.append(section(say("site.materials-all"), listing(shared, say("site.no-materials")),
                         "materials"))
    questions = []
    for question in context["questions"]:
        asked = _e(say("site.asked-on", date="\x00")).replace("\x00", day(question.get("date"),
                                                                         lang))
        answer = (paragraphs(question.get("answer"), source) if _text(question.get("answer"))
                  else f"<p>{_e(say('site.not-answered'))}</p>\n")
        questions.append(f"<dt>{t(question.get('question'))}</dt>\n<dd><p><small>{asked}"
                         "</small></p>\n" + answer + "</dd>\n")
    qa = (f"<p>{_e(say('site.questions-anonymous'))}</p>\n<dl class=\"qa\">\n"
          + "".join(questions) + "</dl>\n") if questions else \
        f"<p>{_e(say('site.no-questions'))}</p>\n"
    parts.append(section(say("site.questions"), qa, "questions"))
    contact = _text(context["process"]["facilitator"].get("public_contact"))
    parts.append(section(say("site.contact"), f"<p>{_e(contact or say('site.no-contact'))}"
                         "</p>\n", "contact"))
    return "".join(parts)


def documents(context: dict, published: Sequence[PublishedDocument], lang: str,
              up: str) -> str:
    """The published documents with date, language and SHA-256, then the declaration and its
    signatories."""
    say = in_language(lang)
    rows = []
    for doc in published:
        files = []
        for file in doc.files:
            link = (f'<a href="{href(up + file.path)}">{_e(file.name)}</a>'
                    if file.path else f"{_e(file.name)} ({_e(say('site.not-remade'))})")
            files.append(f'{link}<br><span class="hash">SHA-256 {_e(file.sha256)}</span>')
        rows.append(f"<tr><td>{_e(doc.name)}</td><td>{day(doc.date, lang)}</td>"
                    f"<td>{_e(doc.language)}</td><td>{'<br>'.join(files)}</td></tr>\n")
    if rows:
        head = "".join(f'<th scope="col">{_e(say(k))}</th>' for k in (
            "site.document", "site.date", "site.language", "site.files"))
        table = (f'<div class="table"><table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
                 + "".join(rows) + "</tbody>\n</table></div>\n")
    else:
        table = f"<p>{_e(say('site.no-publications'))}</p>\n"
    parts = [section(say("site.publications"), f"<p>{_e(say('site.publications-text'))}"
                     "</p>\n" + table, "publications")]
    signatories = []
    for entry in context["signed"]:
        who = ", ".join(_text(entry.get(k)) for k in ("signer", "title") if _text(entry.get(k)))
        signatories.append(f"{_e(entry.get('organisation_name'))}"
                           + (f" ({_e(who)})" if who else "")
                           + f" — {say('site.signed-on', date=day(entry.get('date'), lang))}")
    ahead = signing_ahead(context)
    waiting = [_e(o.get("name")) + ("" if ahead else f" — {_e(say('site.not-signed'))}")
               for o in context["need_owners"]
               if o.get("name") not in {s.get("organisation_name") for s in context["signed"]}]
    when = f"<p>{_e(say('site.signed-in-phase', **ahead))}</p>\n" if ahead else ""
    parts.append(section(say("site.declaration"), f"<p>{_e(say('site.declaration-text'))}"
                         "</p>\n" + when + listing([*signatories, *waiting],
                                                   say("site.no-need-owners")), "declaration"))
    return "".join(parts)


def event_rows(context: dict) -> list[dict[str, Any]]:
    """The public events, as the calendar and the feed take them."""
    return [e for e in context["events"] if isinstance(e.get("title"), str)]
