"""Editor support: the schemas kept in the process, and a modeline at the top of each YAML file.

VS Code and other editors with the YAML language server complete and explain fields when a
file names its schema in a `# yaml-language-server: $schema=…` comment. The schema must be
reachable offline and by everyone who clones the process, so copi keeps a copy of its schemas in
the process (.copi/schemas/, committed) and points each file there by a relative path.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from copi_cli.resources import shipped_dir

SCHEMA_DIR = ".copi/schemas"
_MODELINE = re.compile(r"^#\s*yaml-language-server:", re.MULTILINE)


def schema_files() -> dict[str, bytes]:
    """Every schema copi ships, by file name (common.schema.json included: the others refer
    to it by a relative reference)."""
    directory = shipped_dir("schemas")
    return {path.name: path.read_bytes() for path in sorted(directory.glob("*.schema.json"))}


def export(target: Path, root: Path | None = None) -> list[Path]:
    """Write the schemas into target; only files whose content differs are written.

    root: the process target lies in; no folder on the way from it, and no schema file, may
    be a symbolic link (a committed `.copi -> /elsewhere` must not take the writes with it)."""
    from copi_cli.storage import write_atomically

    schemas = schema_files()
    for path in (target, *(target / name for name in schemas)):
        _refuse_link(root, path)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in schemas.items():
        path = target / name
        if not path.exists() or path.read_bytes() != content:
            write_atomically(path, content)
            written.append(path)
    return written


def _refuse_link(root: Path | None, path: Path) -> None:
    from copi_cli.errors import UserError
    from copi_cli.messages import Said
    from copi_cli.storage import link_on_the_way

    link = link_on_the_way(root, path) if root is not None else None
    if link is not None:
        assert root is not None
        shown = link.relative_to(root).as_posix()
        raise UserError(Said("validation.schema-link", link=shown),
                        hint=Said("validation.schema-link-hint", link=shown))


def stale(root: Path) -> list[str]:
    """The schema copies in a process that are missing or differ from copi's."""
    directory = root / SCHEMA_DIR
    return [name for name, content in schema_files().items()
            if not (directory / name).is_file() or (directory / name).read_bytes() != content]


def modeline(rel: str) -> str | None:
    """The modeline for the YAML file at rel (relative to the process), or None when copi
    has no schema for it."""
    from copi_cli.model.workspace import kind_of

    if not rel.endswith((".yaml", ".yml")):
        return None
    kind = kind_of(rel)
    if kind is None:
        return None
    schema = posixpath.relpath(f"{SCHEMA_DIR}/{kind.schema}.schema.json",
                               posixpath.dirname(rel) or ".")
    return f"# yaml-language-server: $schema={schema}"


def with_modeline(rel: str, text: str) -> str:
    """text with the modeline first, unless it has one or copi has no schema for the file."""
    line = modeline(rel)
    if line is None or _MODELINE.search(text):
        return text
    return f"{line}\n{text}"
