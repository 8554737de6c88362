"""Flat memory over long sessions (issue 15): the between-cases trace and inbox are bounded by
count (a ring buffer whose dropped entries are counted and shown), a case's own evidence stays
complete, and trace entries keep monotonic time and raw text (wall-clock text only on render).
Bounds are asserted by count, never by time or memory."""

from __future__ import annotations

import json
from datetime import datetime

from harness.ocppj.frames import Call, CallResult
from harness.ocppj.session import RpcSession
from harness.peers import CsmsPeer
from harness.peers.limits import BETWEEN_INBOX, BETWEEN_TRACE
from harness.redact import SECRET_NAMES
from harness.report.sequence import sequence_rows
from harness.trace import Flow, Trace

HEARTBEATS = 10_000


def _heartbeat(trace: Trace, n: int) -> None:
    trace.record(Flow.RECEIVED, f'[2,"hb-{n}","Heartbeat",{{}}]', Call(f"hb-{n}", "Heartbeat", {}))
    answer = CallResult(f"hb-{n}", {"currentTime": "2025-01-01T00:00:00.000Z"})
    trace.record(Flow.SENT, f'[3,"hb-{n}",{{"currentTime":"x"}}]', answer, action="Heartbeat")


def test_the_between_cases_trace_is_a_ring_bounded_by_count() -> None:
    trace = Trace("between cases", **BETWEEN_TRACE)
    for n in range(HEARTBEATS):
        _heartbeat(trace, n)
    bound = int(BETWEEN_TRACE["limit"]) + int(BETWEEN_TRACE["tail"])
    assert len(trace) == bound
    assert trace.dropped == 2 * HEARTBEATS - bound
    assert trace.entries()[-1].seq == 2 * HEARTBEATS  # the latest frame is there
    assert trace.entries()[0].seq == 1  # and the session's start
    text = trace.render()
    assert f"{trace.dropped} entries not kept" in text
    gaps = [row for row in sequence_rows({"trace": trace.to_dicts()}) if row.get("gap")]
    assert len(gaps) == 1
    assert str(trace.dropped) in gaps[0]["text"]


def test_a_case_keeps_all_its_frames_while_the_between_trace_drops() -> None:
    peer = CsmsPeer("2.0.1", host="127.0.0.1", port=0, response_s=1, action_s=1)
    for n in range(HEARTBEATS):
        _heartbeat(peer.trace, n)
    assert peer.between.dropped > 0
    case = peer.begin_case("case")
    for n in range(2000):
        _heartbeat(case, n)
    assert case.dropped == 0
    assert [e.seq for e in case] == list(range(1, 4001))  # complete, in order
    peer.enter_between()
    assert peer.trace is peer.between


def _receive_heartbeats(peer: CsmsPeer, count: int) -> None:
    session = RpcSession("2.0.1")

    class _Link:
        version = "2.0.1"

    for n in range(count):
        event = session.receive(json.dumps([2, f"hb-{n}", "Heartbeat", {}]))
        session.result(f"hb-{n}", {"currentTime": "2025-01-01T00:00:00Z"}, validate=False)
        peer._on_receive(_Link(), event)  # type: ignore[arg-type]
        for item in peer._due:  # what the receive loop does after each frame
            item.replied = True
        peer._due.clear()


def test_the_between_cases_inbox_stays_bounded() -> None:
    peer = CsmsPeer("2.0.1", host="127.0.0.1", port=0, response_s=1, action_s=1)
    _receive_heartbeats(peer, HEARTBEATS)
    assert len(peer._inbox) <= 2 * BETWEEN_INBOX
    assert peer._inbox[-1].call.unique_id == f"hb-{HEARTBEATS - 1}"
    assert not peer._flooded  # 10,000 heartbeats between cases are no flood


def test_the_inbox_is_not_trimmed_while_a_script_waits_or_in_a_case() -> None:
    peer = CsmsPeer("2.0.1", host="127.0.0.1", port=0, response_s=1, action_s=1)
    peer._waits = 1  # a wait scans the inbox by index: nothing may shift under it
    _receive_heartbeats(peer, 3 * BETWEEN_INBOX)
    assert len(peer._inbox) == 3 * BETWEEN_INBOX
    peer._waits = 0
    peer.begin_case("case")
    _receive_heartbeats(peer, 3 * BETWEEN_INBOX)
    assert len(peer._inbox) == 3 * BETWEEN_INBOX  # a case keeps every CALL (to MAX_INBOX)


def test_entries_keep_monotonic_time_and_render_wall_clock_text() -> None:
    trace = Trace("t")
    _heartbeat(trace, 1)
    entry = trace.entries()[0]
    assert entry.anchor == trace.anchor
    stamp = datetime.fromisoformat(entry.wall).timestamp()
    assert abs(stamp - (entry.anchor + entry.monotonic)) < 0.002
    assert trace.to_dicts()[0]["wall"] == entry.wall
    assert entry.summary().startswith(entry.wall[11:23])


def test_the_trace_still_redacts_every_secret_name() -> None:
    """``Trace.record`` looks for the secret names itself before it calls the redaction."""
    assert {"BasicAuthPassword", "AuthorizationKey"} == SECRET_NAMES
    trace = Trace("t")
    raw = json.dumps(
        [2, "a", "ChangeConfiguration", {"key": "AuthorizationKey", "value": "secret!"}]
    )
    trace.record(Flow.SENT, raw)
    assert "secret!" not in trace.entries()[0].raw
