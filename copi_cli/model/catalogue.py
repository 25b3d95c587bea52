"""The phase catalogue (data/phases.yaml) as typed values.

Status, validation, the lifecycle and rendering read phases, results and tools from here only.
"""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

from copi_cli.messages import Worded, in_language, message
from copi_cli.resources import load_data


class Result(NamedTuple):
    id: str
    text: dict[str, str]
    check: dict[str, Any]

    @property
    def check_name(self) -> str:
        return self.check["name"]


class Tool(NamedTuple):
    id: str
    danish_id: str
    name: dict[str, str]


class Phase(NamedTuple):
    id: str
    number: int
    name: dict[str, str]
    summary: dict[str, str]
    results: tuple[Result, ...]
    need_owners: tuple[dict[str, str], ...]
    facilitator: tuple[dict[str, str], ...]
    tools: tuple[str, ...]
    asks: tuple[dict[str, str], ...] = ()  # what an invitation asks of a new need owner
    standing: tuple[Result, ...] = ()  # results that stand in this phase as in others

    def title(self, lang: str) -> str:
        return f"{self.number}. {self.name[lang]}"

    @property
    def gate(self) -> tuple[Result, ...]:
        """Everything that must hold to leave the phase: its own results, then the standing
        ones (backing from every need owner, whenever it joined)."""
        return self.results + self.standing


class Catalogue(NamedTuple):
    phases: tuple[Phase, ...]
    tools: dict[str, Tool]

    def phase(self, key: str | int) -> Phase:
        for phase in self.phases:
            if key in (phase.id, phase.number, str(phase.number)):
                return phase
        raise KeyError(key)

    @property
    def phase_ids(self) -> list[str]:
        return [phase.id for phase in self.phases]

    def result_ids(self) -> dict[str, Phase]:
        return {result.id: phase for phase in self.phases for result in phase.results}


@cache
def load_catalogue() -> Catalogue:
    raw = load_data("phases.yaml")
    tools = {
        entry["id"]: Tool(entry["id"], entry["danish_id"], entry["name"])
        for entry in load_data("tools.yaml")["tools"]
    }
    order = [entry["id"] for entry in raw["phases"]]
    standing = [(order.index(r["from"]), Result(r["id"], r["text"], r["check"]))
                for r in raw.get("standing", [])]
    phases = tuple(
        Phase(
            id=entry["id"],
            number=entry["number"],
            name=entry["name"],
            summary=entry["summary"],
            results=tuple(Result(r["id"], r["text"], r["check"]) for r in entry["results"]),
            need_owners=tuple(entry["need_owners"]),
            facilitator=tuple(entry["facilitator"]),
            tools=tuple(entry["tools"]),
            asks=tuple(entry.get("asks", ())),
            standing=tuple(result for start, result in standing if index >= start),
        )
        for index, entry in enumerate(raw["phases"])
    )
    return Catalogue(phases, tools)


def to_markdown(lang: str = "en") -> str:
    """The catalogue as Markdown, for README.md (kept in sync by a test)."""
    catalogue = load_catalogue()
    say = in_language(lang)
    lines: list[str] = []
    for phase in catalogue.phases:
        other = "da" if lang == "en" else "en"
        lines += [f"#### {phase.number}. {phase.name[lang]} [{phase.name[other]}] — `{phase.id}`",
                  "", phase.summary[lang], "", f"*{say('catalogue.results')}*", ""]
        lines += [f"- {r.text[lang]} — `{r.id}` ({r.check_name})" for r in phase.gate]
        lines += ["", f"*{say('catalogue.need-owners')}*", ""]
        lines += [f"- {i[lang]}" for i in phase.need_owners]
        if phase.asks:
            lines += ["", f"*{say('catalogue.asks')}*", ""]
            lines += [f"- {i[lang]}" for i in phase.asks]
        lines += ["", f"*{say('catalogue.facilitator')}*", ""]
        lines += [f"- {i[lang]}" for i in phase.facilitator]
        tools = ", ".join(f"{catalogue.tools[t].name[lang]} (`{catalogue.tools[t].danish_id}`)"
                          for t in phase.tools)
        lines += ["", f"*{say('catalogue.tools')}*: {tools}", ""]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":  # python -m copi_cli.model.catalogue > phases.md
    import sys

    sys.stdout.write(to_markdown(sys.argv[1] if len(sys.argv) > 1 else "en"))


def phase_as_typed(key: str | None) -> str:
    """A phase in a message: its id in English (as the files and JSON hold it), "fase N" in
    Danish, where the English id would stand out; "–" for none (before the process began)."""
    if key is None:
        return "–"
    try:
        number = load_catalogue().phase(key).number
    except KeyError:  # a phase copi does not know, written by hand: as it is
        return key
    return Worded({"en": key, "da": message("phase.numbered", "da", number=number)})

