"""Finding copi's own files: the package data, and templates/ and schemas/.

templates/ and schemas/ sit at the top of the source tree; the wheel carries them inside the
package (see pyproject.toml). Looking inside the package first makes a non-editable install work;
the fallback serves a source checkout and an editable install.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def shipped_dir(name: str) -> Path:
    """templates/ or schemas/, wherever this installation keeps them."""
    inside = PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    return PACKAGE_DIR.parent / name


def data_path(name: str) -> Path:
    return PACKAGE_DIR / "data" / name


@cache
def load_data(name: str) -> dict:
    """A data file of the package: JSON, or YAML (trusted, but still loaded safely)."""
    with open(data_path(name), encoding="utf-8") as handle:
        if name.endswith(".json"):
            return json.load(handle)
        import yaml

        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def code_fingerprint() -> str:
    """Changes with copi's code, data and schemas: an edited checkout must not trust old
    results. Modification times and sizes, not contents: this runs on every validation."""
    files = [*PACKAGE_DIR.rglob("*.py"),  # every module, in subpackages too
             *(p for p in (PACKAGE_DIR / "data").rglob("*") if p.is_file()),
             *shipped_dir("schemas").glob("*.json")]
    digest = hashlib.sha256()
    for path in sorted(files):
        status = path.stat()
        digest.update(f"{path.relative_to(PACKAGE_DIR.parent)}:{status.st_mtime_ns}:"
                      f"{status.st_size};".encode())
    return digest.hexdigest()[:16]
