"""copi owner: need owners and partners added from the reference list or by CVR, listed, and
their backing recorded with its evidence."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import git, head, load, unchanged

TODAY = dt.date.today().isoformat()


def trailers(root: Path) -> dict[str, str]:
    text = git(root, "log", "-1", "--format=%(trailers:only,unfold)")
    return dict(line.split(": ", 1) for line in text.splitlines() if line)


def test_owner_add_fills_a_municipality_from_the_reference_list(copi, process: Path) -> None:
    run = copi("owner", "add", "Horsens", "--citizens", "97000", "--dir", str(process))
    assert run.code == 0, run.err
    assert "Horsens Kommune" in run.out and "organisationer/horsens-kommune.yaml" in run.out
    assert load(process, "organisationer/horsens-kommune.yaml") == {
        "id": "horsens-kommune", "name": "Horsens Kommune", "type": "municipality",
        "role": "need-owner", "municipality_code": "615", "region_code": "1082",
        "joined": TODAY, "citizens": 97000}
    assert trailers(process) == {"Copi-Action": "owner-add", "Copi-Process": "proces",
                                 "Copi-Actor": "Test Facilitator"}
    assert git(process, "status", "--porcelain") == ""
    by_code = copi("owner", "add", "730", "--joined", "2026-01-05", "--dir", str(process))
    assert by_code.code == 0 and load(process, "organisationer/randers-kommune.yaml")[
        "joined"] == "2026-01-05"


@pytest.mark.usefixtures("danish_cli")
def test_owner_add_partner_with_cvr_and_listing(copi, process: Path) -> None:
    run = copi("owner", "add", "Welfare Tech", "--type", "member-organisation", "--role",
               "scaling-partner", "--cvr", "13585628", "--dir", str(process))
    assert run.code == 0, run.err
    listed = json.loads(copi("owner", "list", "--json", "--dir", str(process)).out)
    assert [(o["id"], o["role_label"], o["type_label"]) for o in listed] == [
        ("aarhus-kommune", "behovsejer", "kommune"),
        ("welfare-tech", "skaleringspartner", "medlemsorganisation")]
    shown = copi("owner", "show", "welfare-tech", "--dir", str(process))
    assert shown.code == 0 and "CVR-nummer: 13585628" in shown.out and "cvr:" not in shown.out


@pytest.mark.parametrize(("args", "code", "said"), [
    (["Århus Komune"], 2, "did you mean 'Aarhus Kommune'"),
    (["Statens It", "--type", "agency"], 2, "state-agency"),
    (["Odense", "--type", "port"], 1, "is a municipality, not a port"),
    (["Aarhus"], 1, "already in the process"),
    (["Energinet", "--type", "state-company", "--cvr", "13585627"], 2, "not a valid CVR"),
    (["Energinet", "--type", "state-company", "--joined", "2026-02-30"], 2, "not a real date"),
    (["Energinet", "--type", "state-company", "--role", "buyer"], 2, "need-owner"),
])
def test_owner_add_refuses_bad_input_and_writes_nothing(copi, process: Path, args: list[str],
                                                         code: int, said: str) -> None:
    before = head(process)
    run = copi("owner", "add", *args, "--dir", str(process))
    assert run.code == code and said in run.err
    assert run.err.count("copi: error:") == 1 and "Traceback" not in run.err
    assert unchanged(process, before)


def test_backing_evidence_from_outside_is_brought_in(copi, process: Path,
                                                     tmp_path: Path) -> None:
    evidence = tmp_path / "Direktionsnotat.pdf"
    evidence.write_bytes(b"%PDF-1.4 notat")
    run = copi("owner", "backing", "aarhus", "--level", "administrative", "--by",
               "Direktionen", "--date", "2026-03-02", "--evidence", str(evidence),
               "--dir", str(process))
    assert run.code == 0, run.err
    data = load(process, "organisationer/aarhus-kommune.yaml")
    assert data["backing"] == {"administrative": {
        "by": "Direktionen", "date": "2026-03-02",
        "evidence": "materialer/Direktionsnotat.pdf"}}
    assert (process / "materialer/Direktionsnotat.pdf").read_bytes() == b"%PDF-1.4 notat"
    committed = git(process, "show", "--name-only", "--format=", "HEAD").split()
    assert committed == ["proces/materialer/Direktionsnotat.pdf",
                         "proces/organisationer/aarhus-kommune.yaml"] or committed == [
        "materialer/Direktionsnotat.pdf", "organisationer/aarhus-kommune.yaml"]
    political = copi("owner", "backing", "751", "--level", "political", "--by", "Byrådet",
                     "--date", "2026-03-20", "--evidence", "https://aarhus.example/b",
                     "--dir", str(process))
    assert political.code == 0
    backing = load(process, "organisationer/aarhus-kommune.yaml")["backing"]
    assert list(backing) == ["administrative", "political"]
