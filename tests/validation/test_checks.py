"""The checks behind the results: where the method gives examples ("fx") one is enough and the
rest are suggested; where it says what is typical ("typisk") the gate asks for the essential and
advises the rest. Each on a process built by copi init in the test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from copi_cli.model.catalogue import load_catalogue
from copi_cli.validation.checks import Outcome, check_results
from copi_cli.validation.pipeline import validate

from conftest import fulfil_phase_1, fulfil_phase_2, write

TODAY = dt.date(2025, 7, 1)


def outcomes(root: Path, phase: str, lang: str = "da") -> dict[str, Outcome]:
    report = validate(root, today=TODAY, want_workspace=True, use_cache=False)
    assert report.workspace is not None and not report.errors, report.errors
    return {o.result.id: o for o in check_results(report.workspace,
                                                  load_catalogue().phase(phase), TODAY, lang)}


def test_one_way_of_exploring_meets_the_result_the_others_are_suggested(process: Path) -> None:
    fulfil_phase_1(process)
    fulfil_phase_2(process)
    # literature only: no fieldwork, no data, no value chain, no potential calculation begun
    write(process, "interessenter.yaml", "stakeholders:\n  - {id: borgere, name: Borgere}\n")
    write(process, "udforskning/indsigter.yaml",
          "insights:\n  - {id: lit, source: literature, title: Litteratur}\n")
    write(process, "udforskning/behov.yaml", "needs:\n  - {id: behov, title: Behov, owners: "
          "[aarhus-kommune, odense-kommune]}\nbarriers:\n"
          "  - {id: lov, kind: legislation, description: Lovgivning}\n")
    found = outcomes(process, "needs-exploration")
    explored = found["exploration-sources"]
    assert explored.holds and explored.why == "forskning og litteratur"
    assert explored.advice == ("metoden nævner også: feltarbejde, data og statistik, "
                               "kortlægning af værdikæden, en påbegyndt potentialeberegning")
    # the value chain and the potential calculation are among the examples, no results of
    # their own
    # (every-owner-backing is the standing result every gate from phase 3 asks)
    assert set(found) == {"exploration-sources", "barriers-noted", "shared-needs",
                          "every-owner-backing"}
    assert all(o.holds for o in found.values())

    english = outcomes(process, "needs-exploration", "en")["exploration-sources"]
    assert english.advice == ("the method also suggests: fieldwork, data and statistics, "
                              "mapping of the value chain, a potential calculation begun")


def test_no_way_of_exploring_does_not_meet_it_and_names_them_all(process: Path) -> None:
    write(process, "interessenter.yaml", "stakeholders:\n  - {id: borgere, name: Borgere}\n")
    explored = outcomes(process, "needs-exploration")["exploration-sources"]
    assert not explored.holds and explored.advice is None
    assert explored.why == ("ingen af metodens eksempler er taget i brug endnu: feltarbejde, "
                            "data og statistik, forskning og litteratur, kortlægning af "
                            "værdikæden, en påbegyndt potentialeberegning")
    assert explored.where == "udforskning/indsigter.yaml"
    # a value chain mapped is a way of its own
    write(process, "interessenter.yaml", "value_chain:\n  - {id: indkoeb, step: Indkøb}\n")
    assert outcomes(process, "needs-exploration")["exploration-sources"].holds


def _conference(root: Path, announced: str, kind: str = "supplier-conference") -> None:
    write(root, "arrangementer/konference.yaml",
          f"id: konference\nkind: {kind}\ntitle: Dialogmøde\ndate: \"2025-06-10\"\n{announced}"
          "materials:\n  - {title: Slides, url: https://x.example/s, published: \"2025-06-11\"}\n")


def test_an_open_information_meeting_meets_the_market_dialogue_the_typical_is_advice(
        process: Path) -> None:
    # no supplier conference, no 1:1 meetings: an open, announced information meeting only
    _conference(process, "announced: {date: \"2025-05-30\", channel: udbud.dk, open: true}\n",
                kind="information-meeting")
    found = outcomes(process, "market-dialogue")
    activity = found["open-market-activity"]
    assert activity.holds and activity.why == "Dialogmøde (2025-06-10)"
    assert activity.advice == ("typisk holdes mindst én leverandørkonference; "
                               "typisk holdes flere 1:1-møder (0 afholdt)")
    assert set(found) == {"dialogue-planned", "open-market-activity", "materials-published",
                          "criteria-discussed", "market-insights", "every-owner-backing"}


def test_a_closed_or_unannounced_conference_does_not_meet_the_market_dialogue(
        process: Path) -> None:
    _conference(process, "announced: {date: \"2025-05-30\", channel: udbud.dk, open: true}\n")
    write(process, "leverandoerer/firma.yaml", "id: firma\nname: Firma ApS\n")
    for day in ("12", "13"):
        write(process, f"moeder/m{day}.yaml", f"id: m{day}\nkind: one-to-one\nsupplier: firma\n"
              f"owners: [aarhus-kommune]\ndate: \"2025-06-{day}\"\nevent: konference\n")
    typical = outcomes(process, "market-dialogue")["open-market-activity"]
    assert typical.holds and typical.advice is None
    for announced in ("announced: {date: \"2025-05-30\", channel: udbud.dk, open: false}\n",
                      ""):
        _conference(process, announced)
        activity = outcomes(process, "market-dialogue")["open-market-activity"]
        assert not activity.holds
        assert activity.why == ("Dialogmøde (2025-06-10) var ikke annonceret og åben for alle "
                                "leverandører")
        assert activity.where == "arrangementer/konference.yaml"


def test_standards_alone_are_a_common_language_and_no_potential_calculation_is_allowed(
        process: Path) -> None:
    write(process, "ordliste.yaml", "standards:\n  - {name: HL7 FHIR, use: Deling af data}\n")
    found = outcomes(process, "needs-communication")
    assert found["common-language"].holds and found["common-language"].why == "fælles standarder"
    assert found["common-language"].advice == "metoden nævner også: fælles begreber"
    # "en eventuel potentialeberegning": none at all meets the result, and says so
    assert found["potential-final"].holds and found["potential-final"].advice
    write(process, "potentiale.yaml", "status: started\n")
    assert not outcomes(process, "needs-communication")["potential-final"].holds


def test_a_workshop_announced_open_to_suppliers_is_market_dialogue(process: Path) -> None:
    """It meets the market dialogue, and its materials must be published to all like a
    conference's; a workshop of the need owners alone is neither."""
    write(process, "arrangementer/workshop.yaml",
          "id: workshop\nkind: workshop\ntitle: Workshop med leverandører\ndate: \"2025-06-10\"\n")
    assert not outcomes(process, "market-dialogue")["open-market-activity"].holds
    write(process, "arrangementer/workshop.yaml",
          "id: workshop\nkind: workshop\ntitle: Workshop med leverandører\ndate: \"2025-06-10\"\n"
          "announced: {date: \"2025-05-30\", channel: udbud.dk, open: true}\n")
    found = outcomes(process, "market-dialogue")
    assert found["open-market-activity"].holds
    materials = found["materials-published"]
    assert not materials.holds and materials.where == "arrangementer/workshop.yaml"
    assert materials.why == "Workshop med leverandører: intet materiale offentliggjort for alle"


def test_an_announcement_that_does_not_say_open_to_all_is_no_open_activity(
        process: Path) -> None:
    """practice.md: record how and when each activity was announced *and that it was open to
    all*. A workshop announced by direct invitation to two suppliers, `open` left out, is no
    market activity; a conference whose announcement leaves it out does not meet the gate."""
    write(process, "arrangementer/workshop.yaml",
          "id: workshop\nkind: workshop\ntitle: Workshop med leverandører\ndate: \"2025-06-10\"\n"
          "announced: {date: \"2025-04-01\", channel: direkte invitation til Sensa Care og "
          "TrygStep}\n")
    activity = outcomes(process, "market-dialogue")["open-market-activity"]
    assert not activity.holds and activity.where == "arrangementer/"  # no market activity
    _conference(process, "announced: {date: \"2025-05-30\", channel: udbud.dk}\n")
    activity = outcomes(process, "market-dialogue")["open-market-activity"]
    assert not activity.holds and activity.where == "arrangementer/konference.yaml"


def test_placeholder_evidence_does_not_make_backing(process: Path) -> None:
    """'n/a', 'TBD', 'xx' or '-' as evidence documents no decision: the standing backing
    result does not hold on it (blank evidence the schema refuses)."""
    fulfil_phase_1(process)
    fulfil_phase_2(process)
    assert outcomes(process, "needs-exploration")["every-owner-backing"].holds
    owner = process / "organisationer/odense-kommune.yaml"
    text = owner.read_text(encoding="utf-8")
    for placeholder in ("n/a", "TBD", " xx ", "-"):
        owner.write_text(text.replace("https://odense.example/d", f"\"{placeholder}\""),
                         encoding="utf-8")
        backing = outcomes(process, "needs-exploration")["every-owner-backing"]
        assert not backing.holds and backing.where == "organisationer/odense-kommune.yaml"


def test_a_gate_names_a_confidential_need_owner_by_its_id(process: Path) -> None:
    """What a gate says reaches CI logs: Odense Kommune, its name confidential, is named by its
    id there (review of issue 21, point 2)."""
    fulfil_phase_1(process)
    fulfil_phase_2(process)
    write(process, "organisationer/odense-kommune.yaml",
          "id: odense-kommune\nconfidential: [name]\nname: Odense Kommune\ntype: municipality\n"
          "role: need-owner\nmunicipality_code: \"461\"\njoined: \"2025-05-20\"\n")
    backing = outcomes(process, "needs-exploration")["every-owner-backing"]
    assert not backing.holds and "odense-kommune" in backing.why, backing.why
    assert "Odense Kommune" not in backing.why
