"""The frame path's shortcuts keep its behaviour (issue 15): a send that cannot wait runs without
a timer (one that can is still bounded: tests/test_link_evidence.py), and the harness peers'
default replies go out without a task per CALL (where the CALL is read, or from the receive loop
when a reply must wait), after the frames that arrived together were all read."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from harness.ocppj.frames import Call, CallResult
from harness.ocppj.session import Received
from harness.peers import CsmsPeer, StationPeer
from harness.trace import Flow
from harness.verdicts import SutFailure
from tests.test_transport import BOUND, NOW, Csms, connected, serving


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


async def until(ready: Callable[[], bool]) -> None:
    """Poll ``ready`` (the callers' ``asyncio.timeout`` bounds it)."""
    for _ in iter(int, 1):
        if ready():
            return
        await asyncio.sleep(0.01)


@pytest.mark.asyncio
async def test_an_answer_is_handled_where_it_is_read() -> None:
    """An answer to an open CALL resolves it without a pass through the receive loop
    (harness/transport/direct.py); it is traced in order all the same."""
    async with asyncio.timeout(BOUND), serving() as (server, _), connected(server) as link:
        looped: list[str | bytes] = []
        handle = link._handle

        async def counted(raw: str | bytes) -> None:
            looped.append(raw)
            await handle(raw)

        link._handle = counted  # type: ignore[method-assign]
        for _ in range(5):
            event = await link.call("Heartbeat", {}, timeout=BOUND)
            assert isinstance(event.frame, CallResult)
            assert event.ok
        assert looped == []
        flows = [(e.flow, e.message_type) for e in link.trace if e.flow is not Flow.EVENT]
        assert flows == [(Flow.SENT, 2), (Flow.RECEIVED, 3)] * 5


@pytest.mark.asyncio
async def test_an_answer_and_a_call_read_together_keep_their_order() -> None:
    """A CALLRESULT and a CALL in one read: the answer is taken at once, the CALL goes to the
    receive loop after it (traced and handed on in the order they came)."""
    csms = Csms()
    csms.silent = True
    async with (
        asyncio.timeout(BOUND),
        serving(csms=csms) as (server, _),
        connected(server) as link,
    ):
        calls: list[Received] = []
        link.on_receive = lambda _, event: calls.append(event)
        pending = asyncio.ensure_future(link.call("Heartbeat", {}, timeout=BOUND))
        theirs = await csms.link()
        await until(lambda: bool(theirs.session.open_inbound))
        uid = theirs.session.open_inbound[0].unique_id
        ws = theirs.ws
        ws.protocol.send_text(f'[3,"{uid}",{{"currentTime":"{NOW}"}}]'.encode())
        ws.protocol.send_text(b'[2,"s-1","Heartbeat",{}]')
        ws.send_data()  # both frames in one write
        event = await pending
        assert isinstance(event.frame, CallResult)
        await until(lambda: bool(calls))
        assert isinstance(calls[0].frame, Call)
        assert calls[0].frame.unique_id == "s-1"
        kinds = [e.message_type for e in link.trace if e.flow is Flow.RECEIVED]
        assert kinds == [3, 2]


@pytest.mark.asyncio
async def test_an_invalid_answer_in_2_1_still_gets_its_callresulterror() -> None:
    """An answer that needs a reply (2.1: a schema-invalid CALLRESULT) goes on to the receive
    loop, parsed once, and the CALLRESULTERROR goes out."""
    csms = Csms()
    csms.silent = True
    sub = ("ocpp2.1",)
    async with (
        asyncio.timeout(BOUND),
        serving(sub, csms=csms) as (server, _),
        connected(server, subprotocols=sub) as link,
    ):
        pending = asyncio.ensure_future(link.call("Heartbeat", {}, timeout=BOUND))
        theirs = await csms.link()
        await until(lambda: bool(theirs.session.open_inbound))
        await theirs.reply(theirs.session.open_inbound[0], {}, validate=False)
        event = await pending
        assert event.problem
        assert event.reply is not None
        await until(lambda: any(e.message_type == 5 for e in theirs.trace))
        assert [e.message_type for e in link.trace if e.flow is not Flow.EVENT] == [2, 3, 5]


async def _pair() -> tuple[CsmsPeer, StationPeer]:
    csms = CsmsPeer("2.0.1", host="127.0.0.1", port=0, response_s=3, action_s=3)
    await csms.start()
    station = StationPeer("2.0.1", url=csms.url, identity="CS1", response_s=3, action_s=3)
    await station.connect()
    await csms.wait_connected(3)
    return csms, station


def _wire(peer: CsmsPeer) -> list[tuple[Flow, int | None, str | None]]:
    return [(e.flow, e.message_type, e.unique_id) for e in peer.trace if e.flow is not Flow.EVENT]


@pytest.mark.asyncio
async def test_a_default_reply_goes_out_where_the_call_is_read() -> None:
    """A CALL the harness answers by default is answered without a pass through the receive
    loop (Link.answer_now); the trace still shows each CALL before its answer."""
    csms, station = await _pair()
    try:
        async with asyncio.timeout(BOUND):
            csms.begin_case("at once")
            assert csms.link is not None
            looped: list[str | bytes] = []
            handle = csms.link._handle

            async def counted(raw: str | bytes) -> None:
                looped.append(raw)
                await handle(raw)

            csms.link._handle = counted  # type: ignore[method-assign]
            for _ in range(5):
                outcome = await station.call_payload("Heartbeat", {})
                assert "currentTime" in outcome.payload
            assert looped == []
            wire = _wire(csms)
            assert [(flow, kind) for flow, kind, _ in wire] == [
                (Flow.RECEIVED, 2),
                (Flow.SENT, 3),
            ] * 5
            assert all(wire[i][2] == wire[i + 1][2] for i in range(0, 10, 2))
            await csms.end_case()
    finally:
        await station.stop()
        await csms.stop()


@pytest.mark.asyncio
@pytest.mark.parametrize("delay_s", [0.0, 0.05], ids=["at once", "reply must wait"])
async def test_calls_read_together_are_all_read_before_any_reply(delay_s: float) -> None:
    """Two CALLs in one read: both are handled (the second is a burst, OCPP-J 2.x §4.1.1) before
    either is answered, and the answers go out in the CALLs' order; also when a reply must wait
    (a send delay), which leaves the replies to the receive loop."""
    csms, station = await _pair()
    try:
        async with asyncio.timeout(BOUND):
            csms.begin_case("burst")
            assert csms.link is not None
            assert station.link is not None
            csms.link.send_delay_s = delay_s
            ws = station.link.ws
            ws.protocol.send_text(b'[2,"b-1","Heartbeat",{}]')
            ws.protocol.send_text(b'[2,"b-2","Heartbeat",{}]')
            ws.send_data()  # both CALLs in one write
            await until(lambda: sum(kind == 3 for _, kind, _ in _wire(csms)) == 2)
            assert _wire(csms) == [
                (Flow.RECEIVED, 2, "b-1"),
                (Flow.RECEIVED, 2, "b-2"),
                (Flow.SENT, 3, "b-1"),
                (Flow.SENT, 3, "b-2"),
            ]
            assert csms._burst_breaches  # the second CALL came while the first was unanswered
            assert all(item.replied for item in csms._inbox)
            csms._burst_breaches.clear()
            await csms.end_case()
    finally:
        await station.stop()
        await csms.stop()


@pytest.mark.asyncio
async def test_a_call_read_with_the_awaited_answer_is_seen_after_the_script_resumes() -> None:
    """An answer and a CALL in one read (a station answering RemoteStartTransaction and sending
    its StartTransaction at once): the script that waited for the answer resumes first, and a
    wait it starts then for "no such CALL" still sees the CALL (as when each came alone)."""
    csms, station = await _pair()
    try:
        async with asyncio.timeout(BOUND):
            csms.begin_case("answer and call")
            station.begin_case("answer and call")
            assert station.link is not None
            station.hold("Reset")
            link = station.link

            async def answer_and_call() -> None:
                item = await station.expect("Reset")
                item.replied = True  # answered here, by hand
                ws = link.ws
                ws.protocol.send_text(
                    f'[3,"{item.call.unique_id}",{{"status":"Accepted"}}]'.encode()
                )
                ws.protocol.send_text(b'[2,"s-9","Heartbeat",{}]')
                ws.send_data()  # the answer and a CALL in one write

            side = asyncio.ensure_future(answer_and_call())
            outcome = await csms.call_payload("Reset", {"type": "Immediate"})
            assert outcome.payload == {"status": "Accepted"}
            with pytest.raises(SutFailure, match="no Heartbeat"):
                await csms.expect_none("Heartbeat", for_s=0.5, req="no Heartbeat")
            await side
    finally:
        await station.stop()
        await csms.stop()
