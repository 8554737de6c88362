"""Verdict helpers for test cases: field checks that fail with Expected/Actual evidence."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from harness.verdicts import SutFailure

#: Deviation allowed when comparing the SUT's clock with ours (OCA labs use 4 s, Part 6 §2).
TIME_DEVIATION_S = 4.0


def require_fields(item: Mapping[str, Any], *, req: str, frames: str = "", **fields: Any) -> None:
    """Each ``fields`` key (wire name) of ``item`` equals the given value; otherwise FAIL."""
    for key, want in fields.items():
        if item.get(key) != want:
            raise SutFailure(
                req, f"{key}={want!r}", f"{key}={item.get(key)!r} in {dict(item)}", frames
            )


def require_int_text(value: Any, *, req: str, frames: str = "") -> int:
    """``value`` is a string holding an integer (device-model values are strings)."""
    text = str(value).strip() if isinstance(value, str) else ""
    if not text.lstrip("-").isdigit():
        raise SutFailure(req, "an integer value", repr(value), frames)
    return int(text)


def require_recent_time(
    value: Any, *, req: str, frames: str = "", deviation_s: float = TIME_DEVIATION_S
) -> datetime:
    """``value`` is an RFC 3339 date-time with a zone, within ``deviation_s`` of our clock."""
    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise SutFailure(req, "an RFC 3339 date-time", repr(value), frames) from None
    if when.tzinfo is None:
        raise SutFailure(req, "a date-time with a time zone", repr(value), frames)
    skew = abs((datetime.now(UTC) - when).total_seconds())
    if skew > deviation_s:
        raise SutFailure(
            req,
            f"within {deviation_s:g} s of the harness clock",
            f"{value} ({skew:.0f} s off)",
            frames,
        )
    return when


def require(condition: bool, *, req: str, expected: str, actual: str, frames: str = "") -> None:
    """FAIL with ``expected``/``actual`` unless ``condition`` holds."""
    if not condition:
        raise SutFailure(req, expected, actual, frames)
