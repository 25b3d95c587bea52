"""copi preview: a local web page of the process that follows the files as they are edited."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.options import DIR


def preview(
    port: Annotated[int, typer.Option(
        "--port", min=0, max=65535)] = 0,
    no_browser: Annotated[bool, typer.Option(
        "--no-browser")] = False,
    audience: Annotated[str, typer.Option(
        "--audience", metavar="internal|public")] = "internal",
    directory: Annotated[Path | None, DIR] = None,
) -> None:
    """One long-lived process keeps the workspace, templates and audience view between edits,
    so an edit costs what it changes (help: data/messages/help.json, help.preview)."""
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
            from urllib.parse import urlencode

            query = urlencode({"audience": audience})
            opened = url + ("&" if "?" in url else "?") + query  # url holds ?token=
            threading.Thread(target=webbrowser.open, args=(opened,), daemon=True).start()

    serve(process_root(directory), port, audience, ready)
