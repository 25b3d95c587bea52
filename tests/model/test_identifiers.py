"""CVR numbers and the reference list of municipalities and regions."""

from __future__ import annotations

import pytest

from copi_cli.model.identifiers import find_public_body, is_valid_cvr, public_bodies


@pytest.mark.parametrize("cvr", ["13585628", "55133018", "29190925"])
def test_valid_cvr(cvr: str) -> None:
    assert is_valid_cvr(cvr)


@pytest.mark.parametrize("cvr", ["13585627", "03585628", "1358562", "135856280", "1358562a", ""])
def test_invalid_cvr(cvr: str) -> None:
    assert not is_valid_cvr(cvr)


def test_reference_list_has_98_municipalities_and_5_regions() -> None:
    bodies = set(public_bodies().values())
    assert len([b for b in bodies if b.type == "municipality"]) == 98
    assert sorted(b.code for b in bodies if b.type == "region") == [
        "1081", "1082", "1083", "1084", "1085"]


@pytest.mark.parametrize(("query", "official"), [
    ("Aarhus Kommune", "Aarhus Kommune"),
    ("aarhus", "Aarhus Kommune"),
    ("751", "Aarhus Kommune"),
    ("0751", "Aarhus Kommune"),
    ("Københavns Kommune", "Københavns Kommune"),
    ("Bornholm", "Bornholms Regionskommune"),
    ("Region Midtjylland", "Region Midtjylland"),
])
def test_lookup(query: str, official: str) -> None:
    body = find_public_body(query)
    assert body is not None and body.official_name == official


def test_unknown_body() -> None:
    assert find_public_body("Metroselskabet") is None
