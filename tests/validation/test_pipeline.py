"""The validation pipeline: the same findings whether the files are read in one process or in
several."""

from __future__ import annotations

from pathlib import Path


def test_parallel_and_serial_agree(example: Path) -> None:
    import datetime as dt

    from copi_cli.validation import pipeline as validation
    (example / "ordliste.yaml").write_text("terms: [{term: x}]\n")
    for index in range(validation.PARALLEL_FROM):
        (example / "leverandoerer" / f"firma-{index}.yaml").write_text(
            f"id: firma-{index}\nname: Firma {index}\ncvr: '{'13585628' if index % 2 else '1'}'\n")
    today = dt.date(2026, 11, 26)
    serial = validation.validate(example, today=today, use_cache=False, jobs=1)
    parallel = validation.validate(example, today=today, use_cache=False, jobs=2)
    assert serial.diagnostics == parallel.diagnostics
    assert len(serial.errors) == validation.PARALLEL_FROM // 2 + 1
