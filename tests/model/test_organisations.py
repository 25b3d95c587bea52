"""Who an organisation is in the process: the facilitator is never one of its partners."""

from __future__ import annotations

import pytest

from copi_cli.model.organisations import is_facilitator

FACILITATOR = {"organisation": "CO-PI", "name": "Mette Kjær"}


@pytest.mark.parametrize(("organisation", "facilitating"), [
    ({"name": "CO-PI", "role": "facilitator"}, True),
    ({"name": "Center for Offentlig-Privat Innovation", "role": "facilitator"}, True),
    # recorded as a partner, but copi.yaml names it the facilitator
    ({"name": "CO-PI", "role": "scaling-partner"}, True),
    ({"name": " co-pi ", "role": "adviser"}, True),
    ({"name": "Welfare Tech", "role": "scaling-partner"}, False),
    # a municipality that facilitates its own process stays a need owner
    ({"name": "CO-PI", "role": "need-owner"}, False),
])
def test_the_facilitator_by_role_or_by_the_name_copi_yaml_gives(
        organisation: dict, facilitating: bool) -> None:
    assert is_facilitator(organisation, FACILITATOR) is facilitating


def test_without_a_facilitator_in_copi_yaml_only_the_role_counts() -> None:
    assert not is_facilitator({"name": "CO-PI", "role": "adviser"}, None)
    assert is_facilitator({"name": "CO-PI", "role": "facilitator"}, {})
