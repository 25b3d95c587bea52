"""Finding copi's own files, and the code fingerprint that keys cached results."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_the_code_fingerprint_follows_modules_in_subpackages(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cached results are keyed on copi's code: a module edited in a subpackage, a data file or
    a schema changes the key; bytecode Python writes does not."""
    from copi_cli import resources
    package = tmp_path / "copi_cli"
    for name in ("__init__.py", "sub/__init__.py", "sub/deeper/module.py", "data/labels.json",
                 "schemas/process.schema.json"):
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text("1\n")
    monkeypatch.setattr(resources, "PACKAGE_DIR", package)

    def fingerprint() -> str:
        resources.code_fingerprint.cache_clear()
        return resources.code_fingerprint()

    try:
        seen = {fingerprint()}
        (package / "__pycache__").mkdir()
        (package / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"compiled")
        assert fingerprint() in seen
        for name in ("sub/deeper/module.py", "data/labels.json", "schemas/process.schema.json"):
            (package / name).write_text("22\n")
            assert fingerprint() not in seen, name
            seen.add(fingerprint())
    finally:
        resources.code_fingerprint.cache_clear()
