"""What the harness peers make of a SUT's frames, over real loopback connections: the strict
checks see every frame (a CALLRESULT that resolves a waiting CALL too), an answer under the wrong
unique id fails the CALL at once, and a second CALL while one is unanswered is a SHOULD NOT
warning — none at all while the harness itself holds its answer back."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from harness.ocppj import Call
from harness.ocppj.session import Received, RpcSession
from harness.peers import CsmsPeer, StationPeer
from harness.peers.limits import BURST_REQUIREMENT, BURST_REQUIREMENT_2X
from harness.transport import Link
from harness.verdicts import Axis, SutFailure
from tests.test_transport import BOUND, Csms, serving


class AnswersWith(Csms):
    """Answers every CALL with ``make(call)`` as the raw frame."""

    def __init__(self, make: object) -> None:
        super().__init__()
        self.make = make

    def on_receive(self, link: Link, event: Received) -> None:
        if isinstance(event.frame, Call):
            raw = self.make(event.frame)  # type: ignore[operator]
            task = asyncio.ensure_future(link.send_raw(raw))
            self.replies.add(task)
            task.add_done_callback(self.replies.discard)


async def _station(server_url: str) -> StationPeer:
    station = StationPeer(
        "2.0.1", url=server_url + "/ocpp", identity="CS1", response_s=3, action_s=3
    )
    station.begin_case("evidence")
    await station.connect()
    return station


@pytest.mark.asyncio
async def test_strict_checks_see_a_callresult_that_resolves_a_call() -> None:
    naive = AnswersWith(
        lambda c: json.dumps([3, c.unique_id, {"currentTime": "2024-01-01T00:00:00"}])
    )
    async with asyncio.timeout(BOUND), serving(csms=naive) as (server, _):
        station = await _station(server.url)
        try:
            (await station.call("Heartbeat")).must()
        finally:
            await station.disconnect()
    assert [f.axis for f in station.findings] == [Axis.SPEC], station.findings
    assert "currentTime" in station.findings[0].message


@pytest.mark.asyncio
async def test_an_answer_under_another_id_fails_the_call_at_once() -> None:
    wrong = AnswersWith(lambda c: json.dumps([3, "not-" + c.unique_id, {"currentTime": "x"}]))
    async with asyncio.timeout(BOUND), serving(csms=wrong) as (server, _):
        station = await _station(server.url)
        started = time.monotonic()
        try:
            with pytest.raises(SutFailure) as failure:
                await station.call("Heartbeat", req="G02: Heartbeat answered")
        finally:
            await station.disconnect()
    assert time.monotonic() - started < 2, "waited for the timeout instead of failing at once"
    assert "answered with unique id 'not-" in failure.value.actual
    assert any(e.problem == "answer under the wrong unique id" for e in station.trace)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("version", "hold"),
    [("1.6", False), ("2.0.1", False), ("2.0.1", True)],
    ids=["1.6-burst", "2.0.1-burst", "2.0.1-harness-holds"],
)
async def test_a_second_call_while_one_is_open(version: str, hold: bool) -> None:
    """Two CALLs read in one go, before the harness could answer the first: OCPP-J 1.6 §4.1.1
    says SHOULD NOT (a spec warning), 2.x Part 4 §4.1.1 SHALL NOT (a FAIL at the next step);
    while the script holds the first answer back, neither."""
    peer = CsmsPeer(version, host="127.0.0.1", port=0, response_s=2, action_s=2)
    peer.begin_case("burst")
    if hold:
        peer.hold("Heartbeat")
    session = RpcSession(version)

    class _Link:
        pass

    _Link.version = version  # type: ignore[attr-defined]
    for unique_id in ("a", "b"):
        event = session.receive(json.dumps([2, unique_id, "Heartbeat", {}]))
        peer._inspect(_Link(), event)  # type: ignore[arg-type]
        peer._on_receive(_Link(), event)  # type: ignore[arg-type]
    for task in list(peer._tasks):
        task.cancel()
    warned = [f for f in peer.findings if f.requirement == BURST_REQUIREMENT]
    if hold:
        assert warned == []
        peer._raise_violations()  # nothing to raise
    elif version == "1.6":
        assert [f.axis for f in warned] == [Axis.SPEC], peer.findings
        peer._raise_violations()
    else:
        assert warned == []
        with pytest.raises(SutFailure) as failure:
            peer._raise_violations()
        assert failure.value.requirement == BURST_REQUIREMENT_2X
        assert "Heartbeat" in failure.value.actual


@pytest.mark.asyncio
async def test_a_malformed_answer_without_a_readable_id_resolves_the_call_at_once() -> None:
    garbled = AnswersWith(lambda c: json.dumps([4, None, "GenericError"]))
    async with asyncio.timeout(BOUND), serving(csms=garbled) as (server, _):
        station = await _station(server.url)
        started = time.monotonic()
        try:
            with pytest.raises(SutFailure) as failure:
                await station.call("Heartbeat")
        finally:
            await station.disconnect()
    assert time.monotonic() - started < 2, "waited for the timeout instead of failing at once"
    assert failure.value.expected == "a well-formed answer to Heartbeat"


async def test_the_handshake_request_line_and_the_http_answer_are_in_the_trace() -> None:
    """Issue 8 item 3: a CSMS that wants a trailing slash after the identity answers 404 to
    ``/ocpp/CS1``; the trace shows the request line and the answer with its body, and the
    ``{identity}`` template reaches it."""
    from http import HTTPStatus

    from websockets.asyncio.server import serve
    from websockets.typing import Subprotocol

    def process_request(connection, request):  # type: ignore[no-untyped-def]
        if not request.path.endswith("/"):
            return connection.respond(HTTPStatus.NOT_FOUND, "endpoint is /ocpp/<id>/\n")
        return None

    async def handler(ws) -> None:  # type: ignore[no-untyped-def]
        await ws.wait_closed()

    async with serve(
        handler,
        "127.0.0.1",
        0,
        subprotocols=[Subprotocol("ocpp2.0.1")],
        process_request=process_request,
    ) as server:
        port = server.sockets[0].getsockname()[1]
        base = f"ws://127.0.0.1:{port}/ocpp"
        for url, expected in (
            (base, "handshake refused: GET /ocpp/CS1 HTTP/1.1 -> HTTP/1.1 404 Not Found body:"),
            (base + "/{identity}/", "handshake: GET /ocpp/CS1/ HTTP/1.1 -> HTTP/1.1 101"),
        ):
            station = StationPeer("2.0.1", url=url, identity="CS1", response_s=2, action_s=2)
            station.begin_case("handshake evidence")
            try:
                await station.try_connect()
                events = [e.raw for e in station.trace.entries()]
                assert any(e.startswith(expected) for e in events), events
                if "404" in expected:
                    assert any("endpoint is /ocpp/<id>/" in e for e in events), events
                    assert any("trailing slash" in e for e in events), events
            finally:
                await station.stop()
