"""The JSON schemas: draft-07, documented, self-contained once bundled, and agreeing validators."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from copi_cli.schemas import bundled_schema, is_valid
from copi_cli.workspace import load_layout
from copi_cli.yamlsource import parse_yaml, split_front_matter

from conftest import EXAMPLE, REPO

SCHEMA_FILES = sorted((REPO / "schemas").glob("*.schema.json"))
KINDS = load_layout().kinds


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_is_valid_draft_07(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    Draft7Validator.check_schema(schema)


def _properties(node: object, where: str = ""):
    if isinstance(node, dict):
        for name, prop in node.get("properties", {}).items():
            yield f"{where}/{name}", prop
        for key, value in node.items():
            yield from _properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _properties(item, f"{where}/{index}")


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_every_property_has_title_and_description(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    undocumented = []
    for where, prop in _properties(schema):
        target = prop
        ref = prop.get("$ref", "")
        if ref.startswith("#/definitions/") and set(prop) == {"$ref"}:
            target = schema["definitions"][ref.removeprefix("#/definitions/")]
        elif ref.startswith("common.schema.json#/definitions/") and set(prop) == {"$ref"}:
            common = json.loads((REPO / "schemas" / "common.schema.json").read_text())
            target = common["definitions"][ref.rsplit("/", 1)[1]]
        if not (target.get("title") and target.get("description")):
            undocumented.append(where)
    assert undocumented == []


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.kind)
def test_bundled_schema_has_no_external_reference(kind) -> None:
    text = json.dumps(bundled_schema(kind.schema))
    assert "common.schema.json" not in text


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.kind)
def test_objects_refuse_unknown_keys(kind) -> None:
    schema = bundled_schema(kind.schema)
    assert schema["additionalProperties"] is False


def _example_records():
    for kind in KINDS:
        for path in sorted(EXAMPLE.glob(kind.pattern)):
            text = path.read_text(encoding="utf-8")
            if kind.front_matter:
                text = split_front_matter(text)[0]
            yield kind, path, parse_yaml(text, path.name).data


@pytest.mark.parametrize(("kind", "path", "data"), list(_example_records()),
                         ids=lambda v: getattr(v, "name", ""))
def test_fast_and_detailed_validators_agree(kind, path: Path, data: dict) -> None:
    detailed = list(Draft7Validator(bundled_schema(kind.schema)).iter_errors(data))
    assert is_valid(kind.schema, data) == (not detailed)
    broken = dict(data, surprise_key=1)
    assert not is_valid(kind.schema, broken)
    assert list(Draft7Validator(bundled_schema(kind.schema)).iter_errors(broken))


def test_labels_cover_exactly_the_ids_the_schemas_allow() -> None:
    """data/labels.json gives Danish and English words for each enumeration of the schemas."""
    from copi_cli.resources import data_path

    schemas = REPO / "schemas"

    def enum(schema: str, *path: str) -> list[str]:
        node = json.loads((schemas / f"{schema}.schema.json").read_text(encoding="utf-8"))
        for step in path:
            node = node[step]
        return node["enum"]

    labels = json.loads(data_path("labels.json").read_text(encoding="utf-8"))
    expected = {
        "organisation_type": enum("organisation", "properties", "type"),
        "role": enum("organisation", "properties", "role"),
        "backing_level": list(json.loads((schemas / "organisation.schema.json").read_text(
            encoding="utf-8"))["properties"]["backing"]["properties"]),
        "event_kind": enum("event", "properties", "kind"),
        "insight_source": enum("insights", "properties", "insights", "items", "properties",
                               "source"),
        "barrier_kind": enum("needs", "properties", "barriers", "items", "properties", "kind"),
        "visibility": enum("common", "definitions", "visibility"),
        "action": enum("process", "properties", "history", "items", "properties", "action"),
    }
    for group, ids in expected.items():
        assert list(labels[group]) == ids, group
        assert all(set(words) == {"da", "en"} for words in labels[group].values()), group


def test_generated_validators_are_what_the_schemas_make_now() -> None:
    """The validators in copi_cli/_validators/ are generated from schemas/ and committed: one
    per schema, none left over, and each what generating it again gives (so they cannot drift
    from the schemas). A fastjsonschema other than the one that generated them may write other
    code; the schemas they were made from must still be these."""
    import re

    import fastjsonschema

    from copi_cli.schemas import generated_validators

    again = "; run python -m copi_cli.schemas --generate"
    folder = REPO / "copi_cli" / "_validators"
    committed = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.py")
                 if p.name != "__init__.py"}
    generated = generated_validators()
    assert sorted(committed) == sorted(generated), "validators missing or left over" + again

    def made_from(source: str) -> str:
        return next(line for line in source.splitlines() if line.startswith("# Schema sha256"))

    for file, source in generated.items():
        assert made_from(committed[file]) == made_from(source), f"{file} is stale" + again
    made_by = {version for source in committed.values()
               for version in re.findall(r'^VERSION = "(.+)"$', source, re.M)}
    if made_by != {fastjsonschema.VERSION}:
        pytest.skip(f"generated by fastjsonschema {made_by}, {fastjsonschema.VERSION} installed")
    for file, source in generated.items():
        assert committed[file] == source, f"{file} differs from its schema" + again


def test_a_schema_without_a_generated_validator_is_an_error_not_compiled() -> None:
    from copi_cli.schemas import fast_validator

    with pytest.raises(ModuleNotFoundError):
        fast_validator("no-such-kind")


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    """A relative XDG_CACHE_HOME would put the cache inside whatever directory copi runs in,
    such as a process repository; the XDG spec says to ignore it."""
    from copi_cli.storage import cache_dir

    monkeypatch.delenv("COPI_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", ".cache")
    assert cache_dir() == Path.home() / ".cache" / "copi"
    monkeypatch.setenv("XDG_CACHE_HOME", "/var/cache/x")
    assert cache_dir() == Path("/var/cache/x/copi")


def test_a_file_written_whole_never_follows_a_link_put_in_its_way(tmp_path: Path) -> None:
    """The temporary file is made new: a link put where it will be (in a directory others may
    write) is replaced, and what it points at is left as it was."""
    from copi_cli.storage import write_atomically

    target, precious = tmp_path / "kept.json", tmp_path / "precious.txt"
    precious.write_text("mine")
    (tmp_path / f".kept.json.copi-{os.getpid()}.tmp").symlink_to(precious)
    write_atomically(target, b"{}", alone=True)
    assert target.read_bytes() == b"{}" and precious.read_text() == "mine"
    assert target.stat().st_mode & 0o777 == 0o600
    assert not any(tmp_path.glob(".kept.json.copi-*"))


def test_what_copi_trusts_is_judged_on_what_it_opens(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """read_cached: the file must be the user's alone, and each directory down to it from the
    cache directory the user's own and (for code and git's answers) writable by no one else;
    no link is followed, so a directory or link put in place of copi's own by someone who may
    write a directory above is not read, not even a link to another directory of the user's
    (a process checkout, where others' files arrive as the user's own)."""
    from copi_cli.storage import read_cached, write_cached

    cache = tmp_path / "cache"
    monkeypatch.setenv("COPI_CACHE_DIR", str(cache))
    kept = cache / "templates" / "kept"
    write_cached(kept, b"mine")
    assert read_cached(kept) == b"mine"
    assert cache.stat().st_mode & 0o777 == 0o700 and kept.stat().st_mode & 0o777 == 0o600
    for directory in (cache, cache / "templates"):
        directory.chmod(0o777)  # a directory anyone may write
        assert read_cached(kept) is None
        assert read_cached(kept, private=False) == b"mine"  # a result with its key inside
        directory.chmod(0o770)  # the group may write it, even the user's own (it may have
        assert read_cached(kept) is None  # other members)
        directory.chmod(0o700)
    kept.chmod(0o666)  # a file anyone may write
    assert read_cached(kept) is None and read_cached(kept, private=False) is None
    kept.chmod(0o600)
    (cache / "templates" / "linked").symlink_to(kept)  # a file that is a link
    assert read_cached(cache / "templates" / "linked") is None
    assert read_cached(cache / "templates" / "missing") is None
    assert read_cached(tmp_path / "outside") is None  # not in the cache
    checkout = tmp_path / "checkout"  # the user's own, with a planted templates/kept
    (checkout / "templates").mkdir(parents=True)
    (checkout / "templates" / "kept").write_bytes(b"planted")
    (checkout / "templates" / "kept").chmod(0o600)
    cache.rename(tmp_path / "moved")
    cache.symlink_to(checkout)  # the cache directory a link to it
    assert read_cached(kept) is None
    with pytest.raises(OSError):
        write_cached(kept, b"mine")
    assert (checkout / "templates" / "kept").read_bytes() == b"planted"
    cache.unlink()
    (tmp_path / "moved").rename(cache)
    (cache / "templates").rename(tmp_path / "moved")
    (cache / "templates").symlink_to(checkout / "templates")  # a directory in it a link
    assert read_cached(kept) is None


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="giving a file to another user needs root")
@pytest.mark.parametrize("mode, trusted", [(0o777, False), (0o1777, True), (0o755, True)])
def test_a_cache_under_a_directory_others_may_change_is_not_trusted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: int, trusted: bool) -> None:
    """Whoever may write a directory on the way to the cache could put a link there to a
    directory of the user's own filled by others (a process checkout): only a directory that
    no one else may write, or a sticky one (where no one may move another's entries), is
    trusted on the way."""
    from copi_cli.storage import read_cached, write_cached

    shared = tmp_path / f"shared-{mode:o}"
    shared.mkdir()
    shared.chmod(mode)
    monkeypatch.setenv("COPI_CACHE_DIR", str(shared / "xdg" / "copi"))
    kept = shared / "xdg" / "copi" / "kept"
    with contextlib.suppress(OSError):
        write_cached(kept, b"mine")
    assert (read_cached(kept) == b"mine") is trusted
    assert (shared / "xdg").exists() is trusted  # nothing made on a way others may change


def test_a_cached_result_someone_else_wrote_is_not_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from copi_cli.storage import load_cached, store_cached

    monkeypatch.setenv("COPI_CACHE_DIR", str(tmp_path / "cache"))
    kept = tmp_path / "cache" / "summary.json"
    store_cached(kept, {"key": "k"})
    assert load_cached(kept) == {"key": "k"}
    os.chown(kept, 4321, -1)
    assert load_cached(kept) is None
