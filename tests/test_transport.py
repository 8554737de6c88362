"""The WebSocket transport over loopback: handshake rules, Basic auth, faults, and the Link's RPC.

Every test runs a real :class:`OcppServer` on 127.0.0.1 (port 0) and connects with
:func:`open_link`; every wait is bounded so a regression fails fast instead of hanging the suite.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import socket
import time
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from harness.ocppj import Call, CallError, CallResult, ErrorKind, Received, error_code
from harness.trace import Flow, Trace
from harness.transport import (
    ConnectFailed,
    Link,
    LinkClosed,
    OcppServer,
    ResponseTimeout,
    open_link,
    station_url,
)

HOST = "127.0.0.1"
NOW = "2025-01-01T12:00:00.000Z"
#: Upper bound of every test body (seconds).
BOUND = 5.0


class Csms:
    """The server side of the tests: keeps the links it was given and answers Heartbeats."""

    def __init__(self, *, trace_limit: int | None = None) -> None:
        self.links: list[Link] = []
        self.connected = asyncio.Event()
        self.silent = False
        self.abort_on_call = False
        self.trace_limit = trace_limit
        self.replies: set[asyncio.Task[None]] = set()

    async def on_link(self, link: Link) -> None:
        if self.trace_limit is not None:
            link.trace = Trace(link.identity, limit=self.trace_limit)
        link.on_receive = self.on_receive
        self.links.append(link)
        self.connected.set()
        await link.run()

    def on_receive(self, link: Link, event: Received) -> None:
        frame = event.frame
        if not isinstance(frame, Call) or event.reply is not None:
            return
        if self.abort_on_call:
            link.abort()
        elif not self.silent:
            task = asyncio.ensure_future(link.reply(frame, {"currentTime": NOW}))
            self.replies.add(task)
            task.add_done_callback(self.replies.discard)

    async def link(self) -> Link:
        await self.connected.wait()
        return self.links[-1]


@contextlib.asynccontextmanager
async def serving(
    subprotocols: Sequence[str] = ("ocpp2.0.1",), csms: Csms | None = None, **options: Any
) -> AsyncIterator[tuple[OcppServer, Csms]]:
    """A started OcppServer on a free loopback port, stopped afterwards."""
    handler = csms or Csms()
    server = OcppServer(HOST, 0, list(subprotocols), handler.on_link, **options)
    await server.start()
    try:
        yield server, handler
    finally:
        await server.stop()


@contextlib.asynccontextmanager
async def connected(
    server: OcppServer,
    identity: str = "CS001",
    subprotocols: Sequence[str] = ("ocpp2.0.1",),
    **options: Any,
) -> AsyncIterator[Link]:
    """An open, running client Link to ``server``, closed afterwards."""
    link = await open_link(
        station_url(server.url + "/ocpp", identity),
        identity=identity,
        subprotocols=list(subprotocols),
        timeout=BOUND,
        **options,
    )
    runner = asyncio.ensure_future(link.run())
    try:
        yield link
    finally:
        await link.close()
        await asyncio.wait_for(runner, BOUND)


async def refused(server: OcppServer, **options: Any) -> ConnectFailed:
    """The ConnectFailed a connection attempt to ``server`` ends with."""
    with pytest.raises(ConnectFailed) as info:
        async with connected(server, **options):
            pass
    return info.value


# -- handshake -----------------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_server_picks_its_preferred_version_among_those_offered() -> None:
    async with asyncio.timeout(BOUND), serving(["ocpp2.1", "ocpp2.0.1"]) as (server, csms):
        offered = ["ocpp1.6", "ocpp2.0.1", "ocpp2.1"]
        async with connected(server, subprotocols=offered) as link:
            assert link.subprotocol == "ocpp2.1"
            assert link.version == "2.1"
            assert link.offered_subprotocols == tuple(offered)
            remote = await csms.link()
            assert remote.version == "2.1"
            assert remote.offered_subprotocols == tuple(offered)
        handshake = server.handshakes[-1]
        assert handshake.status == 101
        assert handshake.offered == tuple(offered)


@pytest.mark.asyncio
async def test_no_common_subprotocol_is_http_400_with_evidence() -> None:
    async with asyncio.timeout(BOUND), serving(["ocpp2.0.1"]) as (server, _):
        failure = await refused(server, identity="CS404", subprotocols=["ocpp1.6", "ocpp1.5"])
        assert failure.status == 400
        handshake = server.handshakes[-1]
        assert handshake.status == 400
        assert handshake.identity == "CS404"
        assert handshake.offered == ("ocpp1.6", "ocpp1.5")
        assert "no supported subprotocol" in handshake.note


@pytest.mark.asyncio
async def test_identity_is_the_percent_decoded_last_path_segment() -> None:
    identity = "CS 01/Zoë"
    async with asyncio.timeout(BOUND), serving() as (server, csms):
        async with connected(server, identity=identity):
            remote = await csms.link()
            assert remote.identity == identity
        assert server.handshakes[-1].identity == identity
        assert server.handshakes[-1].path.endswith("/ocpp/CS%2001%2FZo%C3%AB")


# -- Basic auth ------------------------------------------------------------------------------------
def only_cs001(identity: str, username: str, password: str) -> bool:
    return identity == username == "CS001" and password == "s3cret:pass"


@pytest.mark.asyncio
async def test_basic_auth_accepts_the_right_password() -> None:
    async with asyncio.timeout(BOUND), serving(credentials=only_cs001) as (server, _):
        async with connected(server, basic_auth=("CS001", "s3cret:pass")) as link:
            assert not link.closed.is_set()
        assert server.handshakes[-1].username == "CS001"
        assert server.handshakes[-1].status == 101


@pytest.mark.asyncio
async def test_basic_auth_refuses_a_wrong_or_missing_password() -> None:
    async with asyncio.timeout(BOUND), serving(credentials=only_cs001) as (server, csms):
        wrong = await refused(server, basic_auth=("CS001", "guess"))
        assert wrong.status == 401
        assert "check the station identity and the Basic auth password" in str(wrong)
        assert server.handshakes[-1].note == "invalid credentials"
        missing = await refused(server)
        assert missing.status == 401
        assert server.handshakes[-1].username is None
        assert not csms.links


# -- fault hooks -------------------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_refuse_for_answers_503_until_the_window_ends() -> None:
    async with asyncio.timeout(BOUND), serving() as (server, _):
        server.refuse_for(0.3)
        failure = await refused(server)
        assert failure.status == 503
        assert server.handshakes[-1].status == 503
        await asyncio.sleep(0.35)
        async with connected(server) as link:
            assert link.version == "2.0.1"


@pytest.mark.asyncio
async def test_call_round_trip_correlates_by_unique_id() -> None:
    async with asyncio.timeout(BOUND), serving() as (server, csms), connected(server) as link:
        first = await link.call("Heartbeat", {}, timeout=BOUND)
        assert isinstance(first.frame, CallResult)
        assert first.frame.payload == {"currentTime": NOW}
        second = await link.call("Heartbeat", {}, timeout=BOUND)
        assert second.ok
        assert second.request is not None
        assert second.request.unique_id != first.frame.unique_id
        remote = await csms.link()
        flows = [(e.flow, e.action) for e in remote.trace if e.flow is not Flow.EVENT]
        assert flows == [(Flow.RECEIVED, "Heartbeat"), (Flow.SENT, "Heartbeat")] * 2


@pytest.mark.asyncio
async def test_delayed_replies_do_not_hold_up_reading() -> None:
    """An injected send delay holds outbound frames back; inbound frames are read meanwhile."""
    async with asyncio.timeout(BOUND), serving() as (server, csms), connected(server) as link:
        assert (await link.call("Heartbeat", {}, timeout=BOUND)).ok
        remote = await csms.link()
        remote.send_delay_s = 0.2
        first, second = await asyncio.gather(
            link.call("Heartbeat", {}, timeout=BOUND),
            link.call("Heartbeat", {}, timeout=BOUND, concurrent=True),
        )
        assert first.ok
        assert second.ok
        flows = [e.flow for e in remote.trace if e.flow is not Flow.EVENT][2:]
        assert flows == [Flow.RECEIVED, Flow.RECEIVED, Flow.SENT, Flow.SENT]


@pytest.mark.asyncio
async def test_call_timeout_raises_response_timeout_within_the_timeout() -> None:
    csms = Csms()
    csms.silent = True
    async with (
        asyncio.timeout(BOUND),
        serving(csms=csms) as (server, _),
        connected(server) as link,
    ):
        started = time.monotonic()
        with pytest.raises(ResponseTimeout, match="Heartbeat"):
            await link.call("Heartbeat", {}, timeout=0.2)
        elapsed = time.monotonic() - started
        assert 0.2 <= elapsed < 1.5
        assert not link.session.open_outbound  # forgotten: the next CALL may go
        csms.silent = False
        assert (await link.call("Heartbeat", {}, timeout=BOUND)).ok


@pytest.mark.asyncio
async def test_call_fails_with_link_closed_as_soon_as_the_peer_drops() -> None:
    csms = Csms()
    csms.abort_on_call = True
    async with (
        asyncio.timeout(BOUND),
        serving(csms=csms) as (server, _),
        connected(server) as link,
    ):
        started = time.monotonic()
        with pytest.raises(LinkClosed, match="no close frame"):
            await link.call("Heartbeat", {}, timeout=30.0)
        assert time.monotonic() - started < 2.0  # well before the 30 s timeout
        assert link.closed.is_set()
        with pytest.raises(LinkClosed):
            await link.call("Heartbeat", {}, timeout=30.0)


@pytest.mark.asyncio
async def test_abort_closes_without_a_close_frame_on_both_sides() -> None:
    async with asyncio.timeout(BOUND), serving() as (server, csms), connected(server) as link:
        remote = await csms.link()
        link.abort()
        await link.closed.wait()
        await remote.closed.wait()
        assert link.close_reason.startswith("no close frame")
        assert remote.close_reason.startswith("no close frame")
        events = [e.raw for e in link.trace if e.flow is Flow.EVENT]
        assert "harness drops the connection (no close frame)" in events
        assert any(e.startswith("connection closed (no close frame") for e in events)


@pytest.mark.asyncio
async def test_clean_close_reports_the_close_code() -> None:
    async with asyncio.timeout(BOUND), serving() as (server, csms), connected(server) as link:
        remote = await csms.link()
        await link.close(1000, "bye")
        await remote.closed.wait()
        assert remote.close_reason == "code 1000, reason 'bye'"


# -- malformed traffic and the trace ---------------------------------------------------------------
@pytest.mark.asyncio
async def test_garbage_frame_is_answered_with_callerror_and_traced() -> None:
    async with asyncio.timeout(BOUND), serving() as (server, csms), connected(server) as link:
        answers: asyncio.Queue[Received] = asyncio.Queue()
        link.on_receive = lambda _, event: answers.put_nowait(event)
        await link.send_raw("this is not json")
        answer = await answers.get()
        assert isinstance(answer.frame, CallError)
        assert answer.frame.unique_id == "-1"
        assert answer.frame.code == error_code(ErrorKind.RPC_FRAMEWORK_ERROR, "2.0.1")
        assert answer.problem  # an error for an id we never sent

        remote = await csms.link()
        received = [e for e in remote.trace if e.flow is Flow.RECEIVED]
        assert received[-1].raw == "this is not json"
        assert received[-1].problem
        assert "not valid JSON" in received[-1].problem
        sent = [e for e in remote.trace if e.flow is Flow.SENT]
        assert sent[-1].message_type == 4
        assert sent[-1].unique_id == "-1"
        assert "<-- not valid JSON" in remote.trace.render()


@pytest.mark.asyncio
async def test_silent_link_does_not_answer_garbage() -> None:
    async with asyncio.timeout(BOUND), serving() as (server, csms), connected(server) as link:
        remote = await csms.link()
        remote.auto_reply_errors = False
        await link.send_raw(b"\x00binary")
        assert (await link.call("Heartbeat", {}, timeout=BOUND)).ok  # nothing else came back
        received = [e for e in remote.trace if e.flow is Flow.RECEIVED]
        assert received[0].raw == "<binary> 0062696e617279"
        assert received[0].problem
        assert not [e for e in remote.trace if e.flow is Flow.SENT and e.message_type == 4]


@pytest.mark.asyncio
async def test_trace_limit_counts_what_it_dropped(tmp_path: Path) -> None:
    csms = Csms(trace_limit=3)
    async with (
        asyncio.timeout(BOUND),
        serving(csms=csms) as (server, _),
        connected(server) as link,
    ):
        for _ in range(3):
            assert (await link.call("Heartbeat", {}, timeout=BOUND)).ok
        remote = await csms.link()
        assert len(remote.trace) == 3
        assert remote.trace.dropped == 3  # 3 CALLs in, 3 results out: half kept
        assert remote.trace.render().endswith("trace capped at 3 entries: 3 more not kept")
        out = tmp_path / "trace.jsonl"
        remote.trace.write_jsonl(out)
        lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert len(lines) == 4
        assert lines[-1] == {"dropped": 3, "limit": 3}
        assert [line["seq"] for line in lines[:3]] == [1, 2, 3]


def test_trace_entries_and_rendering() -> None:
    trace = Trace("unit")
    before = datetime.now(UTC)
    trace.record(Flow.SENT, '[2,"a-1","Heartbeat",{}]', Call("a-1", "Heartbeat", {}))
    trace.record(Flow.RECEIVED, '[4,"a-1","NotSupported","",{}]', CallError("a-1", "NotSupported"))
    trace.event("connection closed (code 1000)")
    entries = trace.entries()
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].action == "Heartbeat"
    assert entries[1].payload == {"errorCode": "NotSupported", "errorDescription": ""}
    for entry in entries:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", entry.wall)
        stamp = datetime.fromisoformat(entry.wall)
        assert abs((stamp - before).total_seconds()) < 5
    assert entries[0].monotonic <= entries[2].monotonic
    assert trace.to_dicts()[0]["wall"] == entries[0].wall

    assert trace.render(last=1) == "... 2 earlier entries\n" + entries[2].summary()
    assert trace.render() == "\n".join(e.summary() for e in entries)
    trace.record(Flow.SENT, "x" * 500)  # rendered lines stay right as the trace grows
    assert trace.render(last=2).splitlines()[1:] == [
        entries[2].summary(),
        trace.entries()[3].summary(),
    ]
    assert trace.entries()[3].summary().endswith("x" * 400 + "...")
    assert Trace("empty").render() == "(no frames)"


@pytest.mark.asyncio
async def test_connection_failures_say_what_to_check() -> None:
    """Nothing listening, and a handshake that never completes, each say so (and the second is
    marked as a timeout: later attempts then wait briefly)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    with pytest.raises(ConnectFailed, match=r"connection refused.*is the CSMS running") as nobody:
        await open_link(f"ws://{HOST}:{port}/CS1", identity="CS1", subprotocols=["ocpp2.0.1"])
    assert not nobody.value.timed_out
    with socket.socket() as listener:  # TCP accepted by the backlog, never an HTTP answer
        listener.bind((HOST, 0))
        listener.listen()
        silent_port = listener.getsockname()[1]
        with pytest.raises(ConnectFailed, match=r"no WebSocket handshake within 0\.3 s") as mute:
            await open_link(
                f"ws://{HOST}:{silent_port}/CS1",
                identity="CS1",
                subprotocols=["ocpp2.0.1"],
                timeout=0.3,
            )
        assert mute.value.timed_out
