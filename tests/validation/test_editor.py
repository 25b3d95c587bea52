"""Editor support in the bundled example: every YAML file names its schema, and the schema
copies in the process are copi's own."""

from __future__ import annotations

from conftest import EXAMPLE, schema_of


def test_the_example_is_as_copi_writes_it() -> None:
    from copi_cli.validation.editor import stale

    for path in sorted(EXAMPLE.rglob("*.yaml")):
        if {".copi", "build"} & set(path.relative_to(EXAMPLE).parts):
            continue
        assert schema_of(path).is_file(), path
    assert stale(EXAMPLE) == []
