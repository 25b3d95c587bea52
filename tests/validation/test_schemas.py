"""The JSON schemas: draft-07, documented, self-contained once bundled, and agreeing validators."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from copi_cli.model.workspace import load_layout
from copi_cli.model.yamlsource import parse_yaml, split_front_matter
from copi_cli.validation.schemas import bundled_schema, is_valid

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
        "legal_basis": enum("common", "definitions", "legal_basis"),
        "meeting_kind": enum("meeting", "properties", "kind"),
        "signature_kind": enum("signatures", "properties", "signatures", "items", "properties",
                               "kind"),
    }
    for group, ids in expected.items():
        assert list(labels[group]) == ids, group
        assert all(set(words) == {"da", "en"} for words in labels[group].values()), group


def test_generated_validators_are_what_the_schemas_make_now() -> None:
    """The validators in copi_cli/validation/validators/ are generated from schemas/ and
    committed: one per schema, none left over, and each what generating it again gives (so
    they cannot drift from the schemas). A fastjsonschema other than the one that generated
    them may write other
    code; the schemas they were made from must still be these."""
    import re

    import fastjsonschema

    from copi_cli.validation.schemas import generated_validators

    again = "; run python -m copi_cli.validation.schemas --generate"
    folder = REPO / "copi_cli" / "validation" / "validators"
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
    from copi_cli.validation.schemas import fast_validator

    with pytest.raises(ModuleNotFoundError):
        fast_validator("no-such-kind")


def test_a_publication_names_a_public_document_of_the_catalogue() -> None:
    """The publications schema lists the documents copi publish may publish: the public ones
    of data/documents.yaml, no more and no fewer."""
    import json

    from copi_cli.model.documents import load_documents
    from copi_cli.resources import shipped_dir

    schema = json.loads((shipped_dir("schemas") / "publications.schema.json").read_text("utf-8"))
    listed = schema["properties"]["publications"]["items"]["properties"]["document"]["enum"]
    assert listed == [d.id for d in load_documents() if d.audience == "public"]
