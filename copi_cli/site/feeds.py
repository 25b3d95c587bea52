"""The site's calendar (iCalendar, RFC 5545) and news feed (Atom, RFC 4287), byte-reproducible.

Design: both feeds are pure functions of the values handed in, so the same revision of a process
gives the same bytes on any machine, in any time zone, on any day:

1. Every text is cleaned first: control characters, bidirectional overrides and isolates, lone
   surrogates and the code points XML forbids are dropped (a calendar client or feed reader shows
   what the process wrote, never reordered, and the XML stays well-formed); each field is bounded
   in length.
2. Entries are sorted by a key that is total (date, then id), never by the order they came in.
3. No stamp is read from the clock: the calendar's DTSTAMP (when the calendar was made) and the
   feed's `updated` are the moments given, the site's "as of" moment.
4. The calendar is written by `icalendar` (escaping, CRLF, folding at 75 octets), with times in
   Europe/Copenhagen under a fixed VTIMEZONE of the EU rules, so neither the time-zone database's
   version nor the machine's TZ changes a byte. The Atom feed is a dozen elements written with
   `xml.etree`, which escapes text and attributes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from copi_cli import __version__

# Where the processes copi serves take place; a time without a zone is a time in Copenhagen.
ZONE_NAME = "Europe/Copenhagen"
_ZONE = ZoneInfo(ZONE_NAME)
_ATOM = "http://www.w3.org/2005/Atom"

# Lengths a field is cut to: enough for any honest title or text, small enough that a hostile
# process cannot make a feed of megabytes per entry.
_MAX_LINE = 300  # titles, places, calendar names
_MAX_TEXT = 4000  # descriptions and summaries
_MAX_IRI = 2000  # ids and links; a longer one is left out rather than cut into another address

# Dropped from every text: C0 controls but tab and newline, DEL, C1 controls, the Arabic letter
# mark, left-to-right and right-to-left marks, the bidirectional embeddings, overrides and
# isolates (Trojan Source), the byte-order mark, lone surrogates and the non-characters XML
# forbids.
_DROPPED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                      "\u2066-\u2069\ud800-\udfff\ufeff\ufffe\uffff]")
_NEWLINES = re.compile("\r\n|[\r\u2028\u2029\x0b\x0c\x85]")
_SPACES = re.compile(r"\s+")
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")
_LINK = re.compile(r"https?://\S+", re.IGNORECASE)
_LANGUAGE = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")  # a BCP 47 tag, as RFC 5646


@dataclass(frozen=True)
class SiteEvent:
    """One public event of the process, as the calendar shows it.

    `start` and `end` are days (an all-day event; `end` is the last day, inclusive) or times
    (without a zone: in Copenhagen). `uid` is stable across builds, e.g.
    `f"{event_id}@{process_id}.copi"`."""

    uid: str
    title: str
    start: date | datetime
    end: date | datetime | None
    location: str | None
    description: str | None
    url: str | None  # absolute when a base URL is known, else None


@dataclass(frozen=True)
class NewsEntry:
    """A publication or an event, as one entry of the Atom feed."""

    id: str  # a stable IRI (a tag: URI when no base URL is known)
    title: str
    updated: datetime  # timezone-aware; without a zone: in Copenhagen
    url: str | None
    summary: str | None


# -- text --------------------------------------------------------------------------------------


def _text(value: str | None, limit: int = _MAX_TEXT) -> str:
    """A multi-line text: cleaned, newlines as \\n, bounded."""
    if not value:
        return ""
    text = _DROPPED.sub("", _NEWLINES.sub("\n", value)).replace("\t", " ").strip()
    return _bounded(text, limit)


def _line(value: str | None, limit: int = _MAX_LINE) -> str:
    """A one-line text: cleaned, every run of white space one space, bounded."""
    if not value:
        return ""
    return _bounded(_SPACES.sub(" ", _DROPPED.sub("", _NEWLINES.sub(" ", value))).strip(), limit)


def _bounded(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _iri(value: str | None) -> str:
    """An address or id: cleaned, absolute (scheme:…), with no white space; '' when it is not
    one or is too long to keep whole."""
    text = _DROPPED.sub("", value or "").strip()
    return text if len(text) <= _MAX_IRI and _IRI.fullmatch(text) else ""


def _language(value: str) -> str:
    """A language tag for LANGUAGE= and xml:lang; copi's default, Danish, for anything else."""
    text = value.strip()
    return text.lower() if _LANGUAGE.fullmatch(text) else "da"


def _link(value: str | None) -> str:
    """An address a reader may follow: http or https only (never javascript: or data:), else
    ''."""
    text = _iri(value)
    return text if _LINK.fullmatch(text) else ""


# -- times -------------------------------------------------------------------------------------


def _local(moment: datetime) -> datetime:
    """A time in Copenhagen: a naive one is taken as such, an aware one converted."""
    return moment.replace(tzinfo=_ZONE) if moment.tzinfo is None else moment.astimezone(_ZONE)


def _instant(moment: date | datetime) -> datetime:
    """A moment in UTC, to sort and compare by: a day is its midnight in Copenhagen."""
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time(0))
    return _local(moment).astimezone(UTC)


def _rfc3339(moment: datetime) -> str:
    return _local(moment).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- the calendar ------------------------------------------------------------------------------


def calendar(events: Sequence[SiteEvent], *, name: str, lang: str, stamp: datetime) -> bytes:
    """The events as one iCalendar file (RFC 5545): one VEVENT per event, sorted by start and uid.

    DTSTAMP, which RFC 5545 requires, says when the entry was made: `stamp`, the moment the
    site is as of (never a later event's date, never the clock's), so a rebuild changes no
    byte. Days are DATE values; times are Europe/Copenhagen local times with their
    VTIMEZONE."""
    from icalendar import Calendar, Event

    language = _language(lang)
    cal = Calendar()
    cal.add("prodid", f"-//copi//copi {__version__}//{language.upper()}")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    title = _line(name) or "copi"
    cal.add("name", title)
    cal.add("x-wr-calname", title)
    # how often a subscribed calendar asks again (RFC 7986, and Outlook's older property)
    cal.add("refresh-interval", timedelta(days=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "P1D")

    ordered = sorted(events, key=lambda e: (_instant(e.start), _line(e.uid, _MAX_IRI)))
    dtstamp = _local(stamp).astimezone(UTC)
    # the zone of the times; in a calendar with no event, its one component (RFC 5545 asks
    # for at least one)
    if not ordered or any(isinstance(e.start, datetime) for e in ordered):
        cal.add_component(_copenhagen())
    for item in ordered:
        event = Event()
        event.add("uid", _line(item.uid, _MAX_IRI) or "event@copi")
        event.add("dtstamp", dtstamp)
        start, end = _span(item.start, item.end)
        event.add("dtstart", start)
        if end is not None:
            event.add("dtend", end)
        event.add("summary", _line(item.title) or "—", parameters={"LANGUAGE": language})
        if location := _line(item.location):
            event.add("location", location, parameters={"LANGUAGE": language})
        if description := _text(item.description):
            event.add("description", description, parameters={"LANGUAGE": language})
        if url := _link(item.url):
            event.add("url", url, parameters={"VALUE": "URI"})
        cal.add_component(event)
    return cal.to_ical()


def _span(start: date | datetime,
          end: date | datetime | None) -> tuple[date | datetime, date | datetime | None]:
    """DTSTART and DTEND: an all-day event ends (exclusively) the day after its last day; a
    time is in Copenhagen; an end of the other kind, or before the start, is left out."""
    if not isinstance(start, datetime):
        last = end if type(end) is date and end >= start else start
        return start, last + timedelta(days=1)
    begin = _local(start)
    if isinstance(end, datetime) and _local(end) >= begin:
        return begin, _local(end)
    return begin, None


def _copenhagen() -> Any:
    """Europe/Copenhagen as a VTIMEZONE of the EU rules in force since 1996 (summer time from
    the last Sunday of March to the last Sunday of October), fixed rather than generated from
    the time-zone database so that its version changes no byte."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    zone = Timezone()
    zone.add("tzid", ZONE_NAME)
    zone.add("x-lic-location", ZONE_NAME)
    for kind, (frm, to, label, start, month) in (
        (TimezoneDaylight, ("+0100", "+0200", "CEST", datetime(1970, 3, 29, 2), 3)),
        (TimezoneStandard, ("+0200", "+0100", "CET", datetime(1970, 10, 25, 3), 10)),
    ):
        rule = kind()
        rule.add("tzoffsetfrom", _offset(frm))
        rule.add("tzoffsetto", _offset(to))
        rule.add("tzname", label)
        rule.add("dtstart", start)
        rule.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        zone.add_component(rule)
    return zone


def _offset(text: str) -> timedelta:
    sign = -1 if text[0] == "-" else 1
    return sign * timedelta(hours=int(text[1:3]), minutes=int(text[3:5]))


# -- the news feed -----------------------------------------------------------------------------


def atom(entries: Sequence[NewsEntry], *, title: str, feed_id: str, lang: str,
         self_url: str | None, updated: datetime, author: str | None = None) -> bytes:
    """The entries as an Atom feed (RFC 4287), newest first (then by id).

    `updated` is the feed's own date, given (the latest publication or event), never the
    clock's. The feed's author is `author`, or else its title (the process), as RFC 4287
    requires one. An entry with an address links to it and carries its summary; one without
    carries its summary (or title) as content, as RFC 4287 asks of an entry with no link."""
    from xml.etree import ElementTree as ET

    language = _language(lang)
    feed = ET.Element("feed", {"xmlns": _ATOM, "xml:lang": language})
    feed_title = _line(title) or "copi"
    ET.SubElement(feed, "id").text = _iri(feed_id) or "urn:copi:feed"
    ET.SubElement(feed, "title").text = feed_title
    ET.SubElement(feed, "updated").text = _rfc3339(updated)
    ET.SubElement(ET.SubElement(feed, "author"), "name").text = _line(author) or feed_title
    ET.SubElement(feed, "generator", {"version": __version__}).text = "copi"
    if link := _link(self_url):
        ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml",
                                     "href": link})

    def newest_first(entry: NewsEntry) -> tuple[float, str]:
        return (-_instant(entry.updated).timestamp(), _iri(entry.id))

    for number, item in enumerate(sorted(entries, key=newest_first), 1):
        entry = ET.SubElement(feed, "entry")
        ET.SubElement(entry, "id").text = _iri(item.id) or f"urn:copi:entry:{number}"
        entry_title = _line(item.title) or "—"
        ET.SubElement(entry, "title").text = entry_title
        ET.SubElement(entry, "updated").text = _rfc3339(item.updated)
        summary = _text(item.summary)
        if link := _link(item.url):
            ET.SubElement(entry, "link", {"rel": "alternate", "href": link})
            if summary:
                ET.SubElement(entry, "summary").text = summary
        else:
            ET.SubElement(entry, "content", {"type": "text"}).text = summary or entry_title
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
