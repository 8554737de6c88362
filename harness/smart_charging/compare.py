"""Expected vs reported composite schedule: the per-period differences and the time offset.

Precision (:func:`tolerance`): a limit has at most one digit fraction (2.0.1 §2.14
ChargingSchedulePeriodType.limit), so a station that rounds is within half a step, 0.05, of the
exact value. A station that keeps its limits in the other unit (a W profile stored as A or the
reverse, K01.FR.50) may round there, so in W the tolerance is that half step in A times the
nominal voltage and the phases (34.5 W for three phases at 230 V). Time: the station computes
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


def tolerance(unit: str, phases: int = DEFAULT_PHASES, voltage: float = NOMINAL_VOLTAGE_V) -> float:
    """How far a reported limit in ``unit`` may be from the exact one (module doc)."""
    half = LIMIT_PRECISION / 2
    return half if unit == "A" else max(half, half * voltage * phases)


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
    """The result of :func:`compare`: ``offset_s`` = reported start - expected start."""

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
            return [head, f"every period within {tolerance(self.unit)} {self.unit}"]
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
    """Compare a reported composite with the oracle's over the reported duration; a reported
    unit other than the expected one (a legal variant where declared) is converted first."""
    offset = actual.start - expected.start
    span = min(actual.duration, round(expected.duration - offset))
    cuts = {0, span}
    cuts.update(p.start for p in actual.periods if 0 < p.start < span)
    cuts.update(
        round(p.start - offset) for p in expected.periods if 0 < round(p.start - offset) < span
    )
    ordered = sorted(cuts)

    def exp(at: float) -> float | None:
        return _value(expected, at + offset)

    def act(at: float) -> float | None:
        value = _value(actual, at)
        if value is None or actual.unit == expected.unit:
            return value
        return to_unit(value, actual.unit, expected.unit, _phases_at(actual, at), voltage)

    def same(a: float | None, b: float | None, at: float) -> bool:
        if a is None or b is None:
            return a is b
        return abs(a - b) <= tolerance(expected.unit, _phases_at(expected, at + offset), voltage)

    diffs: list[Difference] = []
    for lo, hi in itertools.pairwise(ordered):
        e, a = exp(lo), act(lo)
        if same(e, a, lo):
            continue
        if hi - lo <= time_tolerance_s and (
            same(exp(lo - time_tolerance_s), a, lo)
            or same(exp(hi + time_tolerance_s - 1e-6), a, lo)
        ):
            continue  # a boundary moved by less than the time tolerance
        refs = _sources_at(expected, lo + offset)
        if diffs and diffs[-1].end == lo and (diffs[-1].expected, diffs[-1].actual) == (e, a):
            diffs[-1] = Difference(diffs[-1].start, hi, e, a, diffs[-1].sources)
        else:
            diffs.append(Difference(lo, hi, e, a, refs))
    return Comparison(offset, expected.unit, tuple(diffs))
