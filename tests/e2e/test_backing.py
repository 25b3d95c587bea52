"""Backing is a standing requirement (issue 21, point 3): a need owner that joins in phase 4
needs political and administrative backing with evidence as much as the first did. validate
warns at its file (R028) and the gate of phase 4 does not hold until it has both; a withdrawn
need owner needs none."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import fulfil_phase_1, fulfil_phase_2, fulfil_phase_3, fulfil_phase_4, write


def _to_phase_4(copi, process: Path) -> None:
    for fulfil in (fulfil_phase_1, fulfil_phase_2, fulfil_phase_3):
        fulfil(process)
        run = copi("advance", cwd=process)
        assert run.code == 0, run.out + run.err
    fulfil_phase_4(process)
    assert copi("gate", cwd=process).code == 0  # the gate of phase 4 holds as it is


def test_a_need_owner_joining_in_phase_4_without_backing_blocks_the_gate(
        copi, process: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _to_phase_4(copi, process)
    assert copi("owner", "add", "Vejle", cwd=process).code == 0  # joins today, in phase 4
    owner = process / "organisationer" / "vejle-kommune.yaml"
    joined_line = owner.read_text(encoding="utf-8").splitlines().index(
        next(line for line in owner.read_text(encoding="utf-8").splitlines()
             if line.startswith("joined:"))) + 1

    validate = copi("validate", cwd=process)
    assert validate.code == 0  # a warning: the owner may join; the gate waits for its backing
    found = re.findall(r"organisationer/vejle-kommune\.yaml:(\d+):\d+: R028 warning: (.*)",
                       validate.out)
    assert found == [(str(joined_line), "Vejle Kommune (joined in phase 4) has no political "
                      "and no administrative backing; every need owner needs both, with "
                      "evidence, before the next gate, whenever it joined")]

    monkeypatch.setenv("COPI_LANG", "da")  # the gate's checklist in Danish
    gate = copi("gate", cwd=process)
    monkeypatch.setenv("COPI_LANG", "en")
    assert gate.code == 1
    assert ("[ ] Tilsagn og opbakning fra hver behovsejers politiske og administrative ledelse, "
            "også fra de behovsejere, der er gået med senere — Vejle Kommune mangler "
            "dokumenteret politisk og administrativ opbakning → organisationer/vejle-kommune.yaml"
            ) in gate.out
    refused = copi("advance", cwd=process)
    assert refused.code == 1 and "Vejle Kommune" in refused.out + refused.err

    assert copi("owner", "backing", "vejle", "--level", "political", "--by", "Byrådet",
                "--evidence", "https://vejle.example/byraadet", cwd=process).code == 0
    assert copi("gate", cwd=process).code == 1  # the administrative backing is still missing
    assert "no administrative backing" in copi("validate", cwd=process).out

    assert copi("owner", "backing", "vejle", "--level", "administrative", "--by",
                "Direktionen", "--evidence", "https://vejle.example/direktionen",
                cwd=process).code == 0
    assert "R028" not in copi("validate", cwd=process).out
    assert copi("gate", cwd=process).code == 0
    assert copi("advance", cwd=process).code == 0


def test_backing_without_evidence_is_not_backing(copi, process: Path) -> None:
    _to_phase_4(copi, process)
    write(process, "organisationer/vejle-kommune.yaml",
          "id: vejle-kommune\nname: Vejle Kommune\ntype: municipality\nrole: need-owner\n"
          "municipality_code: \"630\"\njoined: \"2025-06-01\"\nbacking:\n  political:\n"
          "    by: Byrådet\n    date: \"2025-06-20\"\n  administrative:\n"
          "    by: Direktionen\n    date: \"2025-06-05\"\n"
          "    evidence: https://vejle.example/direktionen\n")
    assert "Vejle Kommune has political backing without evidence" in copi(
        "validate", cwd=process).out
    assert copi("gate", cwd=process).code == 1


def test_a_withdrawn_need_owner_needs_no_backing(copi, process: Path) -> None:
    _to_phase_4(copi, process)
    write(process, "organisationer/vejle-kommune.yaml",
          "id: vejle-kommune\nname: Vejle Kommune\ntype: municipality\nrole: need-owner\n"
          "municipality_code: \"630\"\njoined: \"2025-06-01\"\nwithdrawn: \"2025-06-09\"\n")
    assert "R028" not in copi("validate", cwd=process).out
    assert copi("gate", cwd=process).code == 0


def test_the_standing_result_is_in_every_gate_from_phase_3_on() -> None:
    """Phase 1 asks for the first need owner's backing and phase 2 for every new one's as
    their own results; from phase 3 on the standing result asks for every need owner's."""
    from copi_cli.model.catalogue import load_catalogue

    gates = {phase.number: [(r.id, r.check.get("who")) for r in phase.gate
                            if r.check_name == "backing"]
             for phase in load_catalogue().phases}
    assert gates == {1: [("first-owner-backing", "first-need-owner")],
                     2: [("all-owners-backing", "new-need-owners")],
                     **{n: [("every-owner-backing", "all-need-owners")] for n in (3, 4, 5, 6)}}


@pytest.mark.usefixtures("danish_cli")
def test_phase_2_asks_the_new_need_owners_for_their_backing(copi, process: Path) -> None:
    """The phase-2 result names "hver ny behovsejers" backing: it checks the need owners that
    joined after the first, not the first (phase 1's result), so it never names the first
    owner as lacking under a heading about new ones."""
    assert copi("advance", "--force", "--reason", "Indført", cwd=process).code == 0  # no backing
    gate = copi("gate", cwd=process)
    assert ("[ ] Tilsagn og opbakning fra hver ny behovsejers politiske og administrative "
            "ledelse — ingen nye behovsejere er gået med endnu") in gate.out
    assert "Aarhus Kommune mangler" not in gate.out
    fulfil_phase_2(process)  # Odense joins with both levels of backing
    gate = copi("gate", cwd=process)
    assert ("[x] Tilsagn og opbakning fra hver ny behovsejers politiske og administrative "
            "ledelse — 1 med politisk og administrativ opbakning") in gate.out
    assert "Aarhus Kommune mangler" not in gate.out
