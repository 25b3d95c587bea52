"""Reading YAML safely, with source locations and copi's own reading of scalars.

Design:
1. Parse with libyaml (CSafeLoader) where present: ten times faster than the pure-Python loader.
2. Resolve scalars the way a Danish facilitator means them, not the way YAML 1.1 does: only
   true/false are booleans (``NO`` and ``yes`` stay text), dates stay text (the schema checks the
   form, a domain rule checks the calendar), ``12:30`` and ``0101`` stay text.
3. Record every duplicate key instead of keeping the last value silently.
4. Bound the work before anything is built from the file (LIMITS): its size, then, on the
   composed node graph and before any value is constructed, nesting depth, aliases, keys, and
   the size the aliases expand to (billion laughs, one long anchored string repeated), each
   counted once per node however often it is referred to, so measuring is linear in the file.
5. Only JSON-like values: text, numbers, true/false, null, lists and mappings. An explicit tag
   (!!timestamp, !!set, !!binary, !!python/…) is a finding, never a date, set or bytes that
   nothing downstream can store; a number too long to print is a finding too.
6. Keep no node tree with the data: locating a finding composes the file once and indexes each
   mapping it walks through, so a file with thousands of findings is located in linear time.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from copi_cli.diagnostics import Diagnostic
from copi_cli.messages import Said

if TYPE_CHECKING:  # libyaml's CSafeLoader offers what SafeLoader does; mypy sees the latter
    _Base = yaml.SafeLoader
else:
    _Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)



class Limits(NamedTuple):
    """What one file may hold; beyond it the file is a finding, not work."""

    size: int = 2_000_000  # bytes (characters) of the file
    depth: int = 40  # lists and mappings inside each other
    aliases: int = 1_000  # uses of an anchor
    values: int = 100_000  # values as a consumer walking the data sees them, aliases expanded
    characters: int = 2_000_000  # of text, aliases expanded: never more than a file may hold
    keys: int = 20_000  # keys of all mappings, aliases expanded
    digits: int = 100  # of one number (Python cannot even print one of 4,300)
    text: int = 500_000  # characters of a text's Markdown after its front matter (tekster/*.md)


LIMITS = Limits()
MAX_EXPANDED_NODES = LIMITS.values

_MAP, _SEQ = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_STR, _INT, _FLOAT = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_BOOL, _NULL = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"


class LimitError(yaml.MarkedYAMLError):
    """The file goes beyond LIMITS (Y007), or its aliases expand beyond them (Y003)."""

    def __init__(self, problem: Said, mark: Any, code: str = "Y007",
                 hint: Said | None = None) -> None:
        super().__init__(None, None, problem, mark)
        self.code = code
        self.hint = hint


class TagError(yaml.MarkedYAMLError):
    """An explicit tag copi does not read, or one that does not fit its value (Y008)."""

    def __init__(self, problem: Said, mark: Any) -> None:
        super().__init__(None, None, problem, mark)


def _tag_name(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith(
        "tag:yaml.org,2002:") else tag


class CopiLoader(_Base):
    """Safe loader with copi's scalar resolution and duplicate-key detection."""

    yaml_implicit_resolvers: dict = {}

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, Any]] = []

    def construct_mapping(self, node: MappingNode | ScalarNode | SequenceNode,
                          deep: bool = False) -> dict:
        if not isinstance(node, MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping, found {node.id}", node.start_mark
            )
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, list | dict):
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark,
                    "a key must be plain text", key_node.start_mark,
                )
            key = str(key) if key is not None else "null"
            if key in mapping:
                self.duplicates.append((key, key_node.start_mark))
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    # Explicit tags reach these with any value: each checks that the value has its form, so a
    # `!!int abc` is a finding, not a ValueError.

    def construct_yaml_int(self, node: ScalarNode) -> int:
        value = node.value if isinstance(node.value, str) else ""
        if not _DECIMAL.fullmatch(value):
            raise TagError(Said("yaml.tag-not-integer", tag=_tag_name(node.tag),
                                value=repr(value[:40])),
                           node.start_mark)
        digits = len(value.lstrip("+-"))
        if digits > LIMITS.digits:
            raise LimitError(Said("yaml.digits", digits=digits, most=LIMITS.digits),
                             node.start_mark,
                             hint=Said("yaml.digits-hint"))
        return int(value)

    def construct_yaml_float(self, node: ScalarNode) -> float:
        value = node.value if isinstance(node.value, str) else ""
        if value.lower() in (".inf", "+.inf", "-.inf", ".nan") or (
                _FLOAT_FORM.fullmatch(value) and not math.isfinite(float(value))):
            # JSON has no such number, and a sum or a chart over one means nothing (1e400 too)
            raise LimitError(Said("yaml.not-finite", value=repr(value[:40])), node.start_mark,
                             "Y008", hint=Said("yaml.not-finite-hint"))
        if not _FLOAT_FORM.fullmatch(value):
            raise TagError(Said("yaml.tag-not-number", tag=_tag_name(node.tag),
                                value=repr(value[:40])),
                           node.start_mark)
        return float(value)

    def construct_yaml_bool(self, node: ScalarNode) -> bool:
        value = node.value if isinstance(node.value, str) else ""
        if value.lower() not in ("true", "false"):
            raise TagError(Said("yaml.tag-not-bool", tag=_tag_name(node.tag),
                                value=repr(value[:40])),
                           node.start_mark)
        return value.lower() == "true"

    def construct_yaml_str(self, node: ScalarNode) -> str:
        if not isinstance(node, ScalarNode):
            raise TagError(Said("yaml.tag-scalar", tag=_tag_name(node.tag)), node.start_mark)
        return str(node.value)

    def construct_yaml_seq(self, node: Node) -> Any:
        if not isinstance(node, SequenceNode):
            raise TagError(Said("yaml.tag-list", tag=_tag_name(node.tag)), node.start_mark)
        return super().construct_yaml_seq(node)

    def construct_yaml_map(self, node: Node) -> Any:
        if not isinstance(node, MappingNode):
            raise TagError(Said("yaml.tag-mapping", tag=_tag_name(node.tag)), node.start_mark)
        return super().construct_yaml_map(node)

    def construct_refused(self, node: Node) -> Any:
        raise TagError(Said("yaml.tag-refused", tag=_tag_name(node.tag)), node.start_mark)


_DECIMAL = re.compile(r"[-+]?[0-9]+")
_FLOAT_FORM = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?")

# Only JSON-like values: every other tag YAML or PyYAML knows, and every unknown one, is refused.
CopiLoader.yaml_constructors = {
    _NULL: CopiLoader.construct_yaml_null,
    _BOOL: CopiLoader.construct_yaml_bool,
    _INT: CopiLoader.construct_yaml_int,
    _FLOAT: CopiLoader.construct_yaml_float,
    _STR: CopiLoader.construct_yaml_str,
    _SEQ: CopiLoader.construct_yaml_seq,
    _MAP: CopiLoader.construct_yaml_map,
    None: CopiLoader.construct_refused,
}
CopiLoader.yaml_multi_constructors = {}


def _add_resolver(tag: str, pattern: str, first: str) -> None:
    CopiLoader.add_implicit_resolver(tag, re.compile(pattern, re.X), list(first))


_add_resolver("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
# Decimal integers without leading zeros: '0101' is a code, not octal 65.
_add_resolver("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789")
_add_resolver(
    "tag:yaml.org,2002:float",
    r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$|^[-+]?\.(?:inf|Inf|INF)$"
    r"|^\.(?:nan|NaN|NAN)$",
    "-+0123456789.",
)
CopiLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


class Parsed(NamedTuple):
    """The data of one file (None where it could not be read) and what went wrong reading it."""

    data: Any
    diagnostics: list[Diagnostic]


def _measure(root: Node, limits: Limits = LIMITS) -> None:
    """Check the composed node graph against the limits before a value is built from it.

    Each node is measured once (an alias is the same node object again), children before
    parents, so a graph that would expand a billion-fold costs no more than its text. Raises
    LimitError at the node where a limit is passed.
    """
    measured: dict[int, tuple[int, int, int, int]] = {}  # node -> (values, characters, keys, depth)
    entered: set[int] = set()
    keys_of: dict[int, bool] = {}  # the nodes that are keys, for the words of a finding
    aliases = 0
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        key = id(node)
        if not leaving:
            if key in measured:
                aliases += 1
                if aliases > limits.aliases:
                    raise LimitError(Said("yaml.aliases", most=limits.aliases),
                                     node.start_mark, "Y003")
                continue
            if key in entered:
                raise LimitError(Said("yaml.alias-inside"), node.start_mark, "Y003")
            if isinstance(node, ScalarNode):
                unprintable = _UNPRINTABLE.search(node.value)
                if unprintable:
                    raise LimitError(Said("yaml.unprintable-key" if keys_of.get(key)
                                          else "yaml.unprintable-value",
                                          code=f"U+{ord(unprintable[0]):04X}"),
                                     node.start_mark, "Y009", hint=Said("yaml.unprintable-hint"))
                measured[key] = (1, len(node.value), 0, 0)
                continue
            entered.add(key)
            stack.append((node, True))
            if isinstance(node, MappingNode):
                for key_node, value_node in reversed(node.value):
                    stack.append((value_node, False))
                    stack.append((key_node, False))
                    keys_of[id(key_node)] = True
            else:
                stack.extend((child, False) for child in reversed(node.value))
            continue
        entered.discard(key)
        values, characters, keys, depth = 1, 0, 0, 0
        children = ([n for pair in node.value for n in pair] if isinstance(node, MappingNode)
                    else node.value)
        if isinstance(node, MappingNode):
            keys = len(node.value)
        for child in children:
            v, c, k, d = measured[id(child)]
            values += v
            characters += c
            keys += k
            depth = max(depth, d)
        depth += 1
        measured[key] = (values, characters, keys, depth)
        if depth > limits.depth:
            raise LimitError(Said("yaml.depth", most=limits.depth), node.start_mark)
        if keys > limits.keys:
            raise LimitError(Said("yaml.keys", most=limits.keys), node.start_mark)
        if values > limits.values:
            raise LimitError(Said("yaml.aliases-values" if aliases else "yaml.values",
                                  most=limits.values),
                             node.start_mark, "Y003" if aliases else "Y007")
        if characters > limits.characters:
            raise LimitError(Said("yaml.aliases-characters", most=limits.characters),
                             node.start_mark, "Y003")


# What YAML itself refuses written literally (Y001) but lets an escape in quotes make (\e, \0,
# \x01, \uFFFE): C0 controls other than tab and line breaks, DEL, C1 controls other than NEL,
# surrogates, U+FFFE and U+FFFF. No document can hold them (Word's XML ends at them, the
# strings handed to pandoc and typst at a NUL), so a value or key with one stops here, located.
_UNPRINTABLE = re.compile(
    "[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


_LIMIT_HINTS = {
    "Y003": "yaml.hint.y003",
    "Y007": "yaml.hint.y007",
    "Y008": "yaml.hint.y008",
}


def parse_yaml(text: str, path: str, line_offset: int = 0,
               limits: Limits = LIMITS) -> Parsed:
    """Parse one YAML document within the limits; report syntax errors, duplicate keys,
    tags copi does not read, and files beyond the limits, each at its line."""
    if len(text) > limits.size:
        return Parsed(None, [Diagnostic(
            path, 1 + line_offset, 1, "Y007",
            Said("yaml.size", size=len(text), most=limits.size),
            hint=Said(_LIMIT_HINTS["Y007"]))])
    loader = CopiLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _measure(node, limits)
        data = loader.construct_document(node) if node is not None else None
    except (LimitError, TagError) as exc:
        mark = exc.problem_mark
        code = exc.code if isinstance(exc, LimitError) else "Y008"
        return Parsed(None, [Diagnostic(
            path, (mark.line + 1 if mark else 1) + line_offset, mark.column + 1 if mark else 1,
            code, exc.problem or "",
            hint=getattr(exc, "hint", None) or Said(_LIMIT_HINTS[code]))])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or Said("yaml.unreadable")
        if exc.context:
            problem = f"{problem} ({exc.context})"
        return Parsed(None, [Diagnostic(
            path, line + line_offset, col, "Y001", problem,
            hint=_syntax_hint(problem),
        )])
    except yaml.YAMLError as exc:
        return Parsed(None, [Diagnostic(path, 1 + line_offset, 1, "Y001", str(exc),
                                        hint=_syntax_hint(str(exc)))])
    finally:
        loader.dispose()
    diagnostics = [
        Diagnostic(
            path, mark.line + 1 + line_offset, mark.column + 1, "Y002",
            Said("yaml.duplicate", key=key), hint=Said("yaml.duplicate-hint"),
        )
        for key, mark in loader.duplicates
    ]
    return Parsed(data, diagnostics)


def _syntax_hint(problem: str) -> Said:
    """What to do about what PyYAML says (its words stay as they are: they are its own)."""
    if "tab" in problem:
        return Said("yaml.syntax.tab")
    if "mapping values are not allowed" in problem:
        return Said("yaml.syntax.colon")
    if "could not find expected ':'" in problem or "simple key" in problem:
        return Said("yaml.syntax.key-value")
    return Said("yaml.syntax.other")


FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)


def split_front_matter(text: str) -> tuple[str, str] | None:
    """Split a Markdown file into (front matter YAML, body); None when it has none."""
    match = FRONT_MATTER.match(text)
    if not match:
        return None
    return match.group(1), text[match.end():]


# --- locating nodes -------------------------------------------------------------------------

def compose(text: str) -> Node | None:
    try:
        return yaml.compose(text, Loader=CopiLoader)
    except yaml.YAMLError:
        return None


class _Index:
    """A file's node graph, with each mapping's keys indexed the first time a path passes."""

    def __init__(self, text: str) -> None:
        self.root = compose(text) if len(text) <= LIMITS.size else None
        self.keys: dict[int, dict[str, tuple[Node, Node]]] = {}

    def entry(self, node: MappingNode, key: str) -> tuple[Node, Node] | None:
        index = self.keys.get(id(node))
        if index is None:
            index = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode):
                    index.setdefault(key_node.value, (key_node, value_node))
            self.keys[id(node)] = index
        return index.get(key)


@lru_cache(maxsize=8)
def _index(text: str) -> _Index:
    """One index per text: a file's findings are located one after another."""
    return _Index(text)


def locate(text: str, path: tuple[str | int, ...], key: bool = False,
           line_offset: int = 0) -> tuple[int, int, str | None]:
    """(line, col, source text) of the node at a JSON path; the key itself when key=True.

    Falls back to the deepest node that exists, so a finding always has a place. The file is
    composed once for all its findings (the last few texts are kept), and a step into a
    mapping is a dictionary look-up: thousands of findings in one file cost linear time.
    """
    index = _index(text)
    node = index.root
    if node is None:
        return 1 + line_offset, 1, None
    mark = node.start_mark
    for number, step in enumerate(path):
        last = number == len(path) - 1
        if isinstance(node, MappingNode):
            found = index.entry(node, str(step))
            if found is None:
                break
            key_node, node = found
            mark = key_node.start_mark if (last and key) else node.start_mark
        elif isinstance(node, SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            mark = node.start_mark
        else:
            break
    source = node.value if isinstance(node, ScalarNode) else None
    return mark.line + 1 + line_offset, mark.column + 1, source
