"""What a misbehaving peer does to a Link: malformed answers resolve their CALL at once, a peer
that stops reading cannot stall a send, and deep payloads cannot break the report."""

from __future__ import annotations

import asyncio
import json

import pytest

from harness.ocppj import Call
from harness.ocppj.session import Received
from harness.trace import MAX_PAYLOAD_DEPTH, Flow, Trace
from harness.transport import Link, LinkClosed
from tests.test_transport import BOUND, Csms, connected, serving


class MalformedAnswers(Csms):
    """Answers every CALL with a CALLRESULT whose payload is a list (not an object)."""

    def on_receive(self, link: Link, event: Received) -> None:
        if isinstance(event.frame, Call):
            task = asyncio.ensure_future(link.send_raw(json.dumps([3, event.frame.unique_id, []])))
            self.replies.add(task)
            task.add_done_callback(self.replies.discard)


@pytest.mark.asyncio
async def test_malformed_answer_resolves_the_call_with_its_problem() -> None:
    async with (
        asyncio.timeout(BOUND),
        serving(csms=MalformedAnswers()) as (server, _),
        connected(server) as link,
    ):
        loop = asyncio.get_running_loop()
        start = loop.time()
        event = await link.call("Heartbeat", {}, timeout=3)
        assert loop.time() - start < 2, "waited for the timeout instead of the answer"
        assert event.frame is None
        assert event.request is not None
        assert event.request.action == "Heartbeat"
        assert event.problem is not None
        assert "must be a JSON object" in event.problem


@pytest.mark.asyncio
async def test_send_to_a_peer_that_stopped_reading_is_bounded() -> None:
    async with asyncio.timeout(BOUND * 2), serving() as (server, csms), connected(server) as link:
        remote = await csms.link()
        remote.stop_reading()
        link.send_timeout_s = 0.5
        with pytest.raises(LinkClosed, match="stopped reading"):
            await _fill_until_blocked(link)
        assert link.closed.is_set()


async def _fill_until_blocked(link: Link) -> None:
    """Send large frames until the socket buffers are full and a send blocks."""
    for _ in range(10_000):
        await link.send_raw('[2,"x","Heartbeat",{}]' + " " * 60_000)


def test_deep_payload_is_left_out_of_the_report_but_its_raw_text_stays() -> None:
    deep: dict[str, object] = {}
    node = deep
    for _ in range(MAX_PAYLOAD_DEPTH + 500):
        child: dict[str, object] = {}
        node["a"] = child
        node = child
    trace = Trace("deep")
    call = Call("1", "DataTransfer", {"vendorId": "v", "data": deep})
    trace.record(Flow.RECEIVED, '[2,"1","DataTransfer",{...}]', call)
    trace.record(Flow.RECEIVED, '[2,"2","Heartbeat",{}]', Call("2", "Heartbeat", {}))
    entries = trace.to_dicts()
    json.dumps(entries)
    assert entries[0]["payload"] is None
    assert entries[0]["raw"].startswith("[2,")
    assert entries[1]["payload"] == {}
