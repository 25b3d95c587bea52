"""Which events are activities of the market dialogue, and whether one was open to all.

The method's phase 4: "Markedsdialogerne består typisk af mindst en leverandørkonference og flere
1:1-møder"; the legal frame (practice.md: udbudsloven § 39, directive 2014/24/EU art. 40) asks
that each activity is announced and open to every interested supplier. The gate, the rules and
the market dialogue report all ask these two questions here, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Kinds that are always an activity with the market: a supplier conference, an information
# meeting (open or not: a closed one is a finding, R027). A workshop is one only when it was
# announced and recorded open to all suppliers (`open: true`); a matchmaking
# is between public buyers and a launch is phase 6's.
MARKET_KINDS = ("supplier-conference", "information-meeting")
OPEN_WHEN_ANNOUNCED = ("workshop",)


def is_open(event: Mapping[str, Any]) -> bool:
    """Announced, and recorded open to all (`open: true`): every interested supplier could
    come. practice.md asks to "record how and when each dialogue activity was announced and
    that it was open to all", so an announcement says nothing about who was invited unless it
    says so: a workshop announced by direct invitation to two suppliers is no open activity,
    and neither is a supplier conference or information meeting whose announcement leaves
    `open` out (R027 asks for it)."""
    announced = event.get("announced")
    return isinstance(announced, Mapping) and announced.get("open") is True


def is_market_activity(event: Mapping[str, Any]) -> bool:
    kind = event.get("kind")
    return kind in MARKET_KINDS or (kind in OPEN_WHEN_ANNOUNCED and is_open(event))
