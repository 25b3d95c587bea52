"""Draw the first page of the example's declaration of intent as docs/declaration.png.

The picture in README.md is made by copi's own pipeline (templates → pandoc → typst), with typst
writing PNG instead of PDF. Run from the repository root after changing templates:

    python docs/picture.py
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import typst

from copi_cli.model.documents import find_document
from copi_cli.rendering import conversion
from copi_cli.rendering.pipeline import prepare
from copi_cli.trail.lifecycle import load_valid

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    root = REPO / "examples" / "faerre-fald"
    report = load_valid(root, dt.date.today())
    prepared = prepare(report, [find_document("declaration")], None, "da", dt.date.today())[0]
    with tempfile.TemporaryDirectory() as work:
        workdir = Path(work)
        source = conversion.convert_to_typst(prepared.markdown, prepared.page, root, root,
                                             workdir)
        pages = typst.compile(source.encode("utf-8"), root=str(workdir), format="png", ppi=80,
                              ignore_system_fonts=True)
    first = pages[0] if isinstance(pages, list) else pages
    (REPO / "docs" / "declaration.png").write_bytes(first)


if __name__ == "__main__":
    main()
