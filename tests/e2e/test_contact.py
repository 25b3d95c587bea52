"""copi contact: contact persons added, exported and erased (GDPR), and flagged past their
retention date."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import git, load


def test_contact_export_and_erase(copi, process: Path) -> None:
    root = str(process)
    assert copi("supplier", "add", "Sensa Care ApS", "--cvr", "38990608", "--dir",
                root).code == 0
    for holder, name, email in (("aarhus", "Louise Bach", "loba@aarhus.example"),
                                ("sensa-care", "Louise Bach", "lb@sensa.example"),
                                ("sensa-care", "Jonas Holm", "jh@sensa.example")):
        assert copi("contact", "add", holder, "--name", name, "--email", email, "--title",
                    "Projektleder", "--dir", root).code == 0, holder
    (process / "moeder").mkdir(exist_ok=True)
    notes = process / "noter.md"
    notes.write_text("Louise Bach præsenterede.\n", encoding="utf-8")
    assert copi("event", "add", "--kind", "supplier-conference", "--date", "2026-09-10",
                "--title", "Konference", "--announced", "2026-08-01", "--channel", "udbud.dk",
                "--dir", root).code == 0
    assert copi("meeting", "add", "--supplier", "sensa-care", "--owners", "aarhus",
                "--date", "2026-09-24", "--event", "2026-09-10-konference", "--notes",
                str(notes), "--dir", root).code == 0
    notes.unlink()

    exported = copi("contact", "export", "Louise Bach", "--dir", root)
    assert exported.code == 0, exported.err
    data = json.loads(exported.out)
    assert [(e["holder"], e["email"]) for e in data["contact_entries"]] == [
        ("aarhus-kommune", "loba@aarhus.example"), ("sensa-care", "lb@sensa.example")]
    assert [m["path"] for m in data["other_mentions"]] == ["moeder/2026-09-24-sensa-care.yaml"]

    erased = copi("contact", "erase", "louise bach", "--dir", root)
    assert erased.code == 0, erased.err
    assert "moeder/2026-09-24-sensa-care.yaml:" in erased.err  # left for a person to judge
    assert "Louise" not in git(process, "log", "-1", "--format=%B")
    sensa = load(process, "leverandoerer/sensa-care.yaml")
    assert [c["name"] for c in sensa["contacts"]] == ["Jonas Holm"]
    assert sensa["cvr"] == "38990608"
    assert load(process, "organisationer/aarhus-kommune.yaml")["contacts"] == []
    assert copi("contact", "erase", "Louise Bach", "--dir", root).code == 2


@pytest.mark.usefixtures("danish_cli")
def test_contact_past_retention_is_flagged(copi, process: Path) -> None:
    run = copi("contact", "add", "aarhus", "--name", "Ole", "--dir", str(process))
    assert run.code == 0, run.err
    owner = process / "organisationer" / "aarhus-kommune.yaml"  # kept past its date
    text = owner.read_text(encoding="utf-8")
    owner.write_text(re.sub(r'retention_until: "[0-9-]+"', 'retention_until: "2020-01-01"',
                            text), encoding="utf-8")
    assert "R020" in copi("validate", "--dir", str(process)).out
    listed = copi("contact", "list", "--dir", str(process))
    assert "UDLØBET" in listed.out
