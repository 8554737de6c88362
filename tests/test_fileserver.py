"""The local HTTP file server (harness/fileserver.py): uploads by PUT and POST under /upload/,
downloads of registered files, the refusals (404, 405, 411, 413, 408), bounds, and every request
reported; the client side (``transfer``) against it."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass

import pytest

from harness.fileserver import FileRequest, FileServer, TransferError, transfer
from harness.firmware_server import DownloadFault, FirmwareServer, Unsatisfiable, parse_range
from harness.pki import Pki, ensure_pki


async def _raw(server: FileServer, data: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(data)
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), timeout=5)
    writer.close()
    return answer


async def test_upload_put_and_post_then_download() -> None:
    seen: list[FileRequest] = []
    async with FileServer(on_request=seen.append) as server:
        await transfer(server.url("/upload/a.log"), method="PUT", body=b"one", filename="a.log")
        await transfer(server.url("/upload/b.log"), method="POST", body=b"two", filename="b.log")
        assert server.uploads == {"/upload/a.log": b"one", "/upload/b.log": b"two"}
        assert await server.wait_upload("/upload/b", timeout_s=0.1) == "/upload/b.log"
        url = server.serve("/fw/image.bin", b"\x00firmware")
        assert await transfer(url) == b"\x00firmware"
    assert [(r.method, r.path, r.status, r.size) for r in seen] == [
        ("PUT", "/upload/a.log", 201, 3),
        ("POST", "/upload/b.log", 201, 3),
        ("GET", "/fw/image.bin", 200, 9),
    ]
    assert seen[0].header("content-disposition") == 'attachment; filename="a.log"'
    assert "PUT /upload/a.log -> 201" in seen[0].describe()


async def test_refusals() -> None:
    async with FileServer(max_upload=4) as server:
        with pytest.raises(TransferError) as missing:
            await transfer(server.url("/missing/x.log"), method="PUT", body=b"x")
        assert missing.value.status == 404
        with pytest.raises(TransferError) as large:
            await transfer(server.url("/upload/big"), method="PUT", body=b"12345")
        assert large.value.status == 413
        with pytest.raises(TransferError) as unknown:
            await transfer(server.url("/fw/none.bin"))
        assert unknown.value.status == 404
        assert b" 405 " in await _raw(server, b"DELETE /upload/x HTTP/1.1\r\n\r\n")
        assert b" 411 " in await _raw(server, b"PUT /upload/x HTTP/1.1\r\n\r\n")
        assert b" 400 " in await _raw(server, b"nonsense\r\n\r\n")
        assert b" 404 " in await _raw(server, b"PUT /upload/../x HTTP/1.1\r\n\r\n")
        assert b" 400 " in await _raw(server, b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\n\r\n")
        assert server.uploads == {}
        assert await server.wait_upload(timeout_s=0.05) is None


async def test_bounded_and_timeouts() -> None:
    async with FileServer(max_files=2, max_log=3, read_timeout_s=0.2) as server:
        for name in "abc":
            await transfer(server.url(f"/upload/{name}"), method="PUT", body=b"x")
        assert list(server.uploads) == ["/upload/b", "/upload/c"]
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(b"PUT /upload/slow HTTP/1.1\r\nContent-Length: 10\r\n\r\nab")
        assert b" 408 " in await asyncio.wait_for(reader.read(), timeout=5)
        writer.close()
        assert len(server.requests) == 3
        assert server.requests[-1].status == 408


async def test_client_errors() -> None:
    with pytest.raises(TransferError, match="plain http only"):
        await transfer("ftp://127.0.0.1/x")
    async with FileServer() as server:
        port = server.port
    with pytest.raises(TransferError):
        await transfer(f"http://127.0.0.1:{port}/upload/x", method="PUT", timeout_s=1)


async def test_held_uploads_are_answered_once_released() -> None:
    async with FileServer() as server:
        server.hold_uploads()
        upload = asyncio.ensure_future(
            transfer(server.url("/upload/slow"), method="PUT", body=b"x")
        )
        await asyncio.sleep(0.2)
        assert not upload.done()
        server.release_uploads()
        await asyncio.wait_for(upload, timeout=5)
        assert server.uploads == {"/upload/slow": b"x"}


# -- the firmware server (harness/firmware_server.py) -----------------------------------------
IMAGE = bytes(range(10))


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


async def _get(
    server: FirmwareServer,
    path: str,
    *,
    method: str = "GET",
    asked: str | None = None,
    context: ssl.SSLContext | None = None,
) -> Answer:
    """One request by asyncio streams, read to the end of the connection."""
    reader, writer = await asyncio.open_connection(
        "127.0.0.1", server.port, ssl=context, server_hostname="127.0.0.1" if context else None
    )
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    if asked is not None:
        head += f"Range: {asked}\r\n"
    writer.write((head + "\r\n").encode("latin-1"))
    await writer.drain()
    with contextlib.suppress(ConnectionError, ssl.SSLError):
        data = await asyncio.wait_for(reader.read(), timeout=5)
    writer.close()
    raw_head, _, body = data.partition(b"\r\n\r\n")
    lines = raw_head.decode("latin-1").split("\r\n")
    fields = dict(line.split(": ", 1) for line in lines[1:])
    return Answer(int(lines[0].split(" ")[1]), {k.lower(): v for k, v in fields.items()}, body)


def test_parse_range() -> None:
    assert parse_range(None, 10) is None
    assert parse_range("bytes=4-", 10) == (4, 9)
    assert parse_range("bytes=2-5", 10) == (2, 5)
    assert parse_range("bytes=2-50", 10) == (2, 9)
    assert parse_range("bytes=-3", 10) == (7, 9)
    assert parse_range("bytes=-30", 10) == (0, 9)
    for ignored in ("bytes=1-2,4-5", "items=1-2", "bytes=x-", "bytes=5-2", "bytes=3"):
        assert parse_range(ignored, 10) is None, ignored
    for past in ("bytes=10-", "bytes=-0"):
        with pytest.raises(Unsatisfiable):
            parse_range(past, 10)


async def test_range_requests_are_answered_206() -> None:
    async with FirmwareServer() as server:
        server.serve("/fw/a.bin", IMAGE)
        whole = await _get(server, "/fw/a.bin")
        assert (whole.status, whole.body) == (200, IMAGE)
        assert whole.headers["accept-ranges"] == "bytes"
        tail = await _get(server, "/fw/a.bin", asked="bytes=4-")
        assert (tail.status, tail.body) == (206, IMAGE[4:])
        assert tail.headers["content-range"] == "bytes 4-9/10"
        assert tail.headers["content-length"] == "6"
        middle = await _get(server, "/fw/a.bin", asked="bytes=2-5")
        assert (middle.status, middle.body) == (206, IMAGE[2:6])
        assert middle.headers["content-range"] == "bytes 2-5/10"
        past = await _get(server, "/fw/a.bin", asked="bytes=10-")
        assert (past.status, past.headers["content-range"]) == (416, "bytes */10")
        several = await _get(server, "/fw/a.bin", asked="bytes=0-1,4-5")
        assert (several.status, several.body) == (200, IMAGE)
        head = await _get(server, "/fw/a.bin", method="HEAD")
        assert (head.status, head.headers["content-length"], head.body) == (200, "10", b"")
        missing = await _get(server, "/fw/none.bin")
        assert missing.status == 404
    tries = server.attempts("/fw/a.bin")
    assert [(a.attempt, a.asked_range, a.status, a.size) for a in tries] == [
        (1, None, 200, 10),
        (2, "bytes=4-", 206, 6),
        (3, "bytes=2-5", 206, 4),
        (4, "bytes=10-", 416, 0),
        (5, "bytes=0-1,4-5", 200, 10),
        (6, None, 200, 0),
    ]
    assert server.attempts("/fw/none.bin")[0].attempt == 0


async def test_failures_before_success_and_the_attempt_log() -> None:
    seen: list[FileRequest] = []
    async with FirmwareServer(on_request=seen.append) as server:
        url = server.serve("/fw/a.bin", IMAGE)
        assert url == f"http://127.0.0.1:{server.port}/fw/a.bin"
        server.set_fault("/fw/a.bin", "not-found", times=2)
        statuses = [(await _get(server, "/fw/a.bin")).status for _ in range(3)]
        assert statuses == [404, 404, 200]
        tries = await server.wait_attempts("/fw/a.bin", 3, timeout_s=1)
        assert await server.wait_attempts("/fw/a.bin", 4, timeout_s=0.05) == tries
    assert seen == tries
    assert [(a.attempt, a.fault, a.size) for a in tries] == [
        (1, "not-found", 0),
        (2, "not-found", 0),
        (3, None, 10),
    ]
    assert tries[0].at < tries[1].at < tries[2].at
    assert "attempt 1" in tries[0].describe()
    assert "fault not-found" in tries[0].describe()
    assert "-> 200, 10 of 10 bytes" in tries[2].describe()


async def test_truncated_and_wrong_content() -> None:
    async with FirmwareServer() as server:
        server.serve("/fw/a.bin", IMAGE, fault=DownloadFault("truncated", keep=3))
        cut = await _get(server, "/fw/a.bin")
        assert (cut.status, cut.headers["content-length"], cut.body) == (200, "10", IMAGE[:3])
        server.set_fault("/fw/a.bin", "truncated")
        half = await _get(server, "/fw/a.bin", asked="bytes=2-")
        assert (half.headers["content-length"], half.body) == ("8", IMAGE[2:6])
        server.set_fault("/fw/a.bin", "wrong-content", times=1)
        wrong = await _get(server, "/fw/a.bin")
        assert wrong.status == 200
        assert len(wrong.body) == len(IMAGE)
        assert all(a != b for a, b in zip(wrong.body, IMAGE, strict=True))
        assert (await _get(server, "/fw/a.bin")).body == IMAGE  # once only
        server.set_fault("/fw/a.bin", "not-found")
        server.clear_fault("/fw/a.bin")
        assert (await _get(server, "/fw/a.bin")).body == IMAGE
    assert [(a.fault, a.size, a.length) for a in server.attempts()] == [
        ("truncated", 3, 10),
        ("truncated", 4, 8),
        ("wrong-content", 10, 10),
        (None, 10, 10),
        (None, 10, 10),
    ]


async def test_stall_is_bounded_and_released() -> None:
    async with FirmwareServer(max_stall_s=0.3) as server:
        server.serve("/fw/a.bin", IMAGE)
        capped = server.set_fault("/fw/a.bin", "stall", hold_s=60)
        assert capped.hold_s == 0.3  # max_stall_s
        loop = asyncio.get_running_loop()
        start = loop.time()
        stalled = await _get(server, "/fw/a.bin")
        assert 0.25 <= loop.time() - start < 3
        assert (stalled.status, stalled.headers["content-length"], stalled.body) == (
            200,
            "10",
            b"",
        )
    async with FirmwareServer() as server:
        server.serve("/fw/a.bin", IMAGE, fault=DownloadFault("stall", hold_s=20))
        pending = asyncio.ensure_future(_get(server, "/fw/a.bin"))
        await asyncio.sleep(0.2)
        assert not pending.done()
        server.release_stalls()
        assert (await asyncio.wait_for(pending, timeout=3)).body == b""
        pending = asyncio.ensure_future(_get(server, "/fw/a.bin"))
        await asyncio.sleep(0.2)
        start = asyncio.get_running_loop().time()
    assert (await asyncio.wait_for(pending, timeout=3)).body == b""  # stop released it
    assert asyncio.get_running_loop().time() - start < 3
    assert [(a.fault, a.size) for a in server.attempts()] == [("stall", 0), ("stall", 0)]


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return ensure_pki(tmp_path_factory.mktemp("fw") / "ecdsa")


async def test_https_verified_against_the_pki_root(pki: Pki) -> None:
    trusting = ssl.create_default_context(cafile=str(pki.csms_root))
    async with FirmwareServer(tls=pki) as server:
        url = server.serve("/fw/a.bin", IMAGE)
        assert url.startswith("https://127.0.0.1:")
        answer = await _get(server, "/fw/a.bin", asked="bytes=5-", context=trusting)
        assert (answer.status, answer.body) == (206, IMAGE[5:])

        def fetch(context: ssl.SSLContext) -> bytes:
            with urllib.request.urlopen(url, context=context, timeout=5) as response:
                return bytes(response.read())

        assert await asyncio.to_thread(fetch, trusting) == IMAGE
        with pytest.raises(urllib.error.URLError, match="CERTIFICATE_VERIFY_FAILED"):
            await asyncio.to_thread(fetch, ssl.create_default_context())
    assert [(a.scheme, a.status) for a in server.attempts()] == [("https", 206), ("https", 200)]


async def test_uploads_still_taken() -> None:
    with pytest.raises(ValueError, match="unknown download fault"):
        DownloadFault("slow")
    async with FirmwareServer() as server:
        await transfer(server.url("/upload/x.log"), method="PUT", body=b"log")
        assert server.uploads == {"/upload/x.log": b"log"}
        for _ in range(100):  # the answer is read before the server logs it
            if server.requests:
                break
            await asyncio.sleep(0.01)
        assert server.attempts() == []
        assert [r.status for r in server.requests] == [201]
