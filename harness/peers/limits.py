"""What the harness peers hold a SUT to and how much of it they keep: the requirements the
peers themselves judge (the RPC framework, one CALL at a time, the flood guard) and the bounds
of the traces (issue 8 item 8)."""

from __future__ import annotations

from harness.verdicts import SutFailure

RPC_REQUIREMENT = "OCPP-J RPC framework (Part 4 §4 / OCPP-J 1.6 §4)"
#: A second CALL while one is unanswered: OCPP-J 1.6 §4.1.1 says SHOULD NOT (a spec-axis
#: warning); 2.0.1/2.1 Part 4 §4.1.1 say SHALL NOT (a FAIL). Neither while the harness itself
#: holds its answer back: the SUT may time out waiting and go on.
BURST_REQUIREMENT = "OCPP-J 1.6 §4.1.1 (SHOULD NOT): one CALL at a time"
BURST_REQUIREMENT_2X = "Part 4 §4.1.1 (SHALL NOT): one CALL at a time"
#: How long a CALL handed to a script may stay unanswered before it gets the default reply.
REPLY_GRACE_S = 0.1
LAST_FRAMES = 12
#: Frames the SUT may send in one test case before it counts as a flood (a violation that ends
#: the case's current wait); the frames after it are still answered, but no longer kept.
MAX_INBOX = 5000
#: Text the SUT may send in one test case before it counts as a flood, whatever the frame count
#: (the frames a case keeps to match expectations must fit in memory).
FLOOD_CHARS = 32 * 1024 * 1024
#: The requirement a flood fails (a limit of the harness: nothing in OCPP bounds the traffic).
FLOOD_REQUIREMENT = "harness limit: a SUT does not flood the harness"
#: Violations, forbidden messages, bursts and warnings kept per case (the rest are counted).
MAX_VIOLATIONS = 100
#: The bounds of a case's trace (issue 8 item 8: against a SUT that floods every case the report
#: stays under 200 MB and the harness under 500 MB): its first 384 KiB of frames, then a ring of
#: its last 200 entries (128 KiB at most). The report writes a kept frame about three times
#: (case .json, .jsonl, .html), raw text and parsed payload each: ~3 MB for a flooded case.
CASE_TRACE = {"head_chars": 384 * 1024, "tail": 200, "tail_chars": 128 * 1024}
#: Frame text the case traces of a session keep together before later cases get
#: :data:`LEAN_CASE_TRACE` (about 32 flooded cases; then ~0.6 MB of report per case).
SESSION_TRACE_CHARS = 16 * 1024 * 1024
LEAN_CASE_TRACE = {"head_chars": 32 * 1024, "tail": 100, "tail_chars": 64 * 1024}
#: The bounds of the session's between-cases trace: its first 1000 entries and 256 KiB (connect,
#: first boot), then a ring of its last 500 entries (256 KiB at most): a session of many hours
#: with a heartbeating station stays flat in memory (issue 15), and the dropped entries are counted
#: (the report says how many).
BETWEEN_TRACE = {"limit": 1000, "head_chars": 256 * 1024, "tail": 500, "tail_chars": 256 * 1024}
#: CALLs the between-cases inbox keeps (answered ones beyond it are let go while no script waits).
BETWEEN_INBOX = 200


def flood_failure(violations: list[str], frames: str) -> SutFailure:
    """What a flood ends a wait with (``violations``: the case's protocol violations so far)."""
    mib = FLOOD_CHARS // (1024 * 1024)
    return SutFailure(
        FLOOD_REQUIREMENT,
        f"at most {MAX_INBOX} frames ({mib} MiB) from the SUT in one test case",
        f"more than {MAX_INBOX} frames or {mib} MiB (a flood); the later ones were answered "
        "but not kept" + (f"; also: {'; '.join(violations[:3])}" if violations else ""),
        frames,
    )
