"""The declaration of intent, end to end: signatures, declines and accessions after the
launch."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import head, load, to_phase_6, unchanged


def test_sign_decline_and_accession(copi, process: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    root = str(process)
    assert copi("owner", "add", "Horsens", "--dir", root).code == 0
    assert copi("owner", "add", "Welfare Tech", "--type", "member-organisation", "--role",
                "scaling-partner", "--dir", root).code == 0
    to_phase_6(copi, process)
    before = head(process)
    early = copi("sign", "aarhus", "--signer", "A", "--title", "Borgmester", "--date",
                 "2020-01-01", "--dir", root)
    assert early.code == 1 and "R004" in early.err and "nothing was written" in early.err
    assert unchanged(process, before)
    assert copi("decline", "horsens", "--reason", "Budget", "--dir", root).code == 0
    launch = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    assert copi("event", "add", "--kind", "launch", "--date", launch, "--title", "Lancering",
                "--dir", root).code == 0
    monkeypatch.setenv("COPI_LANG", "da")  # the line said, in Danish
    signed = copi("sign", "aarhus", "--signer", "Anders", "--title", "Borgmester",
                  "--event", "lancering", "--dir", root)
    assert signed.code == 0, signed.err
    assert "tiltrådt (efter lanceringen)" in signed.out  # an accession, and it counts
    monkeypatch.setenv("COPI_LANG", "en")
    assert copi("sign", "aarhus", "--signer", "Anders", "--title", "Borgmester", "--dir",
                root).code == 1  # already signed
    support = copi("sign", "welfare-tech", "--signer", "Direktør", "--title", "Direktør",
                   "--dir", root)
    assert support.code == 0
    later = copi("sign", "horsens", "--signer", "Peter", "--title", "Borgmester", "--dir", root)
    assert later.code == 0
    signatures = load(process, "underskrifter.yaml")["signatures"]
    assert [(s["organisation"], s["decision"], s.get("kind")) for s in signatures] == [
        ("aarhus-kommune", "signed", "buyer"), ("welfare-tech", "signed", "support"),
        ("horsens-kommune", "signed", "buyer")]  # the decline was replaced
    assert signatures[0]["event"] == f"{launch}-lancering"
    scale = json.loads(copi("status", "--json", "--dir", root).out)["scale"]
    assert (scale["need_owners"], scale["partners"], scale["signed"], scale["supported"],
            scale["declined"]) == (2, 1, 2, 1, 0)


def test_a_decision_dated_before_the_recorded_one_is_refused(copi, process: Path) -> None:
    root = str(process)
    to_phase_6(copi, process)
    assert copi("sign", "aarhus", "--signer", "A", "--title", "Borgmester", "--dir",
                root).code == 0
    earlier = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    run = copi("decline", "aarhus", "--date", earlier, "--dir", root)
    assert run.code == 1 and "after" in run.err
    assert load(process, "underskrifter.yaml")["signatures"][0]["decision"] == "signed"
