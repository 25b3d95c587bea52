"""Located findings: the unit of output of validation, status checks and (later) gates.

A Diagnostic points at a file, line and column so editors and CI annotators can jump there. Codes
are stable: tools and people filter on them, and README.md documents each one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, NamedTuple

from copi_cli.cpr import mask
from copi_cli.messages import Said, Worded

Severity = Literal["error", "warning"]

# code -> (severity, what it means). The README table is checked against this in the tests.
CODES: dict[str, tuple[Severity, str]] = {
    # Y: reading the file
    "Y001": ("error", "YAML syntax error"),
    "Y002": ("error", "duplicate key in a mapping"),
    "Y003": ("error", "aliases expand beyond a sane size, or refer to themselves"),
    "Y004": ("error", "the file is empty or not a mapping"),
    "Y005": ("error", "the file cannot be read: not UTF-8, unreadable, a symbolic link, or not "
                      "a regular file"),
    "Y006": ("error", "Markdown file without valid YAML front matter"),
    "Y007": ("error", "the file goes beyond copi's limits: size, nesting, keys, values, "
                      "digits, a text's length"),
    "Y008": ("error", "an explicit YAML tag copi does not read, one that does not fit its "
                      "value, or a number that is not finite (.nan, .inf, 1e400)"),
    "Y009": ("error", "a control character or other non-text character, written as an escape "
                      "in quotes"),
    # S: the JSON schema of the file kind
    "S001": ("error", "unknown key"),
    "S002": ("error", "missing required key"),
    "S003": ("error", "wrong type"),
    "S004": ("error", "value not allowed (enumeration, pattern, format or range)"),
    "S005": ("error", "list or text of the wrong size"),
    # W: the workspace as a whole
    "W001": ("warning", "file that copi does not know in a process directory"),
    "W002": ("error", "record id does not match its file name"),
    # R: domain rules
    "R001": ("error", "duplicate id"),
    "R002": ("error", "reference to a record that does not exist"),
    "R003": ("error", "impossible date"),
    "R004": ("error", "dates out of order"),
    "R005": ("error", "invalid CVR number (modulus-11 check)"),
    "R006": ("error", "unknown municipality or region code"),
    "R007": ("error", "code, name or region disagrees with the reference list"),
    "R008": ("error", "only a need owner can sign the declaration as a buyer"),
    "R009": ("warning", "signatory joined the process late"),
    "R010": ("error", "phase history does not lead to the current phase"),
    "R011": ("warning", "fewer need owners than the process's minimum"),
    "R012": ("error", "a withdrawn organisation cannot sign"),
    "R013": ("warning", "1:1 meeting without an open, announced dialogue activity"),
    "R014": ("warning", "date lies in the future"),
    "R015": ("warning", "referenced file does not exist"),
    "R016": ("error", "path leaves the process directory"),
    "R017": ("warning", "material shown to one supplier is not published to all"),
    "R018": ("warning", "answered question not published to all"),
    "R019": ("warning", "published question reveals the supplier that asked"),
    "R020": ("warning", "contact details kept past their retention date"),
    "R021": ("warning", "a supplier's prior involvement is not shared with all"),
    "R022": ("error", "confidential names a field the record does not have"),
    "R023": ("error", "an answer to a tool that is not one of its questions, or of the wrong type"),
    "R024": ("error", "an answer to a tool contains HTML"),
    "R025": ("error", "a tool's answers are not in the tool's answer file"),
    "R026": ("warning", "copi's starter guidance is still in the process"),
    "R027": ("warning", "a market dialogue activity not announced or not open to all suppliers"),
    "R028": ("warning", "a need owner without political and administrative backing with "
                        "evidence"),
    "R030": ("warning", "a business case without a horizon"),
    "R031": ("warning", "contact without a retention date or a legal basis"),
    "R032": ("warning", "a number like a CPR number in the process"),
    "R033": ("warning", "a need text names a registered supplier or its product"),
    "R034": ("warning", "a business case figure outside its horizon"),
    "R035": ("warning", "a signatory of the declaration has no business case"),
    "R036": ("error", "a business case figure that cannot be discounted (no base year, or "
                      "before it)"),
    "R037": ("warning", "the price year of a business case differs from its base year"),
    "R038": ("warning", "a withdrawn need owner still has planned purchases (not counted)"),
    "R039": ("warning", "public documents that need a contact, and the facilitator has no "
                        "public_contact"),
    # G: the gate of the current phase (copi gate)
    "G001": ("warning", "a result of the current phase does not hold yet"),
    # A: the audit trail (copi audit)
    "A001": ("error", "history entry without a transition commit"),
    "A002": ("error", "transition commit without a history entry"),
    "A003": ("error", "history entry disagrees with its commit"),
    "A004": ("error", "transition tag missing"),
    "A005": ("error", "transition tag moved"),
    "A006": ("error", "transition commit not signed"),
    "A007": ("warning", "gate forced"),
    "A008": ("error", "transition tag without a history entry"),
    "A009": ("warning", "a move made in parallel in two clones and merged"),
    "A010": ("error", "two history entries leave the same phase (parallel transitions kept)"),
    "A011": ("error", "a published file differs from its publication rendered again"),
    "A012": ("error", "a publication's commit is not in the history"),
    "A013": ("error", "a publication's date is before its commit or after it was recorded"),
    "A014": ("error", "publikationer.yaml changed outside copi publish (edited by hand)"),
    "A015": ("error", "a transition dated after the day it was committed"),
    "A016": ("warning", "a transition dated earlier than its commit (recorded afterwards with "
                        "--date)"),
    "A017": ("error", "a transition dated before the transition before it"),
}


class _Finding(NamedTuple):

    path: str  # relative to the process root, with forward slashes
    line: int  # 1-based; 1 when the finding concerns the whole file
    col: int  # 1-based
    code: str
    message: str
    hint: str | None = None
    severity: Severity | None = None  # None: the code's default


class Diagnostic(_Finding):
    """One finding: where, what, and what to do about it. Its message and hint never show a
    CPR-like number (masked as xxxxxx-xxxx), whichever rule or schema check quotes a value: the
    one place every finding passes before a terminal, a CI log or a SARIF file."""

    __slots__ = ()

    def __new__(cls, path: str, line: int, col: int, code: str, message: str,
                hint: str | None = None, severity: Severity | None = None) -> Diagnostic:
        return super().__new__(cls, path, line, col, code, _masked(message),
                               None if hint is None else _masked(hint), severity)

    @classmethod
    def _make(cls, iterable: Iterable[Any]) -> Diagnostic:  # type: ignore[override]
        return cls(*iterable)

    @property
    def level(self) -> Severity:
        return self.severity or CODES[self.code][0]

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.col, self.code)

    def as_dict(self) -> dict[str, object]:
        """The finding as JSON output shows it: message and hint as English text."""
        return {"path": self.path, "line": self.line, "col": self.col, "code": self.code,
                "message": self.message, "hint": self.hint, "severity": self.level}

    def as_data(self) -> dict[str, object]:
        """The finding as the validation cache keeps it: a catalogue message as its id and
        values (data, never code), so a finding read back can still be said in Danish."""
        return {**self.as_dict(), "message": _as_data(self.message),
                "hint": _as_data(self.hint)}

    def format_text(self) -> str:
        """``path:line:col: CODE message`` — the format editors and CI annotators parse."""
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"

    @classmethod
    def from_dict(cls, data: dict) -> Diagnostic:
        """A finding from as_dict() or as_data()."""
        return cls(**{**data, "message": _from_data(data["message"]),
                      "hint": _from_data(data.get("hint"))})


def _masked(text: str) -> str:
    """The text with CPR-like numbers masked; a catalogue message stays one, its values
    masked, so that it can still be said in the reader's language."""
    if isinstance(text, Worded):
        return Worded({lang: mask(words) for lang, words in text.words.items()})
    if isinstance(text, Said):
        return Said(text.key, **{name: _masked(value) if isinstance(value, str) else value
                                 for name, value in text.values.items()})
    return mask(text)


def _as_data(text: object) -> object:
    """A text as JSON data: a catalogue message as {"said": id, "values": …}, values that are
    messages themselves likewise, words of copi's data as {"words": {lang: …}}; any other
    text as it is."""
    if isinstance(text, Worded):
        return {"words": text.words}
    if isinstance(text, Said):
        return {"said": text.key, "values": {name: _as_data(value)
                                             for name, value in text.values.items()}}
    return text


def _from_data(data: Any) -> Any:
    if isinstance(data, dict) and "words" in data:
        return Worded(data["words"])
    if isinstance(data, dict):
        return Said(data["said"], **{name: _from_data(value)
                                     for name, value in data["values"].items()})
    return data


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.level == "error" for d in diagnostics)


def named(data: object, fallback: str, field: str = "name") -> str:
    """What a finding calls a record: its name, or — for a record marked confidential whole
    or in that field — fallback (its id or file). Findings go to CI logs and editors, where
    a confidential need owner's or supplier's name has no business."""
    if not isinstance(data, dict):
        return fallback
    marking = data.get("confidential")
    if marking is True or (isinstance(marking, list) and field in marking):
        return fallback
    value = data.get(field)
    return value if isinstance(value, str) and value.strip() else fallback
