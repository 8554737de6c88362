"""The frame trace of a case as rows of a sequence view: time, direction, message, payload.

Rows are plain dicts for the ``case.html.j2`` template. Payloads are pretty-printed JSON; long
ones are folded (the template shows the first line and opens the rest on click, and on print).
The failing frame (``case["failing_frame"]``, see :func:`harness.report.results.failing_frame`)
is marked so the template can highlight it and link to it. Where a bounded trace let entries go
(a gap in ``seq``, see :class:`harness.trace.Trace`), one row says how many.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

#: OCPP-J message type ids → short labels.
MESSAGE_TYPES = {2: "CALL", 3: "RESULT", 4: "ERROR", 5: "RESULT ERROR", 6: "SEND"}
DIRECTIONS = {
    "received": ("SUT → harness", "in"),
    "sent": ("harness → SUT", "out"),
    "event": ("connection", "event"),
}
#: Payloads up to this many characters stay on one line; longer ones are pretty-printed.
INLINE_CHARS = 140
#: Pretty-printed payloads longer than this many characters are folded.
FOLD_CHARS = 600


def _seconds(wall: str) -> float | None:
    try:
        return datetime.fromisoformat(wall).timestamp()
    except (TypeError, ValueError):
        return None


def _payload_text(entry: dict[str, Any]) -> str:
    payload = entry.get("payload")
    if payload is None:
        return str(entry.get("raw", ""))
    compact = json.dumps(payload, ensure_ascii=False)
    if len(compact) <= INLINE_CHARS:
        return compact
    return json.dumps(payload, indent=2, ensure_ascii=False)


def _head(raw: str, chars: int = 180) -> str:
    return raw if len(raw) <= chars else raw[:chars] + " …"


def sequence_rows(case: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per trace entry of a ``cases[]`` record."""
    trace: list[dict[str, Any]] = case.get("trace") or []
    failing = case.get("failing_frame")
    t0 = _seconds(trace[0]["wall"]) if trace else None
    rows: list[dict[str, Any]] = []
    previous = 0
    for entry in trace:
        if previous and entry["seq"] > previous + 1:
            rows.append(gap_row(entry["seq"] - previous - 1))
        previous = entry["seq"]
        label, css = DIRECTIONS.get(str(entry.get("flow")), ("?", "event"))
        now = _seconds(entry["wall"])
        delta = f"+{now - t0:.3f} s" if now is not None and t0 is not None else ""
        mtype = entry.get("message_type")
        kind = MESSAGE_TYPES.get(mtype, "") if isinstance(mtype, int) else ""
        text = _payload_text(entry) if css != "event" else str(entry.get("raw", ""))
        folded = len(text) > FOLD_CHARS
        rows.append(
            {
                "seq": entry["seq"],
                "time": str(entry["wall"])[11:23],
                "delta": delta,
                "direction": label,
                "css": css,
                "kind": kind,
                "action": entry.get("action") or "",
                "unique_id": entry.get("unique_id") or "",
                "text": text,
                "folded": folded,
                "head": _head(str(entry.get("raw", ""))) if folded else "",
                "problem": entry.get("problem") or "",
                "failing": failing is not None and entry["seq"] == failing,
                "gap": False,
            }
        )
    return rows


def gap_row(count: int) -> dict[str, Any]:
    """Where a bounded trace let entries go (a gap in ``seq``): how many, in one row."""
    return {
        "seq": "…",
        "time": "",
        "delta": "",
        "direction": "",
        "css": "event",
        "kind": "",
        "action": "",
        "unique_id": "",
        "text": f"{count} entries not kept here (the trace keeps its start and its end)",
        "folded": False,
        "head": "",
        "problem": "",
        "failing": False,
        "gap": True,
    }
