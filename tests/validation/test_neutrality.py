"""R033 on a text that repeats a name many times: one pass over the text, findings capped."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from copi_cli.validation.pipeline import validate
from copi_cli.validation.rules import neutrality

from conftest import write


def test_a_name_repeated_many_times_is_found_in_one_pass_and_capped(
        example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    passes: list[int] = []
    matches: list[int] = []
    real = neutrality.Names.__init__

    class Counted:
        """The names' pattern, counting the passes over a text and the matches read."""

        def __init__(self, pattern: re.Pattern[str]) -> None:
            self.pattern = pattern

        def finditer(self, text: str):  # type: ignore[no-untyped-def]
            passes.append(len(text))
            for match in self.pattern.finditer(text):
                matches.append(match.start())
                yield match

    def counting(self, entries):  # type: ignore[no-untyped-def]
        real(self, entries)
        self.pattern = Counted(self.pattern)

    monkeypatch.setattr(neutrality.Names, "__init__", counting)
    write(example, "leverandoerer/zyx.yaml", "id: zyx\nname: Zyx ApS\nproducts: [Zyx]\n")
    repeats = 5000
    write(example, "tekster/behovsformidling.md",
          "---\ndocument: needs-communication\ntitle: Fælles behovsformidling\nstatus: draft\n"
          "---\n" + "Zyx Sensa Care\n" * repeats)
    found = [d for d in validate(example, today=dt.date(2026, 11, 26), use_cache=False)
             .diagnostics if d.code == "R033" and d.path == "tekster/behovsformidling.md"]
    assert len(found) == neutrality.MAX_PER_TEXT + 1
    assert f"{2 * repeats - neutrality.MAX_PER_TEXT} more times" in found[-1].message
    body = [length for length in passes if length > 2 * repeats]
    assert len(body) == 1  # the text is read once for every name together
    assert len(matches) == len(set(matches))  # and no place in it twice
