"""Organisations as the model knows them: identifying a public body, finding one in a process.

An organisation is one file, organisationer/<id>.yaml. Municipalities and regions are identified
from the reference list (by name or code), which fills the official name, the municipality code
and the region; other bodies are named as the user writes them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from copi_cli.errors import UsageError, UserError
from copi_cli.messages import Said
from copi_cli.model.identifiers import find_public_body, is_valid_cvr, similar_public_body
from copi_cli.model.vocabulary import checked
from copi_cli.model.workspace import Record, Workspace

DIRECTORY = "organisationer"
_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})


def slugify(text: str) -> str:
    """'Aarhus Kommune' -> 'aarhus-kommune'; 'Københavns Kommune' -> 'koebenhavns-kommune'."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text.translate(_DANISH))
    ascii_text = ascii_text.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:80]


class Identity(NamedTuple):
    name: str
    type: str
    municipality_code: str | None
    region_code: str | None


def identify(name: str, org_type: str | None, option: str = "--type") -> Identity:
    """Who name means: a municipality or region from the reference list, or another body.

    A name that looks like a municipality or region but is not in the list is refused (with a
    did-you-mean) rather than recorded as 'other'.
    """
    if org_type is not None:
        org_type = checked("organisation_type", org_type, option)
    body = find_public_body(name.strip())
    if body is None and org_type in (None, "municipality", "region"):
        close = similar_public_body(name)
        if close or org_type or re.search(r"kommune|region", name, re.I) or name.isdigit():
            raise UsageError(
                Said("organisation.not-public-body", name=name),
                hint=Said("organisation.not-public-body-close", close=close, option=option)
                if close else Said("organisation.not-public-body-hint", option=option))
    if body is None:
        return Identity(name.strip(), org_type or "other", None, None)
    if org_type and org_type != body.type:
        raise UserError(Said("organisation.type-differs", name=body.official_name, type=body.type,
                             given=org_type),
                        hint=Said("organisation.type-differs-hint", option=option, type=body.type))
    return Identity(body.official_name, body.type,
                    body.code if body.type == "municipality" else None, body.region_code)


def check_cvr(cvr: str | None) -> str | None:
    if cvr is None:
        return None
    cvr = cvr.replace(" ", "")
    if not is_valid_cvr(cvr):
        raise UsageError(Said("organisation.cvr-invalid", cvr=cvr),
                         hint=Said("organisation.cvr-invalid-hint"))
    return cvr


def find(ws: Workspace, reference: str, what: Said | None = None) -> Record:
    """An organisation by id, name, municipality/region code, or what people type for them
    (copi_cli.model.lookup: Danish letters or ASCII, unambiguous prefixes)."""
    from copi_cli.model.lookup import resolve

    records = ws.all("organisation", valid_only=False)
    wanted = reference.strip()
    for record in records:
        if wanted and wanted == str(record.data.get("municipality_code", "")):
            return record
    body = find_public_body(reference)
    if body is not None:
        for record in records:
            if record.data.get("name") == body.official_name:
                return record
    return resolve(records, lambda r: (str(r.id), str(r.data.get("name", ""))),
                   lambda r: f"{r.id} ({r.data.get('name', '')})", reference,
                   what or Said("lookup.what.organisation"), Said("lookup.list.organisations"),
                   lambda r: str(r.id))


def is_facilitator(organisation: Mapping[str, Any], facilitator: Mapping[str, Any] | None
                   ) -> bool:
    """Whether an organisation is the process's facilitator: its role says so, or it is the
    organisation copi.yaml names as facilitator (CO-PI recorded as a scaling partner is still
    CO-PI). The facilitator runs the process: it is shown as facilitator, never counted or
    listed as a partner. A need owner stays a need owner."""
    role = organisation.get("role")
    if role == "facilitator":
        return True
    name = (facilitator or {}).get("organisation")
    return (role != "need-owner" and isinstance(name, str)
            and _same_name(organisation.get("name"), name))


def _same_name(one: object, other: str) -> bool:
    return isinstance(one, str) and " ".join(one.split()).casefold() == " ".join(
        other.split()).casefold()


# What people type in a form's evidence field when they have none yet. The method asks for
# backing the need owner can document; a placeholder documents nothing, so it does not count
# (the gate and R028 treat it as no evidence). The schema already refuses blank evidence.
EVIDENCE_PLACEHOLDERS = frozenset({
    "n/a", "na", "n.a.", "-", "--", "—", "–", "?", "tbd", "tba", "todo", "xx", "xxx", "x",
    "none", "ingen", "mangler", "følger", "kommer", "...", "…", "evidence", "dokumentation",
})


def is_placeholder(value: object) -> bool:
    """Evidence that is text but documents nothing ('n/a', 'TBD', 'xx', '-')."""
    return isinstance(value, str) and (
        " ".join(value.split()).casefold() in EVIDENCE_PLACEHOLDERS or not value.strip())


def has_evidence(backing: object) -> bool:
    """A backing level with evidence that points somewhere: not missing, blank or a
    placeholder."""
    evidence = backing.get("evidence") if isinstance(backing, Mapping) else None
    return isinstance(evidence, str) and not is_placeholder(evidence)
