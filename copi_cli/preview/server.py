"""The preview's server: starlette on uvicorn, bound to 127.0.0.1, watching the process with
watchfiles and telling open pages of each change by server-sent events.

Design:
1. serve: validate the process (Session), bind 127.0.0.1 (a free port unless one is asked
   for), call on_ready with the address, run uvicorn until Ctrl-C (which uvicorn hands back
   as the signal it caught once it has closed every connection).
2. every request: its Host header must name this address (127.0.0.1:PORT or
   localhost:PORT), or it is refused: a page elsewhere could otherwise reach the preview
   through a name it points at 127.0.0.1 (DNS rebinding).
3. every request must also carry this run's secret (secrets.token_urlsafe(24), as Jupyter
   does): the address printed and opened holds it as ?token=; a request with it gets it back
   as an HttpOnly, SameSite=Strict cookie and is sent to the same address without it, and
   one with neither is refused (403). Another user or process on this computer can reach
   127.0.0.1 too, and the internal view holds personal data.
4. watching: each batch of changed files goes to Session.change in a worker thread (one at a
   time), which renders again what the pages open now show; then every open page is sent
   the new version, and fetches itself again if it shows an older one.
"""

from __future__ import annotations

import asyncio
import hmac
import secrets
import socket
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from copi_cli.errors import CopiError, EnvironmentProblem
from copi_cli.messages import Said, message, os_reason
from copi_cli.preview import pages
from copi_cli.preview.session import AUDIENCES, Key, Session

KEEP_ALIVE = 15.0  # seconds between comments on a quiet event stream
CHECK = 0.25  # seconds between looks at whether the server is stopping


def serve(root: Path, port: int, audience: str, on_ready: Callable[[str], None]) -> None:
    """Serve the preview of the process at root until interrupted (see Design)."""
    import uvicorn

    session = Session(root)
    listener = _bind(port)
    port = listener.getsockname()[1]
    token = secrets.token_urlsafe(24)
    app = _App(session, port, audience, token)
    config = uvicorn.Config(app.asgi(), log_config=None, log_level="warning",
                            access_log=False, lifespan="on", timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    app.stopping = lambda: bool(server.should_exit)
    listener.listen(128)  # a browser opened now waits in the backlog until uvicorn accepts
    on_ready(f"http://127.0.0.1:{port}/?token={token}")
    server.run(sockets=[listener])


def _bind(port: int) -> socket.socket:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind(("127.0.0.1", port))
    except OSError as error:
        listener.close()
        raise EnvironmentProblem(Said("preview.port-busy", number=port, reason=os_reason(error)),
                                 hint=Said("preview.port-hint")) from None
    return listener


class _App:
    """The routes over one Session."""

    def __init__(self, session: Session, port: int, audience: str, token: str) -> None:
        self.session = session
        self.port = port
        self.audience = audience
        self.token = token
        self.streams: set[asyncio.Queue[int]] = set()
        self.watched: Counter[Key] = Counter()
        self.changing = asyncio.Lock()
        # whether uvicorn is stopping: the event streams end then, or it would wait for them
        self.stopping: Callable[[], bool] = lambda: False

    def asgi(self) -> Any:
        from starlette.applications import Starlette
        from starlette.routing import Route

        routes = [Route("/", self.overview), Route("/documents/{document}", self.document),
                  Route("/events", self.events)]
        app = Starlette(routes=routes, lifespan=self.lifespan)
        guarded = _TokenGuard(app, self.token, f"copi-preview-{self.port}", self._refusal)
        return _HostGuard(guarded, {f"127.0.0.1:{self.port}", f"localhost:{self.port}"})

    @asynccontextmanager
    async def lifespan(self, app: Any) -> AsyncIterator[None]:
        stop = asyncio.Event()
        watcher = asyncio.create_task(self.watch(stop))
        try:
            yield
        finally:
            stop.set()
            watcher.cancel()

    def _refusal(self) -> str:
        return message("preview.token-refused", self.session.language)

    # -- pages ------------------------------------------------------------------------------

    def _audience(self, request: Any) -> str:
        wanted = request.query_params.get("audience", self.audience)
        return wanted if wanted in AUDIENCES else self.audience

    def _html(self, key: str, title: str, body: str, nonce: str) -> Any:
        from starlette.responses import HTMLResponse

        html = pages.page(self.session, key, title, body, nonce)
        return HTMLResponse(html, headers=_headers(nonce))

    async def overview(self, request: Any) -> Any:
        from starlette.concurrency import run_in_threadpool

        nonce = secrets.token_urlsafe(16)
        key = f"/?audience={self._audience(request)}"
        body = await run_in_threadpool(self._locked, pages.overview)
        return self._html(key, message("preview.overview", self.session.language),
                          body, nonce)

    def _locked(self, build: Callable[[Session], str]) -> str:
        with self.session.lock:
            return build(self.session)

    async def document(self, request: Any) -> Any:
        from starlette.concurrency import run_in_threadpool
        from starlette.responses import PlainTextResponse

        document = request.path_params["document"]
        if document not in self.session.documents:
            return PlainTextResponse(f"no document {document}", status_code=404)
        audience = self._audience(request)
        nonce = secrets.token_urlsafe(16)

        def build() -> str:
            with self.session.lock:
                shown = self.session.document(document, audience)
                return pages.document_page(self.session, document, audience, shown)

        body = await run_in_threadpool(build)
        key = f"/documents/{quote(document)}?audience={audience}"
        name = self.session.documents[document].name[self.session.language]
        return self._html(key, name, body, nonce)

    # -- following the files ----------------------------------------------------------------

    async def events(self, request: Any) -> Any:
        """Server-sent events: the process's version now, and after each change."""
        from starlette.responses import StreamingResponse

        key = _document_key(request.query_params.get("page", ""))
        if key is not None and key[0] not in self.session.documents:
            key = None  # a page of no document watches none
        queue: asyncio.Queue[int] = asyncio.Queue()
        self.streams.add(queue)
        if key:
            self.watched[key] += 1

        async def stream() -> AsyncIterator[str]:
            try:
                yield f"retry: 500\ndata: {self.session.version}\n\n"
                quiet = 0.0
                while not self.stopping():
                    try:
                        version = await asyncio.wait_for(queue.get(), CHECK)
                    except TimeoutError:
                        quiet += CHECK
                        if quiet >= KEEP_ALIVE:
                            quiet = 0.0
                            yield ": still here\n\n"
                        continue
                    yield f"data: {version}\n\n"
            finally:
                self.streams.discard(queue)
                if key:
                    self.watched[key] -= 1

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store"})

    async def watch(self, stop: asyncio.Event) -> None:
        from watchfiles import awatch

        root = self.session.root
        async for changes in awatch(root, stop_event=stop, watch_filter=_Filter(root),
                                    step=15):
            await self.changed(sorted({_relative(root, path) for _, path in changes}))

    async def changed(self, paths: list[str]) -> None:
        """One batch of changed files: the session brought up to date, the pages told."""
        from starlette.concurrency import run_in_threadpool

        async with self.changing:
            watched = [key for key, count in self.watched.items() if count > 0]
            try:
                await run_in_threadpool(self.session.change, paths, watched)
            except (CopiError, OSError) as error:  # the process is kept as it was last seen
                self.session.trouble = str(error)
            for queue in list(self.streams):
                queue.put_nowait(self.session.version)


def _relative(root: Path, path: str) -> str:
    """A changed file as a path in the process; one the watcher found elsewhere (through a
    link) as it is, which counts as a change to every document."""
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path


def _document_key(page: str) -> Key | None:
    """The document a page shows, from its address (/documents/ID?audience=A)."""
    from urllib.parse import parse_qs, unquote, urlsplit

    parts = urlsplit(page)
    if not parts.path.startswith("/documents/"):
        return None
    audience = parse_qs(parts.query).get("audience", ["internal"])[0]
    document = unquote(parts.path.removeprefix("/documents/"))
    return (document, audience) if audience in AUDIENCES else None


def _headers(nonce: str) -> dict[str, str]:
    """No script but the page's own, nothing fetched from elsewhere, nothing kept."""
    return {
        "Content-Security-Policy": f"default-src 'none'; script-src 'nonce-{nonce}'; "
        "style-src 'unsafe-inline'; img-src data:; connect-src 'self'; frame-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


class _HostGuard:
    """Refuse a request whose Host is not this server's own address (see Design, 2)."""

    def __init__(self, app: Any, hosts: set[str]) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket"):
            host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
            if host.lower() not in self.hosts:
                from starlette.responses import PlainTextResponse

                refusal = PlainTextResponse("copi preview answers only to its own address "
                                            "(127.0.0.1 or localhost with its port)\n",
                                            status_code=421)
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)


class _TokenGuard:
    """Refuse a request without this run's secret, in its cookie or as ?token= (see Design,
    3). The cookie is named by the port: cookies are shared by every port of a host."""

    def __init__(self, app: Any, token: str, cookie: str, refusal: Callable[[], str]) -> None:
        self.app = app
        self.token = token.encode("ascii")
        self.cookie = cookie
        self.refusal = refusal

    def _right(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode("utf-8"), self.token)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        from urllib.parse import parse_qsl, urlencode

        from starlette.requests import HTTPConnection
        from starlette.responses import PlainTextResponse, RedirectResponse

        connection = HTTPConnection(scope)
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"),
                          keep_blank_values=True)
        given = [value for name, value in query if name == "token"]
        if given and all(self._right(value) for value in given):
            rest = urlencode([(name, value) for name, value in query if name != "token"])
            path = "/" + quote(scope.get("path", "/")).lstrip("/")  # never //elsewhere
            moved = RedirectResponse(path + (f"?{rest}" if rest else ""), status_code=303,
                                     headers={"Cache-Control": "no-store"})
            moved.set_cookie(self.cookie, self.token.decode("ascii"), path="/",
                             httponly=True, samesite="strict")
            await moved(scope, receive, send)
            return
        if not given and self._right(connection.cookies.get(self.cookie)):
            await self.app(scope, receive, send)
            return
        refused = PlainTextResponse(self.refusal() + "\n", status_code=403,
                                    headers={"Cache-Control": "no-store"})
        await refused(scope, receive, send)


def _Filter(root: Path) -> Callable[[Any, str], bool]:
    """watchfiles' default filter (editors' temporary files, .git), less build/, where
    copi render writes."""
    from watchfiles import DefaultFilter

    default = DefaultFilter()
    build = root / "build"

    def wanted(change: Any, path: str) -> bool:
        return default(change, path) and not Path(path).is_relative_to(build)

    return wanted
