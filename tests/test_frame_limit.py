"""Frames too big are named (issue 8 item 9): a message over the harness's limit closes the
connection with 1009 and is reported by its size and the limit, not as a lost connection.

Both sides of the transport over loopback: the harness CSMS's listener (:class:`OcppServer`) and
the harness station's client (:func:`open_link`), with a limit of 0.01 MiB and a peer that sends
20 KiB.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator

import pytest
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from harness.trace import Flow
from harness.transport import Link, OcppServer, open_link
from harness.transport.too_big import FRAME_LIMIT_KEY

HOST = "127.0.0.1"
#: Upper bound of every test body (seconds).
BOUND = 10.0
#: limits.max_frame_mib: 0.01, as the profile turns it into bytes.
LIMIT = int(0.01 * 1024 * 1024)
NAMED = f"the limit is 0.01 MiB ({FRAME_LIMIT_KEY})"


def _status(pad: int) -> str:
    """A StatusNotification CALL of about ``pad`` characters."""
    payload = {"connectorStatus": "Available", "customData": {"vendorId": "v", "pad": "x" * pad}}
    return json.dumps([2, "big-1", "StatusNotification", payload])


@contextlib.asynccontextmanager
async def _listener() -> AsyncIterator[tuple[OcppServer, asyncio.Queue[Link]]]:
    links: asyncio.Queue[Link] = asyncio.Queue()

    async def on_link(link: Link) -> None:
        links.put_nowait(link)
        await link.run()

    server = OcppServer(HOST, 0, ["ocpp2.0.1"], on_link, max_size=LIMIT)
    await server.start()
    try:
        yield server, links
    finally:
        await server.stop()


@pytest.mark.asyncio
async def test_the_listener_names_a_frame_over_its_limit() -> None:
    async with asyncio.timeout(BOUND), _listener() as (server, links):
        async with connect(f"{server.url}/CS001", subprotocols=["ocpp2.0.1"]) as ws:  # type: ignore[list-item]
            link = await links.get()
            await ws.send(_status(20 * 1024))
            with pytest.raises(ConnectionClosed) as closed:
                await ws.recv()
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1009
        await link.closed.wait()
        size = len(_status(20 * 1024)) / 1024
        assert link.too_big == f"the SUT sent a {size:.1f} KiB frame; {NAMED}"
        assert link.close_reason == link.too_big
        marked = [e for e in link.trace if e.flow is Flow.EVENT and e.problem]
        assert [e.problem for e in marked] == [link.too_big]
        assert "code 1009" in marked[0].raw


@pytest.mark.asyncio
async def test_a_message_in_fragments_is_named_by_what_was_read() -> None:
    async with asyncio.timeout(BOUND), _listener() as (server, links):
        async with connect(f"{server.url}/CS001", subprotocols=["ocpp2.0.1"]) as ws:  # type: ignore[list-item]
            link = await links.get()
            text = _status(30 * 1024)
            chunks = [text[i : i + 6000] for i in range(0, len(text), 6000)]
            with contextlib.suppress(ConnectionClosed):
                await ws.send(chunks)
                await ws.recv()
        await link.closed.wait()
        assert link.too_big is not None
        assert link.too_big.startswith("the SUT sent a message of at least 11.7 KiB (in fragments)")
        assert link.too_big.endswith(NAMED)


@pytest.mark.asyncio
async def test_a_frame_within_the_limit_goes_through() -> None:
    async with asyncio.timeout(BOUND), _listener() as (server, links):
        async with connect(f"{server.url}/CS001", subprotocols=["ocpp2.0.1"]) as ws:  # type: ignore[list-item]
            link = await links.get()
            await ws.send(_status(8 * 1024))
            answer = json.loads(await ws.recv())  # a CALLERROR or a CALLRESULT: it was read
            assert answer[1] == "big-1"
        assert link.too_big is None


@pytest.mark.asyncio
async def test_the_station_client_names_a_frame_over_its_limit() -> None:
    async def handler(ws: ServerConnection) -> None:
        with contextlib.suppress(ConnectionClosed):
            await ws.send(_status(20 * 1024))
            await ws.recv()

    async with (
        asyncio.timeout(BOUND),
        serve(handler, HOST, 0, subprotocols=["ocpp2.0.1"]) as server,  # type: ignore[list-item]
    ):
        port = next(iter(server.sockets)).getsockname()[1]
        link = await open_link(
            f"ws://{HOST}:{port}/ocpp/CS001",
            identity="CS001",
            subprotocols=["ocpp2.0.1"],
            timeout=BOUND,
            max_size=LIMIT,
        )
        await link.run()
    assert link.too_big is not None
    assert link.too_big.startswith("the SUT sent a 20.")
    assert link.too_big.endswith(NAMED)
