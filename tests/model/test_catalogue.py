"""The phase catalogue: six phases, both languages, every result backed by a check."""

from __future__ import annotations

from copi_cli.model.catalogue import load_catalogue
from copi_cli.validation.checks import CHECKS


def test_six_phases_in_order_with_both_languages() -> None:
    catalogue = load_catalogue()
    assert [p.number for p in catalogue.phases] == [1, 2, 3, 4, 5, 6]
    assert catalogue.phase_ids == ["innovation-need", "matchmaking", "needs-exploration",
                                   "market-dialogue", "needs-communication", "declaration"]
    for phase in catalogue.phases:
        assert phase.name["da"] and phase.name["en"]
        assert phase.results and phase.need_owners and phase.facilitator and phase.tools
        for item in (*phase.need_owners, *phase.facilitator):
            assert set(item) == {"da", "en"}
        for result in phase.results:
            assert result.text["da"] and result.text["en"]


def test_every_result_names_a_known_check_and_every_check_is_used() -> None:
    catalogue = load_catalogue()
    used = {result.check_name for phase in catalogue.phases for result in phase.results}
    assert used == set(CHECKS)


def test_tools_are_known_and_named_as_the_method_names_them() -> None:
    catalogue = load_catalogue()
    assert {t.danish_id for t in catalogue.tools.values()} == {
        "planlaegning", "ledelsesforankring", "behovsudforskning", "markedsdialog"}
    for phase in catalogue.phases:
        assert set(phase.tools) <= set(catalogue.tools)
    assert "management-anchoring" in catalogue.phase("declaration").tools


def test_result_ids_are_unique() -> None:
    catalogue = load_catalogue()
    ids = [r.id for p in catalogue.phases for r in p.results]
    assert len(ids) == len(set(ids))


def test_process_schema_knows_every_phase() -> None:
    from copi_cli.validation.schemas import bundled_schema

    schema = bundled_schema("process")
    assert schema["properties"]["phase"]["enum"] == load_catalogue().phase_ids


def test_phase_6_holds_the_duties_after_signing_as_the_method_says_them() -> None:
    """Skaleringsproces, fase 6: the declaration is operationalised — anchored upwards and
    across (procurement, IT, legal) — CO-PI talks with the need owners about using it in
    practice, and a communication effort about the launch sends the signal to the market."""
    phase = load_catalogue().phase("declaration")
    owners = " ".join(item["da"] for item in phase.need_owners)
    assert "Operationaliserer erklæringen" in owners
    assert "opad til den administrative og politiske topledelse og på tværs" in owners
    assert "indkøb, it og jura" in owners and "kommunikerer om og deltager i lanceringen" in owners
    facilitator = " ".join(item["da"] for item in phase.facilitator)
    assert "anvendelse og omsætning af hensigtserklæringen i praksis" in facilitator
    assert "kommunikationsindsats om lanceringen" in facilitator
    checks = {result.id: result.check for result in phase.results}
    assert checks["launch-communicated"] == {"name": "published",
                                             "documents": ["launch-press-release"]}
    assert checks["declaration-anchored"] == {"name": "confirmed"}
    assert checks["declaration-in-practice"] == {"name": "confirmed"}


def test_every_document_a_result_names_is_in_the_document_catalogue() -> None:
    from copi_cli.model.documents import document_ids

    named = {document for phase in load_catalogue().phases for result in phase.results
             for document in result.check.get("documents", [])}
    assert "launch-press-release" in named and named <= set(document_ids())
