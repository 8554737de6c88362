"""The local HTTP file server (harness/fileserver.py): uploads by PUT and POST under /upload/,
downloads of registered files, the refusals (404, 405, 411, 413, 408), bounds, and every request
reported; the client side (``transfer``) against it."""

from __future__ import annotations

import asyncio

import pytest

from harness.fileserver import FileRequest, FileServer, TransferError, transfer


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
