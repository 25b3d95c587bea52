"""R032 on a file full of numbers: every number is read once, and the findings are capped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from copi_cli.validation.pipeline import validate
from copi_cli.validation.rules import personal

from conftest import write


def _cprs(count: int) -> list[str]:
    """count distinct valid CPR-like numbers."""
    days = [dt.date(1950, 1, 1) + dt.timedelta(days=n) for n in range(count)]
    return [f"{d:%d%m%y}-{n % 10000:04d}" for n, d in enumerate(days)]


def test_a_block_of_many_numbers_is_read_in_one_pass_and_capped(
        example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reads = []

    class Counted(list):
        def __getitem__(self, index):  # type: ignore[no-untyped-def]
            reads.append(index)
            return super().__getitem__(index)

    made = personal._Source.__init__

    def counting(self, text: str, offset: int) -> None:  # type: ignore[no-untyped-def]
        made(self, text, offset)
        self.lines = Counted(self.lines)

    monkeypatch.setattr(personal._Source, "__init__", counting)
    lines = 4000
    numbers = _cprs(lines)
    write(example, "udforskning/indsigter.yaml",
          "insights:\n  - id: mange\n    source: fieldwork\n    title: Mange tal\n"
          "    summary: |\n" + "".join(f"      Borger {n} faldt.\n" for n in numbers))
    found = [d for d in validate(example, today=dt.date(2026, 11, 26), use_cache=False)
             .diagnostics if d.code == "R032" and d.path == "udforskning/indsigter.yaml"]
    assert len(found) == personal.MAX_PER_FILE + 1
    assert [(d.line, d.col) for d in found[:3]] == [(6, 14), (7, 14), (8, 14)]
    assert "not listed one by one" in found[-1].message
    # each line is read at most once per number placed, never the block again per number
    assert len(reads) <= 2 * (personal.MAX_PER_FILE + 1)
