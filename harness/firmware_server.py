"""The firmware server of block L (OCPP 2.0.1 L01/L02, 1.6 Firmware Management and the security
extension's SignedUpdateFirmware): a :class:`~harness.fileserver.FileServer` whose downloads
can fail on demand, answer range requests, and run over HTTPS, every attempt recorded.

What a case uses::

    async with FirmwareServer(tls=pki, on_request=lambda a: trace.event(a.describe())) as fw:
        url = fw.serve("/fw/image.bin", image)
        fw.set_fault("/fw/image.bin", "not-found", times=2)  # retries: 2 failures, then served
        ...  # UpdateFirmware with location=url, retries=3
        tries = await fw.wait_attempts("/fw/image.bin", 3, timeout_s=10)
        gaps = [b.at - a.at for a, b in zip(tries, tries[1:])]  # vs. retryInterval

* Faults (:data:`FAULT_KINDS`), per path, set and cleared at any time with :meth:`set_fault`:
  ``not-found`` (404), ``truncated`` (Content-Length says the full size, fewer bytes follow,
  then the connection closes), ``stall`` (the head, then nothing until the hold ends, the
  fault is released or the server stops) and ``wrong-content`` (as many bytes, every one of
  them different: a download whose signature check must fail, L01.FR.04). ``times=k`` makes
  the first ``k`` attempts fail and the later ones succeed (L01 retries / retryInterval).
* ``Range: bytes=a-``, ``bytes=a-b`` and ``bytes=-n`` are answered 206 with Content-Range, a
  range past the end 416 (RFC 9110 §14); several ranges or a malformed one are ignored (the
  whole file, 200), as RFC 9110 allows. A resumed download is a legal variant of a station.
* ``tls=pki``: HTTPS with the CSMS server certificate of the harness PKI (its SAN names the
  loopback addresses and ``sut.tls.host``), so a client that trusts ``pki.csms_root`` verifies it (L01.FR.08
  recommends a secure protocol). A failed handshake never reaches the handler: it is not an
  attempt.
* Every GET or HEAD is a :class:`DownloadAttempt` (monotonic time, method, path, range asked,
  status, bytes sent, fault applied) in :attr:`~FileServer.requests` and given to
  ``on_request``; uploads (PUT/POST) keep working as in :class:`FileServer`.

It listens on 127.0.0.1 unless told otherwise: the cases pass ``sut.listen.host``, the address
the profile already opens for the harness CSMS (a real station downloads from there, as it
uploads its logs to the :class:`~harness.fileserver.FileServer` there); every write and hold is
bounded.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from harness.fileserver import _REASONS, MAX_LINE, FileRequest, FileServer

if TYPE_CHECKING:
    from collections.abc import Callable

    from harness.pki import Pki

#: The faults a download can be served with (see the module docstring).
FAULT_KINDS = ("not-found", "truncated", "stall", "wrong-content")
#: The longest a stalled download is held (s); a fault's ``hold_s`` is capped to it.
MAX_STALL_S = 30.0
#: Bytes written per drain, so that a slow reader bounds what is buffered.
CHUNK = 64 * 1024
_REASONS_MORE = {206: "Partial Content", 416: "Range Not Satisfiable"}


@dataclass(frozen=True, slots=True)
class DownloadFault:
    """How downloads of one path fail: ``kind`` (:data:`FAULT_KINDS`) on every attempt, or with
    ``times`` only on the first ``times`` attempts after it was set; ``keep`` is the body bytes
    a ``truncated`` answer sends (default: half), ``hold_s`` how long a ``stall`` holds."""

    kind: str
    times: int | None = None
    keep: int | None = None
    hold_s: float = MAX_STALL_S

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown download fault {self.kind!r}: use one of {FAULT_KINDS}")
        if self.times is not None and self.times < 0:
            raise ValueError("times must be at least 0")
        if self.keep is not None and self.keep < 0:
            raise ValueError("keep must be at least 0")
        if self.hold_s < 0:
            raise ValueError("hold_s must be at least 0")


@dataclass(frozen=True, slots=True)
class DownloadAttempt(FileRequest):
    """One GET or HEAD the firmware server answered (``size``: body bytes actually sent)."""

    at: float = 0.0  # time.monotonic() when its head had been read
    attempt: int = 0  # 1 for the first request of this path, 2 for the next, ...; 0: unknown
    asked_range: str | None = None  # the Range header as sent
    length: int = 0  # the Content-Length announced
    fault: str | None = None  # the fault applied, if any
    scheme: str = "http"

    def describe(self) -> str:
        asked = f" Range {self.asked_range!r}" if self.asked_range else ""
        fault = f", fault {self.fault}" if self.fault else ""
        return (
            f"firmware server ({self.scheme}): {self.method} {self.path}{asked} attempt "
            f"{self.attempt} at {self.at:.3f} -> {self.status}, {self.size} of {self.length} "
            f"bytes{fault}"
        )


class Unsatisfiable(ValueError):
    """A range that starts past the end of the file (416)."""


def parse_range(value: str | None, size: int) -> tuple[int, int] | None:
    """The first and last byte (inclusive) that the Range header ``value`` asks of a file of
    ``size`` bytes; None for no range or one to ignore (several ranges, not ``bytes``, not
    well formed: the whole file is served); :class:`Unsatisfiable` when none of it exists."""
    if value is None or not value.strip().lower().startswith("bytes="):
        return None
    spec = value.strip()[6:].strip()
    first, dash, last = spec.partition("-")
    if not dash or "," in spec:
        return None
    first, last = first.strip(), last.strip()
    if not first:
        if not last.isdigit():
            return None
        if int(last) == 0 or size == 0:
            raise Unsatisfiable(value)
        return max(0, size - int(last)), size - 1
    if not first.isdigit() or (last and not last.isdigit()):
        return None
    start = int(first)
    if last and int(last) < start:
        return None
    if start >= size:
        raise Unsatisfiable(value)
    return start, size - 1 if not last else min(int(last), size - 1)


def other_bytes(data: bytes) -> bytes:
    """``data`` with every byte inverted: the same length, no byte the same."""
    return bytes(b ^ 0xFF for b in data)


@dataclass
class _Fault:
    fault: DownloadFault
    left: int | None = field(default=None)  # failures still to apply (None: every attempt)


class FirmwareServer(FileServer):
    """Serve firmware images on ``http(s)://<host>:<port>`` with faults on demand; use as
    ``async with`` (see the module docstring)."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        tls: Pki | ssl.SSLContext | None = None,
        max_stall_s: float = MAX_STALL_S,
        max_log: int = 256,
        read_timeout_s: float = 5.0,
        on_request: Callable[[FileRequest], None] | None = None,
    ) -> None:
        super().__init__(
            host=host,
            port=port,
            max_log=max_log,
            read_timeout_s=read_timeout_s,
            on_request=on_request,
        )
        self.max_stall_s = max_stall_s
        self._ssl = _server_ssl(tls)
        self._faults: dict[str, _Fault] = {}
        self._counts: dict[str, int] = {}
        self._unstall = asyncio.Event()
        self._attempted = asyncio.Event()

    @property
    def scheme(self) -> str:
        return "https" if self._ssl is not None else "http"

    async def start(self) -> None:
        self._unstall.clear()
        self._server = await asyncio.start_server(
            self._handle,
            self.host,
            self.port,
            limit=MAX_LINE,
            ssl=self._ssl,
            ssl_handshake_timeout=self.read_timeout_s if self._ssl is not None else None,
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self._unstall.set()
        await super().stop()

    def url(self, path: str = "/") -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}{path}"

    # -- what a case uses -------------------------------------------------------------------
    def serve(self, path: str, data: bytes, *, fault: DownloadFault | None = None) -> str:
        """Offer ``data`` at ``path`` (with ``fault``, else any fault set before stays); returns
        its URL. The attempt count of ``path`` goes on from earlier offers."""
        url = super().serve(path, data)
        if fault is not None:
            self._faults[path] = _Fault(fault, fault.times)
        return url

    def set_fault(
        self,
        path: str,
        kind: str,
        *,
        times: int | None = None,
        keep: int | None = None,
        hold_s: float = MAX_STALL_S,
    ) -> DownloadFault:
        """From the next attempt on, answer downloads of ``path`` with fault ``kind``: every
        time, or with ``times`` only the next ``times`` attempts (then normally again)."""
        fault = DownloadFault(kind, times, keep, min(hold_s, self.max_stall_s))
        self._faults[path] = _Fault(fault, times)
        return fault

    def clear_fault(self, path: str) -> None:
        """Serve ``path`` normally from the next attempt on."""
        self._faults.pop(path, None)

    def release_stalls(self) -> None:
        """End every stall now (the connections close, as on :meth:`stop`); later stalls hold
        again."""
        self._unstall.set()
        self._unstall = asyncio.Event()

    def attempts(self, path: str | None = None) -> list[DownloadAttempt]:
        """The downloads still in the log (the last ``max_log`` requests), oldest first, of
        ``path`` or of every path."""
        return [
            r
            for r in self.requests
            if isinstance(r, DownloadAttempt) and (path is None or r.path == path)
        ]

    async def wait_attempts(
        self, path: str, count: int, *, timeout_s: float
    ) -> list[DownloadAttempt]:
        """The attempts at ``path`` once there are ``count`` of them, or those there are after
        ``timeout_s``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while True:
            found = self.attempts(path)
            left = deadline - loop.time()
            if len(found) >= count or left <= 0:
                return found
            self._attempted.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._attempted.wait(), timeout=left)

    # -- the protocol -----------------------------------------------------------------------
    def _record(self, request: FileRequest) -> None:
        super()._record(request)
        if isinstance(request, DownloadAttempt):
            self._attempted.set()

    def _take_fault(self, path: str) -> DownloadFault | None:
        """The fault this attempt at ``path`` gets, counting it down."""
        entry = self._faults.get(path)
        if entry is None:
            return None
        if entry.left is not None:
            if entry.left <= 0:
                del self._faults[path]
                return None
            entry.left -= 1
        return entry.fault

    async def _answer(
        self,
        writer: asyncio.StreamWriter,
        method: str,
        path: str,
        headers: tuple[tuple[str, str], ...],
    ) -> FileRequest | None:
        if method not in ("GET", "HEAD"):
            return None
        at = time.monotonic()
        asked = next((v for k, v in headers if k.lower() == "range"), None)
        data = self._files.get(path)
        attempt, fault = 0, None
        if data is not None:
            attempt = self._counts[path] = self._counts.get(path, 0) + 1
            fault = self._take_fault(path)
        status, extra, body = self._plan(data, asked, fault)
        sent = await self._send(writer, status, extra, body, fault, head_only=method == "HEAD")
        return DownloadAttempt(
            method,
            path,
            status,
            sent,
            headers,
            at=at,
            attempt=attempt,
            asked_range=asked,
            length=len(body),
            fault=fault.kind if fault is not None else None,
            scheme=self.scheme,
        )

    def _plan(
        self, data: bytes | None, asked: str | None, fault: DownloadFault | None
    ) -> tuple[int, list[str], bytes]:
        """(status, extra header lines, body) of one download."""
        if data is None or (fault is not None and fault.kind == "not-found"):
            return 404, [], b""
        try:
            span = parse_range(asked, len(data))
        except Unsatisfiable:
            return 416, [f"Content-Range: bytes */{len(data)}"], b""
        content = other_bytes(data) if fault is not None and fault.kind == "wrong-content" else data
        extra = ["Accept-Ranges: bytes", "Content-Type: application/octet-stream"]
        if span is None:
            return 200, extra, content
        first, last = span
        extra.append(f"Content-Range: bytes {first}-{last}/{len(data)}")
        return 206, extra, content[first : last + 1]

    async def _send(
        self,
        writer: asyncio.StreamWriter,
        status: int,
        extra: list[str],
        body: bytes,
        fault: DownloadFault | None,
        *,
        head_only: bool = False,
    ) -> int:
        """Write the answer as ``fault`` says (only its head for HEAD), close the connection;
        the body bytes sent."""
        reason = _REASONS_MORE.get(status) or _REASONS.get(status, "")
        head = [f"HTTP/1.1 {status} {reason}", f"Content-Length: {len(body)}", *extra]
        head.append("Connection: close")
        kind = fault.kind if fault is not None else None
        if kind == "truncated":
            keep = fault.keep if fault is not None and fault.keep is not None else len(body) // 2
            body = body[: min(keep, max(len(body) - 1, 0))]
        sent = 0
        try:
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
            await asyncio.wait_for(writer.drain(), timeout=self.read_timeout_s)
            if head_only:
                body = b""
            elif kind == "stall" and fault is not None:
                body = b""
                with contextlib.suppress(TimeoutError):
                    hold = min(fault.hold_s, self.max_stall_s)
                    await asyncio.wait_for(self._unstall.wait(), timeout=hold)
            for i in range(0, len(body), CHUNK):
                writer.write(body[i : i + CHUNK])
                await asyncio.wait_for(writer.drain(), timeout=self.read_timeout_s)
                sent += len(body[i : i + CHUNK])
        except (OSError, TimeoutError):  # ConnectionError and ssl.SSLError among them
            pass
        writer.close()
        with contextlib.suppress(OSError, TimeoutError):
            await asyncio.wait_for(writer.wait_closed(), timeout=1.0)
        return sent


def _server_ssl(tls: Pki | ssl.SSLContext | None) -> ssl.SSLContext | None:
    """The server context for ``tls``: a PKI's CSMS server certificate, or a context as is."""
    if tls is None or isinstance(tls, ssl.SSLContext):
        return tls
    from harness.transport.tls import server_context

    return server_context(tls.csms_server.chain, tls.csms_server.key)
