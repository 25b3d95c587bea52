"""The management anchoring asks in each phase what that phase needs of management (issue 21,
point 3), and what every need owner brings whenever it joins."""

from __future__ import annotations

from copi_cli.model.catalogue import load_catalogue
from copi_cli.model.tools import find_tool


def test_anchoring_questions_differ_per_phase_and_phase_6_asks_about_signing() -> None:
    tool = find_tool("ledelsesforankring")
    phases = load_catalogue().phase_ids
    asked = {phase: {f.key for f in tool.fields_for(phase)} for phase in phases}
    every = {f.key for f in tool.fields if f.phases is None}
    own = {phase: keys - every for phase, keys in asked.items()}
    assert all(own.values()), "each phase asks something of its own"
    assert len({frozenset(keys) for keys in own.values()}) == len(phases)
    # what a new need owner brings, whenever it joins, and the decisions that are its backing
    assert {"ambition", "management_chain", "internal_alignment", "resources",
            "purchase_budget", "political_body", "administrative_body"} <= every
    declaration = {f.key: f.label["da"] + " " + (f.help or {}).get("da", "")
                   for f in tool.fields_for("declaration") if f.phases}
    assert "tilslutter jer hensigtserklæringen" in declaration["sign_decision"]
    assert "underskriver" in declaration["signatory"]
    assert "indkøb, it og jura" in declaration["anchoring_across"]
    assert "politiske topledelse" in declaration["anchoring_upwards"]
    english = {f.key: f.label["en"] for f in tool.fields_for("declaration")}
    assert "procurement, IT and legal" in english["anchoring_across"]


def test_tools_of_one_phase_ask_the_same_in_their_phase() -> None:
    for name in ("planlaegning", "behovsudforskning", "markedsdialog"):
        tool = find_tool(name)
        assert not tool.per_phase
        assert tool.fields_for(tool.phases[0]) == tool.fields
