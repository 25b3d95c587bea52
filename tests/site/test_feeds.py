"""The site's calendar and news feed: read back with icalendar and xml.etree, hostile text made
inert, the same bytes on every build, in every time zone."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import icalendar
import pytest

from copi_cli import __version__
from copi_cli.site.feeds import NewsEntry, SiteEvent, atom, calendar

from conftest import REPO

CPH = ZoneInfo("Europe/Copenhagen")
A = "{http://www.w3.org/2005/Atom}"

# Bidi overrides and isolates, escape sequences, C0 and C1 controls, a lone surrogate, what
# iCalendar would read as a new property or parameter, and what XML would read as markup.
HOSTILE = ("Møde\u202e;lave\u2066 fald\x1b[2J\x07\x00\x9b\ud800, om\r\nEND:VEVENT\r\n"
           "BEGIN:VEVENT;X=\"1\":<script>&amp;</script>\u2028ny linje")

EVENTS = [
    SiteEvent(uid="workshop@faerre-fald.copi", title="Workshop: behov, barrierer; løsninger",
              start=datetime(2027, 3, 15, 13, 0), end=datetime(2027, 3, 15, 16, 30),
              location="Aarhus Rådhus, sal 2", description="Linje 1\nLinje 2",
              url="https://eksempel.dk/faerre-fald/begivenheder/workshop.html"),
    SiteEvent(uid="lancering@faerre-fald.copi", title="Lancering", start=date(2027, 1, 10),
              end=None, location=None, description=None, url=None),
    SiteEvent(uid="konference@faerre-fald.copi", title="Leverandørkonference",
              start=date(2027, 5, 3), end=date(2027, 5, 4), location="Odense",
              description=None, url=None),
    # a time given in UTC is shown in Copenhagen: 08:00Z is 10:00 summer time
    SiteEvent(uid="matchmaking@faerre-fald.copi", title="Matchmaking",
              start=datetime(2027, 6, 1, 8, 0, tzinfo=UTC), end=None, location=None,
              description=None, url=None),
]

# the moment the site is as of (its last commit): before every event above
STAMP = datetime(2026, 12, 1, 14, 5, 9, tzinfo=CPH)

ENTRIES = [
    NewsEntry(id="https://eksempel.dk/faerre-fald/dokumenter/hensigtserklaering.pdf",
              title="Hensigtserklæring offentliggjort",
              updated=datetime(2027, 4, 2, 9, 30, tzinfo=CPH),
              url="https://eksempel.dk/faerre-fald/dokumenter/hensigtserklaering.pdf?v=1&x=2",
              summary="Erklæringen & dens <underskrivere>"),
    NewsEntry(id="tag:faerre-fald.copi,2027-01-10:event/lancering", title="Lancering",
              updated=datetime(2027, 1, 10, tzinfo=UTC), url=None, summary=None),
    NewsEntry(id="tag:faerre-fald.copi,2027-03-15:event/workshop", title="Workshop",
              updated=datetime(2027, 3, 15, 12, 0, tzinfo=UTC), url=None,
              summary="Om behov og barrierer"),
]


def _events(data: bytes) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def _lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    lines = data[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    return lines


def test_calendar_holds_every_event_with_its_summary_dates_and_uid() -> None:
    data = calendar(EVENTS, name="Færre fald", lang="da", stamp=STAMP)
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["PRODID"]) == f"-//copi//copi {__version__}//DA"
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["X-WR-CALNAME"]) == "Færre fald"
    assert cal.decoded("REFRESH-INTERVAL") == timedelta(days=1)
    events = _events(data)
    assert set(events) == {e.uid for e in EVENTS}

    workshop = events["workshop@faerre-fald.copi"]
    assert str(workshop["SUMMARY"]) == "Workshop: behov, barrierer; løsninger"
    assert workshop["SUMMARY"].params["LANGUAGE"] == "da"
    assert str(workshop["LOCATION"]) == "Aarhus Rådhus, sal 2"
    assert str(workshop["DESCRIPTION"]) == "Linje 1\nLinje 2"
    assert str(workshop["URL"]) == "https://eksempel.dk/faerre-fald/begivenheder/workshop.html"
    start, end = workshop.decoded("DTSTART"), workshop.decoded("DTEND")
    assert workshop["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    assert start == datetime(2027, 3, 15, 13, 0, tzinfo=CPH)
    assert end == datetime(2027, 3, 15, 16, 30, tzinfo=CPH)
    # the commas and semicolons of a text are escaped on the wire, not separators
    assert b"SUMMARY;LANGUAGE=da:Workshop: behov\\, barrierer\\; l\xc3\xb8sninger" in data

    # all-day events are DATE values, ending (exclusively) the day after their last day
    launch = events["lancering@faerre-fald.copi"]
    assert launch["DTSTART"].params["VALUE"] == "DATE"
    assert launch.decoded("DTSTART") == date(2027, 1, 10)
    assert launch.decoded("DTEND") == date(2027, 1, 11)
    conference = events["konference@faerre-fald.copi"]
    assert (conference.decoded("DTSTART"), conference.decoded("DTEND")) == (
        date(2027, 5, 3), date(2027, 5, 5))
    assert "LOCATION" not in launch and "URL" not in launch

    matchmaking = events["matchmaking@faerre-fald.copi"]
    assert matchmaking.decoded("DTSTART") == datetime(2027, 6, 1, 10, 0, tzinfo=CPH)
    assert matchmaking.decoded("DTSTART").utcoffset() == timedelta(hours=2)

    # DTSTAMP says when the calendar was made: the moment given (the site's as-of moment),
    # never the clock, never a later event's date
    stamps = {e.decoded("DTSTAMP") for e in events.values()}
    assert stamps == {datetime(2026, 12, 1, 13, 5, 9, tzinfo=UTC)}
    assert b"DTSTAMP:20261201T130509Z" in data


def test_calendar_is_sorted_and_has_one_vtimezone_that_clients_resolve() -> None:
    data = calendar(EVENTS, name="Færre fald", lang="en", stamp=STAMP)
    cal = icalendar.Calendar.from_ical(data)
    assert [str(e["UID"]) for e in cal.walk("VEVENT")] == [
        "lancering@faerre-fald.copi", "workshop@faerre-fald.copi",
        "konference@faerre-fald.copi", "matchmaking@faerre-fald.copi"]
    zones = cal.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Europe/Copenhagen"]
    # the fixed VTIMEZONE gives the offsets the time-zone database gives, winter and summer
    tz = zones[0].to_tz()
    for moment in (datetime(2027, 1, 15, 12), datetime(2027, 3, 28, 1, 30),
                   datetime(2027, 3, 28, 3, 30), datetime(2027, 7, 1, 12),
                   datetime(2027, 10, 31, 3, 30), datetime(2031, 12, 24, 18)):
        assert moment.replace(tzinfo=tz).utcoffset() == moment.replace(tzinfo=CPH).utcoffset()
    assert str(cal["PRODID"]).endswith("//EN")
    # days only: no VTIMEZONE is needed, and none is written
    days = calendar([e for e in EVENTS if not isinstance(e.start, datetime)], name="x",
                    lang="da", stamp=STAMP)
    assert b"VTIMEZONE" not in days and b"TZID" not in days


def test_an_empty_calendar_still_has_a_component() -> None:
    cal = icalendar.Calendar.from_ical(calendar([], name="Færre fald", lang="da", stamp=STAMP))
    assert cal.walk("VEVENT") == [] and len(cal.subcomponents) == 1
    assert str(cal["X-WR-CALNAME"]) == "Færre fald"


def test_calendar_lines_are_crlf_and_folded_at_75_octets() -> None:
    long = SiteEvent(uid="lang@p.copi", title="Æ" * 1000, start=date(2027, 2, 1), end=None,
                     location="ø" * 1000, description="å, ; \\ " * 400, url=None)
    data = calendar([long, *EVENTS], name="Færre fald", lang="da", stamp=STAMP)
    for line in _lines(data):
        assert len(line) <= 75
        line.decode("utf-8")  # never cut inside a character
    event = _events(data)["lang@p.copi"]
    # very long text is bounded, and still read back whole up to the bound
    assert 100 < len(str(event["SUMMARY"])) <= 300
    assert str(event["SUMMARY"]).startswith("ÆÆÆ") and str(event["SUMMARY"]).endswith("…")
    assert len(str(event["DESCRIPTION"])) <= 4000
    assert str(event["DESCRIPTION"]).startswith("å, ; \\ å, ; \\")
    assert len(data) < 12_000


def test_hostile_text_is_inert_in_the_calendar() -> None:
    event = SiteEvent(uid="ond@p.copi\r\nX-EVIL:1", title=HOSTILE, start=date(2027, 2, 1),
                      end=None, location=HOSTILE, description=HOSTILE,
                      url="javascript:alert(1)\r\nX-EVIL:2")
    data = calendar([event], name=HOSTILE, lang="da\r\nX-EVIL:3", stamp=STAMP)
    assert b"X-EVIL:3" not in data and b"//DA\r\n" in data  # a broken language is Danish
    cal = icalendar.Calendar.from_ical(data)
    events = cal.walk("VEVENT")
    assert len(events) == 1  # the END:VEVENT in the text ended nothing
    assert all(not line.startswith((b"X-EVIL", b"BEGIN:VEVENT;")) for line in _lines(data))
    for forbidden in ("\u202e", "\u2066", "\x1b", "\x07", "\x00", "\x9b", "\ud800", "\u2028"):
        assert forbidden.encode("utf-8", "surrogatepass") not in data
    summary = str(events[0]["SUMMARY"])
    assert "\n" not in summary and "END:VEVENT" in summary  # a title is one line of text
    assert "<script>" in summary  # text stays text: nothing of it is dropped but the invisible
    description = str(events[0]["DESCRIPTION"])
    assert "END:VEVENT\nBEGIN:VEVENT" in description and description.endswith("\nny linje")
    assert str(events[0]["UID"]) == "ond@p.copi X-EVIL:1"
    assert "URL" not in events[0]  # neither javascript: nor an address with white space


def test_atom_reads_back_with_ids_titles_links_and_dates() -> None:
    data = atom(ENTRIES, title="Færre fald — nyheder", feed_id="tag:faerre-fald.copi,2027:feed",
                lang="da", self_url="https://eksempel.dk/faerre-fald/nyheder.xml",
                updated=datetime(2027, 4, 2, 9, 30, tzinfo=CPH))
    feed = ET.fromstring(data)
    assert feed.tag == f"{A}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "da"
    assert feed.findtext(f"{A}id") == "tag:faerre-fald.copi,2027:feed"
    assert feed.findtext(f"{A}title") == "Færre fald — nyheder"
    assert feed.findtext(f"{A}updated") == "2027-04-02T07:30:00Z"
    assert feed.findtext(f"{A}author/{A}name") == "Færre fald — nyheder"
    self_link = feed.find(f"{A}link")
    assert self_link is not None and self_link.get("rel") == "self"
    assert self_link.get("href") == "https://eksempel.dk/faerre-fald/nyheder.xml"

    entries = feed.findall(f"{A}entry")
    # newest first
    assert [e.findtext(f"{A}id") for e in entries] == [
        "https://eksempel.dk/faerre-fald/dokumenter/hensigtserklaering.pdf",
        "tag:faerre-fald.copi,2027-03-15:event/workshop",
        "tag:faerre-fald.copi,2027-01-10:event/lancering"]
    assert [e.findtext(f"{A}updated") for e in entries] == [
        "2027-04-02T07:30:00Z", "2027-03-15T12:00:00Z", "2027-01-10T00:00:00Z"]
    assert [e.findtext(f"{A}title") for e in entries] == [
        "Hensigtserklæring offentliggjort", "Workshop", "Lancering"]
    link = entries[0].find(f"{A}link")
    assert link is not None and link.get("rel") == "alternate"
    assert link.get("href") == (
        "https://eksempel.dk/faerre-fald/dokumenter/hensigtserklaering.pdf?v=1&x=2")
    assert entries[0].findtext(f"{A}summary") == "Erklæringen & dens <underskrivere>"
    # RFC 4287: an entry without an alternate link carries content
    assert entries[1].find(f"{A}link") is None
    assert entries[1].findtext(f"{A}content") == "Om behov og barrierer"
    assert entries[2].findtext(f"{A}content") == "Lancering"
    assert entries[2].find(f"{A}content").get("type") == "text"  # type: ignore[union-attr]


def test_atom_without_base_url_has_no_self_link() -> None:
    data = atom([], title="x", feed_id="tag:p.copi,2027:feed", lang="en", self_url=None,
                updated=datetime(2027, 1, 1, tzinfo=UTC))
    feed = ET.fromstring(data)
    assert feed.find(f"{A}link") is None and feed.findall(f"{A}entry") == []
    assert feed.findtext(f"{A}updated") == "2027-01-01T00:00:00Z"


def test_hostile_text_is_inert_in_the_atom_feed() -> None:
    entry = NewsEntry(id="tag:p.copi,2027:x\" onload=\"x", title=HOSTILE,
                      updated=datetime(2027, 2, 1, tzinfo=UTC),
                      url="https://x.dk/\"><script>alert(1)</script>", summary=HOSTILE * 100)
    data = atom([entry], title=HOSTILE, feed_id="tag:p.copi,2027:feed", lang="da",
                self_url="javascript:alert(1)", updated=datetime(2027, 2, 1, tzinfo=UTC))
    feed = ET.fromstring(data)  # well-formed, whatever the text held
    for forbidden in ("\u202e", "\u2066", "\x1b", "\x07", "\x00", "\x9b", "\ud800", "\r"):
        assert forbidden.encode("utf-8", "surrogatepass") not in data
    assert b"<script>" not in data
    (element,) = feed.findall(f"{A}entry")
    assert "<script>&amp;</script>" in (element.findtext(f"{A}title") or "")
    summary = element.findtext(f"{A}summary") or ""
    assert len(summary) <= 4000 and summary.endswith("…")
    link = element.find(f"{A}link")
    assert link is not None and link.get("href") == "https://x.dk/\"><script>alert(1)</script>"
    # a link is http or https, never javascript:
    assert [x.get("rel") for x in feed.iter(f"{A}link")] == ["alternate"]
    # an id with white space is no IRI: a stable one stands in
    assert element.findtext(f"{A}id") == "urn:copi:entry:1"


def test_both_feeds_are_the_same_bytes_on_every_call_whatever_the_order() -> None:
    def build(events: list[SiteEvent], entries: list[NewsEntry]) -> tuple[bytes, bytes]:
        return (calendar(events, name="Færre fald", lang="da", stamp=STAMP),
                atom(entries, title="Færre fald", feed_id="tag:p.copi,2027:feed", lang="da",
                     self_url=None, updated=datetime(2027, 4, 2, tzinfo=UTC)))

    first = build(EVENTS, ENTRIES)
    assert build(EVENTS, ENTRIES) == first
    assert build(EVENTS[::-1], ENTRIES[::-1]) == first


_SCRIPT = """
import sys
from copi_cli.site.feeds import NewsEntry, SiteEvent, calendar, atom
from datetime import UTC, date, datetime, timezone, timedelta
EVENTS = [
    SiteEvent("a@p.copi", "Workshop", datetime(2027, 3, 15, 13), datetime(2027, 3, 15, 16),
              "Aarhus", "Om behov", "https://x.dk/a.html"),
    SiteEvent("b@p.copi", "Lancering", date(2027, 1, 10), None, None, None, None),
    SiteEvent("c@p.copi", "Matchmaking", datetime(2027, 6, 1, 8, tzinfo=UTC), None, None, None,
              None),
]
ENTRIES = [
    NewsEntry("tag:p.copi,2027:a", "Workshop", datetime(2027, 3, 15, 12), None, "Om behov"),
    NewsEntry("tag:p.copi,2027:b", "Lancering",
              datetime(2027, 1, 10, 9, tzinfo=timezone(timedelta(hours=-5))), None, None),
]
sys.stdout.buffer.write(calendar(EVENTS, name="Færre fald", lang="da",
                                 stamp=datetime(2027, 1, 2, 9)))
sys.stdout.buffer.write(atom(ENTRIES, title="Færre fald", feed_id="tag:p.copi,2027:feed",
                             lang="da", self_url=None, updated=datetime(2027, 4, 2, tzinfo=UTC)))
"""


@pytest.mark.parametrize("tz", ["Pacific/Auckland", "America/Los_Angeles"])
def test_the_machines_time_zone_and_locale_change_no_byte(tz: str) -> None:
    def run(environment: dict[str, str]) -> bytes:
        env = {**os.environ, "PYTHONPATH": str(REPO), **environment}
        return subprocess.run([sys.executable, "-c", _SCRIPT], env=env, cwd=REPO,
                              capture_output=True, check=True).stdout

    reference = run({"TZ": "UTC", "LC_ALL": "C.UTF-8"})
    assert b"BEGIN:VCALENDAR" in reference and b"<feed" in reference
    assert run({"TZ": tz, "LC_ALL": "C.UTF-8"}) == reference
