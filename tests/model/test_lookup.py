"""Look-up by what people type: Danish letters or ASCII, prefixes, ambiguity named."""

from __future__ import annotations

import pytest

from copi_cli.errors import EXIT_USAGE, UsageError
from copi_cli.model.lookup import resolve

NAMES = ["Københavns Kommune", "Volta Maskiner ApS", "Aarhus Kommune", "Ærø Kommune"]


def find(reference: str) -> str:
    return resolve(NAMES, lambda n: (n,), str, reference, "organisation", "see the list")


@pytest.mark.parametrize("typed", ["københavns kommune", "KØBENHAVNS", "koebenhavns",
                                   "kobenhavn", "Koebenhavns-Kommune", "benhavns"])
def test_danish_letters_ascii_forms_case_and_prefixes_resolve(typed: str) -> None:
    assert find(typed) == "Københavns Kommune"


def test_a_prefix_resolves_and_the_exact_name_wins_over_a_longer_one() -> None:
    assert find("volta") == "Volta Maskiner ApS"
    assert find("aero") == "Ærø Kommune" and find("Æro") == "Ærø Kommune"
    assert resolve(["Viborg", "Viborg Kommune"], lambda n: (n,), str, "viborg", "x", "") == \
        "Viborg"


def test_an_ambiguous_reference_is_a_usage_error_naming_the_candidates() -> None:
    with pytest.raises(UsageError) as error:
        find("kommune")
    assert error.value.exit_code == EXIT_USAGE
    assert "more than one" in str(error.value)
    for name in ("Københavns Kommune", "Aarhus Kommune", "Ærø Kommune"):
        assert name in (error.value.hint or "")


def test_an_unknown_reference_keeps_the_did_you_mean() -> None:
    with pytest.raises(UsageError) as error:
        find("Volta Maskinar ApS x")
    assert "did you mean 'Volta Maskiner ApS'" in (error.value.hint or "")
