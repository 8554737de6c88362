"""Frame recorder: every frame a peer sent or received, with timestamps and what was wrong with it.

The trace is the evidence behind every verdict (DESIGN §1): each entry keeps the raw text exactly as
it crossed the wire, the parsed message when it could be parsed, a monotonic timestamp (the
trace's one wall-clock anchor turns it into wall-clock time when rendered), and the problem the
OCPP-J core found in it. A flooding SUT cannot exhaust memory nor
blow up the report (issue 8 item 8): a trace keeps its start and, when asked, its most recent
entries (a ring buffer), within bounds on entries and characters, and counts what it let go; a
frame's raw text is cut at :data:`MAX_RAW_CHARS` (its parsed payload is then not kept either).
"""

from __future__ import annotations

import itertools
import json
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from harness.ocppj.frames import Call, CallError, CallResultError, Frame, Send
from harness.redact import redact

#: Raw text kept per entry; longer frames are cut (and marked) so an oversized frame stays readable.
MAX_RAW_CHARS = 64 * 1024


def _size(chars: int) -> str:
    """``chars`` as a short size: "384 KiB", "16 MiB"."""
    if chars >= 1024 * 1024:
        return f"{chars / (1024 * 1024):g} MiB"
    return f"{chars / 1024:g} KiB"


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


@dataclass(slots=True)
class TraceEntry:
    """One frame or connection event; read-only by convention (not ``frozen``: a frozen
    dataclass costs four times as much to build, and one is built for every frame)."""

    seq: int
    flow: Flow
    monotonic: float
    #: Wall-clock time minus monotonic time when the trace began (its one wall-clock anchor).
    anchor: float
    raw: str
    message_type: int | None = None
    unique_id: str | None = None
    action: str | None = None
    payload: dict[str, Any] | None = None
    problem: str | None = None

    @property
    def wall(self) -> str:
        """UTC wall-clock time, ISO 8601 with milliseconds (formatted when rendered)."""
        return _wall_text(self.anchor + self.monotonic)

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


class _WallText:
    """Wall-clock stamps as UTC ISO 8601 with milliseconds (``datetime.isoformat`` spelling);
    the text up to the seconds is formatted once per second (entries mostly share it)."""

    __slots__ = ("_prefix", "_second")

    def __init__(self) -> None:
        self._second = -1
        self._prefix = ""

    def __call__(self, stamp: float) -> str:
        second = int(stamp // 1)
        if second != self._second:
            self._prefix = datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S")
            self._second = second
        return self._prefix + _MILLIS[min(999, int((stamp - second) * 1000))]


#: ".000+00:00" ... ".999+00:00": the per-call part of a wall-clock stamp, formatted in advance.
_MILLIS = tuple(f".{millis:03d}+00:00" for millis in range(1000))
_wall_text = _WallText()


#: Raw text a trace keeps from its start by default (a frame counts with its kept text).
HEAD_CHARS = 16 * 1024 * 1024
#: Entries the end of a bounded trace keeps by default (0: only the start is kept), and their text.
TAIL_ENTRIES = 0
TAIL_CHARS = 128 * 1024
#: Events with a problem (a deadline that passed, a forbidden message: what a verdict rests on)
#: pushed out of the end are still kept, up to this many.
MAX_PINNED = 50


class Trace:
    """An append-only list of :class:`TraceEntry`, bounded so a flooding SUT or a session of many
    hours cannot exhaust memory or the report (issue 8 item 8).

    The trace keeps its first entries, up to ``limit`` entries and ``head_chars`` characters of
    raw text; once those are full, it keeps the most recent ``tail`` entries (at most
    ``tail_chars`` characters: a ring buffer) and counts every entry it let go in
    :attr:`dropped`. An event with a problem that leaves the ring stays (up to
    :data:`MAX_PINNED`): it is the point a verdict rests on. The kept entries are always in
    ``seq`` order; a gap in ``seq`` is where entries were let go. With ``tail=0`` only the start
    is kept.
    """

    def __init__(
        self,
        name: str = "",
        *,
        limit: int = 20_000,
        head_chars: int = HEAD_CHARS,
        tail: int = TAIL_ENTRIES,
        tail_chars: int = TAIL_CHARS,
    ) -> None:
        self.name = name
        #: Wall-clock minus monotonic time, read once: entries keep monotonic time only.
        self.anchor = time.time() - time.monotonic()
        self.limit = limit
        self.head_chars = head_chars
        self.tail = tail
        self.tail_chars = tail_chars
        self.dropped = 0
        self._head: list[TraceEntry] = []
        self._head_used = 0
        #: Whether the start is full (from then on entries go to the ring, or are let go).
        self._head_full = False
        self._pinned: list[TraceEntry] = []
        self._ring: deque[TraceEntry] = deque()
        self._ring_used = 0
        #: ``summary()`` of each kept entry by ``seq``, filled when first rendered.
        self._lines: dict[int, str] = {}
        self._seq = 0

    def __len__(self) -> int:
        return len(self._head) + len(self._pinned) + len(self._ring)

    def __iter__(self) -> Iterator[TraceEntry]:
        return itertools.chain(self._head, self._pinned, self._ring)

    @property
    def kept_chars(self) -> int:
        """Raw text of the kept entries (what the report writes about twice per file)."""
        return self._head_used + self._ring_used + sum(len(e.raw) for e in self._pinned)

    @property
    def recorded(self) -> int:
        """Every entry recorded, kept or not."""
        return self._seq

    def record(
        self,
        flow: Flow,
        raw: str | bytes,
        frame: Frame | None = None,
        *,
        action: str | None = None,
        problem: str | None = None,
    ) -> TraceEntry | None:
        """Append one frame (``action`` names the request a response answers); None when the
        trace does not keep it (see the class doc)."""
        self._seq += 1
        if self._head_full and not self.tail:
            self.dropped += 1
            return None
        text = raw if isinstance(raw, str) else "<binary> " + raw[:256].hex()
        mtype, uid, own_action, payload = _describe(frame)
        if "BasicAuthPassword" in text or "AuthorizationKey" in text:  # redact.SECRET_NAMES
            text, payload = redact(text, payload)  # a password a CSMS sets stays out of reports
        if len(text) > MAX_RAW_CHARS:
            text = text[:MAX_RAW_CHARS] + f"... [{len(text) - MAX_RAW_CHARS} more characters]"
            if mtype is not None and mtype not in (4, 5):
                payload = None  # the cut raw text is the evidence; its payload would not be
        entry = TraceEntry(
            self._seq,
            flow,
            time.monotonic(),
            self.anchor,
            text,
            mtype,
            uid,
            own_action or action,
            payload,
            problem,
        )
        size = len(text)
        if not self._head_full:
            if len(self._head) < self.limit and self._head_used + size <= self.head_chars:
                self._head.append(entry)
                self._head_used += size
                return entry
            self._head_full = True
            if not self.tail:
                self.dropped += 1
                return None
        self._ring.append(entry)
        self._ring_used += size
        while len(self._ring) > 1 and (
            len(self._ring) > self.tail or self._ring_used > self.tail_chars
        ):
            self._evict()
        return entry

    def _evict(self) -> None:
        """Let the oldest entry of the ring go (an event with a problem is pinned instead)."""
        old = self._ring.popleft()
        self._ring_used -= len(old.raw)
        if old.flow is Flow.EVENT and old.problem:
            self._pinned.append(old)
            if len(self._pinned) <= MAX_PINNED:
                return
            old = self._pinned.pop(0)
        self._lines.pop(old.seq, None)
        self.dropped += 1

    def event(self, text: str, *, problem: str | None = None) -> None:
        """Record a connection event (connected, closed, fault injected...); ``problem`` marks
        the point a verdict rests on (a deadline that passed, a forbidden message)."""
        self.record(Flow.EVENT, text, problem=problem)

    def entries(self) -> tuple[TraceEntry, ...]:
        return tuple(self)

    def _cap_note(self) -> str:
        if self.tail:
            return (
                f"... {self.dropped} entries not kept: the trace keeps its start "
                f"({_size(self.head_chars)} of frames, at most {self.limit} entries) and its "
                f"last {self.tail} entries ({_size(self.tail_chars)})"
            )
        if len(self._head) >= self.limit:
            return f"... trace capped at {self.limit} entries: {self.dropped} more not kept"
        return (
            f"... trace capped at {_size(self.head_chars)} of frames: {self.dropped} more not kept"
        )

    def render(self, last: int | None = None) -> str:
        """Readable text, one line per entry (the last ``last`` entries only, when given); where
        entries were let go, a line says how many."""
        kept = self.entries()
        first = 0 if last is None else max(0, len(kept) - last)
        lines: list[str] = []
        if first:
            lines.append(f"... {first} earlier entries")
        previous = kept[first - 1].seq if first else 0
        for entry in kept[first:]:
            if entry.seq > previous + 1 and self.tail and previous:
                lines.append(f"... {entry.seq - previous - 1} entries not kept")
            lines.append(self._summary(entry))
            previous = entry.seq
        if self.dropped and (last is None or not self.tail):
            lines.append(self._cap_note())
        return "\n".join(lines) if lines else "(no frames)"

    def excerpt(self, seq: int | None, *, before: int = 4, after: int = 4) -> str:
        """The entry ``seq`` (marked) with up to ``before`` entries before it and ``after`` after
        it; the last ``before + after + 1`` entries when ``seq`` is None or not kept."""
        kept = self.entries()
        at = next((i for i, e in enumerate(kept) if e.seq == seq), None)
        if at is None:
            return self.render(last=before + after + 1)
        lines: list[str] = []
        start, end = max(0, at - before), min(len(kept), at + after + 1)
        if start:
            lines.append(f"... {start} earlier entries")
        for index in range(start, end):
            mark = ">> " if index == at else "   "
            lines.append(mark + self._summary(kept[index]))
        if end < len(kept):
            lines.append(f"... {len(kept) - end} later entries")
        return "\n".join(lines)

    def _summary(self, entry: TraceEntry) -> str:
        """``entry.summary()``, formatted once per kept entry."""
        line = self._lines.get(entry.seq)
        if line is None:
            line = self._lines[entry.seq] = entry.summary()
        return line

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
            for e in self
        ]

    def write_jsonl(self, path: Path) -> None:
        """One JSON object per line; a last line notes dropped entries."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as out:
            for item in self.to_dicts():
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
            if self.dropped:
                out.write(json.dumps({"dropped": self.dropped, "limit": self.limit}) + "\n")
