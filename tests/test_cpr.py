"""CPR-like numbers: the ways people write them, and the numbers that only look alike."""

from __future__ import annotations

import pytest

from copi_cli.cpr import cpr_like, mask


@pytest.mark.parametrize("written", [
    "150380-1234", "1503801234", "150380 1234", "150380\u20131234", "150380\u20111234",
    "150380\u00a01234", "(150380-1234).", "cpr: 2902001234"])
def test_each_way_of_writing_one_is_found_and_masked(written: str) -> None:
    assert len(cpr_like(written)) == 1
    assert mask(written).count("xxxxxx-xxxx") == 1 and "150380" not in mask(written)


@pytest.mark.parametrize("written", [
    "70 20 30 40", "86 12 34 56", "CVR 34037655", "EAN 5798000000001", "3201501234",
    "0113501234", "1.010150-1234", "12345678901", "+45 12 150380 1234", "2026-03-15 1234",
    # a SHA-256 digest as publikationer.yaml records it: ten digits inside a word by chance
    "sha256: 9f2c1503801234ab0e", "sha256: 1503801234e7", "ab150380-1234"])
def test_numbers_that_only_look_alike_are_left_alone(written: str) -> None:
    assert cpr_like(written) == [] and mask(written) == written
