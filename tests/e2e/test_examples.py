"""Every directory under examples/ is a valid process whose status can be shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO

EXAMPLES = sorted(p for p in (REPO / "examples").iterdir() if p.is_dir())


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_validates_without_findings(copi, example: Path) -> None:
    run = copi("validate", "--no-cache", "--dir", str(example))
    assert run.code == 0 and run.out == "", run.out


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_status(copi, example: Path) -> None:
    run = copi("status", "--dir", str(example))
    assert run.code == 0, run.err


def test_the_example_reaches_the_market_dialogue() -> None:
    import yaml

    config = yaml.safe_load((REPO / "examples/faerre-fald/copi.yaml").read_text())
    assert config["phase"] == "market-dialogue"
