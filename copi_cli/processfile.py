"""Writing a phase transition into copi.yaml without disturbing anything else in it.

copi.yaml is edited by people too (comments, order, quoting), so copi does not re-emit the file:
it replaces the `phase:` value in place and appends one item to the `history:` list, at the
positions the YAML parser reports, and checks the result reads back as intended.
"""

from __future__ import annotations

import json
import re
from typing import NamedTuple

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from copi_cli.errors import UserError
from copi_cli.yamlsource import CopiLoader, parse_yaml


class Transition(NamedTuple):
    """One change of phase, as recorded in copi.yaml's history and in the commit's trailers."""

    date: str
    from_phase: str | None
    to_phase: str
    action: str  # init | advance | revisit
    actor: str
    reason: str | None = None
    forced: bool = False

    def as_history_entry(self) -> dict:
        entry: dict = {"date": self.date, "from": self.from_phase, "to": self.to_phase,
                       "action": self.action, "actor": self.actor}
        if self.reason:
            entry["reason"] = self.reason
        if self.forced:
            entry["forced"] = True
        return entry


PLAIN = re.compile(r"^[a-z][a-z0-9-]*$")


def _scalar(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if PLAIN.match(text) and text not in ("null", "true", "false"):
        return text  # phase ids and actions, written as copi init writes them
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def _last_leaf(node: Node) -> Node:
    while isinstance(node, MappingNode | SequenceNode) and node.value:
        node = node.value[-1][1] if isinstance(node, MappingNode) else node.value[-1]
    return node


def append_transition(text: str, transition: Transition) -> str:
    """copi.yaml's text with the phase set and the transition appended to the history."""
    try:
        root = yaml.compose(text, Loader=CopiLoader)
    except yaml.YAMLError as exc:
        raise UserError(f"copi.yaml cannot be read: {exc}", hint="run copi validate") from exc
    if not isinstance(root, MappingNode):
        raise UserError("copi.yaml is not a mapping", hint="run copi validate")
    nodes = {key.value: value for key, value in root.value if isinstance(key, ScalarNode)}
    phase, history = nodes.get("phase"), nodes.get("history")
    if not isinstance(phase, ScalarNode) or not isinstance(history, SequenceNode):
        raise UserError("copi.yaml has no phase or no history list", hint="run copi validate")
    if phase.value != transition.from_phase:
        from copi_cli.errors import EnvironmentProblem

        raise EnvironmentProblem(f"another copi moved the process to {phase.value} meanwhile",
                                 hint="run copi status and decide again")
    if history.flow_style or not history.value:
        raise UserError("copi.yaml's history is not a list of one entry per line",
                        hint="write history as a block list ('- date: …' items), as copi "
                             "init does")
    indent = " " * history.start_mark.column
    lines = []
    for number, (key, value) in enumerate(transition.as_history_entry().items()):
        lead = f"{indent}- " if number == 0 else f"{indent}  "
        lines.append(f"{lead}{key}: {_scalar(value)}\n")
    item = "".join(lines)
    # Insert after the last item: at the start of the line after its last value ends.
    end = _last_leaf(history.value[-1]).end_mark.index
    newline = text.find("\n", end - 1 if end and text[end - 1] == "\n" else end)
    insert_at = len(text) if newline == -1 else newline + 1
    if insert_at == len(text) and not text.endswith("\n"):
        text += "\n"
        insert_at = len(text)
    edited = text[:insert_at] + item + text[insert_at:]
    # Replace the phase value last: it may lie before the history, shifting positions.
    shift = len(item) if phase.start_mark.index > insert_at else 0
    start, stop = phase.start_mark.index + shift, phase.end_mark.index + shift
    edited = edited[:start] + transition.to_phase + edited[stop:]
    _check(edited, transition)
    return edited


def _check(edited: str, transition: Transition) -> None:
    parsed = parse_yaml(edited, "copi.yaml")
    data = parsed.data
    ok = (isinstance(data, dict) and not parsed.diagnostics
          and data.get("phase") == transition.to_phase
          and isinstance(data.get("history"), list)
          and data["history"][-1] == transition.as_history_entry())
    if not ok:
        raise UserError("copi could not write the transition into copi.yaml safely",
                        hint="check the layout of phase and history in copi.yaml (run copi "
                             "validate); nothing was changed")
