"""The station-under-test side of N01 (retrieve a log) shared by the OCPP 2.0.1/2.1 cases
(:mod:`.test_n_diagnostics`) and the OCPP 1.6 security extension
(:mod:`testcases.v16.test_security`): the log server the station uploads to, and a GetLog
followed to its Uploaded."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from harness import CsmsPeer
from harness.checks import require
from harness.fileserver import FileRequest, FileServer


@contextlib.asynccontextmanager
async def log_server(csms: CsmsPeer, host: str) -> AsyncIterator[FileServer]:
    """The log server of N01 (Part 6 prerequisite) for one case, on a free port of ``host``
    (the address the harness CSMS listens on, ``sut.listen.host``: the station reaches the
    harness there). Every request it answers goes into the case's trace."""

    def record(request: FileRequest) -> None:
        csms.trace.event(request.describe())

    async with FileServer(host=host, on_request=record) as server:
        yield server


async def uploading_then_uploaded(csms: CsmsPeer, request_id: int) -> None:
    """LogStatusNotification Uploading (N01.FR.08), then Uploaded (N01.FR.09), both with the
    GetLog's ``request_id`` (N01.FR.07)."""
    await csms.expect(
        "LogStatusNotification",
        status="Uploading",
        request_id=request_id,
        within_s=csms.action_s,
        req="N01.FR.08: LogStatusNotification Uploading (N01.FR.07: same requestId)",
    )
    await csms.expect(
        "LogStatusNotification",
        status="Uploaded",
        request_id=request_id,
        within_s=csms.action_s,
        req="N01.FR.09: LogStatusNotification Uploaded (N01.FR.07: same requestId)",
    )


async def log_uploaded(
    csms: CsmsPeer, server: FileServer, log_type: str, request_id: int, content_req: str
) -> None:
    """GetLog of ``log_type`` to the file server: Accepted with a file name (N01.FR.01), then
    LogStatusNotification Uploading (N01.FR.08) and Uploaded (N01.FR.09), both with the
    GetLog's requestId (N01.FR.07/13); the file reached the server (``content_req``)."""
    result = await csms.call(
        "GetLog",
        log_type=log_type,
        request_id=request_id,
        log={"remoteLocation": server.url()},
    )
    result.must(status="Accepted", req="N01.FR.01: GetLog Accepted")
    filename = result.get("filename")
    require(
        isinstance(filename, str) and filename.strip() != "",
        req="N01.FR.01: the file name is given",
        expected="filename present and not empty",
        actual=repr(filename),
        frames=result.frames,
    )
    await uploading_then_uploaded(csms, request_id)
    uploaded = await server.wait_upload(timeout_s=0.5)
    require(
        uploaded is not None,
        req=content_req,
        expected=f"a {log_type} file uploaded to {server.url()}",
        actual="nothing uploaded",
        frames=csms.trace.render(last=12),
    )
