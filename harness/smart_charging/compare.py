"""Expected vs reported composite schedule: the per-period differences and the time offset.

Precision (:func:`tolerance`): a limit "accepts at most one digit fraction" (2.0.1 §2.14
ChargingSchedulePeriodType.limit; 1.6 §7.14 with errata 3.71), in A and in W alike, so a station
that rounds its limits to that precision (legal variant ``sc-composite-rounded``) is within half
a step, 0.05, of the exact value, and no further: rounding to whole watts is coarser than the field
allows (2.0.1 §2.1 decimal: reported data keeps its resolution). The comparison is made in the
unit the station reported: a reported unit other than the expected one (a 1.6 charge point that
allows Power only answers in W: legal variant ``sc-rate-unit-watts``) gets the oracle's schedule
converted to it (K01.FR.50/51, 1.6 §7.12 with errata 3.69) before the half step applies.
Time: the station computes
from the moment it receives the request (K08.FR.02) and a case cannot know that moment exactly,
so a period boundary may move by up to ``time_tolerance_s`` (the OCA's "configured max time
deviation"); the offset between the expected and the reported scheduleStart is measured and the
expected schedule is shifted by it before comparing (TC_K_41_CS calls it x).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from harness.smart_charging.model import (
    DEFAULT_PHASES,
    LIMIT_PRECISION,
    NOMINAL_VOLTAGE_V,
    CompositeSchedule,
    ProfileRef,
    to_unit,
)

#: Slack for the binary representation of a decimal (8.65 may be stored as 8.6499999...).
_FLOAT_SLACK = 1e-9


def tolerance() -> float:
    """How far a reported limit may be from the exact one: half the last digit the limit may
    carry, the same in A and in W (the precision is the field's, module doc)."""
    return LIMIT_PRECISION / 2 + _FLOAT_SLACK


@dataclass(frozen=True, slots=True)
class Difference:
    """A stretch ``[start, end)`` (s after the reported scheduleStart) where the limits differ."""

    start: int
    end: int
    expected: float | None
    actual: float | None
    sources: tuple[ProfileRef, ...] = ()

    def __str__(self) -> str:
        why = ", ".join(str(s) for s in self.sources) or "no profile"
        return f"{self.start}-{self.end} s: expected {self.expected} ({why}), got {self.actual}"


@dataclass(frozen=True, slots=True)
class Comparison:
    """The result of :func:`compare`: ``offset_s`` = reported start - expected start; ``unit``
    the reported one, in which the differences are given."""

    offset_s: float
    unit: str
    differences: tuple[Difference, ...]

    @property
    def equal(self) -> bool:
        return not self.differences

    def lines(self) -> list[str]:
        """A plain-text diagnosis: the offset, then one line per differing stretch with the
        profile(s) the expected limit came from (issue item 3 renders it as a table)."""
        head = f"reported scheduleStart is {self.offset_s:+.0f} s from the expected one"
        if self.equal:
            return [head, f"every period within {tolerance():.2f} {self.unit}"]
        return [head, *(f"{d} {self.unit}" for d in self.differences)]


def _value(s: CompositeSchedule, at: float) -> float | None:
    return s.limit_at(at)


def _phases_at(s: CompositeSchedule, at: float) -> int:
    phases = DEFAULT_PHASES
    for p in s.periods:
        if p.start <= at:
            phases = p.phases
    return phases


def _sources_at(s: CompositeSchedule, at: float) -> tuple[ProfileRef, ...]:
    found: tuple[ProfileRef, ...] = ()
    for p, refs in zip(s.periods, s.sources, strict=False):
        if p.start <= at:
            found = refs
    return found


def compare(
    expected: CompositeSchedule,
    actual: CompositeSchedule,
    *,
    time_tolerance_s: float = 2.0,
    voltage: float = NOMINAL_VOLTAGE_V,
) -> Comparison:
    """Compare a reported composite with the oracle's over the reported duration, in the
    reported unit (the oracle's limits converted to it when it differs, module doc)."""
    offset = actual.start - expected.start
    span = min(actual.duration, round(expected.duration - offset))
    cuts = {0, span}
    cuts.update(p.start for p in actual.periods if 0 < p.start < span)
    cuts.update(
        round(p.start - offset) for p in expected.periods if 0 < round(p.start - offset) < span
    )
    ordered = sorted(cuts)

    unit = actual.unit

    def exp(at: float) -> float | None:
        value = _value(expected, at + offset)
        if value is None or expected.unit == unit:
            return value
        return to_unit(value, expected.unit, unit, _phases_at(expected, at + offset), voltage)

    def act(at: float) -> float | None:
        return _value(actual, at)

    def same(a: float | None, b: float | None) -> bool:
        if a is None or b is None:
            return a is b
        return abs(a - b) <= tolerance()

    diffs: list[Difference] = []
    for lo, hi in itertools.pairwise(ordered):
        e, a = exp(lo), act(lo)
        if same(e, a):
            continue
        if hi - lo <= time_tolerance_s and (
            same(exp(lo - time_tolerance_s), a) or same(exp(hi + time_tolerance_s - 1e-6), a)
        ):
            continue  # a boundary moved by less than the time tolerance
        refs = _sources_at(expected, lo + offset)
        if diffs and diffs[-1].end == lo and (diffs[-1].expected, diffs[-1].actual) == (e, a):
            diffs[-1] = Difference(diffs[-1].start, hi, e, a, diffs[-1].sources)
        else:
            diffs.append(Difference(lo, hi, e, a, refs))
    return Comparison(offset, unit, tuple(diffs))
