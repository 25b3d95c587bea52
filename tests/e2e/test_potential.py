"""copi potential: purchase figures and effects recorded, and the calculation shown."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conftest import load


def test_potential_figures_and_calculation(copi, process: Path) -> None:
    root = str(process)
    year = dt.date.today().year
    assert copi("potential", "purchase", "aarhus", "--year", str(year + 2), "--units", "1500",
                "--spend", "3.000.000", "--low", "2400000", "--high", "3900000",
                "--dir", root).code == 0
    bad = copi("potential", "purchase", "aarhus", "--year", str(year + 2), "--spend", "100",
               "--low", "200", "--dir", root)
    assert bad.code == 2 and "low must not exceed expected" in bad.err
    outside = copi("potential", "effect", "aarhus", "--year", str(year + 71), "--kind",
                   "benefit", "--amount", "1", "--dir", root)
    assert outside.code == 2 and "outside the calculation" in outside.err
    # cost 1,000,000 (investment) in the base year, benefit 500,000 in each of the next two
    assert copi("potential", "effect", "aarhus", "--year", str(year), "--kind", "cost",
                "--amount", "1000000", "--investment", "--dir", root).code == 0
    for later in (year + 1, year + 2):
        assert copi("potential", "effect", "aarhus", "--year", str(later), "--kind",
                    "benefit", "--amount", "500000", "--dir", root).code == 0
    data = load(process, "potentiale.yaml")
    assert data["status"] == "started" and data["base_year"] == year
    shown = json.loads(copi("potential", "--json", "--dir", root).out)
    # -1,000,000 + 500,000/1.035 + 500,000/1.035^2 = -50,152.86 -> -50,153 kroner
    assert shown["total"]["npv_dkk"]["expected"] == "-50153"
    assert shown["demand"]["years"] == [{"year": year + 2, "owners": 1, "units": "1500",
                                         "sites": None, "spend_dkk": {
                                             "low": "2400000", "expected": "3000000",
                                             "high": "3900000"},
                                         "units_owners": 1, "sites_owners": 0,
                                         "spend_owners": 1}]
    text = copi("potential", "--dir", root).out
    assert "-50.153" in text and "3,5 %" in text


def test_potential_is_for_need_owners(copi, process: Path) -> None:
    root = str(process)
    assert copi("owner", "add", "VIA University College", "--type", "other", "--role",
                "knowledge-partner", "--dir", root).code == 0
    run = copi("potential", "purchase", "via-university-college", "--year", "2028",
               "--units", "1", "--dir", root)
    assert run.code == 1 and "need owners" in run.err


def test_a_net_present_value_of_some_need_owners_says_so(copi, example: Path) -> None:
    """In the example only Aarhus and the region have a business case: the total is theirs,
    not the six need owners', and the terminal says it as the document does."""
    text = copi("potential", cwd=example).out
    total = [line for line in text.splitlines() if line.strip().startswith("I alt")][-1]
    assert total.endswith("4.755.042 / 7.557.378 (omfatter kun de 2 af 6 behovsejere, der har "
                          "en business case)"), text
    assert json.loads(copi("potential", "--json", cwd=example).out)["need_owners"] == 6
