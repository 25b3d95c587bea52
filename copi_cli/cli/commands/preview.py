"""copi preview: a local web page of the process that follows the files as they are edited."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.options import DIR


def preview(
    port: Annotated[int, typer.Option(
        "--port", min=0, max=65535, help="The port on 127.0.0.1 (default: a free one).")] = 0,
    no_browser: Annotated[bool, typer.Option(
        "--no-browser", help="Print the address only; do not open a browser.")] = False,
    audience: Annotated[str, typer.Option(
        "--audience", metavar="internal|public", help="The view the pages open in: internal "
        "(everything, marked) or public (exactly what a public render shows); the other is a "
        "click away.")] = "internal",
    directory: Annotated[Path | None, DIR] = None,
) -> None:
    """Show the process in a browser, on this computer only, and follow its files.

    The overview (phase, the gate's results, need owners and backing, the demand signal, the
    open findings) and every document as HTML, updated when a file is saved. While the process
    has errors, each document stays as last rendered, with the findings above it. Ctrl-C stops
    it.
    """
    from copi_cli.cli import language
    from copi_cli.cli.commands.options import process_root
    from copi_cli.errors import UsageError
    from copi_cli.messages import Said, message

    audience = audience.strip().lower()
    if audience not in ("internal", "public"):
        raise UsageError(Said("preview.audience-unknown", audience=audience),
                         hint=Said("preview.audience-hint"))
    from copi_cli.preview.server import serve

    def ready(url: str) -> None:
        typer.echo(message("preview.serving", language.current(), url=url))
        if not no_browser:  # in a thread: a browser in the terminal must not hold the server
            import threading
            import webbrowser

            threading.Thread(target=webbrowser.open, args=(url + f"?audience={audience}",),
                             daemon=True).start()

    serve(process_root(directory), port, audience, ready)
