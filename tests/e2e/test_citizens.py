"""Citizens counted once wherever copi prints them: copi status (text and JSON), the needs
communication, the status report and the declaration all take them from one place
(model.figures.citizens), and each says what its figure covers.

The process: Københavns Kommune (660,000 citizens), Frederiksberg (105,000), Region
Hovedstaden (1,900,000), Aalborg (222,000) and Odense (209,000) as need owners, Metroselskabet
(a state company, no citizens of its own) too, and Green Cluster as a scaling partner.
København and Frederiksberg lie in Region Hovedstaden: adding everything up gives 3,096,000,
which counts 765,000 of them twice."""

from __future__ import annotations

import datetime as dt
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


def test_status_counts_no_citizen_twice_and_says_what_it_covers(
        copi, capital: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COPI_LANG")  # the process's language decides
    run = copi("status", cwd=capital)
    assert run.code == 0, run.err
    assert ("Borgere: 1.196.000 i 4 kommuner; Region Hovedstaden: 1.900.000, herunder "
            "borgerne i Frederiksberg og Københavns Kommune") in run.out, run.out
    assert "3.096.000" not in run.out
    covered = json.loads(copi("status", "--json", cwd=capital).out)["scale"]["citizens"]
    # 660,000 + 105,000 + 222,000 + 209,000; the region's own figure beside them
    assert covered == {"citizens": 1_196_000, "parties": 4, "recorded": 4, "municipalities": 4,
                       "recorded_names": ["Aalborg Kommune", "Frederiksberg Kommune",
                                          "Københavns Kommune", "Odense Kommune"],
                       "missing_names": [], "name": None, "without": 1,
                       "regions": [{"name": "Region Hovedstaden", "citizens": 1_900_000,
                                    "municipalities": 2,
                                    "names": ["Frederiksberg Kommune", "Københavns Kommune"]}]}
    config = capital / "copi.yaml"  # a process kept in English: status speaks English
    config.write_text(config.read_text(encoding="utf-8").replace("language: da", "language: en"),
                      encoding="utf-8")
    english = copi("status", cwd=capital).out
    assert ("Citizens: 1,196,000 in 4 municipalities; Region Hovedstaden: 1,900,000, including "
            "those of Frederiksberg Kommune and Københavns Kommune") in english, english


@pytest.mark.usefixtures("danish_cli")
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
    assert ("Der bor ca. 1,2 mio. borgere i de fire kommuner; Region Hovedstaden dækker "
            "1,9 mio. borgere, herunder borgerne i Frederiksberg og Københavns Kommune.") \
        in needs.replace("\u00a0", " "), needs
    english = (build / "needs-communication-internal.md").read_text(encoding="utf-8")
    assert ("The four municipalities have about 1.2 million citizens; Region Hovedstaden covers "
            "1.9 million citizens, including those of Frederiksberg Kommune and Københavns "
            "Kommune.") in english, english
    report = (build / "statusrapport.md").read_text(encoding="utf-8")
    assert ("- Borgere: Der bor 1.196.000 borgere i de fire kommuner; Region Hovedstaden dækker "
            "1.900.000 borgere, herunder borgerne i Frederiksberg og Københavns Kommune.") \
        in report, report
    for text in (needs, english, report):
        assert "3.096.000" not in text and "3,096,000" not in text


SIGNED = """\
signatures:
  - {{organisation: koebenhavns-kommune, decision: signed, signer: Anne A, title: Overborgmester, date: "{day}"}}
  - {{organisation: frederiksberg-kommune, decision: signed, signer: Bo B, title: Borgmester, date: "{day}"}}
  - {{organisation: metroselskabet, decision: signed, signer: Carl C, title: Direktør, date: "{day}"}}
  - {{organisation: aalborg-kommune, decision: signed, signer: Dorte D, title: Borgmester, date: "{day}"}}
  - {{organisation: region-hovedstaden, decision: signed, signer: Eva E, title: Regionsrådsformand, date: "{day}"}}
  - {{organisation: green-cluster, decision: signed, kind: support, signer: Finn F, title: Direktør, date: "{day}"}}
"""  # noqa: E501 - one signature a line, as a facilitator writes them


def _preamble(root: Path, lang: str = "da") -> tuple[str, str]:
    """The declaration's parties paragraph and its figures paragraph, from the Markdown."""
    name = "hensigtserklaering-intern.md" if lang == "da" else \
        "declaration-of-intent-internal.md"
    text = (root / "build" / name).read_text(encoding="utf-8").replace("\u00a0", " ")
    parties = text.split("## Parter" if lang == "da" else "## Parties", 1)[1].split("##")[0]
    heading = "## Den fælles udfordring" if lang == "da" else "## The shared challenge"
    figures = text.split(heading, 1)[1]
    figures = figures.split("\n\n")[2]  # after the description
    return parties.strip(), figures.strip()


def _render(copi, root: Path, lang: str = "da") -> None:
    run = copi("render", "declaration", "--audience", "internal", "--format", "md", "--lang",
               lang, cwd=root)
    assert run.code == 0, run.err


def test_the_declaration_says_who_its_figures_cover(copi, capital: Path) -> None:
    today = dt.date.today().isoformat()
    (capital / "underskrifter.yaml").write_text(SIGNED.format(day=today), encoding="utf-8")
    _render(copi, capital)
    parties, figures = _preamble(capital)
    # Green Cluster gave a partner's support: no party to the declaration, listed apart
    assert parties == ("Denne erklæring afgives af Københavns Kommune, Frederiksberg Kommune, "
                       "Metroselskabet, Aalborg Kommune og Region Hovedstaden. Erklæringen "
                       "støttes af Green Cluster. Processen er faciliteret af CO-PI."), parties
    # one paragraph on one line, pasted into an e-mail as it is; the state company is no
    # missing figure, and the region's municipalities are named
    assert "\n" not in figures
    assert figures == (
        "Tallene omfatter de fem parter, der har underskrevet erklæringen. Der bor 987.000 borgere "
        "i de tre kommuner; Region Hovedstaden dækker 1,9 mio. borgere, herunder borgerne i "
        "Københavns og Frederiksberg Kommune."), figures
    _render(copi, capital, "en")
    parties, figures = _preamble(capital, "en")
    assert "made by Københavns Kommune, Frederiksberg Kommune, Metroselskabet, Aalborg " \
           "Kommune and Region Hovedstaden. It is supported by Green Cluster." in parties
    assert figures == (
        "The figures cover the five parties that have signed the declaration. The three "
        "municipalities have 987,000 citizens; Region Hovedstaden covers 1.9 million citizens, "
        "including those "
        "of Københavns Kommune and Frederiksberg Kommune."), figures

    # Odense accedes: the declaration says how many its figures cover, as it did before
    with (capital / "underskrifter.yaml").open("a", encoding="utf-8") as signatures:
        signatures.write(f"  - {{organisation: odense-kommune, decision: signed, signer: Gert G, "
                         f"title: Borgmester, date: \"{today}\"}}\n")
    _render(copi, capital)
    _, figures = _preamble(capital)
    assert figures.startswith("Tallene omfatter de seks parter, der har underskrevet erklæringen. "
                              "Der bor ca. 1,2 mio. borgere i de fire kommuner;"), figures


def test_the_example_draft_says_where_its_municipalities_lie(copi, example: Path) -> None:
    """The example's region records no citizens: its six municipalities' figure stands, and
    the region is named as where they lie, not as covering "hele regionen"."""
    for lang in ("da", "en"):
        assert copi("render", "declaration", "--format", "md", "--lang", lang,
                    cwd=example).code == 0
    danish = (example / "build" / "hensigtserklaering.md").read_text(encoding="utf-8")
    assert ("Tallene omfatter de syv behovsejere, der forventes at underskrive erklæringen. Der "
            "bor 825.000 borgere i de seks kommuner, som alle ligger i Region Midtjylland. Fem af "
            "syv parter har planlagt indkøb") in danish, danish
    assert "hele regionen" not in danish
    english = (example / "build" / "declaration-of-intent.md").read_text(encoding="utf-8")
    assert ("The six municipalities, all in Region Midtjylland, have 825,000 citizens.") in english
