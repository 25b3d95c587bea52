"""JSON schemas of the file kinds: a fast pass/fail check, and located detail for what fails.

Design:
1. schemas/*.schema.json are draft-07 (the highest draft yaml-language-server supports, so editors
   use the same files). Shared value types live in common.schema.json; for validation each schema
   is bundled into one self-contained document, so no validator ever resolves a reference itself
   (fastjsonschema would fetch unknown references over the network).
2. fastjsonschema turns each schema into Python code that decides pass/fail in microseconds per
   record. Generating and compiling that code costs 5-20 ms a schema, paid whenever a file of
   that kind has changed, so the compiled code is kept in the user's cache (fast_validator).
3. Only a failing record goes through jsonschema, which lists every error; each error is turned
   into a Diagnostic at the line and column of the offending node.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import marshal
from collections.abc import Callable
from functools import cache
from pathlib import Path
from types import CodeType
from typing import Any

from copi_cli.diagnostics import Diagnostic
from copi_cli.resources import shipped_dir
from copi_cli.storage import cache_dir, code_fingerprint, read_cached, write_cached
from copi_cli.yamlsource import locate

COMMON = "common.schema.json"


@cache
def _read(name: str) -> dict:
    with open(shipped_dir("schemas") / f"{name}.schema.json", encoding="utf-8") as handle:
        return json.load(handle)


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        out = {key: _rewrite_refs(value) for key, value in node.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith(COMMON + "#"):
            out["$ref"] = ref[len(COMMON):]
        return out
    if isinstance(node, list):
        return [_rewrite_refs(item) for item in node]
    return node


@cache
def bundled_schema(name: str) -> dict:
    """The schema with common definitions merged in: self-contained, references local."""
    schema = _rewrite_refs(_read(name))
    definitions = dict(_read(COMMON.removesuffix(".schema.json"))["definitions"])
    definitions.update(schema.get("definitions", {}))
    schema["definitions"] = definitions
    return schema


@cache
def fast_validator(name: str) -> Callable[[Any], Any]:
    """The pass/fail check of one schema, compiled once per schema and copi version.

    The compiled code is keyed on copi's code and schemas (storage.code_fingerprint),
    fastjsonschema's version and Python's bytecode version, so any change compiles afresh.
    """
    from importlib.util import MAGIC_NUMBER

    import fastjsonschema

    key = hashlib.sha256(MAGIC_NUMBER + f"{fastjsonschema.VERSION}|{code_fingerprint()}|"
                         f"{_OPTIONS}".encode())
    kept = cache_dir() / f"schema-{name}-{key.hexdigest()[:20]}.marshal"
    check = _kept_validator(kept)
    if check is None:
        source = fastjsonschema.compile_to_code(bundled_schema(name), **_OPTIONS)
        code = compile(source, f"<validator of {name}.schema.json>", "exec")
        check = _validator_of(code)
        with contextlib.suppress(OSError):  # a cache that cannot be written is not kept
            write_cached(kept, marshal.dumps(code))
    return check


_OPTIONS = {"use_formats": False}


def _kept_validator(kept: Path) -> Callable[[Any], Any] | None:
    """The validator compiled earlier, if it is there, is the user's own and is what copi
    wrote; None means compile it again."""
    data = read_cached(kept)
    if data is None:
        return None
    try:
        code = marshal.loads(data)
        return _validator_of(code) if isinstance(code, CodeType) else None
    except Exception:  # noqa: BLE001 - torn, foreign or stale: compiled afresh
        return None


def _validator_of(code: CodeType) -> Callable[[Any], Any]:
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # noqa: S102 - code fastjsonschema generated from copi's own schema
    check = namespace["validate"]
    if not callable(check):
        raise TypeError("validate")
    return check


def is_valid(name: str, data: Any) -> bool:
    import fastjsonschema

    try:
        fast_validator(name)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "nothing (null)"


_EXPECTED = {
    "string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
    "array": "a list", "object": "a mapping (key: value lines)", "null": "nothing",
}


def _field_help(schema: dict) -> str | None:
    title = schema.get("title")
    description = schema.get("description")
    if title and description:
        return f"{title}: {description}"
    return description or title


def _resolve(schema: dict, root: dict) -> dict:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/definitions/"):
        return root["definitions"][ref.removeprefix("#/definitions/")]
    return schema


def schema_diagnostics(name: str, data: Any, path: str, text: str,
                       line_offset: int = 0) -> list[Diagnostic]:
    """Every schema error of one record, located in its source text."""
    from jsonschema import Draft7Validator

    root = bundled_schema(name)
    validator = Draft7Validator(root)
    found: list[Diagnostic] = []

    def at(where: tuple, key: bool = False) -> tuple[int, int, str | None]:
        return locate(text, where, key=key, line_offset=line_offset)

    for error in validator.iter_errors(data):
        where = tuple(error.absolute_path)
        kind = error.validator
        subschema = _resolve(error.schema, root) if isinstance(error.schema, dict) else {}
        if kind == "additionalProperties":
            known = sorted(subschema.get("properties", {}))
            for extra in sorted(set(error.instance) - set(known)):
                line, col, _ = at((*where, extra), key=True)
                close = difflib.get_close_matches(extra, known, n=1, cutoff=0.6)
                hint = (f"did you mean '{close[0]}'?" if close
                        else "allowed keys here: " + ", ".join(known))
                found.append(Diagnostic(path, line, col, "S001", f"unknown key '{extra}'", hint))
        elif kind == "required":
            properties = subschema.get("properties", {})
            for missing in error.validator_value:
                if isinstance(error.instance, dict) and missing not in error.instance:
                    line, col, _ = at(where)
                    prop = _resolve(properties.get(missing, {}), root)
                    where_text = "/".join(map(str, where))
                    found.append(Diagnostic(
                        path, line, col, "S002",
                        f"missing required key '{missing}'"
                        + (f" in {where_text}" if where_text else ""),
                        hint=_field_help(properties.get(missing, {})) or _field_help(prop),
                    ))
        elif kind == "type":
            line, col, source = at(where)
            wanted = error.validator_value
            wanted_list = wanted if isinstance(wanted, list) else [wanted]
            expected = " or ".join(_EXPECTED.get(w, w) for w in wanted_list)
            hint = _type_hint(error.instance, wanted_list, source)
            found.append(Diagnostic(
                path, line, col, "S003",
                f"{_name(where)} must be {expected}, not {_describe(error.instance)}"
                + (f" ({source!r})" if source is not None and source != "" else ""),
                hint or _field_help(error.schema),
            ))
        else:
            line, col, source = at(where)
            code, message, hint = _value_problem(kind, error, where, subschema)
            found.append(Diagnostic(path, line, col, code, message, hint))
    return found


def _name(where: tuple) -> str:
    return "/".join(map(str, where)) if where else "the file"


def _type_hint(value: Any, wanted: list[str], source: str | None) -> str | None:
    if "string" in wanted and not isinstance(value, str | dict | list):
        shown = source if source is not None else json.dumps(value)
        return f"YAML read {shown} as {_describe(value)}; put it in quotes: '{shown}'"
    if "boolean" in wanted and isinstance(value, str):
        return "write true or false (yes/no/on/off are read as text)"
    if "array" in wanted and not isinstance(value, list):
        return "write a list: one '- item' per line, or [a, b]"
    return None


def _value_problem(kind: str, error: Any, where: tuple,
                   schema: dict) -> tuple[str, str, str | None]:
    name = _name(where)
    value = error.instance
    if kind == "enum":
        allowed = [v for v in error.validator_value if v is not None]
        close = difflib.get_close_matches(str(value), [str(v) for v in allowed], n=1, cutoff=0.6)
        hint = (f"did you mean '{close[0]}'? " if close else "") + "allowed: " + ", ".join(
            map(str, allowed))
        return "S004", f"{name}: {value!r} is not allowed", hint
    if kind == "const":
        return "S004", f"{name} must be {error.validator_value!r}", None
    if kind in ("pattern", "oneOf", "anyOf"):
        return "S004", f"{name}: {value!r} has the wrong form", _field_help(schema)
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return "S004", f"{name}: {error.message}", _field_help(schema)
    if kind in ("minItems", "maxItems", "minLength", "maxLength", "uniqueItems"):
        messages = {
            "minItems": f"{name} needs at least {error.validator_value} item(s)",
            "maxItems": f"{name} allows at most {error.validator_value} item(s)",
            "minLength": f"{name} must not be empty",
            "maxLength": f"{name} is longer than {error.validator_value} characters",
            "uniqueItems": f"{name} lists the same item twice",
        }
        return "S005", messages[kind], _field_help(schema)
    return "S004", f"{name}: {error.message}", _field_help(schema)
