"""Elements of the method that copi lacked (issue 21, point 12), each on a process built in the
test: the phase-1 dialogue on innovative purchase, project partners, the three questions need
owners bring to the market dialogue and "share what does not work", communicating insights so
more need owners can join, and the guard that CO-PI does not market particular solutions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import commit_all, write


def _status(copi, process: Path) -> str:
    run = copi("status", "--dir", str(process))
    assert run.code == 0, run.err
    return run.out


def _force_to(copi, process: Path, phase: int) -> None:
    """Move the process on without its results (the gates are not what is tested here)."""
    for _ in range(phase - 1):
        commit_all(process, "arbejde")
        run = copi("advance", "--force", "--reason", "Testen springer fasens resultater over",
                   "--dir", str(process))
        assert run.code == 0, run.err


@pytest.mark.usefixtures("danish_cli")
def test_phase_1_opens_the_dialogue_on_an_innovative_purchase(copi, process: Path) -> None:
    # "Indleder dialog med behovsejer om, hvordan en innovationsproces kan føre til et
    # innovativt indkøb."
    assert ("Indleder dialog med behovsejeren om, hvordan en innovationsproces kan føre til et "
            "innovativt indkøb") in _status(copi, process)


@pytest.mark.usefixtures("danish_cli")
def test_need_owners_bring_three_questions_and_what_does_not_work(copi, process: Path) -> None:
    _force_to(copi, process, 4)
    shown = " ".join(_status(copi, process).split())
    for question in ("Hvordan opleves problemstillingerne?", "Hvad er konteksten for behovene?",
                     "Hvilken organisatorisk dagligdag indgår behovene i?"):
        assert question in shown
    assert "Deler de forhold i egen organisation, der ikke fungerer som ønsket" in shown


@pytest.mark.usefixtures("danish_cli")
def test_phase_5_communicates_insights_so_more_owners_can_join(copi, process: Path) -> None:
    _force_to(copi, process, 5)
    shown = " ".join(_status(copi, process).split())
    assert ("Kommunikerer indsigter fra skaleringsprocessen via tilgængelige kanaler, så flere "
            "offentlige behovsejere kan tilslutte sig") in shown


@pytest.mark.usefixtures("danish_cli")
def test_a_project_partner_takes_part_without_carrying_demand(copi, process: Path) -> None:
    # "inddrager andre projekt, skalerings- og videnspartnere"
    run = copi("owner", "add", "Alexandra Instituttet", "--type", "other", "--role",
               "project-partner", "--dir", str(process))
    assert run.code == 0, run.err
    assert "Alexandra Instituttet — projektpartner" in _status(copi, process)
    status = json.loads(copi("status", "--json", "--dir", str(process)).out)
    assert [o["role"] for o in status["owners"] if o["name"].startswith("Alexandra")] == [
        "project-partner"]
    assert (status["scale"]["need_owners"], status["scale"]["partners"]) == (1, 1)


def test_a_need_naming_a_suppliers_solution_is_a_warning(copi, process: Path) -> None:
    # "CO-PI bistår ikke med markedsføringen af bestemte løsninger"
    root = str(process)
    assert copi("supplier", "add", "Sensa Care ApS", "--product", "Sensa Natteradar",
                "--dir", root).code == 0
    run = copi("need", "add", "Fald skal opdages hurtigt", "--owners", "aarhus",
               "--criterion", "Lige så diskret som Sensa Natteradar", "--dir", root)
    assert run.code == 0, run.err
    assert "R033" in run.err  # said when it is recorded, and by validate
    found = [d for d in json.loads(copi("validate", "--json", "--dir", root).out)["diagnostics"]
             if d["code"] == "R033"]
    assert [(d["path"], d["severity"]) for d in found] == [("udforskning/behov.yaml", "warning")]
    assert "Sensa Natteradar, a product of Sensa Care ApS" in found[0]["message"]
    line = (process / "udforskning/behov.yaml").read_text(encoding="utf-8").splitlines()[
        found[0]["line"] - 1]
    assert "Sensa Natteradar" in line

    text = (process / "tekster/problembeskrivelse.md").read_text(encoding="utf-8")
    write(process, "tekster/problembeskrivelse.md", text + "\nSensa Care kan løse det.\n")
    found = [d for d in json.loads(copi("validate", "--json", "--dir", root).out)["diagnostics"]
             if d["code"] == "R033" and d["path"] == "tekster/problembeskrivelse.md"]
    assert [(d["line"], d["col"]) for d in found] == [(len(text.splitlines()) + 2, 1)]
