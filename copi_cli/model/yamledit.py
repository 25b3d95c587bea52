"""Editing a YAML file a person may also edit, without disturbing anything else in it.

Process files are shared by hand and by copi: people keep comments, key order, quoting and
line breaks in them, and a reviewer reads copi's commits as diffs. So copi never re-emits a file
it did not create. An edit — set a value, append a list item, remove one — is spliced into the
text at the positions the YAML parser reports, touching only the lines it changes; the result is
parsed again and must equal the intended data exactly, or nothing is written.

Why not a round-trip library (ruamel.yaml): it re-emits the whole file, normalising indentation
and line wrapping far from the edit, it parses YAML 1.2 where copi reads YAML 1.1 (PyYAML, with
dates and codes kept as text), and its import would be paid by every recording command. Surgical
edits need only the node positions PyYAML already gives.

New files and new values are written in the style of copi's own templates: two-space
indentation, block lists of mappings, flow lists of plain values (`owners: [a, b]`), JSON-style
double quotes where a value would otherwise read as something else.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Sequence
from typing import Any

import yaml
from yaml.nodes import CollectionNode, MappingNode, Node, ScalarNode, SequenceNode

from copi_cli.errors import UserError
from copi_cli.messages import Said
from copi_cli.model.yamlsource import CopiLoader, parse_yaml

Key = str | int
# Plain (unquoted) text: no character that could start or end something else, in a block or
# inside [a, b] and {k: v}; anything else is written in double quotes.
_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#,\[\]{}\n]*")
# A letter, then letters, digits and a little punctuation: unless it is one of YAML 1.1's words
# for true, false and null, such text cannot read as anything but text, and no parser needs to
# confirm it.
_WORDY = re.compile(r"[^\W\d_][\w .'()/+-]*")
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


class EditError(UserError):
    """The file's layout does not allow a safe surgical edit; nothing was written."""


def inline(value: Any, flow: bool = False) -> str:
    """One value as YAML on one line, read back as exactly this value by copi's loader.

    flow: the value stands inside [a, b] or {k: v}, where a plain text may not hold what
    opens or ends a flow item ("Hvornår?]" would read as a key)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(inline(item, flow=True) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{inline(k, flow=True)}: {inline(v, flow=True)}"
                               for k, v in value.items()) + "}"
    text = str(value)
    if text[:1].isdigit():  # a date, a code or a number in YAML 1.1: quoted, no parse needed
        return json.dumps(text, ensure_ascii=False)
    if _PLAIN.fullmatch(text) and text == text.strip() and (
            (_WORDY.fullmatch(text) and text.casefold() not in _YAML11_WORDS)
            or _reads_back(text, text, flow)):
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _reads_back(written: str, value: Any, flow: bool = False) -> bool:
    """Whether copi's loader and a plain YAML 1.1 loader (an editor's, another tool's) both
    read the text as this value: dates and codes are quoted, as in copi's templates."""
    # libyaml and PyYAML's own parser differ at the edges ("a?" inside [ ]): both must agree
    loaders = {CopiLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader), yaml.SafeLoader}
    source, expected = (f"v: [{written}]\n", {"v": [value]}) if flow else (
        f"v: {written}\n", {"v": value})
    try:
        return all(yaml.load(source, Loader=loader) == expected for loader in loaders)
    except (yaml.YAMLError, ValueError, OverflowError):  # "2026-13-01": a timestamp that is not
        return False


def _is_plain_list(value: Any) -> bool:
    return isinstance(value, list) and all(
        not isinstance(item, dict | list) for item in value)


def block(value: Any, indent: int = 0) -> list[str]:
    """A mapping or list as block YAML lines (each ending in a newline) at this indentation."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            lines.extend(_entry(f"{pad}{inline(key)}:", item, indent))
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                inner = block(item, indent + 2)
                inner[0] = f"{pad}- {inner[0][indent + 2:]}"
                lines.extend(inner)
            else:
                lines.append(f"{pad}- {inline(item)}\n")
    else:
        lines.append(f"{pad}{inline(value)}\n")
    return lines


def _entry(lead: str, item: Any, indent: int) -> list[str]:
    if isinstance(item, str) and "\n" in item.rstrip("\n") and _literal_ok(item):
        chomp = "" if item.endswith("\n") else "-"
        body = [f"{' ' * (indent + 2)}{line}\n" if line else "\n"
                for line in item.rstrip("\n").split("\n")]
        return [f"{lead} |{chomp}\n", *body]
    if isinstance(item, dict | list) and item and not _is_plain_list(item):
        return [f"{lead}\n", *block(item, indent + 2)]
    return [f"{lead} {inline(item)}\n"]


def _literal_ok(text: str) -> bool:
    """A literal block keeps text as written, unless it starts with spaces or ends in several
    line breaks (those need indicators; such text is written as a quoted string instead)."""
    return (not text.startswith((" ", "\t")) and not text.endswith("\n\n")
            and "\r" not in text and "\t" not in text)


def dump(data: dict, comment: str | None = None) -> str:
    """A new file's text: an optional comment line, then the mapping in block style."""
    head = "".join(f"# {line}\n" for line in comment.splitlines()) if comment else ""
    return head + "".join(block(data))


# --- editing ---------------------------------------------------------------------------------

def _shares_nodes(root: Node) -> bool:
    """Whether an alias makes one node appear in two places (editing one would edit both)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, MappingNode):
            stack.extend(item for pair in node.value for item in pair)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return False


def _last_leaf(node: Node) -> Node:
    while isinstance(node, MappingNode | SequenceNode) and node.value:
        node = node.value[-1][1] if isinstance(node, MappingNode) else node.value[-1]
    return node


class YamlEditor:
    """Edits of one file's text; result() checks the text reads back as the intended data."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        # One pass gives the node tree (positions) and the data; the tree is reused across
        # edits for the nodes that lie before every change made so far (_valid_before).
        loader = CopiLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        except yaml.YAMLError:
            node = data = None
        finally:
            loader.dispose()
        if loader.duplicates or not isinstance(data, dict) or not isinstance(node, MappingNode):
            raise EditError(Said("edit.unreadable", path=path),
                            hint=Said("edit.unreadable-hint", path=path))
        if ("&" in text or "*" in text) and _shares_nodes(node):  # no anchor, no alias
            raise EditError(Said("edit.aliases", path=path), hint=Said("edit.aliases-hint"))
        self._node: MappingNode | None = node
        self._valid_before = len(text)
        self._fresh = True
        self.expected: dict = copy.deepcopy(data)

    # The data side: the same operation on plain data, to check the text against.

    def _data_parent(self, path: Sequence[Key]) -> Any:
        parent: Any = self.expected
        try:
            for step in path[:-1]:
                parent = parent[step]
        except (KeyError, IndexError, TypeError):
            raise EditError(Said("edit.no-parent", path=self.path,
                                 key="/".join(map(str, path[:-1]))),
                            hint=Said("edit.validate-hint", path=self.path)) from None
        return parent

    # The text side.

    def _root(self) -> MappingNode:
        if self._node is None:
            try:
                node = yaml.compose(self.text, Loader=CopiLoader)
            except yaml.YAMLError:
                node = None
            if not isinstance(node, MappingNode):  # an earlier edit went wrong: write nothing
                raise EditError(Said("edit.layout", path=self.path), hint=Said("edit.layout-hint"))
            self._node, self._valid_before, self._fresh = node, len(self.text), True
        return self._node

    def _located(self, path: Sequence[Key],
                 container_too: bool = True) -> tuple[CollectionNode, Node | None, Node | None]:
        """_find, on a tree whose positions still hold for the nodes the edit will use (the
        key and value; the container too when the edit reaches its end)."""
        try:
            found = self._find(path)
        except EditError:
            if self._fresh:  # a tree of the text as it is: the path is not there
                raise
            self._node = None  # a tree from before an edit that changed the path's shape
            return self._find(path)
        if self._fresh:  # nothing edited since the text was parsed
            return found
        used = found if container_too or found[2] is None else found[1:]
        if all(_last_leaf(n).end_mark.index < self._valid_before
               and self._after(n) < self._valid_before for n in used if n is not None):
            return found
        self._node = None
        return self._find(path)

    def _find(self, path: Sequence[Key]) -> tuple[CollectionNode, Node | None, Node | None]:
        """(container, key node, value node) of the last step; key/value None when missing."""
        node: Node = self._root()
        for number, step in enumerate(path):
            if isinstance(node, MappingNode) and isinstance(step, str):
                pair = next(((k, v) for k, v in node.value
                             if isinstance(k, ScalarNode) and k.value == step), None)
                if number == len(path) - 1:
                    return node, *(pair or (None, None))
                if pair is None:
                    raise EditError(Said("edit.no-key", path=self.path, key=step))
                node = pair[1]
            elif (isinstance(node, SequenceNode) and isinstance(step, int)
                  and -len(node.value) <= step < len(node.value)):
                if number == len(path) - 1:
                    return node, None, node.value[step]
                node = node.value[step]
            else:
                raise EditError(Said("edit.misplaced", path=self.path, key=step),
                                hint=Said("edit.validate-hint", path=self.path))
        raise AssertionError("empty path")

    def _after(self, node: Node) -> int:
        """Offset of the start of the line after node's last line."""
        end = _last_leaf(node).end_mark.index
        if end > 0 and self.text[end - 1] == "\n":  # block scalars end on the next line
            return end
        newline = self.text.find("\n", end)
        return len(self.text) if newline == -1 else newline + 1

    def _line_start(self, node: Node) -> int:
        return self.text.rfind("\n", 0, node.start_mark.index) + 1

    def _splice(self, start: int, stop: int, new: str) -> None:
        if start == len(self.text) and self.text and not self.text.endswith("\n"):
            self.text += "\n"
            start = stop = len(self.text)
        self.text = self.text[:start] + new + self.text[stop:]
        self._valid_before = min(self._valid_before, start)
        self._fresh = False

    def _one_line(self, node: Node) -> bool:
        return node.start_mark.line == node.end_mark.line

    def set(self, path: Sequence[Key], value: Any) -> None:
        """Set a mapping key (adding it at the end of its mapping when it is missing)."""
        parent = self._data_parent(path)
        container, key, current = self._located(path, container_too=False)
        if container.flow_style or key is None:
            container, key, current = self._located(path)
        if isinstance(container, SequenceNode):
            raise EditError(Said("edit.list-item", path=self.path))
        if container.flow_style:
            parent[path[-1]] = value
            self._replace_flow(container, parent)
            return
        parent[path[-1]] = value
        if key is None or current is None:
            indent = container.start_mark.column
            lines = _entry(f"{' ' * indent}{inline(path[-1])}:", value, indent)
            self._splice(self._after(container), self._after(container), "".join(lines))
            return
        simple = not isinstance(value, dict | list) or not value or _is_plain_list(value)
        # A one-line value is replaced where it stands, so a comment after it stays: plain
        # (style None in PyYAML, "" in libyaml) or quoted, and not empty (filled in below).
        if (simple and self._one_line(current) and "\n" not in str(value)
                and (not isinstance(current, ScalarNode)
                     or (current.style in (None, "", "'", '"')
                         and current.end_mark.index > current.start_mark.index))):
            self._splice(current.start_mark.index, current.end_mark.index, inline(value))
            return
        at = current.start_mark.index
        if (simple and "\n" not in str(value) and isinstance(current, ScalarNode)
                and current.style in (None, "") and current.end_mark.index == at
                and self.text[at - 1:at] == ":"):
            # `key:` or `key:  # note` (libyaml places the empty value after the colon): the
            # value goes there, a comment after it stays
            self._splice(at, at, " " + inline(value))
            return
        indent = key.start_mark.column
        lines = _entry(f"{' ' * indent}{inline(path[-1])}:", value, indent)
        start = self._line_start(key)
        if self.text[start:key.start_mark.index].strip():  # `- key:`: the dash stays
            start, lines[0] = key.start_mark.index, lines[0][indent:]
        self._splice(start, self._after(current), "".join(lines))

    def append(self, path: Sequence[Key], item: Any) -> None:
        """Append an item to the list at path (creating the list when the key is missing)."""
        parent = self._data_parent(path)
        existing = parent.get(path[-1]) if isinstance(parent, dict) else parent[path[-1]]
        if existing is None:
            self.set(path, [item])
            return
        if not isinstance(existing, list):
            raise EditError(Said("edit.not-a-list", path=self.path, key=path[-1]))
        _, _, node = self._located(path)
        if not isinstance(node, SequenceNode):
            raise EditError(Said("edit.misplaced", path=self.path, key=path[-1]))
        if node.flow_style or not node.value:
            combined = [*existing, item]
            # A one-line [a, b] list stays on its line (a comment after it stays too); only
            # an empty [] that receives a mapping becomes a block list.
            inline_ok = _is_plain_list(combined) or (existing and len(inline(combined)) < 100)
            if inline_ok and self._one_line(node):
                existing.append(item)
                self._splice(node.start_mark.index, node.end_mark.index, inline(existing))
            else:
                self.set(path, combined)
            return
        existing.append(item)
        lines = block([item], node.start_mark.column)
        self._splice(self._after(node), self._after(node), "".join(lines))

    def extend(self, path: Sequence[Key], items: Sequence[Any]) -> None:
        """Append several items to the list at path in one splice: a file fed hundreds of
        entries is composed once, not once per entry (which grew quadratic)."""
        parent = self._data_parent(path)
        existing = parent.get(path[-1]) if isinstance(parent, dict) else parent[path[-1]]
        if not items:
            return
        if existing is None or not isinstance(existing, list):
            self.append(path, items[0])
            if len(items) > 1:
                self.extend(path, items[1:])
            return
        _, _, node = self._located(path)
        if not isinstance(node, SequenceNode):
            raise EditError(Said("edit.misplaced", path=self.path, key=path[-1]))
        if node.flow_style or not node.value:
            self.set(path, [*existing, *items])
            return
        existing.extend(items)
        lines = block(list(items), node.start_mark.column)
        self._splice(self._after(node), self._after(node), "".join(lines))

    def remove(self, path: Sequence[Key]) -> None:
        """Remove a mapping key or a list item; an emptied list becomes [], not null."""
        parent = self._data_parent(path)
        container, key, node = self._located(path)
        if node is None:
            raise EditError(Said("edit.nothing-to-remove", path=self.path, key=path[-1]))
        if len(parent) == 1 and len(path) > 1:
            self.set(path[:-1], [] if isinstance(parent, list) else {})
            return
        del parent[path[-1]]
        if container.flow_style:
            self._replace_flow(container, parent)
            return
        start = self._line_start(key if key is not None else node)
        if key is not None and self.text[start:key.start_mark.index].strip():
            # the first key of a list item (`- key: …`): the next key moves up to the dash
            keys = [k for k, _ in container.value]
            following = keys[keys.index(key) + 1] if keys[-1] is not key else None
            if following is not None:
                stop = following.start_mark.index
                comment = self.text.find("#", self._after(node), self._line_start(following))
                if comment != -1:  # comment lines before the next key stay, after the dash
                    stop = comment
                self._splice(key.start_mark.index, stop, "")
                return
        self._splice(start, self._after(node), "")

    def _replace_flow(self, node: Node, value: Any) -> None:
        if not self._one_line(node):
            raise EditError(Said("edit.flow", path=self.path), hint=Said("edit.flow-hint"))
        self._splice(node.start_mark.index, node.end_mark.index, inline(value))

    def result(self) -> str:
        """The edited text, once it is proven to read back as the intended data."""
        parsed = parse_yaml(self.text, self.path)
        if parsed.diagnostics or parsed.data != self.expected:
            raise EditError(Said("edit.layout", path=self.path), hint=Said("edit.layout-hint"))
        return self.text
