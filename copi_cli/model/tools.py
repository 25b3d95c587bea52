"""The four tools of the method (data/tools.yaml): worksheets whose answers live in the workspace.

A tool is a list of questions (fields with a type, Danish and English words, where copi finds an
answer already). Its answers are one YAML file per process, or per need owner for management
anchoring, under vaerktoejer/. The print version (copi_cli.tools.worksheets), the digital form
(copi_cli.tools.forms), the import of a filled-in form, the validation rules and the gate of phase 4
all read the definitions from here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from copi_cli.errors import UsageError
from copi_cli.messages import Said
from copi_cli.resources import load_data

if TYPE_CHECKING:  # for annotations only: the tools' definitions load without the workspace
    from copi_cli.model.workspace import Record, Workspace

FIELD_TYPES = ("text", "textarea", "date", "number", "yes-no", "choice", "list")
# Answers are plain text: a tag means HTML pasted in, or someone trying it on.
# A tag is <name …> or </name>, the name followed by a space, / or >: "Louise <lb@x.dk>",
# "<https://udbud.dk>" and "pris<ca. 5 mio>" are text.
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>|<!--|<!\[CDATA\[|<!DOCTYPE",
                     re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85]")


class Feed(NamedTuple):
    """Where each line of a list answer becomes a record (copi tool apply)."""

    file: str  # the record file, relative to the process
    list: str  # its top-level list
    text: str  # the entry's key that holds the line
    set: dict[str, str]  # values every new entry gets (an insight's source)
    kind: str | None = None  # a vocabulary group whose label may open the line ("Lovgivning: …")
    default: str | None = None  # the kind of a line without one
    dated: bool = False  # the entry takes the answers' date


class Field(NamedTuple):
    key: str
    type: str
    label: dict[str, str]
    help: dict[str, str] | None
    section: dict[str, str] | None  # a new section starts at this field
    required: bool
    prefill: str | None
    choices: tuple[dict[str, str], ...]
    expected: Any = None  # the answer a gate needs (None: any answer)
    feeds: Feed | None = None  # the records its lines become (copi tool apply)
    phases: tuple[str, ...] | None = None  # asked only in these phases (None: in every one)
    # who is asked: None every need owner; "early-owners" only the first and the need owners
    # already in the process when the phase began, not one joining in it
    audience: str | None = None

    def choice_values(self) -> list[str]:
        return [c["value"] for c in self.choices]

    def asked_in(self, phase: str) -> bool:
        return self.phases is None or phase in self.phases


class Tool(NamedTuple):
    id: str
    danish_id: str
    name: dict[str, str]
    phases: tuple[str, ...]
    per_owner: bool
    file: str
    intro: dict[str, str]
    fields: tuple[Field, ...]

    def path(self, owner: str | None = None) -> str:
        """Where the answers live, relative to the process directory."""
        if self.per_owner and not owner:
            raise UsageError(Said("tool.per-owner", tool=self.danish_id),
                             hint=Said("tool.per-owner-hint"))
        return self.file.format(owner=owner or "")

    def field(self, key: str) -> Field | None:
        return next((f for f in self.fields if f.key == key), None)

    @property
    def per_phase(self) -> bool:
        """Whether some questions belong to one phase (management anchoring asks in each
        phase what that phase needs of management)."""
        return any(f.phases is not None for f in self.fields)

    def fields_for(self, phase: str, newcomer: bool = False) -> tuple[Field, ...]:
        """The questions the tool asks in phase, of a need owner joining in it (newcomer) or
        of one already in the process; a section begun by a question left out begins at the
        next one."""
        asked: list[Field] = []
        section = None
        for f in self.fields:
            if not f.asked_in(phase):
                continue
            if newcomer and f.audience == "early-owners":
                section = f.section or section
                continue
            if section is not None and f.section is None:
                f = f._replace(section=section)
            section = None
            asked.append(f)
        return tuple(asked)


@cache
def load_tools() -> tuple[Tool, ...]:
    return tuple(
        Tool(entry["id"], entry["danish_id"], entry["name"], tuple(entry["phases"]),
             entry["per_owner"], entry["file"], entry["intro"],
             tuple(Field(f["key"], f["type"], f["label"], f.get("help"), f.get("section"),
                         f.get("required", False), f.get("prefill"),
                         tuple(f.get("choices", ())), f.get("expected"),
                         _feed(f.get("feeds")),
                         tuple(f["phases"]) if "phases" in f else None, f.get("audience"))
                   for f in entry["fields"]))
        for entry in load_data("tools.yaml")["tools"]
    )


def _feed(entry: dict | None) -> Feed | None:
    if not entry:
        return None
    return Feed(entry["file"], entry["list"], entry["text"], dict(entry.get("set", {})),
                entry.get("kind"), entry.get("default"), bool(entry.get("dated", False)))


def find_tool(name: str) -> Tool:
    """A tool by its Danish name or English id (planlaegning, planning …)."""
    wanted = name.strip().lower()
    for tool in load_tools():
        if wanted in (tool.id, tool.danish_id):
            return tool
    raise UsageError(Said("tool.unknown", name=name), hint=Said(
        "tool.unknown-hint", tools=", ".join(f"{t.danish_id} ({t.id})" for t in load_tools())))


def tool_of_file(rel: str) -> tuple[Tool, str | None] | None:
    """The tool (and need owner) whose answers belong at rel, or None."""
    for tool in load_tools():
        pattern = re.escape(tool.file).replace(re.escape("{owner}"), r"(?P<owner>[^/]+)")
        match = re.fullmatch(pattern, rel)
        if match:
            return tool, match.groupdict().get("owner")
    return None


# --- what copi knows already ------------------------------------------------------------------

def _dig(data: Any, path: list[str]) -> Any:
    for step in path:
        if not isinstance(data, dict):
            return None
        data = data.get(step)
    return data


def prefilled(tool: Tool, process: dict, owner: dict | None,
              answers: dict | None) -> dict[str, Any]:
    """Every answer known: the tool's answer file first, then what the records say."""
    known: dict[str, Any] = {}
    sources = {"process": process, "owner": owner or {}}
    for field in tool.fields:
        if answers and answers.get(field.key) not in (None, "", []):
            known[field.key] = answers[field.key]
        elif field.prefill:
            head, *rest = field.prefill.split(".")
            value = _dig(sources.get(head), rest)
            if value not in (None, "", []):
                known[field.key] = value
    return known


# --- checking answers -------------------------------------------------------------------------

class Problem(NamedTuple):
    where: tuple  # the path inside the answer file
    code: str
    message: str
    hint: str | None
    at_key: bool = False  # point at the key (an unknown question), not at its value


def answer_problems(tool: Tool, answers: Any) -> Iterator[Problem]:
    """Unknown questions, answers of the wrong type, markup in answers."""
    import difflib

    if not isinstance(answers, dict):
        return
    keys = [f.key for f in tool.fields]
    for key, value in answers.items():
        where = ("answers", key)
        field = tool.field(key)
        if field is None:
            close = difflib.get_close_matches(str(key), keys, n=1)
            yield Problem(where, "R023", Said("tool.no-question", tool=tool.danish_id, key=key),
                          Said("tool.no-question-close", close=close[0], keys=", ".join(keys))
                          if close else Said("tool.no-question-hint", keys=", ".join(keys)),
                          at_key=True)
            continue
        if value is None:
            continue
        wrong = _wrong_type(field, value)
        if wrong:
            yield Problem(where, "R023", Said("tool.answer-wrong", key=key, wrong=wrong),
                          _type_hint(field))
            continue
        for text in [value] if isinstance(value, str) else (
                value if isinstance(value, list) else []):
            markup = _MARKUP.search(text) if isinstance(text, str) else None
            if markup:
                yield Problem(where, "R024", Said("tool.answer-html", key=key,
                                                    markup=markup.group(0)[:30]),
                              Said("tool.answer-html-hint"))
                break
            if isinstance(text, str) and _CONTROL.search(text):
                yield Problem(where, "R024", Said("tool.answer-control", key=key),
                              Said("tool.answer-control-hint"))
                break


def _wrong_type(field: Field, value: Any) -> str | None:
    kind = field.type
    if kind in ("text", "textarea"):
        return None if isinstance(value, str) else Said("tool.expected-text",
                                                         value=_shown(value))
    if kind == "list":
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return None
        return Said("tool.expected-list", value=_shown(value))
    if kind == "yes-no":
        return None if isinstance(value, bool) else Said("tool.expected-yes-no",
                                                          value=_shown(value))
    if kind == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return None if ok else Said("tool.expected-number", value=_shown(value))
    if kind == "choice":
        return None if value in field.choice_values() else Said("tool.not-a-choice",
                                                                value=_shown(value))
    if kind == "date":
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return Said("tool.expected-date", value=_shown(value))
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return Said("tool.not-a-date", value=value)
        if not 1990 <= day.year <= 2100:
            return Said("tool.year-unlikely", value=value, year=day.year)
    return None


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _type_hint(field: Field) -> str:
    hints = {
        "text": Said("tool.type-hint.text"),
        "textarea": Said("tool.type-hint.textarea"),
        "list": Said("tool.type-hint.list"),
        "yes-no": Said("tool.type-hint.yes-no"),
        "number": Said("tool.type-hint.number"),
        "date": Said("tool.type-hint.date"),
        "choice": Said("tool.type-hint.choice", choices=", ".join(field.choice_values())),
    }
    return hints[field.type]


def _blank(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return all(_blank(item) for item in value)
    return value is None


def unanswered(tool: Tool, answers: dict | None) -> list[Field]:
    """The required questions without an answer (a gate or a document waits for them); an
    answer of only spaces is none."""
    answers = answers or {}
    return [f for f in tool.fields if f.required and _blank(answers.get(f.key))]


def unmet(tool: Tool, answers: dict | None) -> list[Field]:
    """Answered questions whose answer is not the one a gate needs (a dialogue plan without
    the same information for all)."""
    answers = answers or {}
    return [f for f in tool.fields if f.expected is not None and not _blank(answers.get(f.key))
            and answers.get(f.key) != f.expected]


# --- one tool, filled in as far as copi knows ------------------------------------------------

def need_owner(record: Record) -> None:
    """Management anchoring is a need owner's: a partner does not back the process as buyer."""
    if record.data.get("role") != "need-owner":
        raise UsageError(Said("tool.not-need-owner", name=record.data.get("name"),
                              role=record.data.get("role")),
                         hint=Said("tool.not-need-owner-hint"))


def answers_of(ws: Workspace, tool: Tool, owner: str | None) -> dict | None:
    """The answers recorded for the tool (and need owner), or None."""
    path = tool.path(owner)
    for kind in ("tool-answers", "anchoring"):
        for record in ws.all(kind):
            if record.path == path:
                return record.data
    return None


def phase_of_sheet(ws: Workspace, tool: Tool, phase: str | None) -> str:
    """The phase whose questions a worksheet asks: the one named, else the process's own when
    the tool belongs to it, else the tool's first."""
    from copi_cli.model.catalogue import load_catalogue

    catalogue = load_catalogue()
    if phase is not None:
        try:
            chosen = catalogue.phase(phase.strip().lower()).id
        except KeyError:
            raise UsageError(Said("tool.phase-unknown", phase=phase),
                             hint=Said("tool.phase-unknown-hint",
                                       phases=", ".join(catalogue.phase_ids))) from None
        if chosen not in tool.phases:
            raise UsageError(Said("tool.not-of-phase", tool=tool.danish_id, phase=phase),
                             hint=Said("tool.not-of-phase-hint", phases=", ".join(
                                 str(catalogue.phase(p).number) for p in tool.phases)))
        return chosen
    current = ws.process.get("phase")
    return current if current in tool.phases else tool.phases[0]


def joins_in(ws: Workspace, owner: dict, phase: str) -> bool:
    """Whether a need owner joins the process in phase: it is not the first need owner and
    joined on or after the day the phase was last entered. The method asks some things only
    of "den første behovsejer og andre tidlige behovsejere" (phase 2)."""
    if owner.get("id") == ws.process.get("first_need_owner"):
        return False
    entered = [str(entry.get("date")) for entry in ws.process.get("history", [])
               if isinstance(entry, dict) and entry.get("to") == phase
               and entry.get("action") in ("init", "advance", "revisit")]
    joined = str(owner.get("joined") or "")
    return bool(entered and joined) and joined >= entered[-1]


def sheet(ws: Workspace, tool: Tool, owner_id: str | None, lang: str,
          phase: str | None = None) -> dict[str, Any]:
    """What a worksheet or a form shows: the tool's words in lang, the questions of the phase
    (the process's current phase unless one is named), and every answer known. Answers to
    questions of other phases are kept, so that answering this phase's loses none."""
    from copi_cli.model.catalogue import load_catalogue
    from copi_cli.model.organisations import find

    owner = find(ws, owner_id, Said("lookup.what.need-owner")) if owner_id else None
    if owner is not None:
        need_owner(owner)
    if tool.per_owner and owner is None:
        raise UsageError(Said("tool.per-owner", tool=tool.danish_id),
                         hint=Said("tool.per-owner-example", owner=next(
                             (r.id for r in ws.need_owners() if r.id), "aarhus-kommune")))
    if owner is not None and not tool.per_owner:
        raise UsageError(Said("tool.once", tool=tool.danish_id), hint=Said("tool.once-hint"))
    recorded = answers_of(ws, tool, owner.id if owner else None)
    known = prefilled(tool, ws.process, owner.data if owner else None,
                      (recorded or {}).get("answers"))
    chosen = phase_of_sheet(ws, tool, phase)
    asked = tool.fields_for(chosen, owner is not None and joins_in(ws, owner.data, chosen))
    fields = [{
        "key": f.key, "type": f.type, "label": f.label[lang],
        "help": f.help[lang] if f.help else None,
        "section": f.section[lang] if f.section else None, "required": f.required,
        "value": known.get(f.key),
        "choices": [{"value": c["value"], "label": c[lang]} for c in f.choices],
    } for f in asked]
    shown = {f.key for f in asked}
    answers = (recorded or {}).get("answers")
    kept = {key: value for key, value in answers.items() if key not in shown
            and tool.field(key) is not None} if isinstance(answers, dict) else {}
    step = load_catalogue().phase(chosen)
    return {
        "tool": {"id": tool.id, "danish_id": tool.danish_id, "name": tool.name[lang],
                 "intro": tool.intro[lang]},
        "process": {"id": ws.process.get("id"), "title": ws.process.get("title")},
        "owner": {"id": owner.id, "name": owner.data.get("name")} if owner else None,
        "fields": fields,
        "kept": kept,  # answers to the questions of other phases, saved with these
        "phase": {"number": step.number, "id": step.id, "name": step.name[lang]}
        if tool.per_phase else None,
        "answered": (recorded or {}).get("date"),
        # the saved answers' name; printed and digital versions are named vaerktoej-… (tool-…
        # in English), so they never overwrite a document of the same subject in build/
        "file_stem": tool.danish_id + (f"-{owner.id}" if owner else ""),
        "output_stem": ("vaerktoej-" + tool.danish_id if lang == "da" else "tool-" + tool.id)
        + (f"-{owner.id}" if owner else ""),
    }
