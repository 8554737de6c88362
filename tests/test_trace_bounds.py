"""Bounded traces (issue 8 item 8): a flooding SUT or a session of many hours keeps the harness's
memory and report flat, and what was let go is counted and shown where it was."""

from __future__ import annotations

import json
import tracemalloc
from typing import Any

from harness.ocppj.frames import Call, CallResult
from harness.peers.limits import (
    BETWEEN_TRACE,
    CASE_TRACE,
    LEAN_CASE_TRACE,
    SESSION_TRACE_CHARS,
)
from harness.peers.view import PeerView
from harness.report.results import inline_traces
from harness.report.sequence import sequence_rows
from harness.run import CaseRecord
from harness.trace import MAX_PINNED, MAX_RAW_CHARS, Flow, Trace


def _heartbeat(trace: Trace, n: int) -> None:
    """One Heartbeat round trip as a station and the harness CSMS exchange it."""
    call = f'[2,"hb-{n}","Heartbeat",{{}}]'
    trace.record(Flow.RECEIVED, call, Call(f"hb-{n}", "Heartbeat", {}))
    answer = f'[3,"hb-{n}",{{"currentTime":"2025-01-01T00:00:00.000Z"}}]'
    trace.record(Flow.SENT, answer, CallResult(f"hb-{n}", {"currentTime": "x"}), action="Heartbeat")


def test_a_bounded_trace_keeps_its_start_and_its_last_entries_and_counts_the_rest() -> None:
    trace = Trace("case", limit=10, tail=5, tail_chars=10_000)
    for n in range(100):
        trace.record(Flow.RECEIVED, f"frame {n}")
    seqs = [entry.seq for entry in trace]
    assert seqs == [*range(1, 11), *range(96, 101)]
    assert len(trace) == 15
    assert trace.dropped == 85
    assert trace.recorded == 100
    text = trace.render()
    assert "... 85 entries not kept\n" in text  # where they were let go
    assert text.splitlines()[-1].startswith("... 85 entries not kept: the trace keeps its start")
    assert trace.render(last=3).splitlines() == [
        "... 12 earlier entries",
        *(entry.summary() for entry in trace.entries()[-3:]),
    ]


def test_the_ring_is_bounded_by_characters_too_and_a_frame_is_cut() -> None:
    trace = Trace("case", head_chars=1000, tail=1000, tail_chars=3000)
    big = json.dumps(
        [2, "big", "DataTransfer", {"vendorId": "v", "data": "x" * (2 * MAX_RAW_CHARS)}]
    )
    entry = trace.record(Flow.RECEIVED, big, Call("big", "DataTransfer", {"vendorId": "v"}))
    assert entry is not None
    assert len(entry.raw) < MAX_RAW_CHARS + 100
    assert entry.raw.endswith("more characters]")
    assert entry.payload is None  # a cut frame is evidence by its raw text only
    for n in range(500):
        trace.record(Flow.RECEIVED, f"{n:04d}" + "y" * 96)  # 100 characters each
    assert trace.kept_chars <= 1000 + 3000
    assert [e.raw[:4] for e in trace][-1] == "0499"
    assert len(trace) + trace.dropped == trace.recorded


def test_a_problem_event_pushed_out_of_the_ring_stays() -> None:
    """The point a verdict rests on (a deadline that passed) survives the flood after it."""
    trace = Trace("case", limit=3, tail=10)
    for n in range(5):
        trace.record(Flow.RECEIVED, f"before {n}")
    trace.event("deadline passed: no Authorize within 5 s", problem="deadline passed")
    for n in range(1000):
        trace.record(Flow.RECEIVED, f"flood {n}")
    kept = trace.entries()
    assert [e.raw for e in kept if e.problem] == ["deadline passed: no Authorize within 5 s"]
    assert [e.seq for e in kept] == sorted(e.seq for e in kept)
    for n in range(MAX_PINNED + 20):  # pinned events are bounded as well
        trace.event(f"burst {n}", problem="one CALL at a time")
    for n in range(20):
        trace.record(Flow.RECEIVED, f"more {n}")
    assert len(trace) <= 3 + MAX_PINNED + 10


def test_head_only_traces_say_they_are_capped() -> None:
    trace = Trace("reference", head_chars=2048)
    for _ in range(30):
        trace.record(Flow.SENT, "x" * 100)
    assert len(trace) == 20
    assert trace.render().endswith("trace capped at 2 KiB of frames: 10 more not kept")


def test_an_excerpt_shows_the_failing_frame_and_a_few_around_it() -> None:
    trace = Trace("case")
    for n in range(1, 101):
        trace.record(Flow.RECEIVED, f"frame {n}")
    lines = trace.excerpt(50, before=2, after=2).splitlines()
    assert lines[0] == "... 47 earlier entries"
    assert lines[3].startswith(">> ")
    assert lines[3].endswith("frame 50")
    assert [line[:3] for line in lines[1:6]] == ["   ", "   ", ">> ", "   ", "   "]
    assert lines[-1] == "... 48 later entries"
    assert len(lines) == 7
    assert trace.excerpt(None, before=2, after=2).splitlines()[-1].endswith("frame 100")


def test_the_between_cases_trace_of_a_long_session_stays_flat() -> None:
    """Hours of Heartbeats between cases (here 30,000 round trips): memory does not grow with
    the session, and the trace says how much it let go."""
    view = PeerView("2.0.1", response_s=1, action_s=1)
    between = view.between
    tracemalloc.start()
    try:
        for n in range(5_000):
            _heartbeat(between, n)
        early, _ = tracemalloc.get_traced_memory()
        for n in range(5_000, 30_000):
            _heartbeat(between, n)
        late, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert late - early < 500_000, f"grew by {late - early} bytes"
    assert len(between) <= 20_000 + BETWEEN_TRACE["tail"]
    assert between.kept_chars <= BETWEEN_TRACE["head_chars"] + BETWEEN_TRACE["tail_chars"]
    assert between.dropped == 60_000 - len(between)
    assert between.entries()[-1].seq == 60_000  # the latest Heartbeat is there


def test_case_traces_share_a_session_budget() -> None:
    """Once the cases of a session kept :data:`SESSION_TRACE_CHARS` of frames, later cases keep
    a lean trace: a SUT flooding every case cannot grow the report without bound."""
    view = PeerView("2.0.1", response_s=1, action_s=1)
    frame = "x" * 4000
    kept: list[int] = []
    while view.begin_case(f"case {len(kept)}").head_chars == CASE_TRACE["head_chars"]:
        for _ in range(200):
            view.trace.record(Flow.RECEIVED, frame)
        kept.append(view.trace.kept_chars)
        view.enter_between()
    assert view.trace.head_chars == LEAN_CASE_TRACE["head_chars"]
    assert kept[0] <= CASE_TRACE["head_chars"] + CASE_TRACE["tail_chars"]
    assert sum(kept[:-1]) < SESSION_TRACE_CHARS <= sum(kept)


def test_the_sequence_view_marks_where_entries_were_let_go() -> None:
    trace = Trace("case", limit=2, tail=2)
    for n in range(10):
        trace.record(Flow.RECEIVED, f"frame {n}")
    rows = sequence_rows({"trace": trace.to_dicts(), "failing_frame": None})
    assert [row["seq"] for row in rows] == [1, 2, "…", 9, 10]
    assert rows[2]["gap"]
    assert rows[2]["text"].startswith("6 entries not kept here")


def _record(key: str, trace: Trace) -> CaseRecord:
    record: Any = CaseRecord(key, "t", "core", "charging-station", "2.0.1", key, ())
    record.trace = trace
    return record  # type: ignore[no-any-return]


def test_results_json_inlines_traces_up_to_its_budget() -> None:
    records = []
    for n in range(5):
        trace = Trace(f"case {n}")
        trace.record(Flow.RECEIVED, "z" * 1000)
        records.append(_record(f"TC_{n}", trace))
    assert inline_traces(records, budget=3500) == {"TC_0-2.0.1", "TC_1-2.0.1", "TC_2-2.0.1"}
