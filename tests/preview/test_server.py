"""The server's own decisions: which document a page watches, where a changed file is, which
Host it answers to."""

from __future__ import annotations

import asyncio
from pathlib import Path

from copi_cli.preview.server import _document_key, _HostGuard, _relative, _TokenGuard


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


def test_the_token_guard_lets_through_only_the_right_secret() -> None:
    reached: list[str] = []

    async def app(scope: dict, receive: object, send: object) -> None:
        reached.append(scope["path"])

    guard = _TokenGuard(app, "s3cret-Token_x", "copi-preview-8000", lambda: "refused")

    def ask(path: str, query: bytes = b"", cookie: bytes | None = None) -> list[dict]:
        sent: list[dict] = []

        async def send(message: dict) -> None:
            sent.append(message)

        async def receive() -> dict:
            return {"type": "http.request"}

        headers = [(b"cookie", cookie)] if cookie is not None else []
        asyncio.run(guard({"type": "http", "method": "GET", "path": path,
                           "query_string": query, "headers": headers}, receive, send))
        return sent

    def status(sent: list[dict]) -> int | None:
        return sent[0]["status"] if sent else None

    refused = ask("/documents/a b")
    assert status(refused) == 403 and refused[1]["body"] == b"refused\n"
    for query, cookie in ((b"token=s3cret-Token_", None), (b"token=", None),
                          (b"token=x&token=s3cret-Token_x", None),
                          (b"token=wrong", b"copi-preview-8000=s3cret-Token_x"),
                          (b"", b"copi-preview-8001=s3cret-Token_x"),
                          (b"", b"copi-preview-8000=s3cret-Token_X")):
        assert status(ask("/", query, cookie)) == 403, (query, cookie)
    assert reached == []

    moved = ask("/documents/a b", b"audience=public&token=s3cret-Token_x")
    assert status(moved) == 303
    headers = dict(moved[0]["headers"])
    assert headers[b"location"] == b"/documents/a%20b?audience=public"
    assert headers[b"set-cookie"].startswith(b"copi-preview-8000=s3cret-Token_x; ")
    assert reached == []  # the redirect, not the page: the token leaves the address first
    for path in ("//evil.example/x", "/\\evil.example"):  # only ever to this server's own
        where = dict(ask(path, b"token=s3cret-Token_x")[0]["headers"])[b"location"]
        assert where.startswith(b"/") and not where.startswith((b"//", b"/\\")), where

    assert status(ask("/documents/a b", b"audience=public",
                      b"x=1; copi-preview-8000=s3cret-Token_x")) is None
    assert reached == ["/documents/a b"]
