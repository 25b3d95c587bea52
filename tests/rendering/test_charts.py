"""The charts as vl-convert draws them, read back: the SVG's text holds the years, the owners and
Danish (or English) figures, a name from the process stays text, many owners and years stay
bounded, and the same data give the same bytes in any time zone (real vl-convert, no mocks)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from copi_cli.errors import EnvironmentProblem
from copi_cli.rendering import charts
from copi_cli.rendering.conversion import unsafe_svg

from conftest import REPO

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    """Every text the SVG draws, as a reader (or a PDF's text layer) gets it."""
    return ["".join(node.itertext()) for node in ElementTree.fromstring(svg).iter(f"{SVG}text")]


def potential(purchases: list[tuple[str, int, int | None, int | None, int | None]]) -> dict:
    """The context's `potential` for these purchases (name, year, units, expected spend,
    high spend), its yearly totals summed as copi_cli.model.potential sums them."""
    years: dict[int, dict] = {}
    rows = []
    for name, year, units, spend, high in purchases:
        row: dict = {"name": name, "owner": name.lower(), "year": year}
        total = years.setdefault(year, {"year": year, "units": None, "spend_dkk": None})
        if units is not None:
            row["units"] = units
            total["units"] = str(int(total["units"] or 0) + units)
        if spend is not None:
            high = high if high is not None else spend
            row["spend_dkk"] = {"low": spend, "expected": spend, "high": high}
            before = total["spend_dkk"] or {"low": "0", "expected": "0", "high": "0"}
            total["spend_dkk"] = {"low": str(int(before["low"]) + spend),
                                  "expected": str(int(before["expected"]) + spend),
                                  "high": str(int(before["high"]) + high)}
        rows.append(row)
    return {"purchases": rows, "demand": {"years": [years[y] for y in sorted(years)]}}


EXAMPLE = potential([("Aarhus Kommune", 2028, 1500, 3_000_000, 3_900_000),
                     ("Horsens Kommune", 2028, 400, 800_000, None),
                     ("Silkeborg Kommune", 2029, 450, 1_234_567, None)])


def test_the_demand_chart_holds_the_years_owners_and_danish_figures() -> None:
    chart = charts.demand(EXAMPLE, "da")
    assert chart is not None
    shown = texts(chart.svg())
    for expected in ("2028", "2029", "Aarhus Kommune", "Horsens Kommune", "Silkeborg Kommune",
                     "Forventet udgift (kr.)", "Enheder", "Behovsejer"):
        assert expected in shown, (expected, shown)
    assert "1.000.000" in shown and "1.500" in shown  # Danish thousands on both axes
    assert not [t for t in shown if re.fullmatch(r"\d{1,3}(,\d{3})+", t)]
    # the alternative text states the table's totals, in the document's forms
    assert "2028: 3.800.000 kr. (lav 3.800.000 kr., høj 4.700.000 kr.)" in chart.alt
    assert "2029: 1.234.567 kr." in chart.alt and "Enheder: 2028: 1.900; 2029: 450." in chart.alt
    assert "Aarhus Kommune, Horsens Kommune og Silkeborg Kommune" in chart.alt
    assert unsafe_svg(chart.svg().encode()) is None


def test_the_preview_gets_the_demand_chart_as_svg_text_and_its_alt() -> None:
    svg = charts.demand_chart_svg(EXAMPLE, "da", {"primary": "#123456"})
    assert svg.startswith("<svg") and "Silkeborg Kommune" in texts(svg)
    assert 'fill="#123456"' in svg
    assert charts.demand_chart_alt(EXAMPLE, "da") == charts.demand(EXAMPLE, "da").alt
    assert charts.demand_chart_svg(None, "da") == charts.demand_chart_alt(None, "da") == ""


def test_english_figures_in_an_english_document() -> None:
    chart = charts.demand(EXAMPLE, "en")
    assert chart is not None
    shown = texts(chart.svg())
    assert "1,000,000" in shown and "Expected spend (DKK)" in shown and "Year" in shown
    assert "2028: DKK 3,800,000 (low DKK 3,800,000, high DKK 4,700,000)" in chart.alt


def test_the_brand_colours_fill_the_bars() -> None:
    chart = charts.demand(EXAMPLE, "da", {"primary": "#123456", "accent": "#AB0000"})
    assert chart is not None
    svg = chart.svg()
    assert 'fill="#123456"' in svg and 'fill="#ab0000"' in svg
    assert charts.palette({"primary": "#123456", "accent": "#ab0000"}, 3)[:2] == \
        ["#123456", "#ab0000"]
    # a colour that is not one is not used: copi's own then
    assert charts.palette({"primary": "red;}"}, 1) == [charts.PRIMARY]


# short enough for the legend to print whole (a longer name ends in … there)
HOSTILE = "<script>x()</script>\"><b onload=y> #set *f* [l](javascript:z) &amp; $m$"


def test_a_name_from_the_process_is_text_in_the_chart() -> None:
    chart = charts.demand(potential([(HOSTILE, 2028, 10, 1000, None),
                                     ("Horsens Kommune", 2028, 5, 500, None)]), "da")
    assert chart is not None
    svg = chart.svg()
    assert unsafe_svg(svg.encode()) is None  # no script, no handler: a drawing
    root = ElementTree.fromstring(svg)
    assert not [n for n in root.iter() if n.tag.rpartition("}")[2] in ("script",
                                                                       "foreignObject")]
    assert not [a for n in root.iter() for a in n.attrib if a.lower().startswith("on")]
    assert " ".join(HOSTILE.split()) in texts(svg)  # drawn as the characters it is
    assert HOSTILE in chart.texts  # and read by the leak check


def test_many_owners_and_years_stay_bounded() -> None:
    many = [(f"Kommune {n:02d}", 2027 + n % 30, 10 + n, 1000 * (n + 1), None)
            for n in range(40)]
    chart = charts.demand(potential(many), "da")
    assert chart is not None
    colour = chart.spec["vconcat"][0]["layer"][0]["encoding"]["color"]["scale"]
    assert len(colour["domain"]) == charts.MAX_OWNERS
    # 30 owners buy in the 20 years shown: 7 are kept, 23 added together
    assert colour["domain"][-1] == "23 øvrige behovsejere"
    assert colour["range"][-1] == charts.OTHERS_COLOUR
    assert len(chart.spec["vconcat"][0]["layer"][0]["encoding"]["x"]["scale"]["domain"]) \
        == charts.MAX_YEARS
    assert "De 23 behovsejere med de mindste indkøb er lagt sammen." in chart.alt
    assert "Årene efter 2046 er ikke med i diagrammet" in chart.alt
    shown = texts(chart.svg())
    assert "23 øvrige behovsejere" in shown and "Kommune 39" in shown  # the largest kept
    assert "2046" in shown and "2047" not in shown


def test_nothing_to_draw_is_no_chart() -> None:
    assert charts.demand(None, "da") is None
    assert charts.demand({"purchases": [], "demand": {"years": []}}, "da") is None
    assert charts.timeline({"history": []}, PHASES, [], "2026-12-07", "da") is None
    assert charts.consortium([], [], "2026-12-07", "da") is None


PHASES = [{"id": "innovation-need", "number": 1, "name": "Innovationsbehov"},
          {"id": "matchmaking", "number": 2, "name": "Matchmaking"},
          {"id": "needs-exploration", "number": 3, "name": "Behovsudforskning"}]


def test_the_timeline_shows_a_revisited_phase_with_each_period() -> None:
    history = [
        {"date": "2025-09-01", "from": None, "to": "innovation-need", "action": "init"},
        {"date": "2025-12-01", "from": "innovation-need", "to": "matchmaking",
         "action": "advance"},
        {"date": "2026-01-15", "from": "matchmaking", "to": "innovation-need",
         "action": "revisit"},
        {"date": "2026-03-02", "from": "innovation-need", "to": "matchmaking",
         "action": "advance"},
    ]
    events = [{"id": "m", "date": "2025-11-20", "kind": "matchmaking",
               "kind_label": "matchmaking", "title": "Matchmaking"},
              {"id": "l", "date": "2026-06-10", "kind": "launch", "kind_label": "lancering",
               "title": "Lancering"}]
    chart = charts.timeline({"history": history}, PHASES, events, "2026-12-07", "da")
    assert chart is not None
    spans = chart.spec["layer"][0]["data"]["values"]
    assert [(s["row"], s["start"], s["end"]) for s in spans] == [
        ("1. Innovationsbehov", "2025-09-01", "2025-12-01"),
        ("2. Matchmaking", "2025-12-01", "2026-01-15"),
        ("1. Innovationsbehov", "2026-01-15", "2026-03-02"),
        ("2. Matchmaking", "2026-03-02", "2026-12-07")]
    assert ("1. Innovationsbehov 1. september 2025 – 1. december 2025; 2. Matchmaking "
            "1. december 2025 – 15. januar 2026; 1. Innovationsbehov 15. januar 2026 – "
            "2. marts 2026; 2. Matchmaking fra 2. marts 2026") in chart.alt
    assert "Ét arrangement, 20. november 2025. Lanceringen 10. juni 2026." in chart.alt
    shown = texts(chart.svg())
    for expected in ("1. Innovationsbehov", "2. Matchmaking", "3. Behovsudforskning",
                     "Arrangementer", "Lancering", "jan 2026"):
        assert expected in shown, (expected, shown)


def test_the_consortium_counts_joining_backing_withdrawal_and_signing() -> None:
    def owner(id_: str, joined: str, political: str | None = None,
              administrative: str | None = None, withdrawn: str | None = None) -> dict:
        backing = {level: {"by": "x", "date": day, "evidence": "x"}
                   for level, day in (("political", political),
                                      ("administrative", administrative)) if day}
        record = {"id": id_, "name": id_, "role": "need-owner", "joined": joined,
                  "backing": backing}
        return record | ({"withdrawn": withdrawn} if withdrawn else {})

    organisations = [owner("a", "2025-09-01", "2025-10-01", "2025-11-01"),
                     owner("b", "2025-12-01", "2026-01-10"),
                     owner("c", "2026-01-05", "2026-02-01", "2026-01-20",
                           withdrawn="2026-05-01"),
                     {"id": "f", "name": "CO-PI", "role": "facilitator", "joined": "2025-01-01",
                      "is_facilitator": True}]
    signed = [{"organisation": "a", "date": "2026-06-10", "kind": "buyer",
               "decision": "signed"},
              {"organisation": "p", "date": "2026-06-10", "kind": "support",
               "decision": "signed"}]
    chart = charts.consortium(organisations, signed, "2026-12-07", "da")
    assert chart is not None
    values = {(v["series"], v["date"]): v["count"] for v in chart.spec["data"]["values"]}
    assert values[("Behovsejere i processen", "2026-01-05")] == 3
    assert values[("Behovsejere i processen", "2026-05-01")] == 2
    assert values[("Med politisk og administrativ opbakning", "2026-02-01")] == 2
    assert values[("Med politisk og administrativ opbakning", "2026-05-01")] == 1
    assert values[("Har underskrevet", "2026-12-07")] == 1  # support is no buyer's signature
    assert ("7. december 2026: 2 behovsejere med, 1 med politisk og administrativ "
            "opbakning, 1 har underskrevet") in chart.alt
    shown = texts(chart.svg())
    assert "Har underskrevet" in shown and "sep 2025" in shown


RENDER = """
import hashlib, json, sys
sys.path.insert(0, sys.argv[1])
from copi_cli.rendering import charts
spec = json.loads(sys.argv[2])
chart = charts.Chart("t", spec, "")
print(hashlib.sha256(chart.svg().encode()).hexdigest(), hashlib.sha256(chart.png()).hexdigest())
"""


def test_the_same_data_give_the_same_bytes_in_any_time_zone(tmp_path: Path) -> None:
    history = [{"date": "2025-09-01", "to": "innovation-need", "action": "init"},
               {"date": "2025-12-01", "to": "matchmaking", "action": "advance"}]
    chart = charts.timeline({"history": history}, PHASES, [], "2026-03-01", "da")
    assert chart is not None
    seen = set()
    for zone in ("UTC", "America/Los_Angeles", "Pacific/Kiritimati"):
        cache = tmp_path / zone.replace("/", "-")  # a fresh cache: really drawn each time
        done = subprocess.run([sys.executable, "-c", RENDER, str(REPO), json.dumps(chart.spec)],
                              env={**os.environ, "TZ": zone, "COPI_CACHE_DIR": str(cache)},
                              capture_output=True, text=True, timeout=120, check=True)
        seen.add(done.stdout)
    assert len(seen) == 1, seen


def test_a_chart_is_kept_in_the_cache_as_data_and_a_tampered_one_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPI_CACHE_DIR", str(tmp_path))
    chart = charts.Chart("t", {**charts.demand(EXAMPLE, "da").spec, "height": 99}, "")
    svg = chart.svg()
    kept = tmp_path / "charts" / f"{chart.key}.svg.json"
    assert json.loads(kept.read_text(encoding="utf-8")) == {"key": chart.key, "svg": svg}
    charts._memory.clear()
    assert chart.svg() == svg  # read back from the cache
    kept.write_text(json.dumps({"key": chart.key, "svg": svg.replace(
        "</svg>", "<script>alert(1)</script></svg>")}), encoding="utf-8")
    kept.chmod(0o600)
    charts._memory.clear()
    with pytest.raises(EnvironmentProblem, match="not a plain drawing"):
        chart.svg()


@pytest.mark.parametrize("template", sorted(
    str(path.relative_to(REPO / "templates" / "documents"))
    for path in (REPO / "templates" / "documents").glob("*/*.md.j2")))
def test_a_document_with_the_demand_table_carries_its_chart(template: str) -> None:
    """Every document that shows the demand signal's figures shows them as a chart too."""
    text = (REPO / "templates" / "documents" / template).read_text(encoding="utf-8")
    if "demand_table(" in text:
        assert 'chart("demand")' in text, f"{template}: the demand table without its chart"
