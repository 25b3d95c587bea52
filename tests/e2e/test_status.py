"""copi status: the phases, the checklist, the owners and the scale, as text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import git


def test_status_json_of_the_example(copi, example: Path) -> None:
    run = copi("status", "--json", cwd=example)
    assert run.code == 0, run.err
    status = json.loads(run.out)
    assert status["phase"]["id"] == "market-dialogue" and status["phase"]["state"] == "current"
    assert [p["state"] for p in status["phases"]] == [
        "done", "done", "done", "current", "not-started", "not-started"]
    results = {r["id"]: r["holds"] for r in status["results"]}
    # the report of the market dialogue has not been published (copi publish) since the
    # supplier conference
    assert results == {"dialogue-planned": True, "open-market-activity": True,
                       "materials-published": False, "criteria-discussed": False,
                       "market-insights": True, "every-owner-backing": True}
    # a supplier conference and four 1:1 meetings: what the method calls typical is done
    assert all(r["advice"] is None for r in status["results"])
    why = next(r for r in status["results"] if r["id"] == "materials-published")
    assert why["why"] == ("Rapport fra markedsdialogen er ikke offentliggjort efter "
                          "Leverandørkonference: færre fald i eget hjem (2026-09-10) "
                          "(copi publish markedsdialog)")
    scale = status["scale"]
    # Skanderborg Kommune joined in phase 4, with backing
    assert scale["need_owners"] == 7 and scale["partners"] == 2 and scale["fully_backed"] == 7
    assert scale["spend_dkk"] == 6310000 and scale["units"] == 3150
    # the 6 municipalities' citizens; Region Midtjylland, where they lie, records none
    assert scale["citizens"]["citizens"] == 825000 and scale["citizens"]["recorded"] == 6
    assert scale["citizens"]["regions"][0]["citizens"] is None
    owners = {o["id"]: o for o in status["owners"]}
    assert owners["aarhus-kommune"]["political"] == "2025-10-07"
    assert owners["welfare-tech"]["role"] == "scaling-partner"
    assert status["next_steps"]["facilitator"]
    assert status["validation"] == {"errors": 0, "warnings": 0}


@pytest.mark.usefixtures("danish_cli")
def test_plain_text_when_piped(copi, example: Path) -> None:
    run = copi("status", cwd=example)
    assert run.code == 0
    assert "Fase: 4. Markedsdialog (nu)" in run.out
    assert "[ ] Mulige kriterier og prioriteringer" in run.out
    assert "→ bekraeftelser.yaml" in run.out
    assert "7 behovsejere (7 med fuld ledelsesopbakning), 2 partnere" in run.out
    assert "planlagte indkøb 6.310.000 kr., 3.150 enheder" in run.out
    assert "administrativ: 2025-09-15; 3.000.000 kr." in run.out
    assert "DKK" not in run.out  # Danish writes kr.
    assert "Borgere: 825.000 i 6 kommuner; Region Midtjylland: ikke opgjort" in run.out
    assert "\x1b[" not in run.out


def test_checklist_follows_the_files_and_the_publications(copi, example_repo: Path) -> None:
    confirmations = example_repo / "bekraeftelser.yaml"
    confirmations.write_text(confirmations.read_text(encoding="utf-8") + (
        "  - result: criteria-discussed\n    by: Mette Kjær\n    date: '2026-11-20'\n"),
        encoding="utf-8")
    git(example_repo, "commit", "-qam", "Kriterier drøftet")
    status = json.loads(copi("status", "--json", cwd=example_repo).out)
    assert [r["id"] for r in status["results"] if not r["holds"]] == ["materials-published"]
    published = copi("publish", "market-dialogue-report", "--format", "md", cwd=example_repo)
    assert published.code == 0, published.err
    status = json.loads(copi("status", "--json", cwd=example_repo).out)
    assert all(r["holds"] for r in status["results"])


def test_withdrawn_owner_leaves_the_scale(copi, example: Path) -> None:
    owner = example / "organisationer/viborg-kommune.yaml"
    owner.write_text(owner.read_text(encoding="utf-8") + 'withdrawn: "2026-10-01"\n',
                     encoding="utf-8")
    status = json.loads(copi("status", "--json", cwd=example).out)
    assert status["scale"]["need_owners"] == 6
    assert status["scale"]["spend_dkk"] == 6310000 - 760000


def test_status_reports_validation_problems(copi, example: Path) -> None:
    (example / "leverandoerer/trygstep.yaml").write_text("id: trygstep\n")
    status = json.loads(copi("status", "--json", cwd=example).out)
    assert status["validation"]["errors"] == 1


def test_status_with_broken_process_file(copi, example: Path) -> None:
    (example / "copi.yaml").write_text("phase: [\n")
    run = copi("status", cwd=example)
    assert run.code == 1
    assert "copi.yaml is not valid" in run.err and "copi validate" in run.err


def test_new_process_status_lists_what_to_do(copi, tmp_path: Path) -> None:
    assert copi("init", "p", "--owner", "Aarhus Kommune", cwd=tmp_path).code == 0
    status = json.loads(copi("status", "--json", cwd=tmp_path / "p").out)
    assert status["phase"]["number"] == 1
    why = {r["id"]: (r["holds"], r["where"]) for r in status["results"]}
    assert why["first-owner-backing"] == (False, "organisationer/aarhus-kommune.yaml")
    assert why["problem-published"] == (False, "tekster/problembeskrivelse.md")
    assert why["expectations-aligned"] == (False, "bekraeftelser.yaml")


@pytest.mark.usefixtures("danish_cli")
def test_tables_in_a_real_terminal(example: Path) -> None:
    """In a terminal (a pseudo-terminal here) status draws rich tables; NO_COLOR is honoured."""
    import os

    from conftest import copi_executable, in_a_terminal

    code, output = in_a_terminal([*copi_executable(), "status"], example,
                                 {**os.environ, "COLUMNS": "120"})
    assert code == 0
    import re

    raw = output.decode()
    assert not re.search(r"\x1b\[(?:3[0-8]|9[0-7])[;m]", raw)  # NO_COLOR: styles, no colours
    screen = re.sub(r"\x1b\[[0-9;]*m", "", raw)
    assert "┃ Navn" in screen  # a drawn table with its header
    assert "│ Aarhus Kommune" in screen and "2025-10-07" in screen
    assert "▶" in screen and "Markedsdialog" in screen


def test_names_print_as_written_in_a_terminal(example: Path) -> None:
    """Text from the process is never read as rich markup or emoji codes: a name with
    `[syd]`, `[/]` or `:fire:` prints as written and does not stop status."""
    import os
    import re

    from conftest import copi_executable, in_a_terminal

    owner = example / "organisationer" / "horsens-kommune.yaml"
    owner.write_text(owner.read_text(encoding="utf-8").replace(
        "name: Horsens Kommune", 'name: "Horsens [syd] [/] :fire:"'), encoding="utf-8")
    code, output = in_a_terminal([*copi_executable(), "status"], example,
                                 {**os.environ, "COLUMNS": "160"})
    screen = re.sub(r"\x1b\[[0-9;]*m", "", output.decode())
    assert code == 0, screen
    assert "Horsens [syd] [/] :fire:" in screen


@pytest.mark.usefixtures("danish_cli")
def test_the_facilitator_is_counted_as_no_partner(copi, example: Path) -> None:
    """CO-PI recorded as an organisation, by its role or as a partner by mistake: shown as the
    facilitator copi.yaml names, never one of the partners."""
    for role in ("facilitator", "scaling-partner"):
        (example / "organisationer" / "co-pi.yaml").write_text(
            f'id: co-pi\nname: CO-PI\ntype: other\nrole: {role}\njoined: "2025-09-01"\n',
            encoding="utf-8")
        status = json.loads(copi("status", "--json", cwd=example).out)
        assert status["scale"]["partners"] == 2, role
        assert {o["id"]: o["role"] for o in status["owners"]}["co-pi"] == "facilitator"
        text = copi("status", cwd=example).out
        assert "CO-PI — facilitator" in text and ", 2 partnere;" in text


@pytest.mark.usefixtures("danish_cli")
def test_what_the_method_calls_typical_is_a_suggestion_not_a_gap(copi, example: Path) -> None:
    """Without 1:1 meetings the market dialogue still holds on its open conference; status
    suggests the meetings the method calls typical, as text and in --json."""
    for meeting in (example / "moeder").glob("*.yaml"):
        meeting.unlink()
    run = copi("status", cwd=example)
    assert run.code == 0, run.err
    assert ("[x] Mindst én åben, annonceret markedsdialog er afholdt — Leverandørkonference: "
            "færre fald i eget hjem (2026-09-10)\n      forslag: typisk holdes flere 1:1-møder "
            "(0 afholdt)\n") in run.out
    status = json.loads(copi("status", "--json", cwd=example).out)
    activity = next(r for r in status["results"] if r["id"] == "open-market-activity")
    assert activity["holds"] and activity["advice"] == "typisk holdes flere 1:1-møder (0 afholdt)"
