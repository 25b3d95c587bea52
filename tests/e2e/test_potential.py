"""copi potential: purchase figures and effects recorded, and the calculation shown."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import load


@pytest.mark.usefixtures("danish_cli")
def test_potential_figures_and_calculation(copi, process: Path) -> None:
    root = str(process)
    year = dt.date.today().year
    assert copi("potential", "purchase", "aarhus", "--year", str(year + 2), "--units", "1500",
                "--spend", "3.000.000", "--low", "2400000", "--high", "3900000",
                "--dir", root).code == 0
    bad = copi("potential", "purchase", "aarhus", "--year", str(year + 2), "--spend", "100",
               "--low", "200", "--dir", root)
    assert bad.code == 2 and "lav må ikke overstige forventet" in bad.err
    before = copi("potential", "effect", "aarhus", "--year", str(year - 1), "--kind",
                  "benefit", "--amount", "1", "--dir", root)
    assert before.code == 2 and "ligger før beregningens basisår" in before.err
    # cost 1,000,000 (investment) in the base year, benefit 500,000 in each of the next two
    assert copi("potential", "effect", "aarhus", "--year", str(year), "--kind", "cost",
                "--amount", "1000000", "--investment", "--dir", root).code == 0
    for later in (year + 1, year + 2):
        assert copi("potential", "effect", "aarhus", "--year", str(later), "--kind",
                    "benefit", "--amount", "500000", "--dir", root).code == 0
    data = load(process, "potentiale.yaml")
    assert data["status"] == "started" and data["base_year"] == year
    shown = json.loads(copi("potential", "--json", "--dir", root).out)
    # -1,000,000 + 500,000/1.035 + 500,000/1.035^2 = -50,152.86, less the planned purchase
    # (a cost of the business case): 3,000,000/1.035^2 = 2,800,532.10 -> -2,850,685 kroner
    assert shown["total"]["npv_dkk"]["expected"] == "-2850685"
    assert shown["total"]["purchases_dkk"]["expected"] == "2800532"
    assert shown["demand"]["years"] == [{"year": year + 2, "owners": 1, "units": "1500",
                                         "sites": None, "spend_dkk": {
                                             "low": "2400000", "expected": "3000000",
                                             "high": "3900000"},
                                         "units_owners": 1, "sites_owners": 0,
                                         "spend_owners": 1}]
    text = copi("potential", "--dir", root).out
    assert "-2.850.685" in text and "3,5 %" in text


def test_potential_is_for_need_owners(copi, process: Path) -> None:
    root = str(process)
    assert copi("owner", "add", "VIA University College", "--type", "other", "--role",
                "knowledge-partner", "--dir", root).code == 0
    run = copi("potential", "purchase", "via-university-college", "--year", "2028",
               "--units", "1", "--dir", root)
    assert run.code == 1 and "need owners" in run.err


@pytest.mark.usefixtures("danish_cli")
def test_a_net_present_value_of_some_need_owners_says_so(copi, example: Path) -> None:
    """In the example only Aarhus and the region have a business case: the total is theirs,
    not the seven need owners', and the terminal says it as the document does, with what is
    left out of it."""
    text = copi("potential", cwd=example).out
    total = [line for line in text.splitlines() if line.strip().startswith("I alt")][-1]
    # Aarhus: benefits 1.5/2.6/3.8 mio. in 2029 and 2030 (D = 1/1.035^3 + 1/1.035^4 =
    # 0.901943 + 0.871442), costs in 2028 (D = 1/1.035^2 = 0.933511): investment
    # 0.6/0.8/1.1 mio. and its planned purchase 2.4/3.0/3.9 mio.
    #   expected 2,600,000 * 1.773385 - 3,800,000 * 0.933511 = 1,063,460
    # Region: 2.0/3.5/5.2 mio. in 2029: 3,500,000 * 0.901943 = 3,156,799
    # Total low -2,007,476 + 1,803,885; expected 1,063,460 + 3,156,799; high 3,938,331 +
    # 4,690,102
    assert total.endswith("-203.591 / 4.220.260 / 8.628.433 (omfatter kun de 2 af 7 "
                          "behovsejere, der har en business case)"), text
    assert ("indgår ikke: 4 planlagte indkøb hos behovsejere uden business case (kun i "
            "efterspørgselssignalet)") in text
    assert "faste priser, 2026-niveau" in text and "beregningsperiode: 2026–2035 (10 år)" in text
    assert ("Finansministeriets samfundsøkonomiske diskonteringsrente fra 2021-01-07: 3,5 % "
            "(år 0–35), 2,5 % (år 36–70), 1,5 % (fra år 71)") in text
    assert json.loads(copi("potential", "--json", cwd=example).out)["need_owners"] == 7
