"""The reference station's firmware download (OCPP 2.0.1 L01, 1.6 §5.19 / Security Whitepaper
SignedUpdateFirmware): one HTTP(S) GET of ``firmware.location``, optionally resuming with a
``Range`` request (RFC 9110 §14) after a truncated attempt.

A download succeeds only when the whole body the server announced (Content-Length, or the
Content-Range total of a 206) arrived; anything else raises :class:`FetchError`, which carries
the bytes that did arrive so that a resuming station can ask for the rest.
"""

from __future__ import annotations

import asyncio
import ssl
from urllib.parse import urlsplit

#: The largest firmware image the reference station takes (bytes).
MAX_IMAGE = 16 * 1024 * 1024
_HEAD_LIMIT = 64 * 1024


class FetchError(Exception):
    """A failed download attempt; ``partial``: the body bytes that arrived (a 200 or 206)."""

    def __init__(self, message: str, partial: bytes = b"") -> None:
        super().__init__(message)
        self.partial = partial


async def fetch(
    url: str,
    *,
    offset: int = 0,
    ssl_context: ssl.SSLContext | None = None,
    timeout_s: float = 5.0,
) -> bytes:
    """The body of ``url`` from byte ``offset`` on (``offset`` > 0: a ``Range: bytes=offset-``
    request, which must be answered 206 from that byte). HTTPS needs ``ssl_context``."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.hostname is None:
        raise FetchError(f"unsupported firmware location {url!r} (http or https only)")
    secure = parts.scheme == "https"
    if secure and ssl_context is None:
        raise FetchError(f"{url}: no trust store for https")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    head = [f"GET {target} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close"]
    if offset:
        head.append(f"Range: bytes={offset}-")
    port = parts.port or (443 if secure else 80)
    try:
        async with asyncio.timeout(timeout_s):
            reader, writer = await asyncio.open_connection(
                parts.hostname, port, ssl=ssl_context if secure else None
            )
            try:
                writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
                await writer.drain()
                return await _read(reader, url, offset)
            finally:
                writer.close()
    except (OSError, TimeoutError, ssl.SSLError) as exc:
        raise FetchError(f"GET {url}: {exc or type(exc).__name__}") from None


async def _read(reader: asyncio.StreamReader, url: str, offset: int) -> bytes:
    try:
        raw = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        raise FetchError(f"GET {url}: no complete answer head") from None
    if len(raw) > _HEAD_LIMIT:
        raise FetchError(f"GET {url}: answer head too long")
    lines = raw.decode("latin-1").split("\r\n")
    fields = lines[0].split(" ")
    if len(fields) < 2 or not fields[1].isdigit():
        raise FetchError(f"GET {url}: malformed answer {lines[0]!r}")
    status = int(fields[1])
    headers = {
        name.strip().lower(): value.strip()
        for name, sep, value in (line.partition(":") for line in lines[1:])
        if sep
    }
    expected = 206 if offset else 200
    if status != expected:
        raise FetchError(f"GET {url}: HTTP {status} (expected {expected})")
    length = headers.get("content-length", "")
    if not length.isdigit() or int(length) > MAX_IMAGE:
        raise FetchError(f"GET {url}: no usable Content-Length ({length!r})")
    if offset and not headers.get("content-range", "").startswith(f"bytes {offset}-"):
        raise FetchError(f"GET {url}: Content-Range does not start at byte {offset}")
    body = b""
    want = int(length)
    while len(body) < want:
        chunk = await reader.read(want - len(body))
        if not chunk:
            raise FetchError(f"GET {url}: {len(body)} of {want} bytes, then closed", body)
        body += chunk
    return body
