"""The server's own decisions: which document a page watches, where a changed file is, which
Host it answers to."""

from __future__ import annotations

import asyncio
from pathlib import Path

from copi_cli.preview.server import _document_key, _HostGuard, _relative


def test_a_page_address_names_the_document_it_watches() -> None:
    assert _document_key("/documents/declaration?audience=public") == ("declaration", "public")
    assert _document_key("/documents/declaration") == ("declaration", "internal")
    assert _document_key("/documents/declaration?audience=press") is None
    assert _document_key("/?audience=internal") is None


def test_a_changed_file_is_a_path_in_the_process(tmp_path: Path) -> None:
    assert _relative(tmp_path, str(tmp_path / "tekster" / "a.md")) == "tekster/a.md"
    assert _relative(tmp_path, "/elsewhere/a.md") == "/elsewhere/a.md"  # counts as everything


def test_the_host_guard_answers_only_its_own_address() -> None:
    reached: list[str] = []

    async def app(scope: dict, receive: object, send: object) -> None:
        reached.append(scope["path"])

    guard = _HostGuard(app, {"127.0.0.1:8000", "localhost:8000"})

    def ask(host: bytes | None) -> int | None:
        sent: list[dict] = []

        async def send(message: dict) -> None:
            sent.append(message)

        async def receive() -> dict:
            return {"type": "http.request"}

        headers = [(b"host", host)] if host is not None else []
        asyncio.run(guard({"type": "http", "path": "/", "headers": headers}, receive, send))
        return sent[0]["status"] if sent else None

    assert ask(b"127.0.0.1:8000") is None and ask(b"LOCALHOST:8000") is None
    assert reached == ["/", "/"]
    for host in (b"evil.example", b"evil.example:8000", b"127.0.0.1", b"127.0.0.1:8001",
                 b"localhost", None):
        assert ask(host) == 421, host
    assert reached == ["/", "/"]
