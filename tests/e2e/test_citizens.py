"""Citizens counted once wherever copi prints them: copi status (text and JSON), the needs
communication, the status report and the declaration all take them from one place
(model.figures.citizens), and each says what its figure covers.

The process: Københavns Kommune (660,000 citizens), Frederiksberg (105,000), Region
Hovedstaden (1,900,000), Aalborg (222,000) and Odense (209,000) as need owners, Metroselskabet
(a state company, no citizens of its own) too, and Green Cluster as a scaling partner.
København and Frederiksberg lie in Region Hovedstaden: adding everything up gives 3,096,000,
which counts 765,000 of them twice."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import git

OWNERS = [("Frederiksberg", 105_000), ("Region Hovedstaden", 1_900_000), ("Aalborg", 222_000),
          ("Odense", 209_000)]


@pytest.fixture
def capital(copi, tmp_path: Path) -> Path:
    assert copi("init", "maskiner", "--owner", "Københavns Kommune", cwd=tmp_path).code == 0
    root = tmp_path / "maskiner"
    for name, citizens in OWNERS:
        assert copi("owner", "add", name, "--citizens", str(citizens), cwd=root).code == 0
    assert copi("owner", "add", "Metroselskabet", "--type", "state-company", cwd=root).code == 0
    assert copi("owner", "add", "Green Cluster", "--type", "other", "--role",
                "scaling-partner", cwd=root).code == 0
    first = root / "organisationer/koebenhavns-kommune.yaml"
    first.write_text(first.read_text(encoding="utf-8").replace(
        "region_code: \"1084\"\n", "region_code: \"1084\"\ncitizens: 660000\n"), encoding="utf-8")
    config = root / "copi.yaml"  # the process's own description, not copi's placeholder
    config.write_text(re.sub(r"description:.*?\n(?=facilitator:)",
                             "description: Byggepladser skal være emissionsfri.\n",
                             config.read_text(encoding="utf-8"), flags=re.DOTALL),
                      encoding="utf-8")
    git(root, "commit", "-qam", "Borgertal og beskrivelse")
    return root


def test_status_counts_no_citizen_twice_and_says_what_it_covers(copi, capital: Path) -> None:
    run = copi("status", cwd=capital)
    assert run.code == 0, run.err
    assert ("Borgere: 1.196.000 i 4 kommuner; Region Hovedstaden: 1.900.000, herunder "
            "borgerne i Frederiksberg og Københavns Kommune") in run.out, run.out
    assert "3.096.000" not in run.out
    covered = json.loads(copi("status", "--json", cwd=capital).out)["scale"]["citizens"]
    # 660,000 + 105,000 + 222,000 + 209,000; the region's own figure beside them
    assert covered == {"citizens": 1_196_000, "parties": 4, "recorded": 4, "municipalities": 4,
                       "name": None, "without": 1,
                       "regions": [{"name": "Region Hovedstaden", "citizens": 1_900_000,
                                    "municipalities": 2,
                                    "names": ["Frederiksberg Kommune", "Københavns Kommune"]}]}
    config = capital / "copi.yaml"  # a process kept in English: status speaks English
    config.write_text(config.read_text(encoding="utf-8").replace("language: da", "language: en"),
                      encoding="utf-8")
    english = copi("status", cwd=capital).out
    assert ("Citizens: 1,196,000 in 4 municipalities; Region Hovedstaden: 1,900,000, including "
            "those of Frederiksberg Kommune and Københavns Kommune") in english, english


def test_status_says_a_figure_not_recorded_is_not_recorded(copi, capital: Path) -> None:
    for path in (capital / "organisationer").glob("*.yaml"):
        path.write_text(re.sub(r"(?m)^citizens: \d+\n", "", path.read_text(encoding="utf-8")),
                        encoding="utf-8")
    run = copi("status", cwd=capital)
    assert "Borgere: ikke opgjort" in run.out and "0 borgere" not in run.out, run.out
    assert json.loads(copi("status", "--json", cwd=capital).out)["scale"]["citizens"][
        "citizens"] is None


def test_the_needs_communication_and_the_status_report_count_as_status_does(
        copi, capital: Path) -> None:
    assert copi("need", "add", "Emissionsfri drift af maskiner på byggepladsen", "--owners",
                "koebenhavns-kommune", cwd=capital).code == 0
    for lang in ("da", "en"):
        run = copi("render", "needs-communication", "status-report", "--audience", "internal",
                   "--format", "md", "--lang", lang, cwd=capital)
        assert run.code == 0, run.err
    build = capital / "build"
    needs = (build / "behovsformidling-intern.md").read_text(encoding="utf-8")
    assert ("Der bor ca. 1,2 mio. borgere i de 4 kommuner; Region Hovedstaden dækker "
            "1,9 mio. borgere, herunder borgerne i Frederiksberg og Københavns Kommune.") \
        in needs.replace("\u00a0", " "), needs
    english = (build / "needs-communication-internal.md").read_text(encoding="utf-8")
    assert ("The 4 municipalities have about 1.2 million citizens; Region Hovedstaden covers "
            "1.9 million citizens, including those of Frederiksberg Kommune and Københavns "
            "Kommune.") in english, english
    report = (build / "statusrapport.md").read_text(encoding="utf-8")
    assert ("- Borgere: Der bor 1.196.000 borgere i de 4 kommuner; Region Hovedstaden dækker "
            "1.900.000 borgere, herunder borgerne i Frederiksberg og Københavns Kommune.") \
        in report, report
    for text in (needs, english, report):
        assert "3.096.000" not in text and "3,096,000" not in text
