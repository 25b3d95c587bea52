"""Findings are said in the reader's language however they travel: kept by the validation
cache as data, sent back by the worker processes, masked for CPR numbers on the way."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from pathlib import Path

import pytest

from copi_cli.diagnostics import Diagnostic
from copi_cli.messages import Said, Worded, text_in
from copi_cli.validation import pipeline

TODAY = dt.date(2026, 11, 26)


def _said(report: pipeline.Report, lang: str) -> list[tuple[str, str, str]]:
    return [(d.code, text_in(d.message, lang), text_in(d.hint or "", lang))
            for d in report.diagnostics]


def _break(example: Path) -> None:
    """A finding of a file rule (cached with its file), of a workspace rule (from the
    records), of the schema and of the YAML reader."""
    supplier = example / "leverandoerer" / "trygstep.yaml"
    supplier.write_text(supplier.read_text(encoding="utf-8").replace(
        'cvr: "34037655"', 'cvr: "34037656"').replace("cvr: '34037655'", "cvr: '34037656'"),
        encoding="utf-8")
    (example / "moeder" / "2026-09-29-trygstep.yaml").write_text(
        "id: 2026-09-29-trygstep\nkind: one-to-one\nsupplier: trygstp\nowners: [aarhus-kommune]\n"
        "date: \"2026-09-29\"\nevent: 2026-09-10-leverandoerkonference\nbakcing: x\n",
        encoding="utf-8")
    (example / "ordliste.yaml").write_text("terms:\n  - term: fald\n    x: a: b\n",
                                           encoding="utf-8")


def test_a_warm_validation_says_its_findings_in_danish_as_a_cold_one(
        example: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COPI_CACHE_DIR", str(tmp_path / "cache"))
    _break(example)
    read: list[int] = []
    real = pipeline._read_all

    def counted(root, items, jobs, today, *progress):  # the real reading, counted
        read.append(len(items))
        return real(root, items, jobs, today, *progress)

    monkeypatch.setattr(pipeline, "_read_all", counted)
    cold = pipeline.validate(example, today=TODAY)
    warm = pipeline.validate(example, today=TODAY)  # nothing changed: the stored findings
    (example / "interessenter.yaml").write_text(  # read again; the rest from the cache
        (example / "interessenter.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    partly = pipeline.validate(example, today=TODAY)
    assert read[0] > 10 and read[1:] == [1], "cold, warm from the summary, warm from the files"
    codes = {d.code for d in cold.diagnostics}
    assert {"R005", "R002", "S001", "Y001"} <= codes
    for lang in ("da", "en"):
        assert _said(warm, lang) == _said(cold, lang) == _said(partly, lang), lang
    danish = {code: message for code, message, _ in _said(warm, "da")}
    assert danish["R005"] == "CVR-nummeret 34037656 består ikke kontrollen"
    assert danish["R002"] == "ingen leverandør har id 'trygstp'"
    assert danish["Y001"].startswith("YAML kan ikke læses: ")
    english = {code: message for code, message, _ in _said(warm, "en")}
    assert english["R005"] == "CVR number 34037656 fails the check"
    # the cache holds each finding as an id and values: data, never pickled code
    stored = "".join(path.read_text(encoding="utf-8")
                     for path in (tmp_path / "cache").rglob("*.json"))
    assert '"said":"finding.r005.cvr"' in stored and '"cvr":"34037656"' in stored


def test_worker_processes_send_findings_back_sayable_in_danish(example: Path) -> None:
    for index in range(pipeline.PARALLEL_FROM):
        (example / "leverandoerer" / f"firma-{index}.yaml").write_text(
            f"id: firma-{index}\nname: Firma {index}\ncvr: '{'13585628' if index % 2 else '1'}'\n"
            f"webside: x\n")
    serial = pipeline.validate(example, today=TODAY, use_cache=False, jobs=1)
    parallel = pipeline.validate(example, today=TODAY, use_cache=False, jobs=2)
    assert _said(parallel, "da") == _said(serial, "da")
    assert all(isinstance(d.message, Said) for d in parallel.diagnostics)
    assert "ukendt nøgle 'webside'" in {message for _, message, _ in _said(parallel, "da")}


def test_a_said_finding_survives_json_and_pickle_with_its_values_masked() -> None:
    nested = Said("finding.r033.names", where=Said("finding.r033.need", id="n-1"),
                  what=Worded({"da": "pressemeddelelse og invitation",
                               "en": "press release and invitation"}))
    finding = Diagnostic("x.yaml", 3, 4, "R033", nested, Said("finding.r033.hint"))
    masked = Diagnostic("x.yaml", 1, 1, "S001", Said("finding.s001.unknown-key",
                                                     key="150380-1234"),
                        Said("finding.did-you-mean", close="cpr 1503801234"))
    for diagnostic in (finding, masked):
        again = Diagnostic.from_dict(json.loads(json.dumps(diagnostic.as_data())))
        unpickled = pickle.loads(pickle.dumps(diagnostic))
        for copy in (again, unpickled):
            assert copy[:6] == diagnostic[:6] and copy.as_dict() == diagnostic.as_dict()
            for lang in ("da", "en"):
                assert text_in(copy.message, lang) == text_in(diagnostic.message, lang)
                assert text_in(copy.hint or "", lang) == text_in(diagnostic.hint or "", lang)
    assert text_in(finding.message, "da") == (
        "behov n-1 nævner en leverandørs løsning: pressemeddelelse og invitation")
    assert finding.message == "need n-1 names a supplier's solution: press release and invitation"
    for lang in ("da", "en"):
        said = text_in(masked.message, lang) + text_in(masked.hint or "", lang)
        assert "150380" not in said and said.count("xxxxxx-xxxx") == 2, said
    # JSON output stays English text: the same whichever language copi speaks
    assert masked.as_dict()["message"] == "unknown key 'xxxxxx-xxxx'"


def test_a_cpr_number_is_masked_in_both_languages(example: Path) -> None:
    (example / "ordliste.yaml").write_text(
        "terms:\n  - term: fald\n    definition: borgeren 150380-1234 faldt\n",
        encoding="utf-8")
    report = pipeline.validate(example, today=TODAY, use_cache=False)
    found = [d for d in report.diagnostics if d.code == "R032"]
    assert len(found) == 1
    for lang, words in (("da", "et tal, der ligner et CPR-nummer (xxxxxx-xxxx), i "
                                "terms.0.definition"),
                        ("en", "a number like a CPR number (xxxxxx-xxxx) in terms.0.definition")):
        said = " ".join(text_in(text, lang) for text in (found[0].message, found[0].hint or ""))
        assert text_in(found[0].message, lang) == words and "150380" not in said
