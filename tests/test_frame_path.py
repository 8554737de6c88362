"""The frame path's shortcuts keep its behaviour (issue 15): a send that cannot wait runs without
a timer (one that can is still bounded: tests/test_link_evidence.py), and the harness peers'
default replies go out from the receive loop, not from a task per CALL, after the frames that
arrived together were all read."""

from __future__ import annotations

import asyncio

import pytest

from harness.peers import CsmsPeer, StationPeer
from tests.test_transport import BOUND, connected, serving


@pytest.mark.asyncio
async def test_a_send_may_block_only_over_the_high_water_mark() -> None:
    async with asyncio.timeout(BOUND), serving() as (server, _), connected(server) as link:
        assert not link._may_block('[2,"a","Heartbeat",{}]')
        high = link.ws.transport.get_write_buffer_limits()[1]
        assert link._may_block("x" * high)  # this frame alone could fill the buffer
        link.ws.paused = True  # the transport asked the protocol to stop writing
        try:
            assert link._may_block('[2,"a","Heartbeat",{}]')
        finally:
            link.ws.paused = False


@pytest.mark.asyncio
async def test_default_replies_go_out_from_the_receive_loop() -> None:
    csms = CsmsPeer("2.0.1", host="127.0.0.1", port=0, response_s=3, action_s=3)
    await csms.start()
    station = StationPeer("2.0.1", url=csms.url, identity="CS1", response_s=3, action_s=3)
    try:
        async with asyncio.timeout(BOUND):
            await station.connect()
            await csms.wait_connected(3)
            csms.begin_case("replies")
            spawned: list[object] = []
            csms._spawn = spawned.append  # type: ignore[method-assign,assignment]
            for _ in range(20):
                outcome = await station.call_payload("Heartbeat", {})
                assert "currentTime" in outcome.payload
            assert spawned == []  # no task per CALL
            assert csms._due == []
            assert all(item.replied for item in csms._inbox)
            await csms.end_case()
    finally:
        await station.stop()
        await csms.stop()
