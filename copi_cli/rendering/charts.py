"""Charts beside the tables: the demand signal, the process timeline, the consortium over time.

Why: the figures that carry the method — how much the need owners plan to buy and when, how the
process has moved through its phases, who has joined, backed and signed — are read faster as a
picture than as a table, by mayors and suppliers alike. A chart says nothing the table beside it
does not: both are drawn from the same values of the document's context (the audience's view,
so a public chart shows only what the public table shows).

Design:
- A chart is a Vega-Lite specification built here as data (never a template of markup), its
  values inline, rendered by vl-convert without a browser: SVG for HTML (an <img>, which runs
  no script) and for PDF (typst sets the SVG; its text stays text), PNG for Word.
- Text from the process (a need owner's name) is a value in the data: Vega draws it as text
  and the SVG escapes it; the alternative text reaches the Markdown escaped (templating's
  `chart`). Every SVG is checked as a plain drawing (conversion.unsafe_svg) before use.
- Numbers and dates as the documents write them: the d3 number locale is built from
  data/locale_forms.json (1.234.567 / 1,234,567, the minus sign), dates on a UTC scale so the
  machine's time zone changes nothing; the words are data/charts.json's.
- The same data give the same bytes on every machine: the font is Liberation Sans, which
  vl-convert carries inside itself (text is measured with it, whatever fonts the machine has),
  the data are ordered, and nothing depends on the clock but the `today` given.
- Bounded: at most MAX_OWNERS series (the smallest owners beyond are added together), MAX_YEARS
  years and MAX_EVENTS events (the rest left out); the alternative text says so.
- A rendered chart is kept by the hash of its specification (and vl-convert's version), in
  memory and as JSON data in copi's cache: vl-convert's first chart in a process costs ~0.4 s.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import threading
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from copi_cli.errors import EnvironmentProblem
from copi_cli.messages import Said
from copi_cli.rendering import formatting
from copi_cli.resources import load_data

MAX_OWNERS = 8  # colours a reader tells apart in one legend; beyond, the smallest are summed
MAX_YEARS = 20
MAX_EVENTS = 40
WIDTH = 360  # the plot's width in px: with its axis and padding within a page's text width
VEGA_LITE = "5.21"  # pinned: a newer Vega-Lite may draw the same data otherwise
FONT = "Liberation Sans"  # carried by vl-convert itself: the same measures on every machine
PRIMARY, ACCENT = "#1f4e79", "#c0504d"  # copi's page colours (templates/pandoc) by default
OTHERS_COLOUR = "#9e9e9e"
PNG_SCALE = 2  # Word's picture at 144 ppi: sharp when printed, the same size as the SVG


class Chart(NamedTuple):
    """One chart of a document: its Vega-Lite specification, its alternative text (a sentence
    that states its figures), and the strings from the process it shows (for the leak check,
    which cannot read a picture)."""

    name: str
    spec: dict
    alt: str
    texts: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The hash a rendering is kept by: the specification and the renderer."""
        text = json.dumps(self.spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(f"{_renderer()}\n{text}".encode()).hexdigest()

    def svg(self) -> str:
        return _rendered(self, "svg")

    def png(self) -> bytes:
        return base64.b64decode(_rendered(self, "png"))


# -- the charts ------------------------------------------------------------------------------

def words(lang: str) -> dict[str, Any]:
    return load_data("charts.json")[lang]


def demand(potential: Mapping[str, Any] | None, lang: str,
           brand: Mapping[str, Any] | None = None) -> Chart | None:
    """The demand signal by year, stacked by need owner: expected spend with the year's low–high
    range, and units (each panel when some purchase states it). potential is the document
    context's `potential` (its `purchases` and `demand`, as the tables print them); None when
    there is nothing to draw."""
    if not potential or not potential.get("purchases"):
        return None
    w = words(lang)
    years = [row["year"] for row in potential["demand"]["years"]]
    shown_years = years[:MAX_YEARS]
    spend: dict[tuple[str, int], Decimal] = {}
    units: dict[tuple[str, int], Decimal] = {}
    for purchase in potential["purchases"]:
        year = purchase.get("year")
        if year not in shown_years:
            continue
        owner = _text(purchase.get("name"))
        if isinstance(purchase.get("spend_dkk"), Mapping):
            value = _decimal(purchase["spend_dkk"].get("expected"))
            if value is not None:
                spend[owner, year] = spend.get((owner, year), Decimal(0)) + value
        value = _decimal(purchase.get("units"))
        if value is not None:
            units[owner, year] = units.get((owner, year), Decimal(0)) + value
    if not spend and not units:
        return None
    # the owners by their size (spend, then units), the smallest beyond the limit summed
    size: dict[str, tuple[Decimal, Decimal]] = {}
    for (owner, _), value in spend.items():
        size[owner] = (size.get(owner, (Decimal(0), Decimal(0)))[0] + value,
                       size.get(owner, (Decimal(0), Decimal(0)))[1])
    for (owner, _), value in units.items():
        size[owner] = (size.get(owner, (Decimal(0), Decimal(0)))[0],
                       size.get(owner, (Decimal(0), Decimal(0)))[1] + value)
    ranked = sorted(size, key=lambda o: (-size[o][0], -size[o][1], o.casefold(), o))
    kept, summed = (ranked, []) if len(ranked) <= MAX_OWNERS else \
        (ranked[:MAX_OWNERS - 1], ranked[MAX_OWNERS - 1:])
    others = w["others"].format(n=formatting.count(len(summed), lang)) if summed else None
    legend = sorted(kept, key=lambda o: (o.casefold(), o)) + ([others] if others else [])
    colours = palette(brand, len(kept)) + ([OTHERS_COLOUR] if others else [])

    def rows(values: dict[tuple[str, int], Decimal]) -> list[dict]:
        merged: dict[tuple[str, int], Decimal] = {}
        for (owner, year), value in values.items():
            key = (owner if owner in kept else str(others), year)
            merged[key] = merged.get(key, Decimal(0)) + value
        return [{"year": year, "owner": owner, "value": _json_number(value),
                 "order": legend.index(owner)}
                for (owner, year), value in sorted(merged.items(),
                                                   key=lambda i: (i[0][1], legend.index(i[0][0])))]

    x = {"field": "year", "type": "ordinal", "title": w["year"],
         "scale": {"domain": shown_years}, "axis": {"labelAngle": 0}}
    colour = {"field": "owner", "type": "nominal", "title": w["owner"],
              "scale": {"domain": legend, "range": colours},
              # two columns of names; one when a name is long, so it is printed whole
              "legend": {"orient": "bottom", "symbolType": "square",
                         **({"columns": 2, "labelLimit": 200}
                            if max(len(name) for name in legend) <= 30
                            else {"columns": 1, "labelLimit": WIDTH + 40})}}
    def bars(values: dict[tuple[str, int], Decimal], title: str, axis_format: str) -> dict:
        """One panel's bars, stacked by need owner in the legend's order."""
        return {"data": {"values": rows(values)}, "mark": {"type": "bar"},
                "encoding": {"x": x, "y": {"field": "value", "type": "quantitative",
                                           "stack": "zero", "title": title,
                                           "axis": {"format": axis_format}},
                             "color": colour,
                             "order": {"field": "order", "type": "quantitative"}}}

    panels = []
    if spend:
        ranges = [{"year": row["year"],
                   "low": _json_number(_decimal(row["spend_dkk"]["low"])),
                   "high": _json_number(_decimal(row["spend_dkk"]["high"]))}
                  for row in potential["demand"]["years"]
                  if row["year"] in shown_years and row.get("spend_dkk")
                  and row["spend_dkk"]["low"] != row["spend_dkk"]["high"]]
        layers: list[dict] = [bars(spend, w["spend"], ",.0f")]
        if ranges:
            layers.append({
                "data": {"values": ranges},
                "mark": {"type": "rule", "color": _colour(brand, "accent", ACCENT),
                         "strokeWidth": 2},
                "encoding": {"x": x, "y": {"field": "low", "type": "quantitative"},
                             "y2": {"field": "high"}},
            })
        panels.append({"width": WIDTH, "height": 170, "layer": layers})
    if units:
        panels.append({"width": WIDTH, "height": 130, **bars(units, w["units"], ",.2~f")})
    spec = _document(panels[0] if len(panels) == 1 else {"vconcat": panels,
                                                         "resolve": {"scale": {"color": "shared"}}},
                     lang)
    alt = [w["demand_alt"].format(owners=_listed(legend, lang))]
    totals = [row for row in potential["demand"]["years"] if row["year"] in shown_years]
    if spend:
        alt.append(w["demand_spend"].format(years="; ".join(
            (w["demand_spend_year"] if row["spend_dkk"]["low"] != row["spend_dkk"]["high"]
             else "{year}: {expected}").format(
                year=row["year"], expected=formatting.money(row["spend_dkk"]["expected"], lang),
                low=formatting.money(row["spend_dkk"]["low"], lang),
                high=formatting.money(row["spend_dkk"]["high"], lang))
            for row in totals if row.get("spend_dkk"))))
    if units:
        alt.append(w["demand_units"].format(years="; ".join(
            w["demand_units_year"].format(year=row["year"],
                                          units=formatting.number(row["units"], lang))
            for row in totals if row.get("units") is not None)))
    if summed:
        alt.append(w["owners_cut"].format(n=formatting.count(len(summed), lang)))
    if len(years) > len(shown_years):
        alt.append(w["years_cut"].format(year=shown_years[-1]))
    return Chart("demand", spec, _sentences(alt), tuple(legend))


def timeline(process: Mapping[str, Any], phases: Iterable[Mapping[str, Any]],
             events: Iterable[Mapping[str, Any]], today: str, lang: str,
             brand: Mapping[str, Any] | None = None) -> Chart | None:
    """The phases with their dates, a revisited phase with each of its periods, the events as
    points and the launch as a line. process is the context's `process` (its history), phases
    the context's `phases` (number and name), events the context's `events`; today the day the
    document is of (the current phase runs to it, or to the day the process was closed)."""
    w = words(lang)
    names = {p["id"]: f"{p['number']}. {_text(p['name'])}" for p in phases}
    moves = [entry for entry in process.get("history") or []
             if entry.get("action") not in ("close", "reopen") and entry.get("to") in names
             and _iso(entry.get("date"))]
    if not moves:
        return None
    closed = next((_iso(entry.get("date")) for entry in reversed(process.get("history") or [])
                   if entry.get("action") in ("close", "reopen")), None)
    last = process["history"][-1] if process.get("history") else {}
    end_of_last = closed if last.get("action") == "close" and closed else today
    spans = []
    for number, entry in enumerate(moves):
        start = _iso(entry["date"]) or today
        end = (_iso(moves[number + 1]["date"]) or today) if number + 1 < len(moves) \
            else end_of_last
        spans.append({"row": names[entry["to"]], "start": start, "end": max(end, start),
                      "open": number + 1 == len(moves) and end_of_last == today})
    dated = sorted(((day, e) for e in events if (day := _iso(e.get("date")))),
                   key=lambda pair: (pair[0], str(pair[1].get("id", ""))))
    cut = len(dated) > MAX_EVENTS
    dated = dated[-MAX_EVENTS:]
    points = [{"row": w["events"], "start": day, "kind": _text(e.get("kind_label")
                                                               or e.get("kind") or "")}
              for day, e in dated if e.get("kind") != "launch"]
    launches = [{"start": day, "label": w["launch"]} for day, e in dated
                if e.get("kind") == "launch"]
    rows = list(names.values()) + ([w["events"]] if points else [])
    primary, accent = _colour(brand, "primary", PRIMARY), _colour(brand, "accent", ACCENT)
    x = {"field": "start", "type": "temporal", "title": None,
         "scale": {"type": "utc"}, "axis": {"format": "%b %Y", "labelAngle": 0,
                                            "labelOverlap": True}}
    y = {"field": "row", "type": "nominal", "title": None, "sort": rows,
         "scale": {"domain": rows}, "axis": {"labelLimit": 240}}
    layers: list[dict] = [{
        "data": {"values": spans},
        "mark": {"type": "bar", "height": 12, "color": primary},
        "encoding": {"x": x, "x2": {"field": "end"}, "y": y,
                     "opacity": {"condition": {"test": "datum.open", "value": 0.55},
                                 "value": 1}},
    }]
    if points:
        kinds = sorted({p["kind"] for p in points}, key=lambda k: (k.casefold(), k))
        layers.append({
            "data": {"values": points},
            "mark": {"type": "point", "filled": True, "size": 60, "color": accent},
            "encoding": {"x": x, "y": y,
                         "shape": {"field": "kind", "type": "nominal", "title": None,
                                   "scale": {"domain": kinds},
                                   "legend": {"orient": "bottom", "columns": 2,
                                              "labelLimit": 200}}},
        })
    if launches:
        layers += [{
            "data": {"values": launches},
            "mark": {"type": "rule", "color": accent, "strokeWidth": 2, "strokeDash": [4, 3]},
            "encoding": {"x": x},
        }, {
            "data": {"values": launches},
            "mark": {"type": "text", "color": accent, "align": "right", "dx": -4, "dy": -4,
                     "baseline": "bottom", "fontWeight": "bold"},
            "encoding": {"x": x, "y": {"value": 0}, "text": {"field": "label"}},
        }]
    spec = _document({"width": WIDTH - 160, "height": {"step": 22}, "layer": layers}, lang)
    shown = [w["timeline_now" if span["open"] else "timeline_span"].format(
        phase=span["row"], start=formatting.date(span["start"], lang),
        end=formatting.date(span["end"], lang)) for span in spans]
    alt = [w["timeline_alt"].format(spans="; ".join(shown))]
    if points:
        first, final = points[0]["start"], points[-1]["start"]
        alt.append((w["timeline_event"] if len(points) == 1 else w["timeline_events"]).format(
            n=formatting.count(len(points), lang), first=formatting.date(first, lang),
            last=formatting.date(final, lang)))
    for launch in launches:
        alt.append(w["timeline_launch"].format(date=formatting.date(launch["start"], lang)))
    if cut:
        alt.append(w["events_cut"].format(n=MAX_EVENTS))
    return Chart("timeline", spec, _sentences(alt), tuple(p["kind"] for p in points))


def consortium(organisations: Sequence[Mapping[str, Any]], signed: Iterable[Mapping[str, Any]],
               today: str, lang: str, brand: Mapping[str, Any] | None = None) -> Chart | None:
    """The need owners over time: how many take part (joined, less those that withdrew), how
    many have both political and administrative backing, how many have signed as buyers.
    organisations are the context's (need owners by role; the facilitator never), signed the
    context's `signed`; each series runs to today."""
    w = words(lang)
    steps: dict[str, list[tuple[str, int]]] = {"joined": [], "backed": [], "signed": []}
    owners = {str(o.get("id")) for o in organisations
              if o.get("role") == "need-owner" and not o.get("is_facilitator")}
    for o in organisations:
        if str(o.get("id")) not in owners:
            continue
        joined, gone = _iso(o.get("joined")), _iso(o.get("withdrawn"))
        if joined:
            steps["joined"].append((joined, 1))
        backing = o.get("backing")
        days = [_iso(given.get("date")) if isinstance(backing, Mapping)
                and isinstance(given := backing.get(level), Mapping) else None
                for level in ("political", "administrative")]
        known = [day for day in days if day]
        backed = max(known) if len(known) == 2 else None
        if backed:
            steps["backed"].append((backed, 1))
        if gone:
            steps["joined"].append((gone, -1))
            if backed and backed <= gone:
                steps["backed"].append((gone, -1))
    for entry in signed:
        day = _iso(entry.get("date"))
        if day and entry.get("kind", "buyer") == "buyer" and entry.get("decision",
                                                                        "signed") == "signed":
            steps["signed"].append((day, 1))
    if not steps["joined"]:
        return None
    values, now = [], {}
    for series, changes in steps.items():
        count = 0
        by_day: dict[str, int] = {}
        for day, change in sorted(changes):
            count += change
            by_day[day] = count
        if not by_day:
            now[series] = 0
            continue
        end = max(today, max(by_day))
        by_day.setdefault(end, count)
        now[series] = count
        values += [{"series": w[series], "date": day, "count": n}
                   for day, n in sorted(by_day.items())]
    primary, accent = _colour(brand, "primary", PRIMARY), _colour(brand, "accent", ACCENT)
    domain = [w[s] for s in steps]
    spec = _document({
        "width": WIDTH, "height": 170, "data": {"values": values},
        "mark": {"type": "line", "interpolate": "step-after", "strokeWidth": 2,
                 "point": {"filled": True, "size": 30}},
        "encoding": {
            "x": {"field": "date", "type": "temporal", "title": None, "scale": {"type": "utc"},
                  "axis": {"format": "%b %Y", "labelOverlap": True}},
            "y": {"field": "count", "type": "quantitative", "title": w["count"],
                  "axis": {"format": "d", "tickMinStep": 1}},
            "color": {"field": "series", "type": "nominal", "title": None,
                      "scale": {"domain": domain, "range": [primary, accent,
                                                            _mix(primary, "#ffffff", 0.5)]},
                      "legend": {"orient": "bottom", "columns": 1, "labelLimit": 300}},
            "order": {"field": "date", "type": "temporal"},
        },
    }, lang)
    first = min(day for day, _ in steps["joined"])
    alt = _sentences([w["consortium_alt"].format(
                          today=formatting.date(today, lang),
                          joined=w["need_owners"]["one" if now["joined"] == 1 else "other"]
                          .format(n=now["joined"]),
                          backed=now["backed"], signed=now["signed"]),
                    w["consortium_first"].format(date=formatting.date(first, lang))])
    return Chart("consortium", spec, alt)


# -- for a page of copi's own (the preview) ---------------------------------------------------

def demand_chart_svg(potential: Mapping[str, Any] | None, lang: str,
                     brand: Mapping[str, Any] | None = None) -> str:
    """The demand signal as SVG text to put in a page as an <img> (data: URI) or inline — it
    is a plain drawing, checked — or "" when there is nothing to draw. potential is a
    rendering context's `potential` (rendering.context.Sources(...).context["potential"]),
    brand brand.yaml's `colours`. Its alternative text is demand_chart_alt's."""
    chart = demand(potential, lang, brand)
    return chart.svg() if chart else ""


def demand_chart_alt(potential: Mapping[str, Any] | None, lang: str) -> str:
    """The sentence that states the demand chart's figures (its alternative text), or ""."""
    chart = demand(potential, lang)
    return chart.alt if chart else ""


# -- the look: brand colours, locale, font -------------------------------------------------

def palette(brand: Mapping[str, Any] | None, n: int) -> list[str]:
    """n colours from the brand's primary and accent: each, then lighter and darker shades
    of them, alternating, so neighbours in a stack differ."""
    primary, accent = _colour(brand, "primary", PRIMARY), _colour(brand, "accent", ACCENT)
    shades = [(None, 0.0), ("#ffffff", 0.45), ("#000000", 0.35), ("#ffffff", 0.7)]
    colours = []
    for towards, amount in shades:
        for base in (primary, accent):
            colours.append(base if towards is None else _mix(base, towards, amount))
    return colours[:max(n, 0)]


def _colour(brand: Mapping[str, Any] | None, key: str, default: str) -> str:
    value = (brand or {}).get(key)
    return value.lower() if isinstance(value, str) and _is_colour(value) else default


def _is_colour(value: str) -> bool:
    return len(value) == 7 and value[0] == "#" and all(c in "0123456789abcdefABCDEF"
                                                       for c in value[1:])


def _mix(colour: str, towards: str, amount: float) -> str:
    a = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    b = [int(towards[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * amount):02x}" for x, y in zip(a, b, strict=True))


def number_locale(lang: str) -> dict[str, Any]:
    """d3's number locale from the forms formatting.py uses: 1.234.567 / 1,234,567, the
    minus sign U+2212."""
    forms = load_data("locale_forms.json")[lang]
    return {"decimal": forms["decimal"], "thousands": forms["group"], "grouping": [3],
            "currency": ["", " kr."] if lang == "da" else ["DKK ", ""],
            "minus": forms["minus"]}


def time_locale(lang: str) -> dict[str, Any]:
    """d3's time locale with the month names formatting.py uses."""
    forms = load_data("locale_forms.json")[lang]
    months = list(forms["months"])
    days = (["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"]
            if lang == "da" else ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
                                  "Friday", "Saturday"])
    return {"dateTime": "%A %e %B %Y %X", "date": "%d.%m.%Y" if lang == "da" else "%d/%m/%Y",
            "time": "%H:%M:%S", "periods": ["AM", "PM"], "days": days,
            "shortDays": [d[:3] for d in days], "months": months,
            "shortMonths": [m[:3] for m in months]}


def _document(body: dict, lang: str) -> dict:
    """A whole specification: the chart, the page's look, and its locale (kept in the
    specification, so its hash changes with it)."""
    label = {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 10, "titleFontSize": 10,
             "labelColor": "#333333", "titleColor": "#333333"}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        **body,
        "background": "#ffffff",
        "padding": 6,
        # no ARIA labels: Vega writes them in English and in the machine's time zone; the
        # alternative text is the chart's description, in the document's language
        "config": {"aria": False, "font": FONT, "view": {"stroke": None},
                   "axis": {**label, "titleFontWeight": "normal", "gridColor": "#e6e6e6",
                            "domainColor": "#888888", "tickColor": "#888888"},
                   "legend": {**label, "titleFontWeight": "normal"},
                   "locale": {"number": number_locale(lang), "time": time_locale(lang)}},
    }


# -- rendering ---------------------------------------------------------------------------------

_memory: dict[tuple[str, str], str] = {}
_lock = threading.Lock()  # vl-convert renders one chart at a time; so do the threads here


def _renderer() -> str:
    try:
        import vl_convert
    except ImportError:
        raise EnvironmentProblem(Said("convert.missing", tool="vl-convert"),
                                 hint=Said("convert.missing-hint")) from None
    return f"vl-convert {getattr(vl_convert, '__version__', '?')} vega-lite {VEGA_LITE}"


def _rendered(chart: Chart, fmt: str) -> str:
    """The chart as SVG text, or PNG as base64: from memory, copi's cache, or vl-convert."""
    from copi_cli.storage import cache_dir, load_cached, store_cached

    key = chart.key
    with _lock:
        if (key, fmt) in _memory:
            return _memory[key, fmt]
        path = cache_dir() / "charts" / f"{key}.{fmt}.json"
        cached = load_cached(path)
        if cached is not None and cached.get("key") == key and isinstance(cached.get(fmt), str):
            value: str = cached[fmt]
        else:
            value = _convert(chart.spec, fmt)
            store_cached(path, {"key": key, fmt: value})
        if fmt == "svg":
            _check(value, chart.name)
        _memory[key, fmt] = value
        return value


def _convert(spec: dict, fmt: str) -> str:
    import vl_convert

    _renderer()
    # the locale travels in the specification's config; no data may be fetched
    options: dict[str, Any] = {"vl_version": VEGA_LITE, "allowed_base_urls": []}
    if fmt == "svg":
        return vl_convert.vegalite_to_svg(spec, **options)
    # ppi scales the pixels too: twice the SVG's pixels, at twice 72 ppi (the same size)
    png = vl_convert.vegalite_to_png(spec, scale=1, ppi=72 * PNG_SCALE, **options)
    return base64.b64encode(png).decode("ascii")


def _check(svg: str, name: str) -> None:
    """A chart's SVG is a plain drawing like any picture in a document (a cached file that is
    not is refused, never embedded)."""
    from copi_cli.rendering.conversion import unsafe_svg

    reason = unsafe_svg(svg.encode("utf-8"))
    if reason:
        raise EnvironmentProblem(Said("chart.not-a-drawing", name=name, reason=reason),
                                 hint=Said("chart.not-a-drawing-hint"))


# -- values ----------------------------------------------------------------------------------

def _listed(names: list[str], lang: str) -> str:
    """The legend's labels as a list in a sentence, each whole as the chart shows it (not
    formatting.names' Aarhus og Horsens Kommune: a reader matches them to the legend)."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {load_data('locale_forms.json')[lang]['and']} {names[-1]}"


def _sentences(parts: list[str]) -> str:
    """Sentences as one text, each begun with a capital (a count in words begins some)."""
    return " ".join(part[:1].upper() + part[1:] for part in parts if part)


MAX_LABEL = 80  # characters of a name in a chart: Vega's label fitting grows with its square


def _text(value: Any) -> str:
    """A value from the process as one line of text (never markup: Vega draws it as text),
    cut to MAX_LABEL characters: the table beside the chart has it whole."""
    text = " ".join(str(value if value is not None else "").split())
    return text if len(text) <= MAX_LABEL else text[:MAX_LABEL - 1] + "…"


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _json_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _iso(value: Any) -> str | None:
    """A date as YYYY-MM-DD, or None when it is not one."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            return None
    return None
