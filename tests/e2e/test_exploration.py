"""The needs exploration, end to end: insights, needs, barriers and the glossary's terms."""

from __future__ import annotations

from pathlib import Path

from conftest import load


def test_insight_need_barrier_term(copi, process: Path) -> None:
    root = str(process)
    template = (process / "udforskning/behov.yaml").read_text(encoding="utf-8")
    comments = [line for line in template.splitlines() if line.startswith("#")]
    assert copi("insight", "add", "Fald sker om natten", "--source", "fieldwork", "--owners",
                "aarhus", "--date", "2026-04-08", "--dir", root).code == 0
    unknown = copi("need", "add", "Fald opdages hurtigt", "--owners", "aarhus",
                   "--insights", "fald-om-natten", "--dir", root)
    assert unknown.code == 2 and "fald-sker-om-natten" in unknown.err
    need = copi("need", "add", "Fald opdages hurtigt", "--owners", "aarhus", "--insights",
                "fald-sker-om-natten", "--criterion", "Tid til hjælp", "--dir", root)
    assert need.code == 0, need.err
    assert copi("barrier", "add", "Data må ikke deles", "--kind", "lovgivning", "--owners",
                "aarhus", "--dir", root).code == 0
    needs = load(process, "udforskning/behov.yaml")
    assert needs["needs"] == [{"id": "fald-opdages-hurtigt", "title": "Fald opdages hurtigt",
                               "owners": ["aarhus-kommune"],
                               "insights": ["fald-sker-om-natten"],
                               "success_criteria": ["Tid til hjælp"]}]
    assert needs["barriers"][0]["kind"] == "legislation"  # the Danish label was understood
    text = (process / "udforskning/behov.yaml").read_text(encoding="utf-8")
    assert all(line in text.splitlines() for line in comments)
    assert copi("term", "add", "Eget hjem", "--definition", "Borgerens bolig", "--english",
                "Own home", "--dir", root).code == 0
    assert copi("term", "add", "eget hjem", "--definition", "igen", "--dir", root).code == 1
