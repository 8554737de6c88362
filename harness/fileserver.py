"""A local HTTP file server on 127.0.0.1: log uploads from a station (N01) and file downloads
(firmware, L01).

Stdlib only (asyncio streams), HTTP/1.1 with one request per connection. Uploads are ``PUT`` or
``POST`` (N01.FR.18: a CSMS should accept both) to a path under :data:`UPLOAD_PREFIX`; the body
is kept as sent (a multipart POST is not unpacked: N01.FR.19 only asks the station to name the
file in Content-Disposition). Downloads are ``GET`` of a path registered with :meth:`serve`.
Anything else is 404, an upload without Content-Length 411, one over ``max_upload`` bytes 413
(refused before it is read); :meth:`FileServer.hold_uploads` holds the answers to uploads (a slow
server) until released. Request line, headers, stored uploads and the request log are bounded, every read
has a timeout, and every request is reported to ``on_request`` (the case's trace records it as
an event).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Self
from urllib.parse import unquote, urlsplit

#: Uploads go under this path (anything below it is accepted).
UPLOAD_PREFIX = "/upload/"
MAX_LINE = 8 * 1024
MAX_HEADERS = 64
#: The longest an upload is held by :meth:`FileServer.hold_uploads` (s).
MAX_HOLD_S = 30.0
_REASONS = {
    200: "OK",
    201: "Created",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    411: "Length Required",
    413: "Content Too Large",
}


@dataclass(frozen=True, slots=True)
class FileRequest:
    """One request the server answered."""

    method: str
    path: str
    status: int
    size: int  # body bytes received (upload) or sent (download)
    headers: tuple[tuple[str, str], ...] = ()

    def header(self, name: str) -> str | None:
        """The first header ``name`` (case-insensitive) of the request, if any."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)

    def describe(self) -> str:
        return f"file server: {self.method} {self.path} -> {self.status} ({self.size} bytes)"


class _BadRequest(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class FileServer:
    """Serve and accept files on ``http://127.0.0.1:<port>``; use as ``async with``."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        max_upload: int = 1024 * 1024,
        max_files: int = 32,
        max_log: int = 256,
        read_timeout_s: float = 5.0,
        on_request: Callable[[FileRequest], None] | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.max_upload = max_upload
        self.max_files = max_files
        self.read_timeout_s = read_timeout_s
        self.on_request = on_request
        #: Set unless uploads are held (:meth:`hold_uploads`).
        self._released = asyncio.Event()
        self._released.set()
        #: Uploaded files by path, oldest first (at most ``max_files``: the oldest go).
        self.uploads: dict[str, bytes] = {}
        #: The last ``max_log`` requests answered.
        self.requests: deque[FileRequest] = deque(maxlen=max_log)
        self._files: dict[str, bytes] = {}
        self._server: asyncio.Server | None = None
        self._changed = asyncio.Event()

    # -- lifecycle --------------------------------------------------------------------------
    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._handle, self.host, self.port, limit=MAX_LINE
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self._released.set()
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._server.wait_closed(), timeout=2.0)
            self._server = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- what a case uses -------------------------------------------------------------------
    def url(self, path: str = UPLOAD_PREFIX) -> str:
        """The URL of ``path`` on this server."""
        return f"http://{self.host}:{self.port}{path}"

    def hold_uploads(self) -> None:
        """Answer no upload until :meth:`release_uploads` (at most :data:`MAX_HOLD_S`): a slow
        log server, so a station's upload is still running when the next request comes."""
        self._released.clear()

    def release_uploads(self) -> None:
        self._released.set()

    def serve(self, path: str, data: bytes) -> str:
        """Offer ``data`` for download at ``path``; returns its URL."""
        self._files[path] = data
        return self.url(path)

    async def wait_upload(self, prefix: str = UPLOAD_PREFIX, *, timeout_s: float) -> str | None:
        """The path of the first upload under ``prefix`` (waiting up to ``timeout_s``), or None."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while True:
            found = next((p for p in self.uploads if p.startswith(prefix)), None)
            left = deadline - loop.time()
            if found is not None or left <= 0:
                return found
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout=left)

    # -- the protocol -----------------------------------------------------------------------
    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        method, path, size, status = "?", "?", 0, 400
        headers: tuple[tuple[str, str], ...] = ()
        body = b""
        try:
            deadline = asyncio.get_running_loop().time() + self.read_timeout_s
            async with asyncio.timeout_at(deadline):
                method, path, header_list = await self._head(reader)
            headers = tuple(header_list)
            own = await self._answer(writer, method, path, headers)
            if own is not None:
                self._record(own)
                return
            async with asyncio.timeout_at(deadline):
                status, size, body = await self._route(reader, method, path, dict(header_list))
            if status == 201 and not self._released.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._released.wait(), timeout=MAX_HOLD_S)
        except _BadRequest as exc:
            status = exc.status
        except TimeoutError:
            status = 408
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            status = 400
        with contextlib.suppress(ConnectionError):
            reason = _REASONS.get(status, "")
            writer.write(
                f"HTTP/1.1 {status} {reason}\r\nContent-Length: {len(body)}\r\n"
                "Connection: close\r\n\r\n".encode("ascii")
                + body
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(writer.drain(), timeout=self.read_timeout_s)
            writer.close()
        self._record(FileRequest(method, path, status, size, headers))

    def _record(self, request: FileRequest) -> None:
        """Keep ``request`` in :attr:`requests` and report it to ``on_request``."""
        self.requests.append(request)
        if self.on_request is not None:
            self.on_request(request)

    async def _answer(
        self,
        writer: asyncio.StreamWriter,
        method: str,
        path: str,
        headers: tuple[tuple[str, str], ...],
    ) -> FileRequest | None:
        """A subclass's own answer to a request whose head has been read: it writes the whole
        response, closes ``writer`` and returns what to record; None (here, always) leaves the
        request to the handling above (:class:`harness.firmware_server.FirmwareServer` answers
        downloads this way)."""
        return None

    async def _head(self, reader: asyncio.StreamReader) -> tuple[str, str, list[tuple[str, str]]]:
        line = await self._line(reader)
        parts = line.split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            raise _BadRequest(400)
        method, target = parts[0].upper(), parts[1]
        path = unquote(urlsplit(target).path)
        headers: list[tuple[str, str]] = []
        while (line := await self._line(reader)) != "":
            name, colon, value = line.partition(":")
            if not colon or len(headers) >= MAX_HEADERS:
                raise _BadRequest(400)
            headers.append((name.strip(), value.strip()))
        return method, path, headers

    async def _line(self, reader: asyncio.StreamReader) -> str:
        raw = await reader.readuntil(b"\n")
        if len(raw) > MAX_LINE:
            raise _BadRequest(400)
        return raw.decode("latin-1").rstrip("\r\n")

    async def _route(
        self, reader: asyncio.StreamReader, method: str, path: str, headers: dict[str, str]
    ) -> tuple[int, int, bytes]:
        """(status, size, response body) for one request."""
        if method == "GET":
            data = self._files.get(path)
            return (404, 0, b"") if data is None else (200, len(data), data)
        if method not in ("PUT", "POST"):
            return 405, 0, b""
        if not path.startswith(UPLOAD_PREFIX) or ".." in path.split("/"):
            return 404, 0, b""
        lengths = {k.lower(): v for k, v in headers.items()}
        length_text = lengths.get("content-length")
        if length_text is None or not length_text.isdigit():
            return 411, 0, b""
        length = int(length_text)
        if length > self.max_upload:
            return 413, 0, b""
        body = await reader.readexactly(length)
        self.uploads[path] = body
        while len(self.uploads) > self.max_files:
            del self.uploads[next(iter(self.uploads))]
        self._changed.set()
        return 201, length, b""


# -- the client side (what a reference station uses) ------------------------------------------
class TransferError(Exception):
    """A transfer that did not complete: no connection, a bad answer, or a non-2xx status."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


async def transfer(
    url: str,
    *,
    method: str = "GET",
    body: bytes = b"",
    filename: str = "",
    timeout_s: float = 5.0,
    max_size: int = 1024 * 1024,
) -> bytes:
    """One plain-HTTP request to ``url``; the response body (at most ``max_size`` bytes).

    An upload names its file in Content-Disposition (N01.FR.19). Raises :class:`TransferError`
    for anything but a 2xx answer within ``timeout_s``.
    """
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname is None:
        raise TransferError(f"unsupported location {url!r} (plain http only)")
    target = parts.path or "/"
    head = [f"{method} {target} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close"]
    if method != "GET":
        head += ["Content-Type: application/octet-stream", f"Content-Length: {len(body)}"]
        if filename:
            head.append(f'Content-Disposition: attachment; filename="{filename}"')
    try:
        async with asyncio.timeout(timeout_s):
            reader, writer = await asyncio.open_connection(parts.hostname, parts.port or 80)
            try:
                writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
                await writer.drain()
                data = await reader.read(max_size + 64 * 1024)
            finally:
                writer.close()
    except (OSError, TimeoutError) as exc:
        raise TransferError(f"{method} {url}: {exc or type(exc).__name__}") from None
    head_bytes, _, payload = data.partition(b"\r\n\r\n")
    status_line = head_bytes.split(b"\r\n", 1)[0].decode("latin-1")
    fields = status_line.split(" ")
    if len(fields) < 2 or not fields[1].isdigit():
        raise TransferError(f"{method} {url}: malformed answer {status_line!r}")
    status = int(fields[1])
    if not 200 <= status < 300:
        raise TransferError(f"{method} {url}: HTTP {status}", status)
    if len(payload) > max_size:
        raise TransferError(f"{method} {url}: more than {max_size} bytes")
    return payload
