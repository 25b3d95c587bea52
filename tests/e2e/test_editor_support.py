"""Editor support: every YAML file copi writes names its schema, and the schema is there."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from conftest import REPO, schema_of


def _validator(schema_path: Path):
    """A validator that resolves the schema's relative $refs from disk, as an editor does."""
    import jsonschema
    from referencing import Registry, Resource

    def retrieve(uri: str) -> Resource:
        return Resource.from_contents(json.loads((schema_path.parent / uri.split("#")[0])
                                                 .read_text(encoding="utf-8")))

    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema, registry=Registry(retrieve=retrieve))


def test_init_writes_modelines_and_the_schemas(copi, tmp_path: Path) -> None:
    assert copi("init", "proces", "--owner", "Aarhus Kommune", cwd=tmp_path).code == 0
    root = tmp_path / "proces"
    files = sorted(p for p in root.rglob("*.yaml") if ".copi" not in p.parts)
    assert len(files) >= 8
    for path in files:
        schema = schema_of(path)
        assert schema.is_file() and schema.parent == root / ".copi" / "schemas"
        _validator(schema).validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert sorted(p.name for p in (root / ".copi" / "schemas").iterdir()) == sorted(
        p.name for p in (REPO / "schemas").glob("*.schema.json"))


def test_recorded_files_begin_with_their_modeline(copi, tmp_path: Path) -> None:
    assert copi("init", "proces", "--owner", "Aarhus Kommune", cwd=tmp_path).code == 0
    root = tmp_path / "proces"
    assert copi("supplier", "add", "Sensa Care ApS", cwd=root).code == 0
    path = root / "leverandoerer" / "sensa-care.yaml"
    assert schema_of(path) == root / ".copi" / "schemas" / "supplier.schema.json"
    validator = _validator(schema_of(path))
    validator.validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert list(validator.iter_errors({"id": "x", "name": "X", "cvr": "123"}))  # it can fail


def test_schema_export_writes_what_changed(copi, tmp_path: Path) -> None:
    first = copi("schema", "export", str(tmp_path / "s"))
    assert first.code == 0 and len(first.out.splitlines()) == len(list(
        (REPO / "schemas").glob("*.schema.json")))
    again = copi("schema", "export", str(tmp_path / "s"))
    assert again.code == 0 and again.out == "" and "0 of" in again.err


def test_schema_export_writes_through_no_link_in_the_process(copi, example_repo: Path,
                                                             tmp_path: Path) -> None:
    """A committed `.copi -> elsewhere` (or a linked schemas folder or file) does not take
    the schemas outside the process (attack review F8)."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(example_repo / ".copi")
    (example_repo / ".copi").symlink_to(elsewhere)
    run = copi("schema", "export", cwd=example_repo)
    assert run.code == 1 and "Traceback" not in run.err
    assert ".copi is a symbolic link" in run.err and "nothing was written" in run.err
    assert list(elsewhere.iterdir()) == []
    (example_repo / ".copi").unlink()
    (example_repo / ".copi" / "schemas").mkdir(parents=True)
    (example_repo / ".copi" / "schemas" / "brand.schema.json").symlink_to(elsewhere / "b")
    run = copi("schema", "export", cwd=example_repo)
    assert run.code == 1 and ".copi/schemas/brand.schema.json is a symbolic link" in run.err
    assert list(elsewhere.iterdir()) == []
    assert list((example_repo / ".copi" / "schemas").iterdir()) == [
        example_repo / ".copi" / "schemas" / "brand.schema.json"]
