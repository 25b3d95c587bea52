"""Finding copi's own files: the package data, and templates/ and schemas/.

templates/ and schemas/ sit at the top of the source tree; the wheel carries them inside the
package (see pyproject.toml). Looking inside the package first makes a non-editable install work;
the fallback serves a source checkout and an editable install.
"""

from __future__ import annotations

import json
import os
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
    """A data file of the package: JSON, or YAML (trusted, but still loaded safely).

    A YAML file is read through a JSON copy in the user's cache, keyed on the file's size and
    modification time: the phase catalogue is read on every status and advance, and this keeps
    the YAML parser's import off that path.
    """
    path = data_path(name)
    if name.endswith(".json"):
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    from copi_cli.validation import cache_dir

    stat = path.stat()
    copy = cache_dir() / f"data-{path.stem}-{stat.st_size}-{stat.st_mtime_ns}.json"
    try:
        with open(copy, encoding="utf-8") as handle:
            data = json.load(handle)
        if isinstance(data, dict):
            return data
    except (OSError, ValueError):
        pass
    import yaml

    with open(path, encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        temporary = copy.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, copy)
    except OSError:
        pass  # no cache: the YAML is read again next time
    return data
