"""Frame recorder: every frame a peer sent or received, with timestamps and what was wrong with it.

The trace is the evidence behind every verdict (DESIGN §1): each entry keeps the raw text exactly as
it crossed the wire, the parsed message when it could be parsed, a monotonic and a wall-clock
timestamp, and the problem the OCPP-J core found in it. A flooding SUT cannot exhaust memory: the
trace keeps at most ``limit`` entries and counts what it dropped.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from harness.ocppj.frames import Call, CallError, CallResultError, Frame, Send

#: Raw text kept per entry; longer frames are cut (and marked) so an oversized frame stays readable.
MAX_RAW_CHARS = 64 * 1024


#: Deepest payload nesting written to reports (JSON encoders recurse once per level).
MAX_PAYLOAD_DEPTH = 64


def _nesting_within(value: Any, limit: int) -> bool:
    """Whether ``value`` nests containers at most ``limit`` deep (iterative: no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth >= limit:
            return False
        stack.extend((child, depth + 1) for child in children)
    return True


class Flow(StrEnum):
    """Which way a frame went, from the harness's point of view."""

    RECEIVED = "received"  # SUT -> harness
    SENT = "sent"  # harness -> SUT
    EVENT = "event"  # connection events: connected, closed, faults injected


#: The direction column of :meth:`TraceEntry.summary`, padded to one width.
_ARROWS = {
    flow: f"{arrow:<14}"
    for flow, arrow in (
        (Flow.RECEIVED, "SUT -> harness"),
        (Flow.SENT, "harness -> SUT"),
        (Flow.EVENT, "--"),
    )
}


@dataclass(frozen=True, slots=True)
class TraceEntry:
    """One frame or connection event."""

    seq: int
    flow: Flow
    monotonic: float
    wall: str
    raw: str
    message_type: int | None = None
    unique_id: str | None = None
    action: str | None = None
    payload: dict[str, Any] | None = None
    problem: str | None = None

    def summary(self) -> str:
        """One line: time, direction, message and payload."""
        head = f"{self.wall[11:23]} {_ARROWS[self.flow]}"
        if self.flow is Flow.EVENT:
            return f"{head} {self.raw}"
        body = self.raw if len(self.raw) <= 400 else self.raw[:400] + "..."
        note = f"   <-- {self.problem}" if self.problem else ""
        return f"{head} {body}{note}"


def _describe(
    frame: Frame | None,
) -> tuple[int | None, str | None, str | None, dict[str, Any] | None]:
    if frame is None:
        return None, None, None, None
    if isinstance(frame, (Call, Send)):
        return int(frame.message_type), frame.unique_id, frame.action, frame.payload
    if isinstance(frame, (CallError, CallResultError)):
        details = {"errorCode": frame.code, "errorDescription": frame.description}
        return int(frame.message_type), frame.unique_id, None, details
    return int(frame.message_type), frame.unique_id, None, frame.payload


class _WallClock:
    """UTC wall-clock time as ISO 8601 with milliseconds (``datetime.isoformat`` spelling).

    Formatting a ``datetime`` for every frame is a measurable share of the frame path, so the
    text up to the seconds is formatted once per second and only the milliseconds per call.
    """

    __slots__ = ("_prefix", "_second")

    def __init__(self) -> None:
        self._second = -1
        self._prefix = ""

    def now(self) -> str:
        stamp = time.time()
        second = int(stamp)
        if second != self._second:
            self._prefix = datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S")
            self._second = second
        return self._prefix + _MILLIS[int((stamp - second) * 1000)]


#: ".000+00:00" ... ".999+00:00": the per-call part of a wall-clock stamp, formatted in advance.
_MILLIS = tuple(f".{millis:03d}+00:00" for millis in range(1000))


_wall_clock = _WallClock()


class Trace:
    """An append-only, size-capped list of :class:`TraceEntry`."""

    def __init__(self, name: str = "", *, limit: int = 20_000) -> None:
        self.name = name
        self.limit = limit
        self.dropped = 0
        self._entries: list[TraceEntry] = []
        #: ``summary()`` of each entry, filled when first rendered (entries never change).
        self._lines: list[str | None] = []
        self._seq = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[TraceEntry]:
        return iter(self._entries)

    def record(
        self,
        flow: Flow,
        raw: str | bytes,
        frame: Frame | None = None,
        *,
        action: str | None = None,
        problem: str | None = None,
    ) -> TraceEntry | None:
        """Append one frame (``action`` names the request a response answers)."""
        self._seq += 1
        entries = self._entries
        if len(entries) >= self.limit:
            self.dropped += 1
            return None
        text = raw if isinstance(raw, str) else "<binary> " + raw[:256].hex()
        if len(text) > MAX_RAW_CHARS:
            text = text[:MAX_RAW_CHARS] + f"... [{len(text) - MAX_RAW_CHARS} more characters]"
        mtype, uid, own_action, payload = _describe(frame)
        entry = TraceEntry(
            self._seq,
            flow,
            time.monotonic(),
            _wall_clock.now(),
            text,
            mtype,
            uid,
            own_action or action,
            payload,
            problem,
        )
        entries.append(entry)
        self._lines.append(None)
        return entry

    def event(self, text: str, *, problem: str | None = None) -> None:
        """Record a connection event (connected, closed, fault injected...); ``problem`` marks
        the point a verdict rests on (a deadline that passed, a forbidden message)."""
        self.record(Flow.EVENT, text, problem=problem)

    def entries(self) -> tuple[TraceEntry, ...]:
        return tuple(self._entries)

    def render(self, last: int | None = None) -> str:
        """Readable text, one line per entry (the last ``last`` entries only, when given)."""
        count = len(self._entries)
        first = 0 if last is None else max(0, count - last)
        lines = self._summaries(first, count)
        if last is not None and len(self._entries) > last:
            lines.insert(0, f"... {len(self._entries) - last} earlier entries")
        if self.dropped:
            lines.append(f"... trace capped at {self.limit} entries: {self.dropped} more not kept")
        return "\n".join(lines) if lines else "(no frames)"

    def _summaries(self, first: int, end: int) -> list[str]:
        """Summary lines of entries ``first`` to ``end``, each formatted once per trace."""
        cached = self._lines
        lines: list[str] = []
        for index in range(first, end):
            line = cached[index]
            if line is None:
                line = cached[index] = self._entries[index].summary()
            lines.append(line)
        return lines

    def to_dicts(self) -> list[dict[str, Any]]:
        """Entries as JSON-ready dicts. A payload nested deeper than :data:`MAX_PAYLOAD_DEPTH`
        (a SUT can send arbitrarily deep DataTransfer data) is left out; its raw text stays."""
        return [
            {
                "seq": e.seq,
                "flow": e.flow.value,
                "monotonic": e.monotonic,
                "wall": e.wall,
                "raw": e.raw,
                "message_type": e.message_type,
                "unique_id": e.unique_id,
                "action": e.action,
                "payload": e.payload if _nesting_within(e.payload, MAX_PAYLOAD_DEPTH) else None,
                "problem": e.problem,
            }
            for e in self._entries
        ]

    def write_jsonl(self, path: Path) -> None:
        """One JSON object per line; a last line notes dropped entries."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as out:
            for item in self.to_dicts():
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
            if self.dropped:
                out.write(json.dumps({"dropped": self.dropped, "limit": self.limit}) + "\n")
