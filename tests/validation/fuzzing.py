"""The seeded fuzzer over every file kind of a process (issue 19), run by test_fuzz.py.

Run as a script in a process of its own, so that its peak memory is its own:

    python tests/validation/fuzzing.py --examples 1200 --seed 1

Each example takes a copy of examples/faerre-fald, mutates one file of one of the layout's
places (structurally: keys deleted, duplicated, values of the wrong type, huge numbers, deep
nesting, aliases, tags, control characters; as bytes: not UTF-8, a byte-order mark, cut short,
very long; in the file system: a FIFO, a link out, a linked folder), and runs copi's validation
in this process, as `copi validate` does, then checks:

- nothing raises: every mistake is a finding;
- nothing takes over 10 seconds (an alarm);
- what the schema or the YAML reader rejects is never passed: at least one error;
- the cached answer is the fresh one (F4);
- an answer file goes through `copi tool import`'s reader as a refusal or as data.

It prints one JSON line, {"examples": n, "peak_bytes": …}, and exits non-zero with
hypothesis's falsifying example when a property fails.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import resource
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "faerre-fald"
TODAY = dt.date(2026, 11, 26)
HANG = 10  # seconds: an example that takes longer is a hang

sys.path.insert(0, str(REPO))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from jsonschema import Draft7Validator  # noqa: E402

from copi_cli.errors import CopiError  # noqa: E402
from copi_cli.model.workspace import kind_of  # noqa: E402
from copi_cli.model.yamlsource import parse_yaml, split_front_matter  # noqa: E402
from copi_cli.validation.pipeline import validate  # noqa: E402
from copi_cli.validation.schemas import detailed_schema  # noqa: E402

# Every place of the layout that the example fills, one file each (the kinds of one file per
# record hold several: any of them stands for the place).
FILES = sorted(str(p.relative_to(EXAMPLE)) for p in EXAMPLE.rglob("*")
               if p.is_file() and kind_of(str(p.relative_to(EXAMPLE))) is not None)

HOSTILE_SCALARS = [
    "9" * 5_000, "-" + "9" * 101, "1e400", "-.inf", ".nan", "0x1F", "0777", "12:30",
    "true", "no", "~", "null", "[]", "{}", "''", '"\\x00\\x1b[31m"', '"x\\n"', '"\\u202e"',
    "!!timestamp 2026-01-01", "!!binary aGVq", "!!set {a, b}", "!!omap [a: 1]",
    "!!python/object/apply:os.system [ls]", "!!int x", "!!float y", "!!bool maybe",
    "!!str [1]", "!custom x", "*undefined", "&a x", "'2026-02-30'", "2026-13-01",
    "materialer/" + "x" * 300 + ".pdf", "../../../etc/passwd", "/etc/passwd",
    "'a\x00b'", "|\n  block", ">-\n  folded", "x" * 200_000, "ø" * 1_000,
    "<script>alert(1)</script>", "[" * 41 + "x" + "]" * 41,
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                max_size=4),
    max_leaves=12)


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True) or ["\n"]


@st.composite
def mutation(draw: st.DrawFn) -> tuple[str, str, Any]:
    """(file, kind of mutation, its parameters)."""
    rel = draw(st.sampled_from(FILES))
    how = draw(st.sampled_from([
        "delete-line", "duplicate-line", "scalar", "scalar", "scalar", "data", "data",
        "nesting", "aliases", "bytes", "bom", "truncate", "control", "long-line", "empty",
        "documents", "fifo", "link-out", "link-folder", "two",
    ]))
    if how == "scalar":
        return rel, how, (draw(st.integers(0, 10_000)), draw(st.sampled_from(HOSTILE_SCALARS)))
    if how == "data":
        return rel, how, (draw(st.integers(0, 10_000)), draw(json_values),
                          draw(st.booleans()))
    if how == "nesting":
        return rel, how, draw(st.integers(1, 2_000))
    if how == "aliases":
        return rel, how, (draw(st.integers(1, 200_000)), draw(st.integers(1, 5_000)),
                          draw(st.booleans()))
    if how in ("bytes", "control"):
        return rel, how, (draw(st.integers(0, 10_000)),
                          draw(st.binary(min_size=1, max_size=8)))
    if how == "two":
        return rel, how, (draw(st.integers(0, 10_000)), draw(st.sampled_from(HOSTILE_SCALARS)),
                          draw(st.sampled_from(FILES)), draw(st.integers(0, 10_000)))
    return rel, how, draw(st.integers(0, 10_000))


def _replace_value(text: str, at: int, value: str) -> str:
    lines = _lines(text)
    candidates = [i for i, line in enumerate(lines)
                  if ":" in line and not line.lstrip().startswith("#")]
    if not candidates:
        return text + f"x: {value}\n"
    index = candidates[at % len(candidates)]
    key = lines[index].split(":", 1)[0]
    lines[index] = f"{key}: {value}\n"
    return "".join(lines)


def _replace_data(text: str, at: int, value: Any, as_key: bool, front: bool) -> str:
    import yaml

    yaml_text, body = (split_front_matter(text) or (text, "")) if front else (text, "")
    data = parse_yaml(yaml_text, "x").data
    if not isinstance(data, dict) or not data:
        data = {}
    places: list[tuple[Any, Any]] = []
    stack: list[Any] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            places.extend((node, key) for key in node)
            stack.extend(node.values())
        elif isinstance(node, list):
            places.extend((node, i) for i in range(len(node)))
            stack.extend(node)
    if places:
        container, key = places[at % len(places)]
        if as_key and isinstance(container, dict):
            container[str(value)[:30]] = container.pop(key)
        else:
            container[key] = value
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return f"---\n{dumped}---\n{body}" if front else dumped


def apply(root: Path, outside: Path, rel: str, how: str, value: Any) -> None:
    """Mutate one file of the process at root."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    front = rel.endswith(".md")
    if how == "delete-line":
        lines = _lines(text)
        del lines[value % len(lines)]
        path.write_text("".join(lines), encoding="utf-8")
    elif how == "duplicate-line":
        lines = _lines(text)
        index = value % len(lines)
        lines.insert(index, lines[index])
        path.write_text("".join(lines), encoding="utf-8")
    elif how == "scalar":
        path.write_text(_replace_value(text, *value), encoding="utf-8")
    elif how == "data":
        at, data, as_key = value
        path.write_text(_replace_data(text, at, data, as_key, front), encoding="utf-8")
    elif how == "nesting":
        nested = "[" * value + "x" + "]" * value
        path.write_text(_replace_value(text, value, nested), encoding="utf-8")
    elif how == "aliases":
        length, count, flow = value
        anchor = "&a " + "x" * length
        aliases = ("[" + ", ".join(["*a"] * count) + "]") if flow else (
            "\n" + "".join("  - *a\n" for _ in range(count)))
        extra = f"zz_anchor: {anchor}\nzz_aliases: {aliases}\n"
        if front:
            split = split_front_matter(text)
            path.write_text(f"---\n{split[0] if split else ''}{extra}---\n", encoding="utf-8")
        else:
            path.write_text(text + extra, encoding="utf-8")
    elif how in ("bytes", "control"):
        at, raw = value
        data = text.encode("utf-8")
        if how == "control":
            raw = bytes(b % 32 for b in raw)
        at %= len(data) + 1
        path.write_bytes(data[:at] + raw + data[at:])
    elif how == "bom":
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    elif how == "truncate":
        data = text.encode("utf-8")
        path.write_bytes(data[:value % (len(data) + 1)])
    elif how == "long-line":
        path.write_text(text + "# " + "x" * (value * 300) + "\n", encoding="utf-8")
    elif how == "empty":
        path.write_text(["", "\n", "# only a comment\n", "---\n", "---\n---\n"][value % 5],
                        encoding="utf-8")
    elif how == "documents":
        path.write_text(text + "\n---\n" + text, encoding="utf-8")
    elif how == "fifo":
        path.unlink()
        os.mkfifo(path)
    elif how == "link-out":
        target = outside / "record"
        target.write_text(text, encoding="utf-8")
        path.unlink()
        path.symlink_to(target)
    elif how == "link-folder":
        folder = path.parent
        if folder == root:
            path.unlink()
            path.symlink_to(outside / "nothing")
        else:
            moved = outside / "folder"
            shutil.move(str(folder), moved)
            folder.symlink_to(moved, target_is_directory=True)
    elif how == "two":
        at, scalar, other, other_at = value
        path.write_text(_replace_value(text, at, scalar), encoding="utf-8")
        if other != rel and (root / other).is_file():
            apply(root, outside, other, "delete-line", other_at)


def expected_error(root: Path, rel: str) -> bool:
    """Whether copi must report an error for this file, judged without the pipeline: it is
    no regular file or not UTF-8, the reader refuses it, or the schema does."""
    path = root / rel
    if path.is_symlink() or not path.exists():
        return path.is_symlink() or path.parent.is_symlink()
    if path.parent.is_symlink() or not path.is_file():
        return True
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return True
    kind = kind_of(rel)
    assert kind is not None
    if kind.front_matter:
        split = split_front_matter(text)
        if split is None:
            return True
        text = split[0]
    parsed = parse_yaml(text, rel)
    if any(d.level == "error" for d in parsed.diagnostics) or not isinstance(parsed.data, dict):
        return True
    validator = Draft7Validator(detailed_schema(kind.schema))
    return any(True for _ in validator.iter_errors(parsed.data))


def _shown(report: Any) -> list[dict]:
    return [d.as_dict() for d in report.diagnostics]


class Hang(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise Hang(f"an example took more than {HANG} s")


_clock = [10**18]  # file times copi's cache sees: each write gets a new one


def _stamp(path: Path) -> None:
    """A time of its own for each file written: two writes in one tick of the file system's
    clock with the same size would look unchanged to any cache keyed on times."""
    _clock[0] += 10**9
    if path.is_file() and not path.is_symlink():
        os.utime(path, ns=(_clock[0], _clock[0]))


def reset(root: Path, outside: Path, touched: list[str]) -> None:
    """Put back what the last example changed (the rest of the copy and its cache stay)."""
    for rel in touched:
        path = root / rel
        if path.is_symlink() or (path.exists() and not path.is_dir()):
            path.unlink()
        elif path.is_dir():
            shutil.rmtree(path)
        source = EXAMPLE / rel
        if source.is_dir():
            shutil.copytree(source, path)
            for copied in path.rglob("*"):
                _stamp(copied)
        elif source.exists():
            shutil.copyfile(source, path)
            _stamp(path)
    shutil.rmtree(outside, ignore_errors=True)
    outside.mkdir()


def touched_by(change: tuple[str, str, Any]) -> list[str]:
    rel, how, value = change
    if how == "link-folder" and "/" in rel:
        return [rel.rsplit("/", 1)[0]]
    if how == "two":
        return [rel, value[2]]
    return [rel]


def check(root: Path, outside: Path, change: tuple[str, str, Any], fresh: bool) -> None:
    """One example: mutate one file of the process, validate it, check the properties."""
    rel, how, value = change
    touched = touched_by(change)
    try:
        apply(root, outside, rel, how, value)
        for each in touched:
            _stamp(root / each)
        must_fail = expected_error(root, rel)
        signal.alarm(HANG)
        try:
            first = validate(root, today=TODAY)
            again = validate(root, today=TODAY)
            if fresh:
                uncached = validate(root, today=TODAY, use_cache=False)
                assert _shown(uncached) == _shown(first), "the cache changed the findings"
            assert _shown(again) == _shown(first), "the cached answer is not the fresh one"
            if must_fail:
                assert first.errors, f"{rel} is rejected by the schema or reader, yet no error"
            kind = kind_of(rel)
            if kind is not None and kind.schema == "tool-answers":
                _import(root / rel)
        finally:
            signal.alarm(0)
    finally:
        reset(root, outside, touched)


def _import(path: Path) -> None:
    """copi tool import's reader: a refusal (a CopiError) or data, never anything else."""
    from copi_cli.tools.answers import read_answers

    with contextlib.suppress(CopiError):
        read_answers(path)


def run(examples: int, chosen_seed: int) -> int:
    signal.signal(signal.SIGALRM, _alarm)
    workdir = Path(tempfile.mkdtemp(prefix="copi-fuzz-"))
    os.environ.setdefault("COPI_CACHE_DIR", str(workdir / "cache"))
    root, outside = workdir / "p", workdir / "outside"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    outside.mkdir()
    counted = 0

    @seed(chosen_seed)
    @settings(max_examples=examples, deadline=None, database=None, print_blob=True,
              suppress_health_check=list(HealthCheck))
    @given(change=mutation(), fresh=st.integers(0, 3).map(lambda n: n == 0))
    def fuzz(change: tuple[str, str, Any], fresh: bool) -> None:
        nonlocal counted
        counted += 1
        check(root, outside, change, fresh)

    try:
        fuzz()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return counted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=int(os.environ.get(
        "COPI_FUZZ_EXAMPLES", "1000")))
    parser.add_argument("--seed", type=int, default=random.randrange(2**32))
    arguments = parser.parse_args()
    counted = run(arguments.examples, arguments.seed)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"examples": counted, "seed": arguments.seed, "peak_bytes": peak}))


if __name__ == "__main__":
    main()
