"""Verdict helpers for test cases: field checks that fail with Expected/Actual evidence."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from harness.verdicts import Axis, NotApplicable, SutFailure

if TYPE_CHECKING:
    from harness.peers.view import PeerView

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
    text = value.strip() if isinstance(value, str) else ""
    # ASCII digits with an optional minus only: int() alone would also take "1_0", "+4" or
    # non-ASCII digits, and str.isdigit() lets "²" through to an int() that raises.
    if re.fullmatch(r"-?[0-9]+", text) is None:
        raise SutFailure(req, "an integer value", repr(value), frames)
    try:
        return int(text)
    except ValueError:
        raise SutFailure(req, "an integer value", repr(value), frames) from None


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
    """FAIL with ``expected``/``actual`` unless ``condition`` holds (a MUST/SHALL rule)."""
    if not condition:
        raise SutFailure(req, expected, actual, frames)


def should(peer: PeerView, condition: bool, *, req: str, expected: str, actual: str) -> bool:
    """A SHOULD/SHOULD NOT/MAY/RECOMMENDED rule: record a spec-axis warning unless ``condition``
    holds; the verdict does not change (DESIGN §5). Returns ``condition``."""
    if not condition:
        peer.warn(Axis.SPEC, req, f"expected {expected}; actual {actual}")
    return condition


def applicable_unless(condition: bool, reason: str) -> None:
    """NOT-APPLICABLE with ``reason`` when ``condition`` holds: a legal answer (optional feature
    absent, a request Rejected where the spec allows it) makes the case impossible."""
    if condition:
        raise NotApplicable(reason)


def require_one(items: Any, *, req: str, what: str, frames: str = "") -> Mapping[str, Any]:
    """``items`` is a list of exactly one object (e.g. a single-entry result list); return it."""
    require(
        isinstance(items, list) and len(items) == 1 and isinstance(items[0], Mapping),
        req=req,
        expected=f"exactly one {what} entry",
        actual=repr(items),
        frames=frames,
    )
    item: Mapping[str, Any] = items[0]
    return item
